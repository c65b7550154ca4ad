// The other commands against the sandbox, on one environment: config, saved configurations, clone,
// list/use/open/events, appversion, platform, logs --all/--zip, abort, restore, terminate --all.
import { describe, it, expect, beforeAll } from 'vitest';
import { DescribeConfigurationSettingsCommand, DescribeEnvironmentsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { parse } from 'yaml';
import { sandbox, type Sandbox } from './test-helpers.ts';
import { createCloud, ManualClock } from '../cloud/index.ts';

function steppedCloud() {
  const clock = new ManualClock();
  return { cloud: createCloud({ clock, log: () => undefined }), clock };
}

async function setting(box: Sandbox, env: string, namespace: string, name: string): Promise<string | undefined> {
  const r = await box.clients.eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: 'pettracker-web', EnvironmentName: env }));
  return r.ConfigurationSettings?.[0]?.OptionSettings?.find((s) => s.Namespace === namespace && s.OptionName === name)?.Value;
}

describe('eb commands on a running environment', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await sandbox(steppedCloud());
    expect((await box.eb('init -p node.js-22 pettracker-web --region us-east-1')).code).toBe(0);
    const create = await box.eb('create pettracker-web-staging --envvars NODE_ENV=staging --elb-type application --scale 2');
    expect(create.stderr).toBe('');
    expect(create.code).toBe(0);
  }, 30_000);

  it('applies the EB CLI client defaults on create', async () => {
    expect(await setting(box, 'pettracker-web-staging', 'aws:elasticbeanstalk:healthreporting:system', 'SystemType')).toBe('enhanced');
    expect(await setting(box, 'pettracker-web-staging', 'aws:elasticbeanstalk:command', 'BatchSize')).toBe('30');
    expect(await setting(box, 'pettracker-web-staging', 'aws:elasticbeanstalk:command', 'BatchSizeType')).toBe('Percentage');
    expect(await setting(box, 'pettracker-web-staging', 'aws:autoscaling:updatepolicy:rollingupdate', 'RollingUpdateType')).toBe('Health');
    expect(await setting(box, 'pettracker-web-staging', 'aws:elasticbeanstalk:environment', 'LoadBalancerType')).toBe('application');
    expect(await setting(box, 'pettracker-web-staging', 'aws:autoscaling:asg', 'MinSize')).toBe('2');
    expect(await setting(box, 'pettracker-web-staging', 'aws:elasticbeanstalk:application:environment', 'NODE_ENV')).toBe('staging');
  });

  it('shows the settings as YAML and changes them with --update (a null removes one)', async () => {
    const display = await box.eb('config --display');
    expect(display.code).toBe(0);
    const doc = parse(display.stdout);
    expect(doc.EnvironmentName).toBe('pettracker-web-staging');
    expect(doc.settings['aws:autoscaling:asg'].MaxSize).toBe('2');
    const update = await box.eb(['config', '--update', 'settings:\n  aws:autoscaling:asg:\n    MaxSize: 4\n  aws:elasticbeanstalk:application:environment:\n    NODE_ENV: null\n']);
    expect(update.stderr).toBe('');
    expect(update.code).toBe(0);
    expect(await setting(box, 'pettracker-web-staging', 'aws:autoscaling:asg', 'MaxSize')).toBe('4');
    expect(await setting(box, 'pettracker-web-staging', 'aws:elasticbeanstalk:application:environment', 'NODE_ENV')).toBeUndefined();
    const same = await box.eb(['config', '--update', 'settings: {aws:autoscaling:asg: {MaxSize: 4}}']);
    expect(same.stdout).toBe('No changes made; exiting.\n');
    const broken = await box.eb(['config', '--update', 'settings: [oops']);
    expect(broken.code).toBe(4);
    expect(broken.stderr).toMatch(/^ERROR: InvalidOptionsError - The configuration settings you provided contain an error/);
  }, 30_000);

  it('saves, lists, gets, puts and deletes saved configurations', async () => {
    const save = await box.eb('config save --cfg staging-baseline');
    expect(save.stderr).toBe('');
    expect(save.stdout).toContain('.elasticbeanstalk/saved_configs/staging-baseline.cfg.yml');
    const file = parse(await box.fs.readFile(`${box.cwd}/.elasticbeanstalk/saved_configs/staging-baseline.cfg.yml`, 'utf8'));
    // Only settings that differ from the platform defaults are kept (MaxSize 4 is the default).
    expect(file.OptionSettings['aws:autoscaling:asg']).toEqual({ MinSize: '2' });
    expect(file.Platform.PlatformArn).toMatch(/Node\.js 22 running on 64bit Amazon Linux 2023/);
    expect((await box.eb('config list')).stdout).toBe('staging-baseline\n');
    await box.fs.rm(`${box.cwd}/.elasticbeanstalk/saved_configs/staging-baseline.cfg.yml`);
    expect((await box.eb('config get staging-baseline')).code).toBe(0);
    expect(await box.fs.exists(`${box.cwd}/.elasticbeanstalk/saved_configs/staging-baseline.cfg.yml`)).toBe(true);
    const put = await box.eb('config put staging-baseline');
    expect(put.stderr).toBe('');
    expect(put.code).toBe(0);
    expect((await box.eb('config delete staging-baseline')).code).toBe(0);
    expect((await box.eb('config list')).stdout).toBe('');
    const missing = await box.eb('config get staging-baseline');
    expect(missing.code).toBe(4);
  }, 30_000);

  it('clones the environment, then lists, uses, opens and shows events', async () => {
    const clone = await box.eb('clone -n pettracker-web-green --exact');
    expect(clone.stderr).toBe('');
    expect(clone.code).toBe(0);
    expect(clone.stdout).toMatch(/Successfully launched environment: pettracker-web-green\n$/);
    expect(await setting(box, 'pettracker-web-green', 'aws:autoscaling:asg', 'MinSize')).toBe('2');

    expect((await box.eb('list')).stdout).toBe('  pettracker-web-green\n* pettracker-web-staging\n');
    expect((await box.eb('use pettracker-web-green')).code).toBe(0);
    expect((await box.eb('list')).stdout).toBe('* pettracker-web-green\n  pettracker-web-staging\n');
    const verbose = await box.eb('list -v');
    expect(verbose.stdout).toMatch(/^Region: us-east-1\nApplication: pettracker-web\n    Environments: 2\n/);
    expect(verbose.stdout).toMatch(/\* pettracker-web-green : \['i-[0-9a-f]+'/);
    expect((await box.eb('use nope-env')).code).toBe(4);

    let opened = '';
    const open = await box.eb('open pettracker-web-staging', { openUrl: (url) => (opened = url) });
    expect(opened).toMatch(/^http:\/\/pettracker-web-staging\.[a-z0-9-]+\.us-east-1\.elasticbeanstalk\.com$/);
    expect(open.stdout).toBe(`${opened}\n`);

    const events = await box.eb('events pettracker-web-staging');
    const lines = events.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/INFO    createEnvironment is starting\.$/);
    const json = JSON.parse((await box.eb('events pettracker-web-staging --json')).stdout);
    expect(json[0].Message).toBe('createEnvironment is starting.');
  }, 60_000);

  it('lists application versions and refuses to delete a deployed one', async () => {
    const list = await box.eb('appversion');
    expect(list.stdout).toMatch(/Version Label/);
    const label = /(app-[0-9a-f]{4}-\d{6}_\d{12})/.exec(list.stdout)![1];
    const refused = await box.eb(`appversion --delete ${label}`);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(new RegExp(`Cannot delete Application version ${label} as it is deployed to Environments: pettracker-web-green, pettracker-web-staging`));
    const lifecycle = await box.eb(['appversion', 'lifecycle', '--update', 'VersionLifecycleConfig:\n  MaxCountRule:\n    Enabled: true\n    MaxCount: 10\n    DeleteSourceFromS3: false\n']);
    expect(lifecycle.stderr).toBe('');
    expect(lifecycle.stdout).toBe('Successfully updated application version lifecycle policy\n');
    const shown = parse((await box.eb('appversion lifecycle')).stdout);
    expect(shown.Application.ResourceLifecycleConfig.VersionLifecycleConfig.MaxCountRule.MaxCount).toBe(10);
  });

  it('lists platforms and sets the default one', async () => {
    const list = await box.eb('platform list');
    expect(list.stdout.split('\n')).toEqual(expect.arrayContaining(['node.js-22', 'python-3.13', 'docker']));
    const use = await box.eb('platform use python-3.13');
    expect(use.code).toBe(0);
    const config = parse(await box.fs.readFile(`${box.cwd}/.elasticbeanstalk/config.yml`, 'utf8'));
    expect(config.global.default_platform).toBe('Python 3.13 running on 64bit Amazon Linux 2023');
    await box.eb('platform use node.js-22');
  });

  it('saves all logs per instance with --all and as one archive with --zip', async () => {
    const all = await box.eb('logs pettracker-web-staging --all');
    expect(all.stderr).toBe('');
    const location = /Logs were saved to (\S+)/.exec(all.stdout)![1];
    const instances = await box.fs.readdir(location);
    expect(instances.length).toBe(2);
    expect(instances.every((i) => /^i-[0-9a-f]+$/.test(i))).toBe(true);
    const zip = await box.eb('logs pettracker-web-staging --zip');
    expect(zip.stdout).toMatch(/Logs were saved to \S+\.zip\n$/);
    const both = await box.eb('logs --all --zip');
    expect(both.stderr).toMatch(/You can't use the "--all" and "--zip" options together/);
  }, 30_000);

  it('aborts only when an update is in progress', async () => {
    const none = await box.eb('abort');
    expect(none.stdout).toBe('There are no environments currently being updated.\n');
    const deploying = await box.eb('setenv FEATURE_X=on -e pettracker-web-green --nohang');
    expect(deploying.code).toBe(0);
    const abort = await box.eb('abort pettracker-web-green');
    expect(abort.stderr).toBe('');
    expect(abort.stdout).toBe('Aborting update to environment "pettracker-web-green".\n');
    await box.clock.advance(10 * 60_000);
  }, 30_000);

  it('terminates, restores within six weeks, and deletes everything with terminate --all', async () => {
    expect((await box.eb('terminate pettracker-web-green --force')).code).toBe(0);
    const listed = await box.eb('restore');
    expect(listed.stdout).toMatch(/pettracker-web-green\s+e-[a-z0-9]+/);
    expect(listed.stdout).toContain('To restore one, run "eb restore <environment_id>".');
    const id = /pettracker-web-green\s+(e-[a-z0-9]+)/.exec(listed.stdout)![1];
    const restore = await box.eb(`restore ${id}`);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    const after = await box.clients.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-web-green'] }));
    expect(after.Environments?.some((e) => e.Status === 'Ready')).toBe(true);

    const all = await box.eb('terminate --all --force');
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    expect(await box.fs.exists(`${box.cwd}/.elasticbeanstalk`)).toBe(false);
    const gone = await box.clients.eb.send(new DescribeEnvironmentsCommand({ ApplicationName: 'pettracker-web' }));
    expect(gone.Environments?.every((e) => e.Status === 'Terminated' || e.Status === 'Terminating')).toBe(true);
  }, 60_000);
});
