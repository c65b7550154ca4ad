// Memory of the Elastic Beanstalk state: heap for 200 environments of 4 instances each, launched and deployed
// once (with their events, logs and timelines), as a ratio of the 100 MB target. Run with --expose-gc.
import {
  CreateApplicationCommand,
  CreateApplicationVersionCommand,
  CreateEnvironmentCommand,
  CreateStorageLocationCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  UpdateEnvironmentCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createCloud, ManualClock } from '../src/cloud/index.ts';
import { clientsForCloud } from '../src/aws/index.ts';
import { NODE_STACK, nodeApp } from '../src/cloud/services/elasticbeanstalk/test-helpers.ts';

const ENVIRONMENTS = 200;
const INSTANCES = 4;
const TARGET_MB = 100;

const gc = (globalThis as { gc?: () => void }).gc;
function heapMb(): number {
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

const clock = new ManualClock();
const before = heapMb();
const cloud = createCloud({ clock, log: () => {} });
const { eb, s3 } = clientsForCloud(cloud, { region: 'us-east-1' });
const { S3Bucket } = await eb.send(new CreateStorageLocationCommand({}));
await eb.send(new CreateApplicationCommand({ ApplicationName: 'fleet' }));
for (const label of ['v1', 'v2']) {
  await s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: `fleet/${label}.zip`, Body: nodeApp(label) }));
  await eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'fleet', VersionLabel: label, SourceBundle: { S3Bucket, S3Key: `fleet/${label}.zip` } }));
}
for (let i = 0; i < ENVIRONMENTS; i++) {
  await eb.send(
    new CreateEnvironmentCommand({
      ApplicationName: 'fleet',
      EnvironmentName: `fleet-${String(i).padStart(3, '0')}`,
      VersionLabel: 'v1',
      SolutionStackName: NODE_STACK,
      OptionSettings: [
        { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: String(INSTANCES) },
        { Namespace: 'aws:elasticbeanstalk:command', OptionName: 'DeploymentPolicy', Value: 'Rolling' },
        { Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'SystemType', Value: 'enhanced' },
      ],
    }),
  );
}
await clock.advance(15 * 60_000);
for (let i = 0; i < ENVIRONMENTS; i++) {
  await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: `fleet-${String(i).padStart(3, '0')}`, VersionLabel: 'v2' }));
}
await clock.advance(30 * 60_000);

const envs = (await eb.send(new DescribeEnvironmentsCommand({}))).Environments ?? [];
const ready = envs.filter((e) => e.Status === 'Ready' && e.VersionLabel === 'v2').length;
let events = 0;
let token: string | undefined;
do {
  const page = await eb.send(new DescribeEventsCommand({ MaxRecords: 1000, NextToken: token }));
  events += page.Events?.length ?? 0;
  token = page.NextToken;
} while (token);
const used = heapMb() - before;
const snapshotMb = JSON.stringify(cloud.snapshot()).length / 1024 / 1024;
console.log(`${ready} of ${ENVIRONMENTS} environments Ready on v2, ${ENVIRONMENTS * INSTANCES} instances, ${events} events${gc ? '' : ' (no --expose-gc: figure includes garbage)'}`);
console.log(
  `Heap for ${ENVIRONMENTS} environments x ${INSTANCES} instances: ${used.toFixed(1)} MB = ${(used / TARGET_MB).toFixed(2)}x the ${TARGET_MB} MB target ` +
    `(${used < TARGET_MB ? 'met' : 'NOT met'}); snapshot JSON ${snapshotMb.toFixed(1)} MB`,
);
cloud.dispose();
if (ready !== ENVIRONMENTS || used >= TARGET_MB) process.exitCode = 1;
