// createCloud as a whole: snapshots are versioned JSON that restore exactly or not at all, reset
// empties every service, and an internal failure is a logged 500 InternalFailure, never a throw.
import { describe, expect, it } from 'vitest';
import { CreateApplicationCommand, CreateEnvironmentCommand, CreateStorageLocationCommand, DescribeApplicationsCommand, ListAvailableSolutionStacksCommand } from '@aws-sdk/client-elastic-beanstalk';
import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ManualClock } from './clock.ts';
import { createCloud } from './index.ts';
import { clientsForCloud } from '../aws/index.ts';

async function populated() {
  const clock = new ManualClock();
  const cloud = createCloud({ clock, log: () => {} });
  const aws = clientsForCloud(cloud);
  await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));
  await aws.s3.send(new CreateBucketCommand({ Bucket: 'bundles' }));
  await aws.s3.send(new PutObjectCommand({ Bucket: 'bundles', Key: 'v1.zip', Body: 'PK' }));
  return { cloud, aws, clock };
}

const appNames = async (aws: ReturnType<typeof clientsForCloud>) => (await aws.eb.send(new DescribeApplicationsCommand({}))).Applications?.map((a) => a.ApplicationName);
const bucketNames = async (aws: ReturnType<typeof clientsForCloud>) => (await aws.s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) ?? [];

describe('createCloud', () => {
  it('takes a versioned JSON snapshot that a fresh cloud restores', async () => {
    const { cloud, clock } = await populated();
    const snapshot = cloud.snapshot();
    expect(snapshot).toMatchObject({ format: 'beanstalk-academy-cloud', version: 1, time: clock.now() });
    const copy = createCloud({ clock: new ManualClock(), log: () => {} });
    copy.restore(JSON.stringify(snapshot));
    const aws = clientsForCloud(copy);
    expect(await appNames(aws)).toEqual(['pettracker']);
    expect(await bucketNames(aws)).toEqual(['bundles']);
  });

  it('refuses wrong format, version or corrupt data with a precise error and changes nothing', async () => {
    const { cloud, aws } = await populated();
    const good = cloud.snapshot();
    const cases: Array<[unknown, RegExp]> = [
      ['{not json', /not valid JSON/],
      [{ ...good, format: 'other' }, /format "other"; expected "beanstalk-academy-cloud"/],
      [{ ...good, version: 2 }, /version 2; this sandbox reads version 1/],
      [{ ...good, services: { s3: good.services.s3 } }, /services\.elasticbeanstalk is missing/],
      [{ ...good, services: { ...good.services, s3: { buckets: [{ name: 'x' }] } } }, /services\.s3\.buckets\[0\]\.name must be a valid bucket name/],
      [{ ...good, services: { s3: { buckets: [] }, elasticbeanstalk: { nonsense: true } } }, /./],
    ];
    for (const [input, message] of cases) {
      expect(() => cloud.restore(input), String(message)).toThrow(message);
      expect(await appNames(aws)).toEqual(['pettracker']);
      expect(await bucketNames(aws)).toEqual(['bundles']);
    }
  });

  it('resets every service', async () => {
    const { cloud, aws } = await populated();
    cloud.reset();
    expect(await appNames(aws)).toEqual([]);
    expect(await bucketNames(aws)).toEqual([]);
  });

  it('turns an internal failure into a logged 500 InternalFailure', async () => {
    const logged: string[] = [];
    const broken = new ManualClock();
    broken.now = () => {
      throw new Error('clock exploded');
    };
    const cloud = createCloud({ clock: broken, log: (line) => logged.push(line) });
    const res = await cloud.handle({
      method: 'POST',
      path: '/',
      query: '',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/sts/aws4_request', 'content-type': 'application/x-www-form-urlencoded' },
      body: new TextEncoder().encode('Action=GetCallerIdentity&Version=2011-06-15'),
    });
    expect(res.status).toBe(500);
    const text = new TextDecoder().decode(res.body);
    expect(text).toContain('<Code>InternalFailure</Code>');
    expect(text).toContain('<Type>Receiver</Type>');
    expect(logged.join('\n')).toContain('clock exploded');
  });

  it('notifies listeners of state changes but not of reads', async () => {
    const { cloud, aws } = await populated();
    let changes = 0;
    const stop = cloud.onChange(() => changes++);
    await appNames(aws);
    await bucketNames(aws);
    expect(changes).toBe(0);
    await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'second' }));
    await aws.s3.send(new PutObjectCommand({ Bucket: 'bundles', Key: 'v2.zip', Body: 'PK' }));
    expect(changes).toBe(2);
    stop();
    await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'third' }));
    expect(changes).toBe(2);
  });

  it('notifies listeners when background work (an environment launching) changes state', async () => {
    const { cloud, aws, clock } = await populated();
    const stacks = await aws.eb.send(new ListAvailableSolutionStacksCommand({}));
    await aws.eb.send(new CreateEnvironmentCommand({ ApplicationName: 'pettracker', EnvironmentName: 'pettracker-web', SolutionStackName: stacks.SolutionStacks!.find((s) => s.includes('Node.js')) }));
    let changes = 0;
    cloud.onChange(() => changes++);
    await clock.advance(10 * 60_000);
    expect(changes).toBeGreaterThan(0);
  });

  it('gives Elastic Beanstalk the same S3 the SDK sees (storage location bucket)', async () => {
    const { aws } = await populated();
    const { S3Bucket } = await aws.eb.send(new CreateStorageLocationCommand({}));
    expect(S3Bucket).toBe('elasticbeanstalk-us-east-1-000000000000');
    expect(await bucketNames(aws)).toContain(S3Bucket);
  });

  it('validates its options', () => {
    expect(() => createCloud({ accountId: '42' })).toThrow(/accountId must be 12 digits/);
  });
});
