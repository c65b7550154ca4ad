// `eb create` variants: the sample application, a worker tier, a taken CNAME, a timeout, an empty project.
import { describe, it, expect } from 'vitest';
import { DescribeApplicationVersionsCommand, DescribeEnvironmentsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { createCloud, ManualClock } from '../cloud/index.ts';
import { sandbox } from './test-helpers.ts';

function steppedCloud() {
  const clock = new ManualClock();
  return { cloud: createCloud({ clock, log: () => undefined }), clock };
}

describe('eb create', () => {
  it('launches the sample application with --sample, uploading nothing', async () => {
    const box = await sandbox(steppedCloud());
    await box.eb('init -p python-3.13 pettracker-api --region us-east-1');
    const run = await box.eb('create pettracker-api-dev --sample --single');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('Creating application version archive');
    const versions = await box.clients.eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: 'pettracker-api' }));
    expect(versions.ApplicationVersions ?? []).toHaveLength(0);
  });

  it('launches the sample application when the project has no source yet', async () => {
    const box = await sandbox(steppedCloud(), { files: {}, git: false });
    await box.eb('init -p node.js pettracker-web --region us-east-1');
    const run = await box.eb('create pettracker-web-dev --single');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('The current directory does not contain any source code. Elastic Beanstalk is launching the sample application instead.');
  });

  it('creates a worker environment with --tier worker (no CNAME)', async () => {
    const box = await sandbox(steppedCloud());
    await box.eb('init -p node.js pettracker-web --region us-east-1');
    const refused = await box.eb('create pettracker-jobs -t worker -c jobs-cname');
    expect(refused.stderr).toBe('ERROR: InvalidOptionsError - Worker tiers do not support a CNAME.\n');
    const run = await box.eb('create pettracker-jobs -t worker --single');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  Tier: Worker-SQS/HTTP-1.0\n');
    const env = await box.clients.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-jobs'] }));
    expect(env.Environments![0].Tier?.Name).toBe('Worker');
  });

  it('refuses a CNAME prefix that is taken before creating anything', async () => {
    const box = await sandbox(steppedCloud());
    await box.eb('init -p node.js pettracker-web --region us-east-1');
    expect((await box.eb('create pettracker-web-a --cname pettracker-shared --single --nohang')).code).toBe(0);
    const second = await box.eb('create pettracker-web-b --cname pettracker-shared --single');
    expect(second.code).toBe(4);
    expect(second.stderr).toBe('ERROR: AlreadyExistsError - The CNAME prefix pettracker-shared is already in use.\n');
  });

  it('gives up after --timeout minutes with the EB CLI message (exit 4); the launch goes on', async () => {
    const box = await sandbox(steppedCloud());
    await box.eb('init -p node.js pettracker-web --region us-east-1');
    const run = await box.eb('create pettracker-web-slow --single --timeout 1');
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      "ERROR: TimeoutError - The EB CLI timed out after 1 minute(s). The operation might still be running. To keep viewing events, run 'eb events -f'. To set timeout duration, use '--timeout MINUTES'.\n",
    );
    const env = await box.clients.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-web-slow'] }));
    expect(env.Environments![0].Status).toBe('Launching');
  });
});
