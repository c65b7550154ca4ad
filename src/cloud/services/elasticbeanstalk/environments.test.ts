import { describe, expect, it } from 'vitest';
import {
  CheckDNSAvailabilityCommand,
  CreateApplicationCommand,
  CreateApplicationVersionCommand,
  CreateEnvironmentCommand,
  CreateStorageLocationCommand,
  DescribeApplicationVersionsCommand,
  DescribeConfigurationSettingsCommand,
  DescribeEnvironmentHealthCommand,
  DescribeEnvironmentResourcesCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  DescribeInstancesHealthCommand,
  RebuildEnvironmentCommand,
  RequestEnvironmentInfoCommand,
  RetrieveEnvironmentInfoCommand,
  SwapEnvironmentCNAMEsCommand,
  TerminateEnvironmentCommand,
  UpdateApplicationResourceLifecycleCommand,
  UpdateEnvironmentCommand,
  waitUntilEnvironmentExists,
  waitUntilEnvironmentTerminated,
  type ConfigurationOptionSetting,
} from '@aws-sdk/client-elastic-beanstalk';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createCloud, ManualClock } from '../../index.ts';
import { clientsForCloud } from '../../../aws/index.ts';
import { NODE_STACK, nodeApp, zip } from './test-helpers.ts';

const ACCOUNT = '000000000000';
const ENHANCED: ConfigurationOptionSetting = { Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'SystemType', Value: 'enhanced' };

async function world() {
  const clock = new ManualClock();
  const cloud = createCloud({ clock, log: () => {} });
  const aws = clientsForCloud(cloud, { region: 'us-east-1' });
  const eb = aws.eb;
  const { S3Bucket } = await eb.send(new CreateStorageLocationCommand({}));
  await eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));
  async function version(label: string, body: Uint8Array, process?: boolean) {
    await aws.s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: `pettracker/${label}.zip`, Body: body }));
    return eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'pettracker', VersionLabel: label, Process: process, SourceBundle: { S3Bucket, S3Key: `pettracker/${label}.zip` } }));
  }
  async function launch(name: string, label: string | undefined, settings: ConfigurationOptionSetting[] = [], extra: { CNAMEPrefix?: string } = {}) {
    const out = await eb.send(
      new CreateEnvironmentCommand({ ApplicationName: 'pettracker', EnvironmentName: name, VersionLabel: label, SolutionStackName: NODE_STACK, OptionSettings: [ENHANCED, ...settings], ...extra }),
    );
    await clock.advance(10 * 60_000);
    return out;
  }
  const describe = async (name: string) => (await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [name], IncludeDeleted: false }))).Environments![0];
  const messages = async (name: string, requestId?: string) =>
    ((await eb.send(new DescribeEventsCommand({ EnvironmentName: name, RequestId: requestId }))).Events ?? []).map((e) => e.Message!);
  const get = (url: string) => cloud.evidence.request(ACCOUNT, { url, method: 'GET', headers: {} });
  return { clock, cloud, aws, eb, version, launch, describe, messages, get, bucket: S3Bucket! };
}

