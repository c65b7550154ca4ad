// S3 over REST-XML, path style (reference §1.5): turns HTTP requests into S3Service calls and their
// results into S3's headers and XML, errors into S3's `<Error>` document (no body for HEAD).
import type { CloudRequest, CloudResponse } from '../http.ts';
import type { RequestContext } from '../services/service.ts';
import type { ObjectAttributes, S3Object, S3Service } from '../services/s3/s3-service.ts';
import { STORED_HEADERS } from '../services/s3/s3-service.ts';
import { decodeAwsChunked, isAwsChunked } from '../services/s3/aws-chunked.ts';
import { VERIFIABLE_CHECKSUMS, fromBase64, md5, toBase64 } from '../services/s3/checksums.ts';
import { AwsError } from './errors.ts';
import { XML_DECLARATION, asList, asText, escapeXml, isoTimestamp, parseRequestXml, writeElement, writeFlattened } from './xml.ts';

const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
const encoder = new TextEncoder();

/** Sub-resources of S3 the sandbox does not model; asking for them is answered with NotImplemented. */
const UNMODELLED_SUBRESOURCES = [
  'acl', 'analytics', 'accelerate', 'cors', 'encryption', 'intelligent-tiering', 'inventory', 'legal-hold',
  'lifecycle', 'logging', 'metrics', 'notification', 'object-lock', 'ownershipControls', 'policy',
  'policyStatus', 'publicAccessBlock', 'replication', 'requestPayment', 'restore', 'retention', 'select',
  'tagging', 'torrent', 'website', 'versions', 'attributes',
];

interface S3Call {
  method: string;
  bucket: string;
  key: string;
  query: Map<string, string>;
  headers: Record<string, string>;
  body: Uint8Array;
  ctx: RequestContext;
}

function parseS3Query(raw: string): Map<string, string> {
  const query = new Map<string, string>();
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    query.set(decodeUri(eq === -1 ? part : part.slice(0, eq)), eq === -1 ? '' : decodeUri(part.slice(eq + 1)));
  }
  return query;
}

function decodeUri(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new AwsError('InvalidURI', "Couldn't parse the specified URI.", 400);
  }
}

function decodePathKey(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AwsError('InvalidURI', "Couldn't parse the specified URI.", 400);
  }
}

function xml(status: number, rootName: string, content: Record<string, unknown> | string[], headers: Record<string, string> = {}): CloudResponse {
  const out: string[] = [XML_DECLARATION, `<${rootName} xmlns="${S3_NAMESPACE}">`];
  if (Array.isArray(content)) out.push(...content);
  else for (const [name, value] of Object.entries(content)) writeElement(name, value, out);
  out.push(`</${rootName}>`);
  return { status, headers: { 'content-type': 'application/xml', ...headers }, body: encoder.encode(out.join('')) };
}

function empty(status: number, headers: Record<string, string> = {}): CloudResponse {
  return { status, headers, body: new Uint8Array(0) };
}

/** Serialises an AwsError as S3's `<Error>` document; HEAD responses carry no body, as on S3. */
export function serializeS3Error(error: AwsError, method: string, requestId: string, hostId: string): CloudResponse {
  const headers: Record<string, string> = { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId };
  if (method === 'HEAD') return { status: error.status, headers, body: new Uint8Array(0) };
  const out: string[] = [XML_DECLARATION, '<Error>'];
  writeElement('Code', error.code, out);
  writeElement('Message', error.message, out);
  for (const [name, value] of Object.entries(error.extra)) writeElement(name, value, out);
  writeElement('RequestId', requestId, out);
  writeElement('HostId', hostId, out);
  out.push('</Error>');
  return { status: error.status, headers: { ...headers, 'content-type': 'application/xml' }, body: encoder.encode(out.join('')) };
}

/** Virtual-hosted style on a local endpoint: `<bucket>.localhost:4566` (path style is the default). */
const VIRTUAL_HOST = /^([a-z0-9][a-z0-9.-]*[a-z0-9])\.(?:s3\.)?localhost(?::\d+)?$/;

