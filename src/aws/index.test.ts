// SDK client factories: in-process clients follow the cloud's clock, endpoint clients reach a server,
// environment variables and ~/.aws profiles configure them, and the browser module stays free of node:.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateApplicationCommand, DescribeApplicationsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CloudWatchClient, PutMetricAlarmCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { ACMClient, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { ManualClock } from '../cloud/clock.ts';
import { createCloud } from '../cloud/index.ts';
import { startCloudServer, type CloudServer } from '../cloud/server.ts';
import { SandboxControlError, clientsForCloud, clientsForEndpoint, clientsFromEnvironment } from './index.ts';
import { clientsFromNodeEnvironment, parseAwsIni, readAwsProfile } from './aws-profile.ts';

describe('clientsForCloud', () => {
  it('makes the CloudWatch and ACM clients on first use: same settings, one client each, real SDK calls', async () => {
    const cloud = createCloud({ clock: new ManualClock(Date.UTC(2026, 10, 23, 9, 0, 0)), log: () => {} });
    const aws = clientsForCloud(cloud, { region: 'eu-west-1' });
    expect(aws.cloudwatch.settings).toMatchObject({ region: 'eu-west-1', endpoint: 'http://localhost' });
    await aws.cloudwatch.send(
      new PutMetricAlarmCommand({ AlarmName: 'errors', Namespace: 'AWS/ElasticBeanstalk', MetricName: 'ApplicationRequests5xx', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' }),
    );
    const { MetricAlarms } = await aws.cloudwatch.send(new DescribeAlarmsCommand({}));
    expect(MetricAlarms?.map((a) => a.AlarmName)).toEqual(['errors']);
    const client = await aws.cloudwatch.load();
    expect(client).toBeInstanceOf(CloudWatchClient);
    expect(await aws.cloudwatch.load()).toBe(client);
    expect(await client.config.region()).toBe('eu-west-1');
    expect(await aws.acm.load()).toBeInstanceOf(ACMClient);
    expect((await aws.acm.send(new ListCertificatesCommand({}))).CertificateSummaryList).toEqual([]);
  });

  it('talks to the in-process cloud and follows its manual clock', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 9, 0, 0));
    const cloud = createCloud({ clock, log: () => {} });
    const aws = clientsForCloud(cloud, { region: 'eu-west-1' });
    expect(aws.region).toBe('eu-west-1');
    await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'PetTracker' }));
    const apps = await aws.eb.send(new DescribeApplicationsCommand({}));
    expect(apps.Applications?.map((a) => a.ApplicationName)).toEqual(['PetTracker']);
    // Regions are separate: the application lives in eu-west-1 only.
    const elsewhere = await clientsForCloud(cloud, { region: 'us-east-1' }).eb.send(new DescribeApplicationsCommand({}));
    expect(elsewhere.Applications).toEqual([]);
    const before = aws.now();
    await aws.sleep(60_000);
    expect(aws.now() - before).toBe(60_000);
    expect(clock.now()).toBe(aws.now());
  });

  it('offers sandbox control in-process, keyed by the access key account', async () => {
    const cloud = createCloud({ clock: new ManualClock(), log: () => {} });
    const aws = clientsForCloud(cloud);
    const health = await aws.sandbox!.health();
    expect(health.services).toMatchObject({ elasticbeanstalk: 'running', s3: 'running', sts: 'running' });
    await aws.s3.send(new CreateBucketCommand({ Bucket: 'kept' }));
    const state = await aws.sandbox!.state();
    await aws.sandbox!.reset();
    expect((await aws.s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    await aws.sandbox!.restore(state);
    expect((await aws.s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual(['kept']);
    const error = await aws.sandbox!.restore({ format: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxControlError);
    expect((error as SandboxControlError).message).toContain('format "nope"');
    const missing = await aws.sandbox!.timeline('').catch((e: unknown) => e);
    expect((missing as SandboxControlError).code).toBe('MissingParameter');
  });
});

describe('clientsForEndpoint', () => {
  let server: CloudServer;
  beforeAll(async () => {
    server = await startCloudServer({ cloud: createCloud({ clock: new ManualClock(), log: () => {} }), port: 0 });
  });
  afterAll(() => server.close());

  it('reaches a server over HTTP with test credentials, path-style S3 and sandbox control', async () => {
    const aws = clientsForEndpoint({ endpoint: `${server.url}/`, region: 'us-east-1' });
    expect((await aws.sts.send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
    await aws.s3.send(new CreateBucketCommand({ Bucket: 'over-http' }));
    expect((await aws.s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual(['over-http']);
    expect((await aws.sandbox!.health()).edition).toBe('community');
    const t = aws.now();
    expect(Math.abs(t - Date.now())).toBeLessThan(1000);
  });

  it('uses per-service endpoints and has no sandbox control for real AWS', async () => {
    const aws = clientsForEndpoint({ endpoints: { sts: server.url }, region: 'us-east-1' });
    expect((await aws.sts.send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
    expect(clientsForEndpoint({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }).sandbox).toBeNull();
    expect(() => clientsForEndpoint({ endpoint: 'localhost:4566', region: 'us-east-1' })).toThrow(/Endpoint 'localhost:4566' must start with http/);
    expect(() => clientsForEndpoint({ endpoint: 'not a url', region: 'us-east-1' })).toThrow(/is not a URL/);
  });

  it('reads the AWS CLI environment variables', async () => {
    const aws = clientsFromEnvironment({ AWS_ENDPOINT_URL: server.url, AWS_ACCESS_KEY_ID: '123456789012', AWS_SECRET_ACCESS_KEY: 'x', AWS_DEFAULT_REGION: 'eu-central-1' });
    expect(aws.region).toBe('eu-central-1');
    expect((await aws.sts.send(new GetCallerIdentityCommand({}))).Account).toBe('123456789012');
    expect(clientsFromEnvironment({ AWS_ENDPOINT_URL_S3: server.url }).region).toBe('us-east-1');
    expect(() => clientsFromEnvironment({ AWS_ENDPOINT_URL: server.url, AWS_ACCESS_KEY_ID: 'x' })).toThrow(/AWS_SECRET_ACCESS_KEY is not set/);
    expect(() => clientsFromEnvironment({})).toThrow(/No AWS region/);
    expect(() => clientsFromEnvironment({ AWS_ENDPOINT_URL: 'ftp://x' })).toThrow(/must start with http/);
  });
});

describe('~/.aws profiles (Node only)', () => {
  it('reads credentials, region and endpoint from the shared files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-profile-'));
    const credentials = join(dir, 'credentials');
    const config = join(dir, 'config');
    writeFileSync(credentials, '[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s1\n\n[lab] # comment\naws_access_key_id=210987654321\naws_secret_access_key=s2\n');
    writeFileSync(config, '[default]\nregion = us-west-2\n[profile lab]\nregion = ap-southeast-2\nendpoint_url = http://127.0.0.1:4566\n');
    expect(parseAwsIni(readFileSync(config, 'utf8')).get('profile lab')).toEqual({ region: 'ap-southeast-2', endpoint_url: 'http://127.0.0.1:4566' });
    const env = { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config };
    expect(readAwsProfile('lab', env)).toEqual({ credentials: { accessKeyId: '210987654321', secretAccessKey: 's2' }, region: 'ap-southeast-2', endpointUrl: 'http://127.0.0.1:4566' });
    expect(readAwsProfile('missing', env)).toBeUndefined();
    const aws = clientsFromNodeEnvironment({ ...env, AWS_PROFILE: 'lab' });
    expect(aws.region).toBe('ap-southeast-2');
    expect(aws.sandbox).not.toBeNull();
    expect(await aws.s3.config.credentials()).toMatchObject({ accessKeyId: '210987654321' });
    expect(() => clientsFromNodeEnvironment({ ...env, AWS_PROFILE: 'typo' })).toThrow(/AWS_PROFILE is 'typo', but no profile of that name/);
  });
});

describe('browser safety', () => {
  it('keeps node: imports out of the modules browsers load', () => {
    for (const file of ['index.ts', 'cloud-request-handler.ts', 'sandbox-control.ts']) {
      const source = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
      expect(source, file).not.toMatch(/from ['"]node:|require\(|from ['"]\.\/aws-profile/);
    }
  });
});
