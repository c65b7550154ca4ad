// `eb deploy` against the sandbox: failure events end the command with the EB CLI's error and exit
// code, bad bundles are refused at processing, large bundles go up in parts, labels can be reused.
import { describe, it, expect } from 'vitest';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { DescribeApplicationVersionsCommand, DescribeEnvironmentsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { unzipSync } from 'fflate';
import { sandbox, type Sandbox } from './test-helpers.ts';
import { createCloud, ManualClock } from '../cloud/index.ts';

function steppedCloud() {
  const clock = new ManualClock();
  return { cloud: createCloud({ clock, log: () => undefined }), clock };
}

async function launched(options: Parameters<typeof sandbox>[1] = {}): Promise<Sandbox> {
  const box = await sandbox(steppedCloud(), options);
  expect((await box.eb('init -p node.js pettracker-web --region us-east-1')).code).toBe(0);
  const create = await box.eb('create pettracker-web-staging --single');
  expect(create.stderr).toBe('');
  expect(create.code).toBe(0);
  return box;
}

const bucket = 'elasticbeanstalk-us-east-1-000000000000';

describe('eb deploy', () => {
  it('ends on the failure event with ERROR: ServiceError and exit 4 when the instances cannot deploy it', async () => {
    const box = await launched();
    await box.write({ Procfile: 'web node server.js\n' });
    await box.commit('Procfile without a colon');
    const run = await box.eb('deploy');
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/ERROR   .+/);
    expect(run.stderr).toBe('ERROR: ServiceError - Failed to deploy application.\n');
  }, 30_000);

  it('stops at processing when .ebextensions is not valid YAML, and names the file', async () => {
    const box = await launched();
    await box.write({ '.ebextensions/options.config': 'option_settings:\n\t- bad: tab\n' });
    await box.commit('Broken config');
    const run = await box.eb('deploy');
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/\.ebextensions\/options\.config/);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(/^ERROR: ServiceError - Pre-processing of application version app-.+ has failed\.$/);
    const env = await box.clients.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-web-staging'] }));
    expect(env.Environments![0].VersionLabel).not.toMatch(/Broken/);
  }, 30_000);

  it('uploads a bundle of 7 MiB or more in parts and deploys it', async () => {
    const box = await launched();
    // Random bytes do not compress, so the bundle stays above the 7 MiB multipart threshold.
    const big = new Uint8Array(7.5 * 1024 * 1024);
    let seed = 1;
    for (let i = 0; i < big.length; i++) big[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    await box.fs.mkdir(`${box.cwd}/public`, { recursive: true });
    await box.fs.writeFile(`${box.cwd}/public/data.txt`, big);
    // .ebignore packages the working tree, so the large file needs no commit.
    await box.write({ '.ebignore': '.git/\n' });
    const run = await box.eb('deploy --label v-large -m "Large data"');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const head = await box.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'pettracker-web/v-large.zip' }));
    expect(head.ContentLength).toBeGreaterThanOrEqual(7 * 1024 * 1024);
    const object = await box.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'pettracker-web/v-large.zip' }));
    const files = unzipSync(await object.Body!.transformToByteArray());
    expect(Object.keys(files).sort()).toEqual(['.ebignore', '.gitignore', 'package.json', 'public/data.txt', 'server.js']);
    expect(files['public/data.txt'].length).toBe(big.length);
    const version = await box.clients.eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: 'pettracker-web', VersionLabels: ['v-large'] }));
    expect(version.ApplicationVersions![0].Description).toBe('Large data');
  }, 60_000);

  it('reuses an existing label ("Deploying a previously deployed commit.") and --version deploys one as is', async () => {
    const box = await launched();
    expect((await box.eb('deploy --label release-1')).code).toBe(0);
    const again = await box.eb('deploy --label release-1');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('pettracker-web/release-1.zip is already in bucket');
    expect(again.stdout).toContain('Deploying a previously deployed commit.');
    const both = await box.eb('deploy --version release-1 --label x');
    expect(both.stderr).toBe('ERROR: InvalidOptionsError - You cannot use the "--version" option with either the "--message" or "--label" option.\n');
    const missing = await box.eb('deploy --version nope');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/Application version "nope" does not exist/);
    const json = await box.eb('deploy --version release-1 --json');
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result.versionLabel).toBe('release-1');
    expect(result.environment.VersionLabel).toBe('release-1');
    expect(result.events.at(-1).Message).toMatch(/Environment update completed successfully\./);
  }, 60_000);

  it('warns about uncommitted changes and deploys what is committed', async () => {
    const box = await launched();
    await box.write({ 'server.js': 'edited but not committed' });
    const run = await box.eb('deploy');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('WARNING: You have uncommitted changes.\n');
  }, 30_000);
});

describe('eb deploy to an environment that is busy', () => {
  it('refuses before packaging (exit 3) and says how to wait or abort', async () => {
    const box = await sandbox(steppedCloud());
    expect((await box.eb('init -p node.js pettracker-web --region us-east-1')).code).toBe(0);
    expect((await box.eb('create pettracker-web-staging --single --nohang')).code).toBe(0);
    const run = await box.eb('deploy');
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'ERROR: InvalidStateError - Environment named pettracker-web-staging is in an invalid state for this operation. Must be Ready. It is Launching: wait with "eb events -f".\n',
    );
  });
});