/** Answers one S3 request. Throws AwsError for S3 errors (the caller serialises them). */
export function handleS3Request(req: CloudRequest, s3: S3Service, ctx: RequestContext): CloudResponse {
  const virtualBucket = VIRTUAL_HOST.exec((req.headers['host'] ?? '').toLowerCase())?.[1];
  const rawPath = req.path.startsWith('/') ? req.path.slice(1) : req.path;
  const path = virtualBucket && virtualBucket !== 's3' ? `${encodeURIComponent(virtualBucket)}/${rawPath}` : rawPath;
  const slash = path.indexOf('/');
  const bucket = decodePathKey(slash === -1 ? path : path.slice(0, slash));
  const key = slash === -1 ? '' : decodePathKey(path.slice(slash + 1));
  const call: S3Call = { method: req.method.toUpperCase(), bucket, key, query: parseS3Query(req.query), headers: req.headers, body: req.body, ctx };
  for (const name of UNMODELLED_SUBRESOURCES) {
    if (call.query.has(name)) {
      throw new AwsError('NotImplemented', `A header or query you provided implies functionality that is not implemented: the sandbox S3 does not model '?${name}'.`, 501, 'Receiver', { Header: name });
    }
  }
  if (bucket === '') return serviceOperation(call, s3);
  if (key === '') return bucketOperation(call, s3);
  return objectOperation(call, s3);
}

function methodNotAllowed(call: S3Call, resource: string): AwsError {
  return new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, 'Sender', {
    Method: call.method,
    ResourceType: resource,
  });
}

function serviceOperation(call: S3Call, s3: S3Service): CloudResponse {
  if (call.method !== 'GET') throw methodNotAllowed(call, 'SERVICE');
  const buckets = s3.listBuckets(call.ctx).map((b) => ({ Name: b.name, CreationDate: isoTimestamp(b.created), BucketRegion: b.region }));
  return listBucketsXml(call, buckets);
}

function listBucketsXml(call: S3Call, buckets: Array<Record<string, string>>): CloudResponse {
  const out: string[] = [];
  writeElement('Owner', { ID: ownerId(call.ctx.accountId), DisplayName: 'sandbox' }, out);
  out.push('<Buckets>');
  writeFlattened('Bucket', buckets, out);
  out.push('</Buckets>');
  return xml(200, 'ListAllMyBucketsResult', out);
}

function ownerId(accountId: string): string {
  return toHexString(md5(encoder.encode(`sandbox-owner-${accountId}`))).repeat(2);
}

