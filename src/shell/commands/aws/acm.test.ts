import { describe, it, expect } from 'vitest';
import { labShell } from '../../test/lab.ts';

describe('aws acm', () => {
  it('requests a DNS-validated certificate, waits for it and reads it', async () => {
    const { shell, clients } = await labShell();
    const requested = await shell.exec(
      'aws acm request-certificate --domain-name pettracker.example.com --validation-method DNS --subject-alternative-names www.pettracker.example.com api.pettracker.example.com',
    );
    expect(requested.exitCode).toBe(0);
    const arn = JSON.parse(requested.stdout).CertificateArn as string;
    expect(arn).toMatch(/^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/);
    expect(Object.keys(JSON.parse(requested.stdout))).toEqual(['CertificateArn']);

    const pending = JSON.parse((await shell.exec(`aws acm describe-certificate --certificate-arn ${arn}`)).stdout).Certificate;
    expect(pending).toMatchObject({ CertificateArn: arn, DomainName: 'pettracker.example.com', Status: 'PENDING_VALIDATION', Type: 'AMAZON_ISSUED' });
    expect(pending.SubjectAlternativeNames).toEqual(['pettracker.example.com', 'www.pettracker.example.com', 'api.pettracker.example.com']);
    expect(pending.DomainValidationOptions[0]).toMatchObject({ DomainName: 'pettracker.example.com', ValidationMethod: 'DNS', ValidationStatus: 'PENDING_VALIDATION' });
    expect(pending.DomainValidationOptions[0].ResourceRecord).toMatchObject({ Type: 'CNAME' });

    const before = clients.now();
    const waited = await shell.exec(`aws acm wait certificate-validated --certificate-arn ${arn}`);
    expect(waited).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    // The waiter polls every 60 s of cloud time, as botocore's does.
    expect((clients.now() - before) % 60_000).toBe(0);
    expect(clients.now() - before).toBeGreaterThanOrEqual(60_000);
    expect((await shell.exec(`aws acm describe-certificate --certificate-arn ${arn} --query Certificate.Status --output text`)).stdout).toBe('ISSUED\n');

    const pem = JSON.parse((await shell.exec(`aws acm get-certificate --certificate-arn ${arn}`)).stdout);
    expect(pem.Certificate).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(pem.CertificateChain).toMatch(/-----BEGIN CERTIFICATE-----/);

    const listed = await shell.exec("aws acm list-certificates --certificate-statuses ISSUED --query 'CertificateSummaryList[].[DomainName,Status]' --output text");
    expect(listed.stdout).toBe('pettracker.example.com\tISSUED\n');
    expect((await shell.exec("aws acm list-certificates --certificate-statuses PENDING_VALIDATION --query 'length(CertificateSummaryList)'")).stdout).toBe('0\n');

    const deleted = await shell.exec(`aws acm delete-certificate --certificate-arn ${arn}`);
    expect(deleted).toMatchObject({ exitCode: 0, stdout: '' });
    const gone = await shell.exec(`aws acm describe-certificate --certificate-arn ${arn}`);
    expect(gone.exitCode).toBe(254);
    expect(gone.stderr).toMatch(/^\nAn error occurred \(ResourceNotFoundException\) when calling the DescribeCertificate operation: /);
  });

  it('ends the waiter with the CLI’s failure line when the certificate does not exist', async () => {
    const { shell, clients } = await labShell();
    const arn = `arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555`;
    const before = clients.now();
    const r = await shell.exec(`aws acm wait certificate-validated --certificate-arn ${arn}`);
    expect(r.exitCode).toBe(255);
    expect(r.stderr).toBe('\nWaiter CertificateValidated failed: Waiter encountered a terminal failure state: Matched expected service error code: ResourceNotFoundException\n');
    expect(clients.now()).toBe(before);
  });

  it('reports command-line mistakes like the CLI', async () => {
    const { shell } = await labShell();
    const missing = await shell.exec('aws acm request-certificate --validation-method DNS');
    expect(missing.exitCode).toBe(252);
    expect(missing.stderr).toContain('aws: error: the following arguments are required: --domain-name');
    const noWaiter = await shell.exec('aws acm wait certificate-issued --certificate-arn x');
    expect(noWaiter.stderr).toContain('argument wait_name: Invalid choice, valid choices are:\n\ncertificate-validated');
    const waitArn = await shell.exec('aws acm wait certificate-validated');
    expect(waitArn.stderr).toContain('the following arguments are required: --certificate-arn');
    const invalid = await shell.exec('aws acm request-certificate --domain-name "not a domain" --validation-method DNS');
    expect(invalid.exitCode).toBe(254);
    expect(invalid.stderr).toMatch(/An error occurred \(ValidationException\) when calling the RequestCertificate operation: 1 validation error detected/);
    const help = await shell.exec('aws acm wait help');
    expect(help.stdout).toContain('aws acm wait certificate-validated --certificate-arn <arn>');
    expect((await shell.exec('aws acm request-certificate --help')).stdout).toContain('--subject-alternative-names <list>');
    expect((await shell.complete('aws acm wait ', 13)).candidates).toEqual(['certificate-validated']);
    expect((await shell.complete('aws acm re', 10)).candidates).toEqual(['remove-tags-from-certificate', 'request-certificate']);
  });
});
