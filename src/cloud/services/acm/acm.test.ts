// ACM through the real JS SDK (AWS JSON 1.1) on a manual clock: DNS-validated requests that issue after
// the simulated validation, imports read from real openssl certificates, listing filters, tags, errors.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddTagsToCertificateCommand, DeleteCertificateCommand, DescribeCertificateCommand, GetCertificateCommand, ImportCertificateCommand,
  ListCertificatesCommand, ListTagsForCertificateCommand, RemoveTagsFromCertificateCommand, RequestCertificateCommand,
} from '@aws-sdk/client-acm';
import { ManualClock, createCloud } from '../../index.ts';
import { clientsForCloud } from '../../../aws/index.ts';
import { VALIDATION_DELAY_MS } from './acm-service.ts';
import { parseCertificate, pemBlocks } from './x509.ts';

/** Whole seconds, as X.509 validity is. */
const START = Math.floor(Date.now() / 1000) * 1000;

function setup() {
  const clock = new ManualClock(START);
  const cloud = createCloud({ clock });
  return { clock, cloud, acm: clientsForCloud(cloud).acm };
}

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A self-signed certificate made by openssl, the way a learner would make one. */
function makeCertificate(keyArgs: string[], subject: string, san: string): { cert: Uint8Array; key: Uint8Array } {
  const dir = mkdtempSync(join(tmpdir(), 'acm-test-'));
  execFileSync('openssl', ['req', '-x509', ...keyArgs, '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '30', '-subj', subject, '-addext', `subjectAltName=${san}`], { stdio: 'ignore' });
  return { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) };
}

describe('ACM requested certificates', () => {
  it('are PENDING_VALIDATION with a DNS record, then ISSUED after the simulated validation', async () => {
    const { clock, acm } = setup();
    const { CertificateArn } = await acm.send(new RequestCertificateCommand({
      DomainName: 'pettracker.example', SubjectAlternativeNames: ['*.pettracker.example'], ValidationMethod: 'DNS', Tags: [{ Key: 'env', Value: 'prod' }],
    }));
    expect(CertificateArn).toMatch(/^arn:aws:acm:us-east-1:000000000000:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    let { Certificate } = await acm.send(new DescribeCertificateCommand({ CertificateArn }));
    expect(Certificate).toMatchObject({ Status: 'PENDING_VALIDATION', Type: 'AMAZON_ISSUED', DomainName: 'pettracker.example', SubjectAlternativeNames: ['pettracker.example', '*.pettracker.example'], KeyAlgorithm: 'RSA_2048' });
    expect(Certificate?.DomainValidationOptions?.[1]).toMatchObject({ DomainName: '*.pettracker.example', ValidationMethod: 'DNS', ValidationStatus: 'PENDING_VALIDATION', ResourceRecord: { Type: 'CNAME', Name: expect.stringMatching(/^_[0-9a-f]{32}\.pettracker\.example\.$/), Value: expect.stringMatching(/\.acm-validations\.aws\.$/) } });
    await expect(acm.send(new GetCertificateCommand({ CertificateArn }))).rejects.toMatchObject({ name: 'RequestInProgressException' });
    expect((await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['ISSUED'] }))).CertificateSummaryList).toEqual([]);
    await clock.advance(VALIDATION_DELAY_MS);
    ({ Certificate } = await acm.send(new DescribeCertificateCommand({ CertificateArn })));
    expect(Certificate).toMatchObject({ Status: 'ISSUED', IssuedAt: new Date(START + VALIDATION_DELAY_MS), NotBefore: new Date(START + VALIDATION_DELAY_MS) });
    expect(Certificate?.DomainValidationOptions?.[0].ValidationStatus).toBe('SUCCESS');
    const issued = await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['ISSUED'] }));
    expect(issued.CertificateSummaryList?.map((c) => [c.CertificateArn, c.DomainName, c.Status, c.InUse])).toEqual([[CertificateArn, 'pettracker.example', 'ISSUED', false]]);
    expect((await acm.send(new ListTagsForCertificateCommand({ CertificateArn }))).Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    // The body is a real certificate for the requested names, signed by the sandbox authority in the chain.
    const body = await acm.send(new GetCertificateCommand({ CertificateArn }));
    const [der] = pemBlocks(body.Certificate ?? '', /^CERTIFICATE$/);
    expect(parseCertificate(der)).toMatchObject({
      commonName: 'pettracker.example', subjectAlternativeNames: ['pettracker.example', '*.pettracker.example'], keyAlgorithm: 'RSA_2048',
      signatureAlgorithm: 'SHA256WITHECDSA', notBefore: START + VALIDATION_DELAY_MS, issuer: 'O=Beanstalk Academy Sandbox,CN=Beanstalk Academy Sandbox CA (untrusted)',
    });
    expect((await acm.send(new GetCertificateCommand({ CertificateArn }))).Certificate).toBe(body.Certificate);
    if (hasOpenssl()) {
      const dir = mkdtempSync(join(tmpdir(), 'acm-verify-'));
      writeFileSync(join(dir, 'cert.pem'), body.Certificate ?? '');
      writeFileSync(join(dir, 'chain.pem'), body.CertificateChain ?? '');
      const verified = execFileSync('openssl', ['verify', '-no_check_time', '-CAfile', join(dir, 'chain.pem'), join(dir, 'cert.pem')], { encoding: 'utf8' });
      expect(verified).toContain('cert.pem: OK');
    }
  });

  it('answers the same ARN for a repeated idempotency token, lists EC keys only when asked, and deletes', async () => {
    const { acm } = setup();
    const first = await acm.send(new RequestCertificateCommand({ DomainName: 'api.pettracker.example', IdempotencyToken: 'launch1' }));
    const again = await acm.send(new RequestCertificateCommand({ DomainName: 'api.pettracker.example', IdempotencyToken: 'launch1' }));
    expect(again.CertificateArn).toBe(first.CertificateArn);
    await acm.send(new RequestCertificateCommand({ DomainName: 'ec.pettracker.example', KeyAlgorithm: 'EC_prime256v1' }));
    expect((await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList?.map((c) => c.DomainName)).toEqual(['api.pettracker.example']);
    const ec = await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['EC_prime256v1'] } }));
    expect(ec.CertificateSummaryList?.map((c) => c.DomainName)).toEqual(['ec.pettracker.example']);
    await acm.send(new DeleteCertificateCommand({ CertificateArn: first.CertificateArn }));
    await expect(acm.send(new DescribeCertificateCommand({ CertificateArn: first.CertificateArn }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: `Could not find certificate ${first.CertificateArn}.`,
    });
  });

  it('refuses bad requests with ACM error types', async () => {
    const { acm } = setup();
    await expect(acm.send(new RequestCertificateCommand({ DomainName: 'not a domain' }))).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining("Value 'not a domain' at 'domainName'") });
    await expect(acm.send(new RequestCertificateCommand({ DomainName: 'a.example', ValidationMethod: 'EMAIL' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(acm.send(new RequestCertificateCommand({ DomainName: 'a.example', Tags: [{ Key: 'aws:owner', Value: 'x' }] }))).rejects.toMatchObject({ name: 'InvalidTagException' });
    await expect(acm.send(new DescribeCertificateCommand({ CertificateArn: 'arn:aws:acm:eu-west-1:000000000000:certificate/abc' }))).rejects.toMatchObject({ name: 'InvalidArnException' });
    await expect(acm.send(new DescribeCertificateCommand({ CertificateArn: 'nonsense' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('keeps certificates through snapshot and restore', async () => {
    const { clock, cloud, acm } = setup();
    const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: 'pettracker.example' }));
    await clock.advance(VALIDATION_DELAY_MS);
    const body = await acm.send(new GetCertificateCommand({ CertificateArn }));
    const snapshot = JSON.parse(JSON.stringify(cloud.snapshot()));
    cloud.reset();
    expect((await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList).toEqual([]);
    cloud.restore(snapshot);
    expect((await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList?.map((c) => c.CertificateArn)).toEqual([CertificateArn]);
    expect(await acm.send(new GetCertificateCommand({ CertificateArn }))).toMatchObject({ Certificate: body.Certificate, CertificateChain: body.CertificateChain });
    expect(() => cloud.restore({ ...snapshot, services: { ...snapshot.services, acm: { certificates: [{}] } } })).toThrow('Cloud snapshot services.acm has a corrupt certificate.');
    expect((await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList).toHaveLength(1);
  });
});

describe.skipIf(!hasOpenssl())('ACM imported certificates (openssl-made)', () => {
  it('reads names, validity and algorithms from the PEM, returns it from GetCertificate, and re-imports in place', async () => {
    const { acm } = setup();
    const rsa = makeCertificate(['-newkey', 'rsa:2048'], '/O=PetTracker/CN=shop.pettracker.example', 'DNS:shop.pettracker.example,DNS:www.pettracker.example');
    const { CertificateArn } = await acm.send(new ImportCertificateCommand({ Certificate: rsa.cert, PrivateKey: rsa.key, Tags: [{ Key: 'team', Value: 'web' }] }));
    const { Certificate } = await acm.send(new DescribeCertificateCommand({ CertificateArn }));
    expect(Certificate).toMatchObject({
      Type: 'IMPORTED', Status: 'ISSUED', DomainName: 'shop.pettracker.example', SubjectAlternativeNames: ['shop.pettracker.example', 'www.pettracker.example'],
      KeyAlgorithm: 'RSA_2048', SignatureAlgorithm: 'SHA256WITHRSA', Subject: 'O=PetTracker,CN=shop.pettracker.example', Issuer: 'O=PetTracker,CN=shop.pettracker.example',
    });
    expect((Certificate?.NotAfter?.getTime() ?? 0) - (Certificate?.NotBefore?.getTime() ?? 0)).toBe(30 * 86_400_000);
    const got = await acm.send(new GetCertificateCommand({ CertificateArn }));
    expect(got.Certificate?.trim()).toBe(new TextDecoder().decode(rsa.cert).trim());
    const ec = makeCertificate(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'], '/CN=shop.pettracker.example', 'DNS:shop.pettracker.example');
    await acm.send(new ImportCertificateCommand({ CertificateArn, Certificate: ec.cert, PrivateKey: ec.key }));
    const again = await acm.send(new DescribeCertificateCommand({ CertificateArn }));
    expect(again.Certificate).toMatchObject({ KeyAlgorithm: 'EC_prime256v1', SignatureAlgorithm: 'SHA256WITHECDSA' });
    expect((await acm.send(new ListTagsForCertificateCommand({ CertificateArn }))).Tags).toEqual([{ Key: 'team', Value: 'web' }]);
    await acm.send(new AddTagsToCertificateCommand({ CertificateArn, Tags: [{ Key: 'team', Value: 'platform' }, { Key: 'cost', Value: 'shop' }] }));
    await acm.send(new RemoveTagsFromCertificateCommand({ CertificateArn, Tags: [{ Key: 'cost' }] }));
    expect((await acm.send(new ListTagsForCertificateCommand({ CertificateArn }))).Tags).toEqual([{ Key: 'team', Value: 'platform' }]);
  });

  it('refuses a truncated certificate, a missing key and a key-as-certificate with ValidationException', async () => {
    const { acm } = setup();
    const rsa = makeCertificate(['-newkey', 'rsa:2048'], '/CN=a.example', 'DNS:a.example');
    const text = new TextDecoder().decode(rsa.cert);
    const der = Buffer.from(text.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    const truncated = `-----BEGIN CERTIFICATE-----\n${der.subarray(0, 300).toString('base64')}\n-----END CERTIFICATE-----\n`;
    await expect(acm.send(new ImportCertificateCommand({ Certificate: new TextEncoder().encode(text.replace('MII', 'M*I')), PrivateKey: rsa.key }))).rejects.toMatchObject({ name: 'ValidationException', message: 'Could not parse the PEM: the CERTIFICATE block is not valid base64.' });
    await expect(acm.send(new ImportCertificateCommand({ Certificate: new TextEncoder().encode(truncated), PrivateKey: rsa.key }))).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('Could not parse the certificate') });
    await expect(acm.send(new ImportCertificateCommand({ Certificate: rsa.cert, PrivateKey: rsa.cert }))).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('private key') });
    await expect(acm.send(new ImportCertificateCommand({ Certificate: rsa.key, PrivateKey: rsa.key }))).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('exactly one PEM block') });
  });
});