function toHexString(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function bucketOperation(call: S3Call, s3: S3Service): CloudResponse {
  const { ctx, bucket } = call;
  switch (call.method) {
    case 'PUT': {
      let locationConstraint: string | undefined;
      const text = new TextDecoder().decode(requestBody(call)).trim();
      if (text !== '') {
        const doc = parseRequestXml(text);
        const config = doc['CreateBucketConfiguration'];
        if (typeof config !== 'object' || config === null) {
          throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
        }
        locationConstraint = asText((config as Record<string, unknown>)['LocationConstraint']) || undefined;
      }
      s3.createBucket(ctx, bucket, locationConstraint);
      return empty(200, { location: `/${bucket}` });
    }
    case 'HEAD': {
      const summary = s3.headBucket(ctx, bucket);
      return empty(200, { 'x-amz-bucket-region': summary.region });
    }
    case 'DELETE':
      s3.deleteBucket(ctx, bucket);
      return empty(204);
    case 'POST':
      if (call.query.has('delete')) return deleteObjects(call, s3);
      throw methodNotAllowed(call, 'BUCKET');
    case 'GET': {
      if (call.query.has('location')) {
        const region = s3.headBucket(ctx, bucket).region;
        return { status: 200, headers: { 'content-type': 'application/xml' }, body: encoder.encode(`${XML_DECLARATION}<LocationConstraint xmlns="${S3_NAMESPACE}">${region === 'us-east-1' ? '' : escapeXml(region)}</LocationConstraint>`) };
      }
      if (call.query.has('versioning')) {
        s3.headBucket(ctx, bucket);
        return xml(200, 'VersioningConfiguration', {});
      }
      if (call.query.has('uploads')) {
        throw new AwsError('NotImplemented', 'A header or query you provided implies functionality that is not implemented: the sandbox S3 does not list multipart uploads.', 501, 'Receiver');
      }
      return listObjects(call, s3, call.query.get('list-type') === '2');
    }
    default:
      throw methodNotAllowed(call, 'BUCKET');
  }
}

function parseMaxKeys(call: S3Call, name: string): number {
  const raw = call.query.get(name);
  if (raw === undefined || raw === '') return 1000;
  if (!/^\d+$/.test(raw)) {
    throw new AwsError('InvalidArgument', `Provided ${name} not an integer or within integer range`, 400, 'Sender', { ArgumentName: name, ArgumentValue: raw });
  }
  return Math.min(1000, Number(raw));
}

function listObjects(call: S3Call, s3: S3Service, v2: boolean): CloudResponse {
  const prefix = call.query.get('prefix') ?? '';
  const delimiter = call.query.get('delimiter') ?? '';
  const maxKeys = parseMaxKeys(call, 'max-keys');
  const encodingType = call.query.get('encoding-type');
  if (encodingType !== undefined && encodingType !== 'url') {
    throw new AwsError('InvalidArgument', 'Invalid Encoding Method specified in Request', 400, 'Sender', { ArgumentName: 'encoding-type', ArgumentValue: encodingType });
  }
  const encode = (text: string) => (encodingType === 'url' ? encodeURIComponent(text).replace(/%2F/g, '/') : text);
  const token = call.query.get('continuation-token');
  let after = v2 ? call.query.get('start-after') ?? '' : call.query.get('marker') ?? '';
  if (v2 && token !== undefined) {
    const decoded = fromBase64(token);
    const text = decoded ? new TextDecoder().decode(decoded) : undefined;
    if (!text || !text.startsWith('k:')) {
      throw new AwsError('InvalidArgument', 'The continuation token provided is incorrect', 400, 'Sender', { ArgumentName: 'continuation-token' });
    }
    after = text.slice(2);
  }
  const page = s3.listObjects(call.ctx, call.bucket, { prefix, delimiter, maxKeys, after });
  const out: string[] = [];
  writeElement('Name', call.bucket, out);
  writeElement('Prefix', encode(prefix), out);
  if (v2) {
    if (token !== undefined) writeElement('ContinuationToken', token, out);
    if (page.isTruncated && page.last !== undefined) writeElement('NextContinuationToken', toBase64(encoder.encode(`k:${page.last}`)), out);
    writeElement('KeyCount', page.objects.length + page.commonPrefixes.length, out);
    if (call.query.has('start-after')) writeElement('StartAfter', encode(call.query.get('start-after')!), out);
  } else {
    writeElement('Marker', encode(call.query.get('marker') ?? ''), out);
    if (page.isTruncated && delimiter && page.last !== undefined) writeElement('NextMarker', encode(page.last), out);
  }
  writeElement('MaxKeys', maxKeys, out);
  if (delimiter) writeElement('Delimiter', encode(delimiter), out);
  if (encodingType) writeElement('EncodingType', encodingType, out);
  writeElement('IsTruncated', page.isTruncated, out);
  writeFlattened(
    'Contents',
    page.objects.map((o) => ({ Key: encode(o.key), LastModified: isoTimestamp(o.lastModified), ETag: o.etag, Size: o.body.length, StorageClass: 'STANDARD' })),
    out,
  );
  writeFlattened('CommonPrefixes', page.commonPrefixes.map((p) => ({ Prefix: encode(p) })), out);
  return xml(200, 'ListBucketResult', out);
}

function deleteObjects(call: S3Call, s3: S3Service): CloudResponse {
  const body = requestBody(call);
  const doc = parseRequestXml(new TextDecoder().decode(body));
  const root = doc['Delete'];
  if (typeof root !== 'object' || root === null) {
    throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  }
  const entries = asList((root as Record<string, unknown>)['Object']);
  if (entries.length === 0 || entries.length > 1000) {
    throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  }
  const quiet = asText((root as Record<string, unknown>)['Quiet']) === 'true';
  s3.headBucket(call.ctx, call.bucket);
  const out: string[] = [];
  for (const entry of entries) {
    const key = typeof entry === 'object' && entry !== null ? asText((entry as Record<string, unknown>)['Key']) : undefined;
    if (!key) {
      throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
    }
    try {
      s3.removeObject(call.ctx, call.bucket, key);
      if (!quiet) writeElement('Deleted', { Key: key }, out);
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      writeElement('Error', { Key: key, Code: err.code, Message: err.message }, out);
    }
  }
  return xml(200, 'DeleteResult', out);
}

/** The stored attributes a PUT, POST ?uploads or REPLACE copy sets: content headers and `x-amz-meta-*`. */
function attributesFrom(headers: Record<string, string>): ObjectAttributes {
  const stored: Record<string, string> = {};
  for (const name of STORED_HEADERS) if (headers[name] !== undefined) stored[name] = headers[name];
  // aws-chunked is a transfer detail, not the object's encoding.
  if (stored['content-encoding']) {
    const rest = stored['content-encoding'].split(',').map((e) => e.trim()).filter((e) => e && e !== 'aws-chunked');
    if (rest.length) stored['content-encoding'] = rest.join(',');
    else delete stored['content-encoding'];
  }
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (name.startsWith('x-amz-meta-')) metadata[name.slice(11)] = value;
  return { headers: stored, metadata };
}

/**
 * The request payload with aws-chunked framing removed and every checksum the client sent verified:
 * `x-amz-decoded-content-length`, `Content-MD5`, and `x-amz-checksum-crc32`/`crc32c` (header or trailer).
 */
function requestBody(call: S3Call): Uint8Array {
  let body = call.body;
  let checksums: Record<string, string> = call.headers;
  if (isAwsChunked(call.headers)) {
    const decoded = decodeAwsChunked(body);
    body = decoded.body;
    checksums = { ...call.headers, ...decoded.trailers };
    const declared = call.headers['x-amz-decoded-content-length'];
    if (declared !== undefined && Number(declared) !== body.length) {
      throw new AwsError('IncompleteBody', `You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header (${declared.slice(0, 20)} declared, ${body.length} received).`, 400);
    }
  }
  const contentMd5 = call.headers['content-md5'];
  if (contentMd5 !== undefined) {
    const expected = fromBase64(contentMd5);
    if (!expected || expected.length !== 16) throw new AwsError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, 'Sender', { 'Content-MD5': contentMd5 });
    if (toBase64(md5(body)) !== toBase64(expected)) {
      throw new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, 'Sender', { ExpectedDigest: contentMd5 });
    }
  }
  for (const [algorithm, digest] of Object.entries(VERIFIABLE_CHECKSUMS)) {
    const sent = checksums[`x-amz-checksum-${algorithm}`];
    if (sent === undefined) continue;
    if (toBase64(digest(body)) !== sent.trim()) {
      throw new AwsError('BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`, 400);
    }
  }
  return body;
}

