// S3 and STS conformance with the real SDK clients, every scenario twice: in-process and over HTTP.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createHash } from 'node:crypto';
import { ManualClock } from './clock.ts';
import { createCloud, type Cloud } from './index.ts';
import { startCloudServer, type CloudServer } from './server.ts';
import { clientsForCloud, clientsForEndpoint, type AwsClients } from '../aws/index.ts';

interface Mode {
  name: string;
  setup(): Promise<{ cloud: Cloud; clients: AwsClients; clientsAs(accessKeyId: string, region?: string): AwsClients; server?: CloudServer }>;
}

const servers: CloudServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const modes: Mode[] = [
  {
    name: 'in-process',
    async setup() {
      const cloud = createCloud({ clock: new ManualClock(), log: () => {} });
      return {
        cloud,
        clients: clientsForCloud(cloud),
        clientsAs: (accessKeyId, region) => clientsForCloud(cloud, { region, credentials: { accessKeyId, secretAccessKey: 'x' } }),
      };
    },
  },
  {
    name: 'over HTTP',
    async setup() {
      const cloud = createCloud({ clock: new ManualClock(), log: () => {} });
      const server = await startCloudServer({ cloud, port: 0 });
      servers.push(server);
      return {
        cloud,
        server,
        clients: clientsForEndpoint({ endpoint: server.url, region: 'us-east-1' }),
        clientsAs: (accessKeyId, region) =>
          clientsForEndpoint({ endpoint: server.url, region: region ?? 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'x' } }),
      };
    },
  },
];

async function caught(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number }; Code?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

const md5 = (data: string | Uint8Array) => createHash('md5').update(data).digest('hex');

