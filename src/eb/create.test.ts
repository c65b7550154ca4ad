// `eb create` variants: the sample application, a worker tier, a taken CNAME, a timeout, an empty project, and
// --cfg with a saved configuration (a local .cfg.yml uploaded first, or one the application already has).
import { describe, it, expect } from 'vitest';
import {
  DescribeApplicationsCommand,
  DescribeApplicationVersionsCommand,
  DescribeConfigurationSettingsCommand,
  DescribeEnvironmentsCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { createCloud, ManualClock } from '../cloud/index.ts';
import { sandbox, type Sandbox } from './test-helpers.ts';

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

  it('ends when the launch ends with issues ("Launched environment: … However, …"), exit 0, as ebcli does', async () => {
    // The app listens on 3000 while nginx forwards to PORT (8080): every health check gets 502.
    const files = {
      'package.json': JSON.stringify({ name: 'pettracker-web', scripts: { start: 'node server.js' } }),
      'server.js': "require('http').createServer((req, res) => res.end('ok')).listen(3000);\n",
    };
    const box = await sandbox(steppedCloud(), { files, git: false });
    await box.eb('init -p node.js pettracker-web --region us-east-1');
    const run = await box.eb('create pettracker-web-dev --single');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/INFO\s+Launched environment: pettracker-web-dev\. However, there were issues during launch\. See event log for details\.\n$/);
    const env = await box.clients.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-web-dev'] }));
    expect(env.Environments![0]).toMatchObject({ Status: 'Ready', Health: 'Red' });
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

async function effective(box: Sandbox, env: string): Promise<(namespace: string, name: string) => string | undefined> {
  const r = await box.clients.eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: 'pettracker-web', EnvironmentName: env }));
  const settings = r.ConfigurationSettings?.[0]?.OptionSettings ?? [];
  return (namespace, name) => settings.find((s) => s.Namespace === namespace && s.OptionName === name && !s.ResourceName)?.Value;
}

const prodCfg = [
  'EnvironmentConfigurationMetadata:',
  '  Description: Production settings for pettracker-web',
  'OptionSettings:',
  '  aws:elasticbeanstalk:command:',
  '    DeploymentPolicy: Immutable',
  '  aws:autoscaling:asg:',
  '    MinSize: 2',
  '    MaxSize: 6',
  '  aws:elasticbeanstalk:environment:',
  '    LoadBalancerType: application',
  '  aws:elasticbeanstalk:application:environment:',
  '    APP_STAGE: production',
  '    LOG_LEVEL: info',
  'AWSConfigurationTemplateVersion: 1.1.0.0',
  '',
].join('\n');