function objectHeaders(object: S3Object): Record<string, string> {
  const headers: Record<string, string> = {
    ...object.headers,
    etag: object.etag,
    'last-modified': new Date(object.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
  };
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
  return headers;
}

/** Parses a single `bytes=` range against a size; undefined means "the whole object". */
function parseRange(header: string | undefined, size: number): [number, number] | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw invalidRange(size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== '' && Number(match[2]) < start) return undefined;
  }
  if (start >= size) throw invalidRange(size);
  return [start, end];
}

function invalidRange(size: number): AwsError {
  return new AwsError('InvalidRange', 'The requested range is not satisfiable', 416, 'Sender', { ActualObjectSize: String(size) });
}

function uploadIdOf(call: S3Call): string | undefined {
  return call.query.get('uploadId');
}

function objectOperation(call: S3Call, s3: S3Service): CloudResponse {
  const { ctx, bucket, key } = call;
  const uploadId = uploadIdOf(call);
  switch (call.method) {
    case 'PUT': {
      if (uploadId !== undefined) {
        if (call.headers['x-amz-copy-source']) {
          throw new AwsError('NotImplemented', 'A header or query you provided implies functionality that is not implemented: the sandbox S3 does not support UploadPartCopy.', 501, 'Receiver');
        }
        const partNumber = Number(call.query.get('partNumber'));
        const etag = s3.uploadPart(ctx, bucket, key, uploadId, partNumber, requestBody(call));
        return empty(200, { etag });
      }
      if (call.headers['x-amz-copy-source']) return copyObject(call, s3);
      const object = s3.writeObject(ctx, bucket, key, requestBody(call), attributesFrom(call.headers));
      return empty(200, { etag: object.etag });
    }
    case 'GET':
    case 'HEAD': {
      if (uploadId !== undefined && call.method === 'GET') return listParts(call, s3, uploadId);
      const object = s3.headObject(ctx, bucket, key);
      const ifMatch = call.headers['if-match'];
      if (ifMatch !== undefined && ifMatch !== '*' && !ifMatch.split(',').some((t) => t.trim() === object.etag)) {
        throw new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, 'Sender', { Condition: 'If-Match' });
      }
      const ifNoneMatch = call.headers['if-none-match'];
      if (ifNoneMatch !== undefined && (ifNoneMatch === '*' || ifNoneMatch.split(',').some((t) => t.trim() === object.etag))) {
        return empty(304, { etag: object.etag, 'last-modified': new Date(object.lastModified).toUTCString() });
      }
      const headers = objectHeaders(object);
      // GetObject's response-* parameters (presigned download links use them) override stored headers.
      for (const name of STORED_HEADERS) {
        const override = call.query.get(`response-${name}`);
        if (override !== undefined) headers[name] = override;
      }
      const range = parseRange(call.headers['range'], object.body.length);
      const body = range ? object.body.subarray(range[0], range[1] + 1) : object.body;
      headers['content-length'] = String(body.length);
      if (range) headers['content-range'] = `bytes ${range[0]}-${range[1]}/${object.body.length}`;
      return { status: range ? 206 : 200, headers, body: call.method === 'HEAD' ? new Uint8Array(0) : body };
    }
    case 'DELETE':
      if (uploadId !== undefined) {
        s3.abortMultipartUpload(ctx, bucket, key, uploadId);
        return empty(204);
      }
      s3.removeObject(ctx, bucket, key);
      return empty(204);
    case 'POST': {
      if (call.query.has('uploads')) {
        const id = s3.createMultipartUpload(ctx, bucket, key, attributesFrom(call.headers));
        return xml(200, 'InitiateMultipartUploadResult', { Bucket: bucket, Key: key, UploadId: id });
      }
      if (uploadId !== undefined) return completeMultipartUpload(call, s3, uploadId);
      throw methodNotAllowed(call, 'OBJECT');
    }
    default:
      throw methodNotAllowed(call, 'OBJECT');
  }
}

