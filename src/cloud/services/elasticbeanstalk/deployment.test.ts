import { describe, expect, it } from 'vitest';
import {
  AbortEnvironmentUpdateCommand,
  CreateApplicationCommand,
  CreateApplicationVersionCommand,
  CreateEnvironmentCommand,
  CreateStorageLocationCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  DescribeInstancesHealthCommand,
  UpdateEnvironmentCommand,
  type ConfigurationOptionSetting,
} from '@aws-sdk/client-elastic-beanstalk';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createCloud, ManualClock } from '../../index.ts';
import { clientsForCloud } from '../../../aws/index.ts';
import { NODE_STACK, nodeApp, zip } from './test-helpers.ts';

const ACCOUNT = '000000000000';

interface Lane {
  instanceId: string;
  points: { time: number; state: string; versionLabel?: string; inService: boolean; health: string; deploymentId: number; group: string }[];
}
interface Timeline {
  lanes: Lane[];
}
interface Traffic {
  requests: { time: number; status: number; versionLabel?: string; instanceId?: string }[];
}

async function world() {
  const clock = new ManualClock();
  const cloud = createCloud({ clock, log: () => {} });
  const aws = clientsForCloud(cloud, { region: 'us-east-1' });
  const eb = aws.eb;
  const { S3Bucket } = await eb.send(new CreateStorageLocationCommand({}));
  await eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));
  const bundles: Record<string, Uint8Array> = { v1: nodeApp('v1'), v2: nodeApp('v2'), broken: nodeApp('broken', { crash: true }),
    // v2 whose .ebextensions raise the Auto Scaling group's minimum to 2.
    'v2-min2': zip({
      'package.json': JSON.stringify({ name: 'pettracker', version: '1.0.0', scripts: { start: 'node app.js' } }),
      'app.js': "require('http').createServer((req, res) => res.end('PetTracker v2')).listen(process.env.PORT || 8080);\n",
      '.ebextensions/01-asg.config': 'option_settings:\n  aws:autoscaling:asg:\n    MinSize: "2"\n',
    }),
  };
  for (const [label, body] of Object.entries(bundles)) {
    await aws.s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: `pettracker/${label}.zip`, Body: body }));
    await eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'pettracker', VersionLabel: label, SourceBundle: { S3Bucket, S3Key: `pettracker/${label}.zip` } }));
  }

  async function launch(name: string, settings: ConfigurationOptionSetting[]) {
    const env = await eb.send(
      new CreateEnvironmentCommand({
        ApplicationName: 'pettracker',
        EnvironmentName: name,
        VersionLabel: 'v1',
        SolutionStackName: NODE_STACK,
        OptionSettings: [{ Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'SystemType', Value: 'enhanced' }, ...settings],
      }),
    );
    await clock.advance(10 * 60_000);
    return env;
  }

  async function describe(name: string) {
    return (await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [name], IncludeDeleted: false }))).Environments![0];
  }

  async function messages(name: string, requestId?: string) {
    const events = (await eb.send(new DescribeEventsCommand({ EnvironmentName: name, RequestId: requestId }))).Events ?? [];
    // Health transitions interleave with deployment events; the assertions below are about the deployment.
    return events.map((e) => e.Message!).reverse().filter((m) => !m.startsWith('Environment health has transitioned'));
  }

  async function deploy(name: string, label: string, minutes = 20) {
    const out = await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: name, VersionLabel: label }));
    const started = clock.now();
    // The probe keeps sending traffic (as the lab's no-downtime checks do) while the deployment runs.
    cloud.evidence.setProbe(ACCOUNT, 'us-east-1', name, 2);
    await clock.advance(minutes * 60_000);
    cloud.evidence.setProbe(ACCOUNT, 'us-east-1', name, 0);
    return { requestId: out.$metadata.requestId!, started };
  }

  async function instanceVersions(name: string) {
    const out = await eb.send(new DescribeInstancesHealthCommand({ EnvironmentName: name, AttributeNames: ['All'] }));
    return out.InstanceHealthList!.map((i) => ({ id: i.InstanceId!, version: i.Deployment?.VersionLabel, deploymentId: i.Deployment?.DeploymentId, health: i.HealthStatus }));
  }

  const timeline = (name: string, since = 0) => cloud.evidence.timeline(ACCOUNT, 'us-east-1', name, since) as Timeline;
  const traffic = (name: string, since = 0) => cloud.evidence.traffic(ACCOUNT, 'us-east-1', name, since) as Traffic;

  /** Instances in service at each instant a lane changed, after `since`. */
  function minimumInService(name: string, since: number): number {
    const lanes = timeline(name).lanes;
    const times = [...new Set(lanes.flatMap((l) => l.points.map((p) => p.time)).filter((t) => t >= since))].sort((a, b) => a - b);
    let min = Infinity;
    for (const t of times) {
      let n = 0;
      for (const lane of lanes) {
        const last = lane.points.filter((p) => p.time <= t).at(-1);
        if (last && last.inService && last.state === 'running') n++;
      }
      min = Math.min(min, n);
    }
    return min;
  }

  return { clock, cloud, eb, launch, describe, messages, deploy, instanceVersions, timeline, traffic, minimumInService };
}

