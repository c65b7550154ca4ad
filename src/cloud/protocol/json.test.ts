// The AWS JSON protocol against the SDK: ACM's requests parse, our results and errors read back.
import { describe, expect, it } from 'vitest';
import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand, ResourceNotFoundException } from '@aws-sdk/client-acm';
import { CloudRequestHandler } from '../../aws/cloud-request-handler.ts';
import type { RequestContext } from '../services/service.ts';
import { AwsError } from './errors.ts';
import { parseJsonRequest, serializeJsonError, serializeJsonResult, type JsonService } from './json.ts';

const acmLike: JsonService = {
  signingName: 'acm',
  targetPrefix: 'CertificateManager',
  async handle(operation, input) {
    if (operation === 'ListCertificates') return { CertificateSummaryList: [{ CertificateArn: 'arn:1', DomainName: 'pettracker.example', CreatedAt: new Date('2026-11-23T09:00:00Z') }], echo: input };
    throw new AwsError('ResourceNotFoundException', `Could not find certificate ${String(input['CertificateArn'])}.`);
  },
};

function client() {
  const ctx: RequestContext = { accountId: '000000000000', region: 'us-east-1', requestId: 'json-1', now: 0 };
  const seen: unknown[] = [];
  const acm = new ACMClient({
    region: 'us-east-1',
    endpoint: 'http://sandbox.localhost',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: new CloudRequestHandler({
      async handle(req) {
        const parsed = parseJsonRequest(acmLike, req.headers, req.body);
        seen.push(parsed);
        const headers = { 'content-type': parsed.contentType, 'x-amzn-requestid': ctx.requestId };
        try {
          const result = await acmLike.handle(parsed.operation, parsed.input, ctx);
          return { status: 200, headers, body: new TextEncoder().encode(serializeJsonResult(result)) };
        } catch (err) {
          const e = err as AwsError;
          return { status: e.status, headers: { ...headers, 'x-amzn-errortype': e.code }, body: new TextEncoder().encode(serializeJsonError(e)) };
        }
      },
    }),
  });
  return { acm, seen };
}

describe('AWS JSON protocol', () => {
  it('parses the operation and input the SDK sends, and the SDK reads our result with epoch-second dates', async () => {
    const { acm, seen } = client();
    const out = await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['ISSUED'], MaxItems: 5 }));
    expect(seen[0]).toEqual({ operation: 'ListCertificates', input: { CertificateStatuses: ['ISSUED'], MaxItems: 5 }, contentType: 'application/x-amz-json-1.1' });
    expect(out.CertificateSummaryList?.[0]).toMatchObject({ CertificateArn: 'arn:1', DomainName: 'pettracker.example', CreatedAt: new Date('2026-11-23T09:00:00Z') });
    expect(out.$metadata.requestId).toBe('json-1');
  });

  it('gives the SDK modelled errors as their classes', async () => {
    const err = await client().acm.send(new DescribeCertificateCommand({ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/x' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect((err as Error).message).toBe('Could not find certificate arn:aws:acm:us-east-1:000000000000:certificate/x.');
  });

  it('refuses a wrong target or a body that is not a JSON object', () => {
    expect(() => parseJsonRequest(acmLike, { 'x-amz-target': 'Other.ListCertificates' }, new Uint8Array())).toThrow(/does not name an operation of CertificateManager/);
    expect(() => parseJsonRequest(acmLike, { 'x-amz-target': 'CertificateManager.X' }, new TextEncoder().encode('[1]'))).toThrow(/must be a JSON object/);
    expect(() => parseJsonRequest(acmLike, { 'x-amz-target': 'CertificateManager.X' }, new TextEncoder().encode('{'))).toThrow(/not valid JSON/);
  });
});
