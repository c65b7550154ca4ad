// ACM over HTTP: the JS SDK and the AWS CLI against one server. CLI cases are skipped without `aws`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { DescribeCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { ManualClock, createCloud, type Cloud } from '../../index.ts';
import { startCloudServer, type CloudServer } from '../../server.ts';
import { clientsForEndpoint } from '../../../aws/index.ts';
import { VALIDATION_DELAY_MS } from './acm-service.ts';

const awsCli = await new Promise<boolean>((resolve) => execFile('aws', ['--version'], (error) => resolve(!error)));

function cli(server: CloudServer, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
  return new Promise((resolve) =>
    execFile('aws', ['--endpoint-url', server.url, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    ),
  );
}

describe('ACM over HTTP', () => {
  let cloud: Cloud;
  let clock: ManualClock;
  let server: CloudServer;
  let arn = '';
  beforeAll(async () => {
    clock = new ManualClock(Date.now());
    cloud = createCloud({ clock });
    server = await startCloudServer({ cloud, port: 0 });
  });
  afterAll(async () => {
    await server.close();
    cloud.dispose();
  });

  it('requests a certificate with the JS SDK and sees it issued after validation', async () => {
    const { acm } = clientsForEndpoint({ endpoint: server.url, region: 'us-east-1' });
    arn = (await acm.send(new RequestCertificateCommand({ DomainName: 'pettracker.example', ValidationMethod: 'DNS' }))).CertificateArn ?? '';
    await clock.advance(VALIDATION_DELAY_MS);
    expect((await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate?.Status).toBe('ISSUED');
  });

  it.skipIf(!awsCli)('answers the AWS CLI: list-certificates with a status filter, describe-certificate, errors', async () => {
    const listed = await cli(server, 'acm', 'list-certificates', '--certificate-statuses', 'ISSUED', '--output', 'json');
    expect(listed.stderr).toBe('');
    expect(JSON.parse(listed.stdout).CertificateSummaryList).toMatchObject([{ CertificateArn: arn, DomainName: 'pettracker.example', Status: 'ISSUED' }]);
    const missing = await cli(server, 'acm', 'describe-certificate', '--certificate-arn', arn.replace(/.{4}$/, '0000'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('An error occurred (ResourceNotFoundException) when calling the DescribeCertificate operation: Could not find certificate');
  });
});