function copyObject(call: S3Call, s3: S3Service): CloudResponse {
  const raw = call.headers['x-amz-copy-source'].split('?')[0];
  const source = decodePathKey(raw.startsWith('/') ? raw.slice(1) : raw);
  const slash = source.indexOf('/');
  if (slash <= 0 || slash === source.length - 1) {
    throw new AwsError('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 400, 'Sender', {
      ArgumentName: 'x-amz-copy-source',
      ArgumentValue: call.headers['x-amz-copy-source'],
    });
  }
  const directive = (call.headers['x-amz-metadata-directive'] ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw new AwsError('InvalidArgument', 'Unknown metadata directive.', 400, 'Sender', { ArgumentName: 'x-amz-metadata-directive', ArgumentValue: directive });
  }
  const object = s3.copyObject(
    call.ctx,
    { bucket: source.slice(0, slash), key: source.slice(slash + 1) },
    call.bucket,
    call.key,
    directive === 'REPLACE' ? attributesFrom(call.headers) : undefined,
  );
  return xml(200, 'CopyObjectResult', { LastModified: isoTimestamp(object.lastModified), ETag: object.etag });
}

function listParts(call: S3Call, s3: S3Service, uploadId: string): CloudResponse {
  const parts = s3.listParts(call.ctx, call.bucket, call.key, uploadId);
  const out: string[] = [];
  writeElement('Bucket', call.bucket, out);
  writeElement('Key', call.key, out);
  writeElement('UploadId', uploadId, out);
  writeElement('MaxParts', 1000, out);
  writeElement('IsTruncated', false, out);
  writeFlattened('Part', parts.map((p) => ({ PartNumber: p.partNumber, LastModified: isoTimestamp(p.lastModified), ETag: p.etag, Size: p.body.length })), out);
  return xml(200, 'ListPartsResult', out);
}

function completeMultipartUpload(call: S3Call, s3: S3Service, uploadId: string): CloudResponse {
  const doc = parseRequestXml(new TextDecoder().decode(requestBody(call)));
  const root = doc['CompleteMultipartUpload'];
  if (typeof root !== 'object' || root === null) {
    throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  }
  const parts = asList((root as Record<string, unknown>)['Part']).map((entry) => {
    const fields = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const partNumber = Number(asText(fields['PartNumber']));
    const etag = asText(fields['ETag']);
    if (!Number.isInteger(partNumber) || etag === undefined) {
      throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
    }
    return { partNumber, etag };
  });
  const object = s3.completeMultipartUpload(call.ctx, call.bucket, call.key, uploadId, parts);
  return xml(200, 'CompleteMultipartUploadResult', {
    Location: `/${call.bucket}/${call.key}`,
    Bucket: call.bucket,
    Key: call.key,
    ETag: object.etag,
  });
}
