// aws-chunked decoding (unsigned and signed chunk variants, trailers) and the digests S3 verifies.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { AwsError } from '../../protocol/errors.ts';
import { decodeAwsChunked, isAwsChunked } from './aws-chunked.ts';
import { crc32, crc32c, md5, toBase64, toHex } from './checksums.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('aws-chunked bodies', () => {
  it('decodes the SDK framing with a trailing checksum (reference §1.5 example)', () => {
    const decoded = decodeAwsChunked(bytes('1e\r\nPK-fake-zip-content-1234567890\r\n0\r\nx-amz-checksum-crc32:maiLSw==\r\n\r\n'));
    expect(new TextDecoder().decode(decoded.body)).toBe('PK-fake-zip-content-1234567890');
    expect(decoded.trailers).toEqual({ 'x-amz-checksum-crc32': 'maiLSw==' });
    expect(toBase64(crc32(decoded.body))).toBe('maiLSw==');
  });

  it('ignores chunk signatures of the signed streaming variants and joins many chunks', () => {
    const body = bytes('5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n0;chunk-signature=0\r\n\r\n');
    expect(new TextDecoder().decode(decodeAwsChunked(body).body)).toBe('hello world');
  });

  it('refuses broken framing with IncompleteBody, naming the problem', () => {
    for (const [text, problem] of [
      ['zz\r\nabc\r\n0\r\n\r\n', 'not a hexadecimal chunk size'],
      ['a\r\nabc\r\n0\r\n\r\n', 'shorter than its declared size'],
      ['3\r\nabcX\r\n0\r\n\r\n', 'not followed by CRLF'],
      ['3\r\nabc\r\n', 'not terminated by CRLF'],
      ['0\r\nno-colon\r\n\r\n', 'has no name'],
    ]) {
      try {
        decodeAwsChunked(bytes(text));
        expect.unreachable(text);
      } catch (err) {
        expect(err).toBeInstanceOf(AwsError);
        expect((err as AwsError).code).toBe('IncompleteBody');
        expect((err as AwsError).message).toContain(problem);
      }
    }
  });

  it('recognises aws-chunked by encoding or streaming payload hash', () => {
    expect(isAwsChunked({ 'content-encoding': 'gzip, aws-chunked' })).toBe(true);
    expect(isAwsChunked({ 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' })).toBe(true);
    expect(isAwsChunked({ 'content-encoding': 'gzip' })).toBe(false);
  });
});

describe('digests', () => {
  it('match node:crypto MD5 on edge-case lengths, and the known CRC32/CRC32C values', () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 100_003]) {
      const data = new Uint8Array(length).map((_, i) => (i * 31 + 7) & 0xff);
      expect(toHex(md5(data)), `length ${length}`).toBe(createHash('md5').update(data).digest('hex'));
    }
    expect(toBase64(crc32(bytes('hello world')))).toBe('DUoRhQ==');
    expect(toHex(crc32c(bytes('123456789')))).toBe('e3069283');
  });
});
