// Simulation speed of the Elastic Beanstalk lifecycle: simulated seconds per CPU second for a Rolling deploy
// over 20 instances and an Immutable deploy over 10 (target at least 10,000), measured in one run.
import { performance } from 'node:perf_hooks';
import {
  CreateApplicationCommand,
  CreateApplicationVersionCommand,
  CreateEnvironmentCommand,
  CreateStorageLocationCommand,
  DescribeEnvironmentsCommand,
  UpdateEnvironmentCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createCloud, ManualClock } from '../src/cloud/index.ts';
import { clientsForCloud } from '../src/aws/index.ts';
import { NODE_STACK, nodeApp } from '../src/cloud/services/elasticbeanstalk/test-helpers.ts';

const TARGET = 10_000;

async function measure(policy: 'Rolling' | 'Immutable', instances: number): Promise<{ simulatedSeconds: number; cpuSeconds: number; wallSeconds: number }> {
  const clock = new ManualClock();
  const cloud = createCloud({ clock, log: () => {} });
  const { eb, s3 } = clientsForCloud(cloud, { region: 'us-east-1' });
  const { S3Bucket } = await eb.send(new CreateStorageLocationCommand({}));
  await eb.send(new CreateApplicationCommand({ ApplicationName: 'bench' }));
  for (const label of ['v1', 'v2']) {
    await s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: `bench/${label}.zip`, Body: nodeApp(label) }));
    await eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'bench', VersionLabel: label, SourceBundle: { S3Bucket, S3Key: `bench/${label}.zip` } }));
  }
  await eb.send(
    new CreateEnvironmentCommand({
      ApplicationName: 'bench',
      EnvironmentName: `bench-${policy.toLowerCase()}`,
      VersionLabel: 'v1',
      SolutionStackName: NODE_STACK,
      OptionSettings: [
        { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: String(instances) },
        { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: String(instances) },
        { Namespace: 'aws:elasticbeanstalk:command', OptionName: 'DeploymentPolicy', Value: policy },
        { Namespace: 'aws:elasticbeanstalk:command', OptionName: 'BatchSize', Value: '25' },
        { Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'SystemType', Value: 'enhanced' },
      ],
    }),
  );
  await clock.advance(15 * 60_000);
  await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: `bench-${policy.toLowerCase()}`, VersionLabel: 'v2' }));
  const start = clock.now();
  const cpu = process.cpuUsage();
  const wall = performance.now();
  // Step the clock in one-minute slices until the deployment is over, as a workbench would.
  for (let i = 0; i < 120; i++) {
    await clock.advance(60_000);
    const env = (cloud.evidence.timeline('000000000000', 'us-east-1', `bench-${policy.toLowerCase()}`) as { status: string }).status;
    if (env === 'Ready') break;
  }
  const used = process.cpuUsage(cpu);
  const wallSeconds = (performance.now() - wall) / 1000;
  const [env] = (await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [`bench-${policy.toLowerCase()}`] }))).Environments!;
  if (env.Status !== 'Ready' || env.VersionLabel !== 'v2') throw new Error(`${policy} deployment did not finish: ${env.Status} ${env.VersionLabel}`);
  cloud.dispose();
  return { simulatedSeconds: (clock.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6, wallSeconds };
}

// Warm-up runs of the same size first, so the figures measure the simulation rather than the JIT compiling it.
for (let i = 0; i < 2; i++) {
  await measure('Rolling', 20);
  await measure('Immutable', 10);
}
const results = [
  { name: 'Rolling deploy, 20 instances', ...(await measure('Rolling', 20)) },
  { name: 'Immutable deploy, 10 instances', ...(await measure('Immutable', 10)) },
];
let failed = false;
for (const r of results) {
  const ratio = r.simulatedSeconds / r.cpuSeconds;
  const ok = ratio >= TARGET;
  failed ||= !ok;
  console.log(
    `${r.name}: ${r.simulatedSeconds.toFixed(0)} simulated s in ${(r.cpuSeconds * 1000).toFixed(0)} ms CPU ` +
      `(${(r.wallSeconds * 1000).toFixed(0)} ms wall) = ${Math.round(ratio).toLocaleString('en-US')} simulated s per CPU s ` +
      `(target >= ${TARGET.toLocaleString('en-US')}: ${ok ? 'met' : 'NOT met'})`,
  );
}
if (failed) process.exitCode = 1;
