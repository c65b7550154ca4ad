// S3 request bodies read by the strict XML reader, end to end: what the real SDK writes is understood (including
// keys it escapes as character references), and what S3 refuses comes back as MalformedXML in S3's error envelope.
import { describe, expect, it } from 'vitest';
import { CreateBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { ManualClock } from '../clock.ts';
import { createCloud } from '../index.ts';
import { clientsForCloud } from '../../aws/index.ts';

const signed = { authorization: 'AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' };

describe('S3 XML request bodies', () => {
  it('deletes keys whose names the SDK escapes as character references (newlines, carriage returns, U+2028)', async () => {
    const cloud = createCloud({ clock: new ManualClock(), log: () => {} });
    const { s3 } = clientsForCloud(cloud);
    await s3.send(new CreateBucketCommand({ Bucket: 'odd-keys' }));
    const keys = ['line\nbreak', 'carriage\rreturn', 'sep\u2028arator', 'a & <b> "c"', 'emoji 😀', 'keep'];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: 'odd-keys', Key: key, Body: 'x' }));
    const deleted = await s3.send(
      new DeleteObjectsCommand({ Bucket: 'odd-keys', Delete: { Objects: keys.filter((key) => key !== 'keep').map((Key) => ({ Key })) } }),
    );
    expect(deleted.Errors ?? []).toEqual([]);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: 'odd-keys' }));
    expect(left.Contents?.map((object) => object.Key)).toEqual(['keep']);
  });

  it.each([
    ['a DTD with an entity', '<!DOCTYPE d [<!ENTITY x "keep">]><Delete><Object><Key>&x;</Key></Object></Delete>'],
    ['an unknown entity', '<Delete><Object><Key>&nbsp;</Key></Object></Delete>'],
    ['a second root element', '<Delete><Object><Key>keep</Key></Object></Delete><Delete/>'],
    ['mismatched end tags', '<Delete><Object><Key>keep</Object></Key></Delete>'],
    ['nesting 101 deep', `<Delete>${'<Object>'.repeat(100)}${'</Object>'.repeat(100)}</Delete>`],
  ])('answers MalformedXML to a Delete body with %s, and deletes nothing', async (_what, body) => {
    const cloud = createCloud({ clock: new ManualClock(), log: () => {} });
    await cloud.handle({ method: 'PUT', path: '/strict', query: '', headers: signed, body: new Uint8Array(0) });
    await cloud.handle({ method: 'PUT', path: '/strict/keep', query: '', headers: signed, body: new TextEncoder().encode('x') });
    const res = await cloud.handle({ method: 'POST', path: '/strict', query: 'delete', headers: signed, body: new TextEncoder().encode(body) });
    expect(res.status).toBe(400);
    const text = new TextDecoder().decode(res.body);
    expect(text).toContain('<Code>MalformedXML</Code>');
    expect(text).toContain('<Message>The XML you provided was not well-formed or did not validate against our published schema</Message>');
    const still = await cloud.handle({ method: 'HEAD', path: '/strict/keep', query: '', headers: signed, body: new Uint8Array(0) });
    expect(still.status).toBe(200);
  });
});
