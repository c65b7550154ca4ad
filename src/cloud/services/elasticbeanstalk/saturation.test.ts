// Load the CPU cannot serve: past an instance's saturation rate the load balancer times requests out (504), and a
// CPUUtilization trigger, fed by the same model, adds instances before that happens and removes them after.
import { describe, expect, it } from 'vitest';
import type { ConfigurationOptionSetting } from '@aws-sdk/client-elastic-beanstalk';
import {
  CreateApplicationCommand,
  CreateApplicationVersionCommand,
  CreateEnvironmentCommand,
  CreateStorageLocationCommand,
  DescribeEnvironmentResourcesCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createCloud, ManualClock } from '../../index.ts';
import { clientsForCloud } from '../../../aws/index.ts';
import { NODE_STACK, nodeApp } from './test-helpers.ts';
import { SATURATION_RPS } from './evidence.ts';

async function environment(name: string, settings: ConfigurationOptionSetting[]) {
  const clock = new ManualClock();
  const cloud = createCloud({ clock, log: () => {} });
  const aws = clientsForCloud(cloud, { region: 'us-east-1' });
  const { S3Bucket } = await aws.eb.send(new CreateStorageLocationCommand({}));
  await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));
  await aws.s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: 'pettracker/v1.zip', Body: nodeApp('v1') }));
  await aws.eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'pettracker', VersionLabel: 'v1', SourceBundle: { S3Bucket, S3Key: 'pettracker/v1.zip' } }));
  await aws.eb.send(new CreateEnvironmentCommand({ ApplicationName: 'pettracker', EnvironmentName: name, VersionLabel: 'v1', SolutionStackName: NODE_STACK, OptionSettings: settings }));
  await clock.advance(10 * 60_000);
  const instances = async () => (await aws.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: name }))).EnvironmentResources!.Instances!.length;
  const minute = async (rps: number) => {
    const since = clock.now() + 1;
    await aws.sandbox!.probe(name, rps);
    await clock.advance(60_000);
    const { requests } = (await aws.sandbox!.traffic(name, { since })) as { requests: Array<{ status: number; source: string }> };
    const probe = requests.filter((r) => r.source === 'probe');
    return { total: probe.length, timedOut: probe.filter((r) => r.status === 504).length, failed: probe.filter((r) => r.status >= 500).length };
  };
  return { clock, aws, instances, minute };
}

const asg = (min: string, max: string): ConfigurationOptionSetting[] => [
  { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: min },
  { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: max },
];

describe('instance saturation', () => {
  it('serves every request below the saturation rate and times out the excess above it', async () => {
    const w = await environment('pets-fixed', asg('2', '2'));
    expect(SATURATION_RPS).toBeCloseTo(65.33, 1);
    const calm = await w.minute(100);
    expect(calm).toEqual({ total: 6000, timedOut: 0, failed: 0 });
    // 200 requests a second on two instances: 100 each, of which about 65 can be served.
    const overloaded = await w.minute(200);
    expect(overloaded.total).toBe(12_000);
    expect(overloaded.failed).toBe(overloaded.timedOut);
    expect(overloaded.timedOut / overloaded.total).toBeGreaterThan(0.3);
    expect(overloaded.timedOut / overloaded.total).toBeLessThan(0.4);
  });

  it('a CPUUtilization trigger scales out under load and back in when it stops', async () => {
    const w = await environment('pets-cpu', [
      ...asg('2', '4'),
      { Namespace: 'aws:autoscaling:trigger', OptionName: 'MeasureName', Value: 'CPUUtilization' },
      { Namespace: 'aws:autoscaling:trigger', OptionName: 'Statistic', Value: 'Average' },
      { Namespace: 'aws:autoscaling:trigger', OptionName: 'Unit', Value: 'Percent' },
      { Namespace: 'aws:autoscaling:trigger', OptionName: 'UpperThreshold', Value: '50' },
      { Namespace: 'aws:autoscaling:trigger', OptionName: 'LowerThreshold', Value: '20' },
      { Namespace: 'aws:autoscaling:trigger', OptionName: 'Period', Value: '1' },
      { Namespace: 'aws:autoscaling:trigger', OptionName: 'BreachDuration', Value: '1' },
      { Namespace: 'aws:autoscaling:trigger', OptionName: 'UpperBreachScaleIncrement', Value: '2' },
      { Namespace: 'aws:autoscaling:asg', OptionName: 'Cooldown', Value: '120' },
    ]);
    expect(await w.instances()).toBe(2);
    // 100 requests a second on two instances: about 77% CPU, over the upper threshold.
    let failed = 0;
    for (let m = 0; m < 6; m++) failed += (await w.minute(100)).failed;
    expect(failed).toBe(0);
    expect(await w.instances()).toBe(4);
    await w.aws.sandbox!.probe('pets-cpu', 0);
    await w.clock.advance(10 * 60_000);
    expect(await w.instances()).toBe(2);
  });
});

describe('the probe on a host that fires timers late', () => {
  it('makes up the seconds it fell behind, so the offered load per simulated minute stays what was asked', async () => {
    // A busy browser tab running the sandbox at 40x fires every timer late; model that with a fixed lag.
    const inner = new ManualClock();
    const lagMs = 2_500;
    const lagging = {
      speed: inner.speed,
      now: () => inner.now(),
      setTimeout: (fn: () => void, delayMs: number) => inner.setTimeout(fn, delayMs + lagMs),
      clearTimeout: (id: number) => inner.clearTimeout(id),
      sleep: (ms: number) => inner.advance(ms),
    };
    const cloud = createCloud({ clock: lagging, log: () => {} });
    const aws = clientsForCloud(cloud, { region: 'us-east-1' });
    const { S3Bucket } = await aws.eb.send(new CreateStorageLocationCommand({}));
    await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));
    await aws.s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: 'pettracker/v1.zip', Body: nodeApp('v1') }));
    await aws.eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'pettracker', VersionLabel: 'v1', SourceBundle: { S3Bucket, S3Key: 'pettracker/v1.zip' } }));
    await aws.eb.send(new CreateEnvironmentCommand({ ApplicationName: 'pettracker', EnvironmentName: 'lagging', VersionLabel: 'v1', SolutionStackName: NODE_STACK }));
    await inner.advance(15 * 60_000);

    const since = inner.now() + 1;
    await aws.sandbox!.probe('lagging', 20);
    await inner.advance(60_000);
    const { requests } = (await aws.sandbox!.traffic('lagging', { since })) as { requests: Array<{ source: string }> };
    const sent = requests.filter((r) => r.source === 'probe').length;
    // 20 requests a second for 60 s, give or take the tick at each edge; without catching up it would be ~20*60/3.5.
    expect(sent).toBeGreaterThanOrEqual(20 * 55);
    expect(sent).toBeLessThanOrEqual(20 * 63);
  });
});
