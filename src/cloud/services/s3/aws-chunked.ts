// Decodes `Content-Encoding: aws-chunked` bodies (the SDK's streaming uploads, reference §1.5):
// hex size lines (with an optional `;chunk-signature=`), data, a zero chunk, then trailer headers.
import { AwsError } from '../../protocol/errors.ts';

export interface DecodedChunkedBody {
  body: Uint8Array;
  /** Trailer headers in lower case, e.g. `x-amz-checksum-crc32`. */
  trailers: Record<string, string>;
}

const CR = 13;
const LF = 10;

function incomplete(detail: string): AwsError {
  return new AwsError('IncompleteBody', `The aws-chunked request body is malformed: ${detail}.`, 400);
}

/** Index of the next CRLF at or after `from`, or -1. */
function findLineEnd(data: Uint8Array, from: number): number {
  for (let i = from; i + 1 < data.length; i++) if (data[i] === CR && data[i + 1] === LF) return i;
  return -1;
}

const decoder = new TextDecoder();

/** Whether a request's body is aws-chunked (by encoding header or streaming content-sha256). */
export function isAwsChunked(headers: Record<string, string>): boolean {
  const encoding = headers['content-encoding'] ?? '';
  const sha = headers['x-amz-content-sha256'] ?? '';
  return encoding.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-');
}

/** Decodes an aws-chunked body; any framing error is S3's `IncompleteBody`, never an exception. */
export function decodeAwsChunked(data: Uint8Array): DecodedChunkedBody {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let pos = 0;
  for (;;) {
    const lineEnd = findLineEnd(data, pos);
    if (lineEnd === -1) throw incomplete('a chunk size line is not terminated by CRLF');
    const sizeText = decoder.decode(data.subarray(pos, lineEnd)).split(';')[0].trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) throw incomplete(`'${sizeText.slice(0, 20)}' is not a hexadecimal chunk size`);
    const size = parseInt(sizeText, 16);
    pos = lineEnd + 2;
    if (size === 0) break;
    if (pos + size + 2 > data.length) throw incomplete('a chunk is shorter than its declared size');
    if (data[pos + size] !== CR || data[pos + size + 1] !== LF) throw incomplete('a chunk is not followed by CRLF');
    chunks.push(data.subarray(pos, pos + size));
    total += size;
    pos += size + 2;
  }
  const trailers: Record<string, string> = {};
  while (pos < data.length) {
    const lineEnd = findLineEnd(data, pos);
    const line = decoder.decode(data.subarray(pos, lineEnd === -1 ? data.length : lineEnd));
    pos = lineEnd === -1 ? data.length : lineEnd + 2;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) throw incomplete(`the trailer line '${line.slice(0, 40)}' has no name`);
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return { body, trailers };
}
