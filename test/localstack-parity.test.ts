// LocalStack parity: the same scenarios against LOCALSTACK_ENDPOINT and against the sandbox, with the
// outcomes a user sees (names, error codes, messages) compared. Skipped, with the reason, when unset.
// Elastic Beanstalk on LocalStack needs its paid Ultimate plan and an auth token; S3 and STS do not.
import { describe, expect, it } from 'vitest';
import { CreateApplicationCommand, CreateApplicationVersionCommand, DeleteApplicationCommand, DescribeApplicationsCommand, DescribeApplicationVersionsCommand, DescribeEnvironmentsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ManualClock } from '../src/cloud/clock.ts';
import { createCloud } from '../src/cloud/index.ts';
import { clientsForCloud, clientsForEndpoint, type AwsClients } from '../src/aws/index.ts';

const endpoint = process.env.LOCALSTACK_ENDPOINT;
if (!endpoint) console.log('Skipping the LocalStack parity suite: set LOCALSTACK_ENDPOINT (e.g. http://127.0.0.1:4566) to compare the sandbox with LocalStack.');
const includeEb = process.env.LOCALSTACK_EB !== '0';

/** What a user observes of a call: its result, or the error's name and message. */
async function outcome<T>(call: () => Promise<T>, pick: (value: T) => unknown): Promise<unknown> {
  try {
    return { ok: pick(await call()) };
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { error: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
}

type Scenario = (aws: AwsClients, id: string) => Promise<unknown[]>;

const scenarios: Record<string, Scenario> = {
  'sts: GetCallerIdentity for the test key': async (aws) => [await outcome(() => aws.sts.send(new GetCallerIdentityCommand({})), (r) => ({ Account: r.Account, Arn: r.Arn }))],
  's3: bucket and object lifecycle with errors': async (aws, id) => {
    const Bucket = `parity-${id}`;
    return [
      await outcome(() => aws.s3.send(new CreateBucketCommand({ Bucket })), () => 'created'),
      await outcome(() => aws.s3.send(new PutObjectCommand({ Bucket, Key: 'app/v1.zip', Body: 'hello world' })), (r) => r.ETag),
      await outcome(() => aws.s3.send(new PutObjectCommand({ Bucket, Key: 'app/logs/a.txt', Body: 'log' })), (r) => r.ETag),
      await outcome(() => aws.s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'app/', Delimiter: '/' })), (r) => ({ keys: r.Contents?.map((c) => [c.Key, c.Size, c.ETag]), prefixes: r.CommonPrefixes?.map((p) => p.Prefix), KeyCount: r.KeyCount })),
      await outcome(async () => (await aws.s3.send(new GetObjectCommand({ Bucket, Key: 'app/v1.zip', Range: 'bytes=0-4' }))).Body!.transformToString(), (t) => t),
      await outcome(() => aws.s3.send(new GetObjectCommand({ Bucket, Key: 'missing' })), () => 'found'),
      await outcome(() => aws.s3.send(new HeadObjectCommand({ Bucket, Key: 'missing' })), () => 'found'),
      await outcome(() => aws.s3.send(new DeleteBucketCommand({ Bucket })), () => 'deleted'),
      await outcome(() => aws.s3.send(new DeleteObjectCommand({ Bucket, Key: 'app/v1.zip' })), () => 'deleted'),
      await outcome(() => aws.s3.send(new DeleteObjectCommand({ Bucket, Key: 'app/logs/a.txt' })), () => 'deleted'),
      await outcome(() => aws.s3.send(new DeleteBucketCommand({ Bucket })), () => 'deleted'),
      await outcome(() => aws.s3.send(new ListObjectsV2Command({ Bucket })), () => 'listed'),
    ];
  },
  ...(includeEb
    ? {
        'elasticbeanstalk: applications and versions': async (aws: AwsClients, id: string) => {
          const ApplicationName = `parity-app-${id}`;
          return [
            await outcome(() => aws.eb.send(new CreateApplicationCommand({ ApplicationName, Description: 'parity' })), (r) => ({ name: r.Application?.ApplicationName, description: r.Application?.Description })),
            await outcome(() => aws.eb.send(new CreateApplicationCommand({ ApplicationName })), () => 'created twice'),
            await outcome(() => aws.eb.send(new CreateApplicationVersionCommand({ ApplicationName, VersionLabel: 'v1' })), (r) => r.ApplicationVersion?.VersionLabel),
            await outcome(() => aws.eb.send(new DescribeApplicationVersionsCommand({ ApplicationName })), (r) => r.ApplicationVersions?.map((v) => v.VersionLabel)),
            await outcome(() => aws.eb.send(new DescribeApplicationsCommand({ ApplicationNames: [ApplicationName] })), (r) => r.Applications?.map((a) => a.ApplicationName)),
            await outcome(() => aws.eb.send(new DescribeEnvironmentsCommand({ ApplicationName, EnvironmentNames: ['nope-env'] })), (r) => r.Environments),
            await outcome(() => aws.eb.send(new DeleteApplicationCommand({ ApplicationName, TerminateEnvByForce: true })), () => 'deleted'),
          ];
        },
      }
    : {}),
};

describe.skipIf(!endpoint)('LocalStack parity', () => {
  const id = Date.now().toString(36);
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(name, async () => {
      const localstack = clientsForEndpoint({ endpoint: endpoint!, region: 'us-east-1' });
      const sandbox = clientsForCloud(createCloud({ clock: new ManualClock(), log: () => {} }));
      const [theirs, ours] = [await scenario(localstack, id), await scenario(sandbox, id)];
      expect(ours).toEqual(theirs);
    });
  }
});
