// The HTTP host: DNS-rebinding and cross-site refusals, CORS for local pages, body limits, malformed
// requests, the state file, control endpoints over HTTP, and the real AWS CLI against it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ManualClock } from './clock.ts';
import { createCloud, type Cloud } from './index.ts';
import { startCloudServer, type CloudServer } from './server.ts';
import { clientsForEndpoint } from '../aws/index.ts';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(server: CloudServer, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** Sends only the headers of a request that announces a body, and reads the answer. */
function rawHeadOnly(server: CloudServer, options: { method: string; path: string; headers: Record<string, string> }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method: options.method, path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

const signed = (service: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0` });

describe('cloud server', () => {
  let cloud: Cloud;
  let server: CloudServer;
  beforeAll(async () => {
    cloud = createCloud({ clock: new ManualClock(), log: () => {} });
    server = await startCloudServer({ cloud, port: 0, allowedOrigins: ['https://academy.example.org'] });
  });
  afterAll(() => server.close());

  it('listens on loopback and answers LocalStack-style health', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await raw(server, { path: '/_localstack/health' });
    expect(res.status).toBe(200);
    const health = JSON.parse(res.body);
    expect(health.edition).toBe('community');
    expect(health.services).toMatchObject({ elasticbeanstalk: 'running', s3: 'running', sts: 'running' });
  });

  it('refuses a Host that is not a loopback name (DNS rebinding), but serves environment CNAMEs', async () => {
    const rebound = await raw(server, { path: '/_localstack/health', headers: { host: 'attacker.example.com' } });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error.message).toContain('DNS rebinding');
    for (const host of ['localhost:4566', '127.0.0.1', '[::1]:4566', 'sandbox.localhost']) {
      expect((await raw(server, { path: '/_localstack/health', headers: { host } })).status).toBe(200);
    }
    const cname = await raw(server, { path: '/health', headers: { host: 'pettracker-web.eba-abc123.us-east-1.elasticbeanstalk.com' } });
    expect(cname.status).not.toBe(403);
  });

  it('allows local and configured origins with the headers the SDK must read, and refuses others', async () => {
    const preflight = await raw(server, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:4321', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,x-amz-date,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:4321');
    expect(preflight.headers['access-control-allow-headers']).toBe('authorization,x-amz-date,content-type');
    const actual = await raw(server, {
      method: 'POST',
      headers: { ...signed('sts'), origin: 'https://academy.example.org', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(actual.status).toBe(200);
    expect(actual.headers['access-control-allow-origin']).toBe('https://academy.example.org');
    const exposed = String(actual.headers['access-control-expose-headers']);
    for (const name of ['x-amzn-requestid', 'etag', 'x-amz-request-id', 'x-amz-bucket-region']) expect(exposed).toContain(name);
    const foreign = await raw(server, { method: 'POST', path: '/_sandbox/reset', headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
  });

  it('refuses oversized bodies with 413 before reading them, per service', async () => {
    const big = Buffer.alloc(1024 * 1024 + 10, 'a');
    const eb = await raw(server, { method: 'POST', headers: { ...signed('elasticbeanstalk'), 'content-type': 'application/x-www-form-urlencoded' }, body: big });
    expect(eb.status).toBe(413);
    expect(eb.body).toContain('<Code>RequestEntityTooLarge</Code>');
    const declared = await rawHeadOnly(server, { method: 'PUT', path: '/bk/k', headers: { ...signed('s3'), 'content-length': String(600 * 1024 * 1024) } });
    expect(declared.status).toBe(400);
    expect(declared.body).toContain('<Code>EntityTooLarge</Code>');
  });

  it('answers garbage without crashing and keeps serving', async () => {
    const garbage = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.end('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(garbage).toMatch(/^HTTP\/1\.1 400/);
    const unsigned = await raw(server, { method: 'POST', body: 'hello' });
    expect(unsigned.status).toBe(403);
    expect(unsigned.body).toContain('MissingAuthenticationToken');
    const unknown = await raw(server, { method: 'POST', headers: signed('dynamodb'), body: '{}' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain("does not provide the 'dynamodb' service");
    const badRegion = await raw(server, { method: 'POST', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20261123/moon/sts/aws4_request' }, body: '' });
    expect(badRegion.status).toBe(403);
    expect((await raw(server, { path: '/_localstack/health' })).status).toBe(200);
  });

  it('drops a stored header value HTTP cannot carry instead of failing the download', async () => {
    await cloud.handle({ method: 'PUT', path: '/odd-meta', query: '', headers: signed('s3'), body: new Uint8Array(0) });
    await cloud.handle({ method: 'PUT', path: '/odd-meta/k', query: '', headers: { ...signed('s3'), 'x-amz-meta-note': 'line1\nline2' }, body: new TextEncoder().encode('body') });
    const got = await raw(server, { path: '/odd-meta/k', headers: signed('s3') });
    expect(got.status).toBe(200);
    expect(got.body).toBe('body');
    expect(got.headers['x-amz-meta-note']).toBeUndefined();
  });

  it('accepts virtual-hosted S3 requests on a localhost name', async () => {
    const host = `vhost-bucket.localhost:${server.port}`;
    expect((await raw(server, { method: 'PUT', path: '/', headers: { ...signed('s3'), host } })).status).toBe(200);
    expect((await raw(server, { method: 'PUT', path: '/notes.txt', headers: { ...signed('s3'), host }, body: 'hi' })).status).toBe(200);
    const listed = await raw(server, { path: '/vhost-bucket?list-type=2', headers: signed('s3') });
    expect(listed.body).toContain('<Key>notes.txt</Key>');
  });

  it('restores from and saves to a state file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloud-state-'));
    const stateFile = join(dir, 'state.json');
    const first = createCloud({ clock: new ManualClock(), log: () => {} });
    const one = await startCloudServer({ cloud: first, port: 0, stateFile, saveDelayMs: 10 });
    const s3 = clientsForEndpoint({ endpoint: one.url, region: 'us-east-1' }).s3;
    await s3.send(new CreateBucketCommand({ Bucket: 'kept-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'kept-bucket', Key: 'k', Body: 'v' }));
    await one.close();
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).format).toBe('beanstalk-academy-cloud');

    const second = createCloud({ clock: new ManualClock(), log: () => {} });
    const two = await startCloudServer({ cloud: second, port: 0, stateFile });
    const listed = await clientsForEndpoint({ endpoint: two.url, region: 'us-east-1' }).s3.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((b) => b.Name)).toEqual(['kept-bucket']);
    await two.close();

    writeFileSync(stateFile, '{"format":"something-else"}');
    await expect(startCloudServer({ cloud: createCloud({ clock: new ManualClock() }), port: 0, stateFile })).rejects.toThrow(/state\.json cannot be restored: Cloud snapshot has format "something-else"/);
    expect(existsSync(stateFile)).toBe(true);
  });

  it('serves /_sandbox/state: GET a snapshot, PUT restores, a bad PUT changes nothing', async () => {
    const s3 = clientsForEndpoint({ endpoint: server.url, region: 'us-east-1' }).s3;
    await s3.send(new CreateBucketCommand({ Bucket: 'state-bucket' }));
    const snapshot = await raw(server, { path: '/_sandbox/state' });
    const bad = await raw(server, { method: 'PUT', path: '/_sandbox/state', body: JSON.stringify({ format: 'beanstalk-academy-cloud', version: 99 }) });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toContain('version 99');
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain('state-bucket');
    expect((await raw(server, { method: 'POST', path: '/_sandbox/reset' })).status).toBe(200);
    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    expect((await raw(server, { method: 'PUT', path: '/_sandbox/state', body: snapshot.body })).status).toBe(200);
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain('state-bucket');
    expect((await raw(server, { method: 'DELETE', path: '/_sandbox/state' })).status).toBe(405);
    expect((await raw(server, { path: '/_sandbox/timeline' })).status).toBe(400);
  });
});

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const awsCli = await new Promise<boolean>((resolve) => execFile('aws', ['--version'], (error) => resolve(!error)));
if (!awsCli) console.log('Skipping the AWS CLI tests: the `aws` command is not installed.');

describe.skipIf(!awsCli)('the AWS CLI against the cloud server', () => {
  let server: CloudServer;
  let dir: string;
  const env = () => ({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' });
  beforeAll(async () => {
    server = await startCloudServer({ cloud: createCloud({ clock: new ManualClock(), log: () => {} }), port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'aws-cli-'));
  });
  afterAll(() => server.close());

  // Each CLI start costs about two seconds of Python start-up, so the calls are few.
  it('runs sts get-caller-identity, s3 mb, s3 cp both ways (multipart up), s3 ls and elasticbeanstalk calls', async () => {
    const file = join(dir, 'bundle v1.zip');
    writeFileSync(file, Buffer.alloc(9 * 1024 * 1024, 7));
    const back = join(dir, 'back.zip');
    const cli = (...args: string[]) => run('aws', ['--endpoint-url', server.url, ...args], env());
    // Independent calls run side by side: three rounds instead of five.
    const [id, mb, app] = await Promise.all([
      cli('sts', 'get-caller-identity', '--output', 'json'),
      cli('s3', 'mb', 's3://cli-bucket'),
      cli('elasticbeanstalk', 'create-application', '--application-name', 'Pet Tracker', '--description', 'a+b c&d', '--output', 'json'),
    ]);
    expect(JSON.parse(app.stdout).Application).toMatchObject({ ApplicationName: 'Pet Tracker', Description: 'a+b c&d' });
    expect(id.stderr).toBe('');
    expect(JSON.parse(id.stdout)).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
    expect(mb.code).toBe(0);
    const cp = await cli('s3', 'cp', file, 's3://cli-bucket/app/bundle v1.zip');
    expect(cp.stderr).toBe('');
    expect(cp.code).toBe(0);
    const [ls, down, duplicate] = await Promise.all([
      cli('s3', 'ls', 's3://cli-bucket/', '--recursive'),
      cli('s3', 'cp', 's3://cli-bucket/app/bundle v1.zip', back),
      cli('elasticbeanstalk', 'create-application', '--application-name', 'Pet Tracker'),
    ]);
    expect(duplicate.stderr).toContain('An error occurred (InvalidParameterValue) when calling the CreateApplication operation: Application Pet Tracker already exists.');
    expect(ls.stdout).toContain('app/bundle v1.zip');
    expect(ls.stdout).toContain(String(9 * 1024 * 1024));
    expect(down.code).toBe(0);
    expect(readFileSync(back).equals(readFileSync(file))).toBe(true);
  });
});
