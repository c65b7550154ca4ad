// Overhead of the `eb` command itself: `eb status` and a full `eb create` run in-process against the
// sandbox cloud on a ManualClock (maximum speed), each compared with the same SDK calls made directly.
// Prints ratios from one run: node bin/run-ts.mjs bench/eb-cli.bench.ts
import {
  CreateApplicationCommand,
  CreateApplicationVersionCommand,
  CreateEnvironmentCommand,
  CreateStorageLocationCommand,
  DescribeApplicationsCommand,
  DescribeApplicationVersionsCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  ListPlatformBranchesCommand,
  ListPlatformVersionsCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { zipBundle } from '../src/eb/bundle/zip.ts';
import { nodeApp, sandbox, type Sandbox } from '../src/eb/test-helpers.ts';
import { createCloud, ManualClock } from '../src/cloud/index.ts';

function steppedCloud() {
  const clock = new ManualClock();
  return { cloud: createCloud({ clock, log: () => undefined }), clock };
}

const app = 'pettracker-web';

async function initialised(): Promise<Sandbox> {
  const box = await sandbox(steppedCloud());
  const init = await box.eb(`init -p node.js ${app} --region us-east-1`);
  if (init.code !== 0) throw new Error(`eb init failed: ${init.stderr}`);
  return box;
}

/** What `eb create` sends, made directly with the SDK (bundle zipped beforehand). */
async function createDirectly(box: Sandbox, env: string, bundle: Uint8Array): Promise<void> {
  const { eb, s3 } = box.clients;
  await eb.send(new ListPlatformBranchesCommand({ MaxRecords: 100 }));
  const versions = await eb.send(
    new ListPlatformVersionsCommand({ Filters: [{ Type: 'PlatformBranchName', Operator: '=', Values: ['Node.js 24 running on 64bit Amazon Linux 2023'] }] }),
  );
  const platformArn = versions.PlatformSummaryList!.at(-1)!.PlatformArn;
  const apps = await eb.send(new DescribeApplicationsCommand({ ApplicationNames: [app] }));
  if (!apps.Applications?.length) await eb.send(new CreateApplicationCommand({ ApplicationName: app }));
  const { S3Bucket } = await eb.send(new CreateStorageLocationCommand({}));
  const label = `direct-${env}`;
  const key = `${app}/${label}.zip`;
  await s3.send(new HeadObjectCommand({ Bucket: S3Bucket, Key: key })).catch(() => undefined);
  await s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: key, Body: bundle }));
  await eb.send(new CreateApplicationVersionCommand({ ApplicationName: app, VersionLabel: label, SourceBundle: { S3Bucket, S3Key: key }, Process: true }));
  for (let polls = 0; ; polls++) {
    const v = await eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: app, VersionLabels: [label] }));
    if (String(v.ApplicationVersions?.[0]?.Status).toUpperCase() !== 'PROCESSING') break;
    await box.clients.sleep(polls < 10 ? 1000 : 5000);
  }
  const created = await eb.send(new CreateEnvironmentCommand({ ApplicationName: app, EnvironmentName: env, VersionLabel: label, PlatformArn: platformArn }));
  const requestId = created.$metadata.requestId;
  for (let polls = 0; ; polls++) {
    const events = await eb.send(new DescribeEventsCommand({ ApplicationName: app, EnvironmentName: env, RequestId: requestId }));
    if (events.Events?.some((e) => e.Message?.startsWith('Successfully launched environment:'))) return;
    if (events.Events?.some((e) => e.Message === 'Failed to launch environment.')) throw new Error('direct create failed');
    await box.clients.sleep(polls < 10 ? 1000 : 5000);
  }
}

/** Runs the two variants alternately (so machine load affects both alike) and returns their medians. */
async function compare(runs: number, eb: (i: number) => Promise<void>, direct: (i: number) => Promise<void>): Promise<[number, number]> {
  await eb(-1); // warm-up: module loading and JIT are not the command's overhead
  await direct(-1);
  const ebTimes: number[] = [];
  const directTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    await eb(i);
    ebTimes.push(performance.now() - start);
    start = performance.now();
    await direct(i);
    directTimes.push(performance.now() - start);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return [median(ebTimes), median(directTimes)];
}

async function main(): Promise<void> {
  // eb status vs the DescribeEnvironments call it makes
  const box = await initialised();
  const created = await box.eb('create pettracker-web-staging --single');
  if (created.code !== 0) throw new Error(`eb create failed: ${created.stderr}`);
  const [ebStatus, directStatus] = await compare(
    150,
    async () => {
      const r = await box.eb('status');
      if (r.code !== 0) throw new Error(r.stderr);
    },
    async () => {
      await box.clients.eb.send(new DescribeEnvironmentsCommand({ ApplicationName: app, EnvironmentNames: ['pettracker-web-staging'], IncludeDeleted: false }));
    },
  );

  // full eb create (package, upload, process, create, stream to "Successfully launched") vs the same calls made directly
  const createRuns = 7;
  const boxes = await Promise.all(Array.from({ length: createRuns + 1 }, () => initialised()));
  const directBoxes = await Promise.all(Array.from({ length: createRuns + 1 }, () => initialised()));
  const source = Object.entries(nodeApp).map(([path, text]) => ({ path, data: new TextEncoder().encode(text), mode: 0o100644, mtime: new Date() }));
  const [ebCreate, directCreate] = await compare(
    createRuns,
    async (i) => {
      const r = await boxes[i + 1].eb('create pettracker-web-staging');
      if (r.code !== 0) throw new Error(r.stderr);
    },
    async (i) => createDirectly(directBoxes[i + 1], 'pettracker-web-staging', zipBundle(source)),
  );

  const row = (name: string, ebMs: number, directMs: number) =>
    `${name.padEnd(12)} eb ${ebMs.toFixed(2).padStart(8)} ms   direct SDK ${directMs.toFixed(2).padStart(8)} ms   ratio ${(ebMs / directMs).toFixed(2)}x`;
  console.log('eb command overhead, in-process sandbox on a ManualClock (median per run, runs alternated)');
  console.log(row('eb status', ebStatus, directStatus));
  console.log(row('eb create', ebCreate, directCreate));
}

await main();