describe('environment lifecycle', () => {
  it('a crashing app launches with issues, goes Severe, and recovers once setenv provides the variable', async () => {
    const w = await world();
    await w.version('v1', nodeApp('v1', { crash: true }));
    const created = await w.launch('pets-dev', 'v1', [{ Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '1' }]);
    const launch = await w.messages('pets-dev', created.$metadata.requestId);
    expect(launch).toContain('Launched environment: pets-dev. However, there were issues during launch. See event log for details.');
    let env = await w.describe('pets-dev');
    expect(env.Status).toBe('Ready');
    expect(env.Health).toBe('Red');
    expect(env.HealthStatus).toBe('Severe');
    const health = await w.eb.send(new DescribeEnvironmentHealthCommand({ EnvironmentName: 'pets-dev', AttributeNames: ['All'] }));
    expect(health.Causes!.length).toBeGreaterThan(0);
    expect((await w.get(`http://${env.CNAME}/`)).status).toBe(502);

    // `eb setenv DATABASE_URL=...`: a configuration deployment restarts the app with the new variable.
    const setenv = await w.eb.send(
      new UpdateEnvironmentCommand({
        EnvironmentName: 'pets-dev',
        OptionSettings: [{ Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'DATABASE_URL', Value: 'postgres://db/pets' }],
      }),
    );
    expect(setenv.Status).toBe('Updating');
    await w.clock.advance(5 * 60_000);
    const events = await w.messages('pets-dev', setenv.$metadata.requestId);
    expect(events).toContain("Updating environment pets-dev's configuration settings.");
    expect(events).toContain('Successfully deployed new configuration to environment.');
    expect(events).toContain('Environment update completed successfully.');
    env = await w.describe('pets-dev');
    expect(env.HealthStatus).toBe('Ok');
    expect((await w.get(`http://${env.CNAME}/`)).status).toBe(200);
    const settings = await w.eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: 'pettracker', EnvironmentName: 'pets-dev' }));
    const options = settings.ConfigurationSettings![0].OptionSettings!;
    expect(options.find((o) => o.OptionName === 'DATABASE_URL')?.Value).toBe('postgres://db/pets');
    // Defaults are materialised, as real EB returns them.
    expect(options.find((o) => o.Namespace === 'aws:autoscaling:asg' && o.OptionName === 'MaxSize')?.Value).toBe('4');
    expect(options.length).toBeGreaterThan(50);
  });

  it('scales with MinSize/MaxSize and reports the new instances', async () => {
    const w = await world();
    await w.version('v1', nodeApp('v1'));
    await w.launch('pets-scale', 'v1');
    const scale = await w.eb.send(
      new UpdateEnvironmentCommand({
        EnvironmentName: 'pets-scale',
        OptionSettings: [
          { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '3' },
          { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '3' },
        ],
      }),
    );
    await w.clock.advance(10 * 60_000);
    const events = await w.messages('pets-scale', scale.$metadata.requestId);
    expect(events.filter((m) => /^Added EC2 instance 'i-[0-9a-f]+' to Auto Scaling Group 'awseb-e-[a-z0-9]+-stack-AWSEBAutoScalingGroup-/.test(m))).toHaveLength(2);
    expect(events).toContain('Successfully deployed new configuration to environment.');
    const resources = await w.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: 'pets-scale' }));
    expect(resources.EnvironmentResources!.Instances).toHaveLength(3);
    expect((await w.describe('pets-scale')).HealthStatus).toBe('Ok');
  });

  it('swaps CNAMEs between two Ready environments (blue/green)', async () => {
    const w = await world();
    await w.version('v1', nodeApp('v1'));
    await w.version('v2', nodeApp('v2'));
    expect((await w.eb.send(new CheckDNSAvailabilityCommand({ CNAMEPrefix: 'pettracker' }))).Available).toBe(true);
    await w.launch('pets-blue', 'v1', [], { CNAMEPrefix: 'pettracker' });
    await w.launch('pets-green', 'v2');
    expect(await w.eb.send(new CheckDNSAvailabilityCommand({ CNAMEPrefix: 'pettracker' }))).toMatchObject({
      Available: false,
      FullyQualifiedCNAME: 'pettracker.us-east-1.elasticbeanstalk.com',
    });
    const blue = await w.describe('pets-blue');
    const green = await w.describe('pets-green');
    expect(blue.CNAME).toBe('pettracker.us-east-1.elasticbeanstalk.com');
    const swap = await w.eb.send(new SwapEnvironmentCNAMEsCommand({ SourceEnvironmentName: 'pets-green', DestinationEnvironmentName: 'pets-blue' }));
    await w.clock.advance(60_000);
    expect((await w.describe('pets-green')).CNAME).toBe(blue.CNAME);
    expect((await w.describe('pets-blue')).CNAME).toBe(green.CNAME);
    expect((await w.describe('pets-green')).EndpointURL).toBe(green.EndpointURL);
    const events = await w.messages('pets-green', swap.$metadata.requestId);
    expect(events[0]).toBe("Completed swapping CNAMEs for environments 'pets-green' and 'pets-blue'.");
    expect((await w.get('http://pettracker.us-east-1.elasticbeanstalk.com/')).body).toContain('v2');
    await expect(w.eb.send(new SwapEnvironmentCNAMEsCommand({ SourceEnvironmentId: green.EnvironmentId, DestinationEnvironmentName: 'pets-blue' }))).rejects.toMatchObject({
      name: 'InvalidParameterCombination',
    });
  });

  it('works with the SDK waiters, keeps terminated environments describable and restores them', async () => {
    const w = await world();
    await w.version('v1', nodeApp('v1'));
    const created = await w.eb.send(new CreateEnvironmentCommand({ ApplicationName: 'pettracker', EnvironmentName: 'pets-wait', VersionLabel: 'v1', SolutionStackName: NODE_STACK }));
    // Waiters poll in real time; short delays keep the test quick while the virtual clock does the waiting.
    const waiter = { client: w.eb, maxWaitTime: 120, minDelay: 1, maxDelay: 1 };
    const ready = waitUntilEnvironmentExists(waiter, { EnvironmentNames: ['pets-wait'] });
    await w.clock.advance(10 * 60_000);
    expect((await ready).state).toBe('SUCCESS');
    await w.eb.send(new TerminateEnvironmentCommand({ EnvironmentName: 'pets-wait' }));
    const gone = waitUntilEnvironmentTerminated(waiter, { EnvironmentNames: ['pets-wait'] });
    await w.clock.advance(10 * 60_000);
    expect((await gone).state).toBe('SUCCESS');
    const all = await w.eb.send(new DescribeEnvironmentsCommand({}));
    expect(all.Environments!.map((e) => e.Status)).toEqual(['Terminated']);
    expect((await w.eb.send(new DescribeEnvironmentsCommand({ IncludeDeleted: false }))).Environments).toEqual([]);

    // `eb restore`: RebuildEnvironment with the terminated environment's id brings it back.
    await w.eb.send(new RebuildEnvironmentCommand({ EnvironmentId: created.EnvironmentId }));
    await w.clock.advance(10 * 60_000);
    const restored = await w.describe('pets-wait');
    expect(restored.EnvironmentId).toBe(created.EnvironmentId);
    expect(restored.Status).toBe('Ready');
    expect(restored.CNAME).toBe(created.CNAME);
    expect(await w.messages('pets-wait')).toContain('restoreEnvironment is starting.');
  });

  it('tails and bundles instance logs into S3 (eb logs)', async () => {
    const w = await world();
    await w.version('v1', nodeApp('v1'));
    await w.launch('pets-logs', 'v1');
    const req = await w.eb.send(new RequestEnvironmentInfoCommand({ EnvironmentName: 'pets-logs', InfoType: 'tail' }));
    await w.clock.advance(10_000);
    expect(await w.messages('pets-logs', req.$metadata.requestId)).toContain('Pulled logs for environment instances.');
    const info = await w.eb.send(new RetrieveEnvironmentInfoCommand({ EnvironmentName: 'pets-logs', InfoType: 'tail' }));
    expect(info.EnvironmentInfo).toHaveLength(1);
    const url = new URL(info.EnvironmentInfo![0].Message!);
    const [, bucket, ...key] = url.pathname.split('/');
    expect(bucket).toBe(w.bucket);
    const object = await w.aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key.map(decodeURIComponent).join('/') }));
    const text = await object.Body!.transformToString();
    expect(text).toContain('/var/log/eb-engine.log');
  });

  it('processes versions with Process=true and applies the version lifecycle policy', async () => {
    const w = await world();
    const good = await w.version('good', nodeApp('good'), true);
    expect(good.ApplicationVersion!.Status).toBe('PROCESSING');
    await w.version('bad', zip({ 'not-a-zip.txt': 'x' }).slice(0, 20), true);
    await w.clock.advance(60_000);
    const versions = await w.eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: 'pettracker' }));
    const status = Object.fromEntries(versions.ApplicationVersions!.map((v) => [v.VersionLabel, v.Status]));
    expect(status).toEqual({ good: 'PROCESSED', bad: 'FAILED' });
    await expect(
      w.eb.send(new CreateEnvironmentCommand({ ApplicationName: 'pettracker', EnvironmentName: 'pets-bad', VersionLabel: 'bad', SolutionStackName: NODE_STACK })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });

    await w.eb.send(
      new UpdateApplicationResourceLifecycleCommand({
        ApplicationName: 'pettracker',
        ResourceLifecycleConfig: { VersionLifecycleConfig: { MaxCountRule: { Enabled: true, MaxCount: 2, DeleteSourceFromS3: false } } },
      }),
    );
    for (const label of ['v3', 'v4']) {
      await w.clock.advance(1_000);
      await w.version(label, nodeApp(label));
    }
    const left = await w.eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: 'pettracker' }));
    expect(left.ApplicationVersions!.map((v) => v.VersionLabel)).toEqual(['v4', 'v3']);
  });

  it('resumes a deployment from a snapshot taken halfway through', async () => {
    const w = await world();
    await w.version('v1', nodeApp('v1'));
    await w.version('v2', nodeApp('v2'));
    await w.launch('pets-snap', 'v1', [
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '2' },
      { Namespace: 'aws:elasticbeanstalk:command', OptionName: 'DeploymentPolicy', Value: 'Rolling' },
      { Namespace: 'aws:elasticbeanstalk:command', OptionName: 'BatchSizeType', Value: 'Fixed' },
      { Namespace: 'aws:elasticbeanstalk:command', OptionName: 'BatchSize', Value: '1' },
    ]);
    await w.eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'pets-snap', VersionLabel: 'v2' }));
    await w.clock.advance(60_000);
    const snapshot = JSON.parse(JSON.stringify(w.cloud.snapshot()));

    const clock = new ManualClock(w.clock.now());
    const other = createCloud({ clock, log: () => {} });
    other.restore(snapshot);
    const eb = clientsForCloud(other, { region: 'us-east-1' }).eb;
    expect((await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pets-snap'] }))).Environments![0].Status).toBe('Updating');
    await clock.advance(20 * 60_000);
    const env = (await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pets-snap'] }))).Environments![0];
    expect(env.Status).toBe('Ready');
    expect(env.VersionLabel).toBe('v2');
    const events = ((await eb.send(new DescribeEventsCommand({ EnvironmentName: 'pets-snap' }))).Events ?? []).map((e) => e.Message);
    expect(events).toContain('Batch 2: Completed application deployment.');
    expect(() => other.restore({ ...snapshot, services: { ...snapshot.services, elasticbeanstalk: { format: 'nope' } } })).toThrow();
  });

  it('scales out on a trigger when the probe drives the metric over the threshold, then back in', async () => {
    const w = await world();
    await w.version('v1', nodeApp('v1'));
    await w.launch('pets-auto', 'v1', [
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '1' },
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '3' },
      { Namespace: 'aws:autoscaling:trigger', OptionName: 'MeasureName', Value: 'RequestCount' },
      { Namespace: 'aws:autoscaling:trigger', OptionName: 'Statistic', Value: 'Sum' },
      { Namespace: 'aws:autoscaling:trigger', OptionName: 'Unit', Value: 'Count' },
      { Namespace: 'aws:autoscaling:trigger', OptionName: 'UpperThreshold', Value: '300' },
      { Namespace: 'aws:autoscaling:trigger', OptionName: 'LowerThreshold', Value: '50' },
      { Namespace: 'aws:autoscaling:trigger', OptionName: 'Period', Value: '1' },
      { Namespace: 'aws:autoscaling:trigger', OptionName: 'BreachDuration', Value: '2' },
      { Namespace: 'aws:autoscaling:asg', OptionName: 'Cooldown', Value: '120' },
    ]);
    w.cloud.evidence.setProbe(ACCOUNT, 'us-east-1', 'pets-auto', 10);
    await w.clock.advance(15 * 60_000);
    const resources = await w.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: 'pets-auto' }));
    expect(resources.EnvironmentResources!.Instances!.length).toBe(3);
    expect((await w.messages('pets-auto')).some((m) => m.startsWith('Added EC2 instance'))).toBe(true);
    w.cloud.evidence.setProbe(ACCOUNT, 'us-east-1', 'pets-auto', 0);
    await w.clock.advance(30 * 60_000);
    const after = await w.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: 'pets-auto' }));
    expect(after.EnvironmentResources!.Instances!.length).toBe(1);
  });

  it('fails a deployment with a broken .ebextensions file and keeps the running version', async () => {
    const w = await world();
    await w.version('v1', nodeApp('v1'));
    const broken = zip({
      'package.json': JSON.stringify({ name: 'pets', scripts: { start: 'node app.js' } }),
      'app.js': "require('http').createServer((q, s) => s.end('broken')).listen(process.env.PORT);\n",
      '.ebextensions/01-options.config': 'option_settings:\n  - namespace: aws:autoscaling:asg\n\toption_name: MinSize\n',
    });
    await w.version('broken', broken);
    await w.launch('pets-ok', 'v1');
    const deploy = await w.eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'pets-ok', VersionLabel: 'broken' }));
    await w.clock.advance(10 * 60_000);
    const events = await w.messages('pets-ok', deploy.$metadata.requestId);
    expect(events).toContain('Failed to deploy application.');
    expect(events).not.toContain('Environment update completed successfully.');
    expect(events.some((m) => m.startsWith('The configuration file .ebextensions/01-options.config in application version broken contains invalid YAML or JSON.'))).toBe(true);
    const env = await w.describe('pets-ok');
    expect(env.VersionLabel).toBe('v1');
    expect((await w.get(`http://${env.CNAME}/`)).body).toContain('v1');

    const created = await w.launch('pets-broken', 'broken');
    const launch = await w.messages('pets-broken', created.$metadata.requestId);
    expect(launch).toContain('Create environment operation is complete, but with errors. For more information, see troubleshooting documentation.');
    expect(launch).not.toContain('Successfully launched environment: pets-broken');
  });

  it('replaces an instance that fails its status checks (fault injection)', async () => {
    const w = await world();
    await w.version('v1', nodeApp('v1'));
    await w.launch('pets-heal', 'v1', [{ Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '2' }]);
    const before = (await w.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: 'pets-heal' }))).EnvironmentResources!.Instances!.map((i) => i.Id);
    const failed = (w.cloud.evidence as unknown as { failInstance(a: string, r: string, e: string): string }).failInstance(ACCOUNT, 'us-east-1', 'pets-heal');
    expect(before).toContain(failed);
    await w.clock.advance(60_000);
    expect((await w.describe('pets-heal')).HealthStatus).not.toBe('Ok');
    await w.clock.advance(10 * 60_000);
    const after = (await w.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: 'pets-heal' }))).EnvironmentResources!.Instances!.map((i) => i.Id);
    expect(after).toHaveLength(2);
    expect(after).not.toContain(failed);
    const events = await w.messages('pets-heal');
    expect(events.some((m) => m.startsWith(`EC2 instance '${failed}' failed its status checks.`))).toBe(true);
    expect((await w.describe('pets-heal')).HealthStatus).toBe('Ok');
  });

  it('replaces instances when the instance type changes, in batches when rolling updates are enabled', async () => {
    const w = await world();
    await w.version('v1', nodeApp('v1'));
    await w.launch('pets-types', 'v1', [
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '2' },
      { Namespace: 'aws:autoscaling:updatepolicy:rollingupdate', OptionName: 'RollingUpdateEnabled', Value: 'true' },
      { Namespace: 'aws:autoscaling:updatepolicy:rollingupdate', OptionName: 'MaxBatchSize', Value: '1' },
    ]);
    const before = (await w.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: 'pets-types' }))).EnvironmentResources!.Instances!.map((i) => i.Id);
    const started = w.clock.now();
    w.cloud.evidence.setProbe(ACCOUNT, 'us-east-1', 'pets-types', 2);
    const update = await w.eb.send(
      new UpdateEnvironmentCommand({ EnvironmentName: 'pets-types', OptionSettings: [{ Namespace: 'aws:ec2:instances', OptionName: 'InstanceTypes', Value: 't3.large' }] }),
    );
    await w.clock.advance(15 * 60_000);
    w.cloud.evidence.setProbe(ACCOUNT, 'us-east-1', 'pets-types', 0);
    const events = await w.messages('pets-types', update.$metadata.requestId);
    expect(events.filter((m) => m.startsWith('Rolling update: replacing instance(s)'))).toHaveLength(2);
    expect(events).toContain('Environment update completed successfully.');
    const after = (await w.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: 'pets-types' }))).EnvironmentResources!.Instances!.map((i) => i.Id);
    expect(after).toHaveLength(2);
    expect(after.some((id) => before.includes(id))).toBe(false);
    const health = await w.eb.send(new DescribeInstancesHealthCommand({ EnvironmentName: 'pets-types', AttributeNames: ['InstanceType'] }));
    expect(health.InstanceHealthList!.map((i) => i.InstanceType)).toEqual(['t3.large', 't3.large']);
    const traffic = w.cloud.evidence.traffic(ACCOUNT, 'us-east-1', 'pets-types', started) as { requests: { status: number }[] };
    expect(traffic.requests.filter((r) => r.status >= 500)).toEqual([]);
  });
});