describe('eb create --cfg', () => {
  async function project(): Promise<Sandbox> {
    const box = await sandbox(steppedCloud());
    expect((await box.eb('init -p node.js-22 pettracker-web --region us-east-1')).code).toBe(0);
    return box;
  }

  it('uploads .elasticbeanstalk/saved_configs/<name>.cfg.yml as a saved configuration and launches with it, without the client defaults', async () => {
    const box = await project();
    await box.write({ '.elasticbeanstalk/saved_configs/prod.cfg.yml': prodCfg });
    const run = await box.eb('create pettracker-web-prod --cfg prod');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Successfully launched environment: pettracker-web-prod\n$/);

    const app = await box.clients.eb.send(new DescribeApplicationsCommand({ ApplicationNames: ['pettracker-web'] }));
    expect(app.Applications?.[0]?.ConfigurationTemplates).toEqual(['prod']);
    const env = await box.clients.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-web-prod'] }));
    expect(env.Environments?.[0]?.TemplateName).toBe('prod');
    // The platform came from the project (the file names none), through the template.
    expect(env.Environments?.[0]?.SolutionStackName).toMatch(/running Node\.js 22$/);
    const get = await effective(box, 'pettracker-web-prod');
    expect(get('aws:elasticbeanstalk:command', 'DeploymentPolicy')).toBe('Immutable');
    expect(get('aws:autoscaling:asg', 'MinSize')).toBe('2');
    expect(get('aws:autoscaling:asg', 'MaxSize')).toBe('6');
    expect(get('aws:elasticbeanstalk:application:environment', 'APP_STAGE')).toBe('production');
    // ebcli leaves out its client defaults (30% batches) when a template is used; the roles are still filled in.
    expect(get('aws:elasticbeanstalk:command', 'BatchSize')).not.toBe('30');
    expect(get('aws:autoscaling:launchconfiguration', 'IamInstanceProfile')).toBe('aws-elasticbeanstalk-ec2-role');
    expect(get('aws:elasticbeanstalk:environment', 'ServiceRole')).toBe('aws-elasticbeanstalk-service-role');

    // The file is uploaded again on the next --cfg use, replacing the template: a removed option is gone.
    await box.write({ '.elasticbeanstalk/saved_configs/prod.cfg.yml': prodCfg.replace('    LOG_LEVEL: info\n', '') });
    const second = await box.eb('create pettracker-web-prod2 --cfg prod --scale 3 --envvars APP_STAGE=canary');
    expect(second.stderr).toBe('');
    const get2 = await effective(box, 'pettracker-web-prod2');
    expect(get2('aws:elasticbeanstalk:application:environment', 'LOG_LEVEL')).toBeUndefined();
    // Flags win over the saved configuration, as settings passed on CreateEnvironment do.
    expect(get2('aws:autoscaling:asg', 'MinSize')).toBe('3');
    expect(get2('aws:elasticbeanstalk:application:environment', 'APP_STAGE')).toBe('canary');
    expect(get2('aws:elasticbeanstalk:command', 'DeploymentPolicy')).toBe('Immutable');
  }, 30_000);

  it('uses a saved configuration the application already has, and names both places when there is none', async () => {
    const box = await project();
    await box.write({ 'base.yml': prodCfg });
    // A file path works too; the template takes the file's name without extensions.
    expect((await box.eb('create pettracker-web-a --cfg base.yml --single')).code).toBe(0);
    await box.fs.rm(`${box.cwd}/base.yml`);
    const reuse = await box.eb('create pettracker-web-b --cfg base --single');
    expect(reuse.stderr).toBe('');
    expect((await effective(box, 'pettracker-web-b'))('aws:elasticbeanstalk:command', 'DeploymentPolicy')).toBe('Immutable');

    const missing = await box.eb('create pettracker-web-c --cfg prod');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toBe(
      'ERROR: NotFoundError - No saved configuration "prod": there is no .elasticbeanstalk/saved_configs/prod.cfg.yml and application "pettracker-web" has no saved configuration of that name. Write the file, or save an environment\'s settings with "eb config save --cfg prod".\n',
    );
    // A file eb would not find is named, with where it has to go.
    await box.write({ '.elasticbeanstalk/saved_configs/prod.cfg.yaml': prodCfg, 'prod.yml': prodCfg });
    const nearMiss = await box.eb('create pettracker-web-c --cfg prod');
    expect(nearMiss.stderr).toBe(
      'ERROR: NotFoundError - No saved configuration "prod": there is no .elasticbeanstalk/saved_configs/prod.cfg.yml and application "pettracker-web" has no saved configuration of that name. .elasticbeanstalk/saved_configs/prod.cfg.yaml and prod.yml are not where eb looks: rename or move one of them to .elasticbeanstalk/saved_configs/prod.cfg.yml.\n',
    );
    const noFile = await box.eb('create pettracker-web-c --cfg configs/prod.cfg.yml');
    expect(noFile.stderr).toBe('ERROR: NotFoundError - File configs/prod.cfg.yml not found.\n');
    const envs = await box.clients.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-web-c'] }));
    expect(envs.Environments ?? []).toHaveLength(0);
  }, 30_000);

  it('refuses a broken saved configuration with the file, the line or the option to fix, before launching anything', async () => {
    const box = await project();
    await box.write({ '.elasticbeanstalk/saved_configs/prod.cfg.yml': 'OptionSettings:\n  aws:autoscaling:asg:\n    MinSize: [2\n' });
    const yaml = await box.eb('create pettracker-web-prod --cfg prod');
    expect(yaml.code).toBe(4);
    expect(yaml.stderr).toMatch(/^ERROR: InvalidOptionsError - \/home\/alex\/pettracker-web\/\.elasticbeanstalk\/saved_configs\/prod\.cfg\.yml is not valid YAML \(line \d+, column \d+\)/);

    await box.write({ '.elasticbeanstalk/saved_configs/prod.cfg.yml': 'OptionSettings:\n  aws:autoscaling:asg:\n    MinSize:\n' });
    const empty = await box.eb('create pettracker-web-prod --cfg prod');
    expect(empty.stderr).toContain('prod.cfg.yml: OptionSettings.aws:autoscaling:asg.MinSize needs a single value');

    await box.write({ '.elasticbeanstalk/saved_configs/prod.cfg.yml': 'OptionSettings:\n  aws:elasticbeanstalk:command:\n    DeploymentPolicy: Sometimes\n' });
    const invalid = await box.eb('create pettracker-web-prod --cfg prod');
    expect(invalid.code).toBe(4);
    expect(invalid.stderr).toMatch(/^ERROR: InvalidOptionsError - Saved configuration \S+prod\.cfg\.yml was refused: .*DeploymentPolicy/);
    const envs = await box.clients.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-web-prod'] }));
    expect(envs.Environments ?? []).toHaveLength(0);
    expect((await box.eb('create pettracker-web-prod --cfg ""')).stderr).toContain('--cfg needs the name of a saved configuration');
  }, 30_000);
});
