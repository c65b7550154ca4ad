// The production lab's certificate check on the cases its wrong answers do not reach: a certificate still
// pending validation, a wildcard or a SAN that covers www.pettracker.example, and a wildcard for another subdomain.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { InMemoryFs } from 'just-bash';
import { RequestCertificateCommand } from '@aws-sdk/client-acm';
import { TerminateEnvironmentCommand } from '@aws-sdk/client-elastic-beanstalk';
import { createCloud, ManualClock } from '../../src/cloud/index.ts';
import { clientsForCloud } from '../../src/aws/index.ts';
import { loadLabFromDir } from '../../src/course/lab-loader-node.ts';
import { applyPreset, type CheckContext } from '../../src/checks/index.ts';
import checks from './checks.ts';

const lab = await loadLabFromDir(join(import.meta.dirname));

function context() {
  const clock = new ManualClock();
  const clients = clientsForCloud(createCloud({ clock, log: () => undefined }), { region: 'us-east-1' });
  const ctx: CheckContext = { fs: new InMemoryFs(), workspaceDir: lab.workspaceDir, clients, lab, presetFinishedAt: clock.now(), presetVersions: new Map() };
  const request = (DomainName: string, SubjectAlternativeNames?: string[]) =>
    clients.acm.send(new RequestCertificateCommand({ DomainName, SubjectAlternativeNames, ValidationMethod: 'DNS' }));
  return { ctx, clock, clients, request };
}

const certificateIssued = (ctx: CheckContext) => checks['certificate-issued']({ domain: 'www.pettracker.example' }, ctx);

describe('certificate-issued', () => {
  it('says a certificate still pending validation is waiting for its DNS record, then passes once ACM issues it', async () => {
    const { ctx, clock, request } = context();
    await request('www.pettracker.example');
    const pending = await certificateIssued(ctx);
    expect(pending).toMatchObject({ pass: false, reason: 'pending-validation', hintLevel: 'concept' });
    expect(pending.evidence?.some((e) => /acm-validations\.aws\.$/.test(e.text) && e.source === 'the DNS record ACM waits for')).toBe(true);
    await clock.advance(61_000);
    expect(await certificateIssued(ctx)).toMatchObject({ pass: true });
  });

  it('accepts a wildcard or a subject alternative name for www, and not a wildcard for another subdomain', async () => {
    const { ctx, clock, request } = context();
    await request('*.shop.pettracker.example');
    await request('pettracker.example');
    await clock.advance(61_000);
    expect(await certificateIssued(ctx)).toMatchObject({ pass: false, reason: 'wrong-domain', hintLevel: 'fix' });

    await request('*.pettracker.example');
    await clock.advance(61_000);
    expect(await certificateIssued(ctx)).toMatchObject({ pass: true });

    const other = context();
    await other.request('pettracker.example', ['www.pettracker.example']);
    await other.clock.advance(61_000);
    expect(await certificateIssued(other.ctx)).toMatchObject({ pass: true });
  });

  it('nudges when there is no certificate at all', async () => {
    const { ctx } = context();
    expect(await certificateIssued(ctx)).toMatchObject({ pass: false, reason: 'no-certificate', hintLevel: 'nudge' });
  });
});

describe('staging-unchanged', () => {
  it('passes on the preset, and says so when staging was terminated instead of failing to read its settings', async () => {
    const { ctx, clock, clients } = context();
    await applyPreset(lab, clients);
    const params = lab.manifest.checks.find((c) => c.id === 'staging-unchanged')!.params;
    expect(await checks['staging-unchanged'](params, ctx)).toMatchObject({ pass: true });
    await clients.eb.send(new TerminateEnvironmentCommand({ EnvironmentName: 'pettracker-web-staging' }));
    await clock.advance(10 * 60_000);
    expect(await checks['staging-unchanged'](params, ctx).catch((e: { outcome?: unknown }) => e.outcome)).toMatchObject({ pass: false, reason: 'terminated', hintLevel: 'concept' });
  });
});