const opt = (Namespace: string, OptionName: string, Value: string): ConfigurationOptionSetting => ({ Namespace, OptionName, Value });
const CMD = 'aws:elasticbeanstalk:command';
const ASG = 'aws:autoscaling:asg';
const ENV = 'aws:elasticbeanstalk:environment';

describe('deployment policies', () => {
  it('AllAtOnce deploys every instance at once and has a short outage window', async () => {
    const w = await world();
    await w.launch('web-aao', [opt(ASG, 'MinSize', '2')]);
    const { requestId, started } = await w.deploy('web-aao', 'v2');
    const events = await w.messages('web-aao', requestId);
    expect(events).toContain('Deploying new version to instance(s).');
    expect(events).toContain('Environment update completed successfully.');
    const requests = w.traffic('web-aao', started).requests;
    expect(requests.some((r) => r.status === 502)).toBe(true);
    expect(requests.at(-1)!.versionLabel).toBe('v2');
    expect((await w.instanceVersions('web-aao')).map((i) => i.version)).toEqual(['v2', 'v2']);
  });

  it('a bundle whose .ebextensions raise MinSize grows the group during the deployment, on the new version', async () => {
    const w = await world();
    await w.launch('web-min', []);
    const { requestId } = await w.deploy('web-min', 'v2-min2');
    const events = await w.messages('web-min', requestId);
    expect(events.some((m) => /^Added EC2 instance '.+' to Auto Scaling Group/.test(m))).toBe(true);
    expect(events.at(-1)).toBe('Environment update completed successfully.');
    expect((await w.instanceVersions('web-min')).map((i) => i.version)).toEqual(['v2-min2', 'v2-min2']);
    expect((await w.describe('web-min')).Health).toBe('Green');
  });

  it('Rolling deploys batch by batch with per-batch events, reduced capacity and no failed requests', async () => {
    const w = await world();
    await w.launch('web-rolling', [opt(ASG, 'MinSize', '3'), opt(CMD, 'DeploymentPolicy', 'Rolling'), opt(CMD, 'BatchSizeType', 'Fixed'), opt(CMD, 'BatchSize', '1')]);
    const before = (await w.instanceVersions('web-rolling')).map((i) => i.id).sort();
    const { requestId, started } = await w.deploy('web-rolling', 'v2');
    const events = await w.messages('web-rolling', requestId);
    for (const n of [1, 2, 3]) {
      expect(events.some((m) => m.startsWith(`Batch ${n}: Starting application deployment on instance(s) [`))).toBe(true);
      expect(events).toContain(`Batch ${n}: Completed application deployment.`);
    }
    expect(events).toContain('Command execution completed on 2 of 3 instances in environment.');
    expect(events.at(-1)).toBe('Environment update completed successfully.');
    expect(w.minimumInService('web-rolling', started)).toBe(2);
    expect(w.traffic('web-rolling', started).requests.filter((r) => r.status >= 500)).toEqual([]);
    const after = await w.instanceVersions('web-rolling');
    expect(after.map((i) => i.id).sort()).toEqual(before);
    expect(new Set(after.map((i) => i.version))).toEqual(new Set(['v2']));
    expect(new Set(after.map((i) => i.deploymentId)).size).toBe(1);
  });

  it('Rolling leaves a mixed fleet when a batch fails its health checks', async () => {
    const w = await world();
    await w.launch('web-mixed', [opt(ASG, 'MinSize', '3'), opt(CMD, 'DeploymentPolicy', 'Rolling'), opt(CMD, 'BatchSizeType', 'Fixed'), opt(CMD, 'BatchSize', '1')]);
    const { requestId } = await w.deploy('web-mixed', 'broken');
    const events = await w.messages('web-mixed', requestId);
    expect(events.some((m) => /^Instance id\(s\) 'i-[0-9a-f]+' did not pass health check after command execution\. Aborting the operation\.$/.test(m))).toBe(true);
    expect(events).toContain('Failed to deploy application.');
    expect(events.at(-1)).toMatch(/^During an aborted deployment, some instances may have deployed the new application version\./);
    expect(events).not.toContain('Batch 2: Completed application deployment.');
    const versions = (await w.instanceVersions('web-mixed')).map((i) => i.version).sort();
    expect(versions).toEqual(['broken', 'v1', 'v1']);
    const env = await w.describe('web-mixed');
    expect(env.Status).toBe('Ready');
    expect(env.Health).toBe('Red');
  });

  it('RollingWithAdditionalBatch keeps full capacity and ends with the original instance count', async () => {
    const w = await world();
    await w.launch('web-rwab', [opt(ASG, 'MinSize', '2'), opt(CMD, 'DeploymentPolicy', 'RollingWithAdditionalBatch'), opt(CMD, 'BatchSizeType', 'Fixed'), opt(CMD, 'BatchSize', '1')]);
    const { requestId, started } = await w.deploy('web-rwab', 'v2');
    const events = await w.messages('web-rwab', requestId);
    expect(events.at(-1)).toBe('Environment update completed successfully.');
    expect(w.minimumInService('web-rwab', started)).toBeGreaterThanOrEqual(2);
    expect(w.traffic('web-rwab', started).requests.filter((r) => r.status >= 500)).toEqual([]);
    const after = await w.instanceVersions('web-rwab');
    expect(after).toHaveLength(2);
    expect(after.every((i) => i.version === 'v2')).toBe(true);
  });

  it('Immutable replaces the fleet with new instances', async () => {
    const w = await world();
    await w.launch('web-immutable', [opt(ASG, 'MinSize', '2'), opt(CMD, 'DeploymentPolicy', 'Immutable')]);
    const before = (await w.instanceVersions('web-immutable')).map((i) => i.id);
    const { requestId, started } = await w.deploy('web-immutable', 'v2');
    const events = await w.messages('web-immutable', requestId);
    expect(events).toContain('Immutable deployment policy enabled. Launching one instance with the new settings to verify health.');
    expect(events.some((m) => m.startsWith('Created temporary auto scaling group awseb-'))).toBe(true);
    expect(events.at(-1)).toBe('Environment update completed successfully.');
    const after = await w.instanceVersions('web-immutable');
    expect(after).toHaveLength(2);
    expect(after.every((i) => i.version === 'v2' && !before.includes(i.id))).toBe(true);
    expect(w.traffic('web-immutable', started).requests.filter((r) => r.status >= 500)).toEqual([]);
    expect((await w.describe('web-immutable')).VersionLabel).toBe('v2');
  });

  it('Immutable rolls back a broken version automatically and leaves the original instances untouched', async () => {
    const w = await world();
    await w.launch('web-rollback', [opt(ASG, 'MinSize', '2'), opt(CMD, 'DeploymentPolicy', 'Immutable')]);
    const before = await w.instanceVersions('web-rollback');
    const { requestId } = await w.deploy('web-rollback', 'broken');
    const events = await w.messages('web-rollback', requestId);
    expect(events.some((m) => m.startsWith('Rolling back: terminating the new instance(s)'))).toBe(true);
    expect(events).toContain('Failed to deploy application.');
    const after = await w.instanceVersions('web-rollback');
    expect(after.map((i) => [i.id, i.version])).toEqual(before.map((i) => [i.id, i.version]));
    const env = await w.describe('web-rollback');
    expect(env.VersionLabel).toBe('v1');
    expect(env.HealthStatus).toBe('Ok');
  });

  it('TrafficSplitting sends NewVersionPercent of requests to the new fleet during evaluation', async () => {
    const w = await world();
    await w.launch('web-split', [
      opt(ASG, 'MinSize', '2'),
      opt(ENV, 'LoadBalancerType', 'application'),
      opt(CMD, 'DeploymentPolicy', 'TrafficSplitting'),
      opt('aws:elasticbeanstalk:trafficsplitting', 'NewVersionPercent', '20'),
      opt('aws:elasticbeanstalk:trafficsplitting', 'EvaluationTime', '5'),
    ]);
    const { requestId, started } = await w.deploy('web-split', 'v2');
    const events = await w.messages('web-split', requestId);
    const shift = events.find((m) => m.startsWith('Shifting 20% of the traffic'));
    expect(shift).toBeDefined();
    expect(events.at(-1)).toBe('Environment update completed successfully.');
    const requests = w.traffic('web-split', started).requests;
    const shiftAt = requests.find((r) => r.versionLabel === 'v2')!.time;
    const window = requests.filter((r) => r.time >= shiftAt && r.time < shiftAt + 4.5 * 60_000);
    const share = window.filter((r) => r.versionLabel === 'v2').length / window.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
    expect(requests.at(-1)!.versionLabel).toBe('v2');
    expect(requests.filter((r) => r.status >= 500)).toEqual([]);
  });

  it('refuses policies the environment type does not support', async () => {
    const w = await world();
    await expect(
      w.eb.send(
        new CreateEnvironmentCommand({
          ApplicationName: 'pettracker',
          EnvironmentName: 'single-rolling',
          SolutionStackName: NODE_STACK,
          OptionSettings: [opt(ENV, 'EnvironmentType', 'SingleInstance'), opt(CMD, 'DeploymentPolicy', 'Rolling')],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConfigurationValidationException', message: expect.stringContaining("Invalid option value: 'Rolling' (Namespace: 'aws:elasticbeanstalk:command', OptionName: 'DeploymentPolicy')") });
    await expect(
      w.eb.send(
        new CreateEnvironmentCommand({
          ApplicationName: 'pettracker',
          EnvironmentName: 'classic-split',
          SolutionStackName: NODE_STACK,
          OptionSettings: [opt(ENV, 'LoadBalancerType', 'classic'), opt(CMD, 'DeploymentPolicy', 'TrafficSplitting')],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConfigurationValidationException', message: expect.stringContaining('requires an Application Load Balancer') });
  });

  it('AbortEnvironmentUpdate stops a rolling deployment and rolls updated instances back', async () => {
    const w = await world();
    await w.launch('web-abort', [opt(ASG, 'MinSize', '3'), opt(CMD, 'DeploymentPolicy', 'Rolling'), opt(CMD, 'BatchSizeType', 'Fixed'), opt(CMD, 'BatchSize', '1')]);
    await w.eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'web-abort', VersionLabel: 'v2' }));
    await w.clock.advance(100_000);
    expect((await w.describe('web-abort')).AbortableOperationInProgress).toBe(true);
    await w.eb.send(new AbortEnvironmentUpdateCommand({ EnvironmentName: 'web-abort' }));
    expect((await w.describe('web-abort')).Status).toBe('Aborting');
    await w.clock.advance(10 * 60_000);
    const env = await w.describe('web-abort');
    expect(env.Status).toBe('Ready');
    expect(env.VersionLabel).toBe('v1');
    expect((await w.instanceVersions('web-abort')).every((i) => i.version === 'v1')).toBe(true);
  });
});