describe.each(modes)('S3 and STS ($name)', (mode) => {
  let s3: S3Client;
  let env: Awaited<ReturnType<Mode['setup']>>;
  beforeEach(async () => {
    env = await mode.setup();
    s3 = env.clients.s3;
  });

  it('answers GetCallerIdentity with the default account, and a 12-digit key as its own account', async () => {
    const me = await env.clients.sts.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root', UserId: '000000000000' });
    expect(me.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const other = await env.clientsAs('123456789012').sts.send(new GetCallerIdentityCommand({}));
    expect(other.Arn).toBe('arn:aws:iam::123456789012:root');
  });

  it('creates, heads, lists and deletes buckets, refusing to delete a non-empty one', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'pettracker-bundles' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'eu-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'eu-bucket' }));
    expect(head.BucketRegion).toBe('eu-west-1');
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'eu-bucket' }))).LocationConstraint).toBe('eu-west-1');
    const listed = await s3.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((b) => b.Name)).toEqual(['eu-bucket', 'pettracker-bundles']);
    expect(listed.Buckets?.[0].CreationDate).toBeInstanceOf(Date);

    await s3.send(new PutObjectCommand({ Bucket: 'pettracker-bundles', Key: 'v1.zip', Body: 'zip' }));
    const notEmpty = await caught(s3.send(new DeleteBucketCommand({ Bucket: 'pettracker-bundles' })));
    expect(notEmpty.name).toBe('BucketNotEmpty');
    expect(notEmpty.$metadata?.httpStatusCode).toBe(409);
    await s3.send(new DeleteObjectCommand({ Bucket: 'pettracker-bundles', Key: 'v1.zip' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'pettracker-bundles' }));
    const gone = await caught(s3.send(new HeadBucketCommand({ Bucket: 'pettracker-bundles' })));
    expect(gone.name).toBe('NotFound');
    expect(gone.$metadata?.httpStatusCode).toBe(404);
  });

  it('keeps accounts apart and names bucket errors precisely', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'shared-name' }));
    const taken = await caught(env.clientsAs('111122223333').s3.send(new CreateBucketCommand({ Bucket: 'shared-name' })));
    expect(taken.name).toBe('BucketAlreadyExists');
    expect((await env.clientsAs('111122223333').s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    const invalid = await caught(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })));
    expect(invalid.name).toBe('InvalidBucketName');
    const missing = await caught(s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' })));
    expect(missing.name).toBe('NoSuchBucket');
    expect(missing.message).toBe('The specified bucket does not exist');
  });

  it('puts, gets, heads and deletes objects with quoted MD5 ETags, metadata and odd keys', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'bk1' }));
    const key = 'app versions/v1 (final)+ü.zip';
    const put = await s3.send(new PutObjectCommand({ Bucket: 'bk1', Key: key, Body: 'hello world', ContentType: 'application/zip', Metadata: { label: 'v1' } }));
    expect(put.ETag).toBe(`"${md5('hello world')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'bk1', Key: key }));
    expect(await got.Body?.transformToString()).toBe('hello world');
    expect(got).toMatchObject({ ContentType: 'application/zip', ContentLength: 11, ETag: put.ETag, Metadata: { label: 'v1' } });
    expect(got.LastModified?.getTime()).toBe(env.cloud.clock.now() - (env.cloud.clock.now() % 1000));
    const download = await s3.send(new GetObjectCommand({ Bucket: 'bk1', Key: key, ResponseContentDisposition: 'attachment; filename="v1.zip"' }));
    expect(download.ContentDisposition).toBe('attachment; filename="v1.zip"');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'bk1', Key: key }));
    expect(head.ContentLength).toBe(11);
    await s3.send(new DeleteObjectCommand({ Bucket: 'bk1', Key: key }));
    const noKey = await caught(s3.send(new GetObjectCommand({ Bucket: 'bk1', Key: key })));
    expect(noKey.name).toBe('NoSuchKey');
    expect(noKey.$metadata?.httpStatusCode).toBe(404);
    const noHead = await caught(s3.send(new HeadObjectCommand({ Bucket: 'bk1', Key: key })));
    expect(noHead.name).toBe('NotFound');
  });

  it('decodes aws-chunked stream uploads with trailing CRC32 and binary bodies byte for byte', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'bk2' }));
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7919) % 256);
    const stream = Readable.from([Buffer.from(bytes.subarray(0, 100_000)), Buffer.from(bytes.subarray(100_000))]);
    const put = await s3.send(new PutObjectCommand({ Bucket: 'bk2', Key: 'bundle.zip', Body: stream, ContentLength: bytes.length }));
    expect(put.ETag).toBe(`"${md5(bytes)}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'bk2', Key: 'bundle.zip' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.from(bytes))).toBe(true);
    const range = await s3.send(new GetObjectCommand({ Bucket: 'bk2', Key: 'bundle.zip', Range: 'bytes=10-19' }));
    expect([...(await range.Body!.transformToByteArray())]).toEqual([...bytes.subarray(10, 20)]);
    expect(range.ContentRange).toBe(`bytes 10-19/${bytes.length}`);
  });

  it('rejects a body whose checksum does not match', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'bk3' }));
    const bad = await caught(s3.send(new PutObjectCommand({ Bucket: 'bk3', Key: 'k', Body: 'hello', ChecksumCRC32: 'AAAAAA==' })));
    expect(bad.name).toBe('BadDigest');
    const badMd5 = await caught(s3.send(new PutObjectCommand({ Bucket: 'bk3', Key: 'k', Body: 'hello', ContentMD5: Buffer.from(md5('other'), 'hex').toString('base64') })));
    expect(badMd5.name).toBe('BadDigest');
  });

  it('lists with prefix, delimiter, max-keys and continuation tokens', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'listing' }));
    const keys = ['app/v1.zip', 'app/v2.zip', 'app/logs/a.txt', 'app/logs/b.txt', 'other/x', 'readme'];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: 'listing', Key: key, Body: key }));
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/' }));
    expect(top.Contents?.map((c) => c.Key)).toEqual(['readme']);
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['app/', 'other/']);
    const app = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'app/', Delimiter: '/' }));
    expect(app.Contents?.map((c) => c.Key)).toEqual(['app/v1.zip', 'app/v2.zip']);
    expect(app.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['app/logs/']);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: 2, ContinuationToken: token }));
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
      expect(page.KeyCount).toBeLessThanOrEqual(2);
      token = page.NextContinuationToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual([...keys].sort());
    const grouped: string[] = [];
    token = undefined;
    do {
      const page: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/', MaxKeys: 1, ContinuationToken: token }));
      grouped.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!), ...(page.Contents ?? []).map((c) => c.Key!));
      token = page.NextContinuationToken;
    } while (token);
    expect(grouped).toEqual(['app/', 'other/', 'readme']);
    const badToken = await caught(s3.send(new ListObjectsV2Command({ Bucket: 'listing', ContinuationToken: 'garbage' })));
    expect(badToken.name).toBe('InvalidArgument');
  });

  it('deletes many objects at once and copies objects', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'many' }));
    for (const key of ['a', 'b', 'c']) await s3.send(new PutObjectCommand({ Bucket: 'many', Key: key, Body: key }));
    const copied = await s3.send(new CopyObjectCommand({ Bucket: 'many', Key: 'copy of a', CopySource: 'many/a' }));
    expect(copied.CopyObjectResult?.ETag).toBe(`"${md5('a')}"`);
    const deleted = await s3.send(new DeleteObjectsCommand({ Bucket: 'many', Delete: { Objects: [{ Key: 'a' }, { Key: 'b' }, { Key: 'missing' }] } }));
    expect(deleted.Deleted?.map((d) => d.Key).sort()).toEqual(['a', 'b', 'missing']);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: 'many' }));
    expect(left.Contents?.map((c) => c.Key)).toEqual(['c', 'copy of a']);
  });

  it('runs multipart uploads with md5-of-md5s ETags, and refuses bad part lists', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'multi' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'multi', Key: 'big.zip', ContentType: 'application/zip' }));
    const part1 = new Uint8Array(5 * 1024 * 1024).fill(1);
    const part2 = new Uint8Array(1000).fill(2);
    const e1 = (await s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'big.zip', UploadId, PartNumber: 1, Body: part1 }))).ETag!;
    const e2 = (await s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'big.zip', UploadId, PartNumber: 2, Body: part2 }))).ETag!;
    const parts = await s3.send(new ListPartsCommand({ Bucket: 'multi', Key: 'big.zip', UploadId }));
    expect(parts.Parts?.map((p) => p.Size)).toEqual([part1.length, part2.length]);
    const order = await caught(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'big.zip', UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: e2 }, { PartNumber: 1, ETag: e1 }] } })));
    expect(order.name).toBe('InvalidPartOrder');
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'big.zip', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: e1 }, { PartNumber: 2, ETag: e2 }] } }));
    const expected = md5(Buffer.concat([Buffer.from(md5(part1), 'hex'), Buffer.from(md5(part2), 'hex')]));
    expect(done.ETag).toBe(`"${expected}-2"`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'multi', Key: 'big.zip' }));
    expect(head.ContentLength).toBe(part1.length + part2.length);
    expect(head.ContentType).toBe('application/zip');

    const small = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'multi', Key: 'small' }));
    const s1 = (await s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'small', UploadId: small.UploadId, PartNumber: 1, Body: 'tiny' }))).ETag!;
    const s2 = (await s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'small', UploadId: small.UploadId, PartNumber: 2, Body: 'tiny' }))).ETag!;
    const tooSmall = await caught(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'small', UploadId: small.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: s1 }, { PartNumber: 2, ETag: s2 }] } })));
    expect(tooSmall.name).toBe('EntityTooSmall');
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'multi', Key: 'small', UploadId: small.UploadId }));
    const aborted = await caught(s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'small', UploadId: small.UploadId, PartNumber: 3, Body: 'x' })));
    expect(aborted.name).toBe('NoSuchUpload');
  });

  it('survives a snapshot and restore of S3 state, and reset empties it', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'persist' }));
    await s3.send(new PutObjectCommand({ Bucket: 'persist', Key: 'k', Body: new Uint8Array([0, 255, 1]) }));
    const snapshot = JSON.parse(JSON.stringify(env.cloud.snapshot()));
    env.cloud.reset();
    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    env.cloud.restore(snapshot);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'persist', Key: 'k' }));
    expect([...(await got.Body!.transformToByteArray())]).toEqual([0, 255, 1]);
  });
});
