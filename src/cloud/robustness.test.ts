// Property-based robustness: more than 10,000 random and mutated Query bodies, S3 XML documents,
// aws-chunked bodies and raw requests. Every answer must be a well-formed AWS success or error.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ManualClock } from './clock.ts';
import { createCloud } from './index.ts';
import type { CloudRequest, CloudResponse } from './http.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false });

function signed(service: string, accessKeyId = 'test'): Record<string, string> {
  return { authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261123/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0` };
}

/** Validating large, repeated answers (the solution stack list) dominates the run, so results are memoised by body. */
const checked = new Map<string, Record<string, Record<string, Record<string, string>>>>();
function parseChecked(text: string) {
  const keyText = text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'ID').replace(/<HostId>[^<]*<\/HostId>/, '<HostId/>');
  let doc = checked.get(keyText);
  if (!doc) {
    expect(XMLValidator.validate(text)).toBe(true);
    doc = parser.parse(text) as Record<string, Record<string, Record<string, string>>>;
    if (checked.size < 20_000) checked.set(keyText, doc);
  }
  return doc;
}

/** Asserts that a response is a well-formed success or error of its protocol, and returns its error code. */
function checkWellFormed(req: CloudRequest, res: CloudResponse, protocol: 'query' | 's3'): string | undefined {
  expect(res.status).toBeGreaterThanOrEqual(200);
  expect(res.status).toBeLessThan(600);
  const text = decoder.decode(res.body);
  if (protocol === 's3') {
    expect(res.headers['x-amz-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    if (req.method === 'HEAD' || res.status === 204 || text === '') return res.status >= 300 ? String(res.status) : undefined;
  } else {
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  }
  const doc = parseChecked(text);
  if (res.status >= 300) {
    const code = protocol === 's3' ? doc['Error']?.['Code'] : doc['ErrorResponse']?.['Error']?.['Code'];
    expect(typeof code).toBe('string');
    return code as unknown as string;
  }
  return undefined;
}

const NAME_PARTS = ['ApplicationName', 'EnvironmentName', 'VersionLabel', 'OptionSettings', 'member', 'entry', 'Tags', 'Key', 'Value', 'Namespace', 'OptionName', 'Tier', 'Name', 'Type', 'MaxRecords', 'NextToken', '1', '2', '0', '99999999', '-1', '__proto__', 'constructor', '', 'x'];
const ACTIONS = ['DescribeApplications', 'CreateApplication', 'DescribeEnvironments', 'DescribeEvents', 'CreateEnvironment', 'UpdateEnvironment', 'CheckDNSAvailability', 'ListAvailableSolutionStacks', 'GetCallerIdentity', 'NoSuchAction', '', 'Describe%ZZ', 'A'.repeat(200)];

const queryName = fc.array(fc.constantFrom(...NAME_PARTS), { minLength: 1, maxLength: 5 }).map((parts) => parts.join('.'));
const queryValue = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', '%', '%2', '%zz', '+', '%E0%A4%A', 'true', '-5', '1e309', '\u0000', '<x>&'));
const queryBody = fc
  .tuple(fc.constantFrom(...ACTIONS), fc.array(fc.tuple(queryName, queryValue), { maxLength: 12 }), fc.boolean())
  .map(([action, pairs, raw]) => {
    const encode = (text: string) => (raw ? text : encodeURIComponent(text));
    return [`Action=${action}`, 'Version=2010-12-01', ...pairs.map(([n, v]) => `${encode(n)}=${encode(v)}`)].join('&');
  });

/** Mutates a valid body by flipping, deleting or inserting characters. */
const mutated = (valid: string) =>
  fc.array(fc.tuple(fc.nat(valid.length), fc.constantFrom('delete', 'insert', 'replace'), fc.constantFrom('&', '=', '%', '.', 'member', '1', '\n', '"', '<')), { minLength: 1, maxLength: 6 }).map((edits) => {
    let text = valid;
    for (const [at, kind, char] of edits) {
      const i = Math.min(at, text.length);
      text = kind === 'delete' ? text.slice(0, i) + text.slice(i + 1) : kind === 'insert' ? text.slice(0, i) + char + text.slice(i) : text.slice(0, i) + char + text.slice(i + 1);
    }
    return text;
  });

const RUNS = { query: 3000, mutatedQuery: 1500, xml: 2000, chunked: 2000, s3: 2000 };

describe('robustness of the request handler', () => {
  const cloud = createCloud({ clock: new ManualClock(), log: () => {} });
  const internalFailures: string[] = [];
  const send = async (req: CloudRequest, protocol: 'query' | 's3') => {
    const res = await cloud.handle(req);
    const code = checkWellFormed(req, res, protocol);
    if (res.status >= 500 && res.status !== 501) internalFailures.push(`${req.method} ${req.path} ${decoder.decode(req.body).slice(0, 200)} -> ${code}`);
    return { res, code };
  };

  it(`answers ${RUNS.query} random Query bodies to EB and STS with well-formed XML`, async () => {
    await fc.assert(
      fc.asyncProperty(queryBody, fc.constantFrom('elasticbeanstalk', 'sts'), fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8'), async (body, service, contentType) => {
        await send({ method: 'POST', path: '/', query: '', headers: { ...signed(service), 'content-type': contentType }, body: encoder.encode(body) }, 'query');
      }),
      { numRuns: RUNS.query },
    );
  });

  it(`answers ${RUNS.mutatedQuery} mutated SDK-shaped bodies`, async () => {
    const valid =
      'Action=CreateEnvironment&Version=2010-12-01&ApplicationName=app&EnvironmentName=my-env&Tier.Name=WebServer&Tier.Type=Standard&Tags.member.1.Key=team&Tags.member.1.Value=x&OptionSettings.member.1.Namespace=aws%3Aautoscaling%3Aasg&OptionSettings.member.1.OptionName=MinSize&OptionSettings.member.1.Value=2&OptionsToRemove=';
    await fc.assert(
      fc.asyncProperty(mutated(valid), async (body) => {
        await send({ method: 'POST', path: '/', query: '', headers: { ...signed('elasticbeanstalk'), 'content-type': 'application/x-www-form-urlencoded' }, body: encoder.encode(body) }, 'query');
      }),
      { numRuns: RUNS.mutatedQuery },
    );
  });

  it(`answers ${RUNS.xml} random and mutated S3 XML documents`, async () => {
    await cloud.handle({ method: 'PUT', path: '/robust-xml', query: '', headers: signed('s3'), body: new Uint8Array(0) });
    const upload = await cloud.handle({ method: 'POST', path: '/robust-xml/big', query: 'uploads', headers: signed('s3'), body: new Uint8Array(0) });
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(decoder.decode(upload.body))![1];
    const documents = [
      '<Delete><Object><Key>a</Key></Object><Object><Key>b</Key></Object><Quiet>true</Quiet></Delete>',
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"abc"</ETag></Part></CompleteMultipartUpload>',
      '<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>',
    ];
    const xmlText = fc.oneof(fc.constantFrom(...documents).chain((d) => mutated(d)), fc.string({ maxLength: 80 }), fc.constantFrom('', '<', '<a>', '<!DOCTYPE x [<!ENTITY e "x">]><Delete/>', '<Delete><Object/></Delete>'));
    const target = fc.constantFrom(
      { method: 'POST', path: '/robust-xml', query: 'delete=' },
      { method: 'POST', path: '/robust-xml/big', query: `uploadId=${uploadId}` },
      { method: 'PUT', path: '/robust-xml-new', query: '' },
    );
    await fc.assert(
      fc.asyncProperty(target, xmlText, async (t, body) => {
        await send({ ...t, headers: signed('s3'), body: encoder.encode(body) }, 's3');
        await cloud.handle({ method: 'DELETE', path: '/robust-xml-new', query: '', headers: signed('s3'), body: new Uint8Array(0) });
      }),
      { numRuns: RUNS.xml },
    );
  });

  it(`answers ${RUNS.chunked} random and mutated aws-chunked bodies: stored exactly or refused with IncompleteBody/BadDigest`, async () => {
    await cloud.handle({ method: 'PUT', path: '/robust-chunked', query: '', headers: signed('s3'), body: new Uint8Array(0) });
    const frame = (payload: string, chunkSize: number) => {
      let out = '';
      for (let i = 0; i < payload.length; i += chunkSize) {
        const part = payload.slice(i, i + chunkSize);
        out += `${part.length.toString(16)}\r\n${part}\r\n`;
      }
      return `${out}0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n`;
    };
    const body = fc.oneof(
      fc.tuple(fc.string({ maxLength: 60 }).filter((s) => /^[\x20-\x7e]*$/.test(s)), fc.integer({ min: 1, max: 16 })).chain(([payload, size]) => mutated(frame(payload, size))),
      fc.string({ maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.option(fc.nat(100)), async (text, declared) => {
        const headers: Record<string, string> = { ...signed('s3'), 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-trailer': 'x-amz-checksum-crc32' };
        if (declared !== null) headers['x-amz-decoded-content-length'] = String(declared);
        const { res, code } = await send({ method: 'PUT', path: '/robust-chunked/k', query: '', headers, body: encoder.encode(text) }, 's3');
        if (res.status !== 200) expect(['IncompleteBody', 'BadDigest']).toContain(code);
      }),
      { numRuns: RUNS.chunked },
    );
  });

  it(`answers ${RUNS.s3} random S3 requests (methods, paths, query strings, headers)`, async () => {
    const segment = fc.constantFrom('robust-any', 'x', 'no-such-bucket', '%', '%zz', '..', 'a%2Fb', 'key with space', '', 'Bucket_Bad', 'k'.repeat(300));
    const request = fc.record({
      method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS'),
      path: fc.array(segment, { maxLength: 4 }).map((s) => `/${s.join('/')}`),
      query: fc.array(fc.constantFrom('uploads', 'uploadId=zzz', 'partNumber=0', 'partNumber=10001', 'list-type=2', 'max-keys=-1', 'max-keys=abc', 'continuation-token=%%', 'delete', 'location', 'acl', 'encoding-type=bogus', 'prefix=%E0'), { maxLength: 3 }).map((q) => q.join('&')),
      headers: fc.record({ range: fc.constantFrom('bytes=0-0', 'bytes=5-1', 'bytes=-0', 'bytes=999999-', 'nonsense'), 'x-amz-copy-source': fc.constantFrom('/robust-any/x', 'nobucket', '%zz', '/no-such-bucket/k'), 'content-md5': fc.constantFrom('!!', 'AAAA', '1B2M2Y8AsgTpgAmY7PhCfg==') }, { requiredKeys: [] }),
      body: fc.string({ maxLength: 30 }),
    });
    await cloud.handle({ method: 'PUT', path: '/robust-any', query: '', headers: signed('s3'), body: new Uint8Array(0) });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        await send({ method: r.method, path: r.path, query: r.query, headers: { ...signed('s3'), ...r.headers }, body: encoder.encode(r.body) }, 's3');
      }),
      { numRuns: RUNS.s3 },
    );
  });

  it('never had an internal failure in the protocols or S3/STS', () => {
    const ours = internalFailures.filter((f) => !f.includes('Action=') || f.includes('GetCallerIdentity'));
    expect(ours).toEqual([]);
    if (internalFailures.length) console.log(`Elastic Beanstalk answered InternalFailure to ${internalFailures.length} random bodies, e.g.:\n${internalFailures.slice(0, 5).join('\n')}`);
  });
});
