// The sandbox's S3: buckets and objects per account, multipart uploads, listing with prefixes and
// delimiters, snapshot/restore; also the ObjectStore Elastic Beanstalk reads source bundles through.
// It never sees HTTP: protocol/s3-rest.ts turns requests into these calls.
import { AwsError } from '../../protocol/errors.ts';
import type { ObjectStore, RequestContext } from '../service.ts';
import { fromBase64, md5, toBase64, toHex } from './checksums.ts';

/** The largest object (and source bundle) the sandbox stores: EB's 512 MB bundle limit. */
export const MAX_OBJECT_BYTES = 512 * 1024 * 1024;
/** Every part of a multipart upload except the last must be at least this big (as on AWS). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_KEY_BYTES = 1024;

/** Headers S3 stores with an object and returns on GET/HEAD. */
export const STORED_HEADERS = ['content-type', 'content-encoding', 'content-disposition', 'content-language', 'cache-control', 'expires'] as const;

export interface S3Object {
  key: string;
  body: Uint8Array;
  /** Quoted, as S3 sends it: `"<md5hex>"` or `"<md5-of-md5s>-N"` for multipart. */
  etag: string;
  lastModified: number;
  /** Stored headers (`content-type`, `cache-control`, ...). */
  headers: Record<string, string>;
  /** User metadata, `x-amz-meta-` names without the prefix, lower case. */
  metadata: Record<string, string>;
}

export interface ObjectAttributes {
  headers: Record<string, string>;
  metadata: Record<string, string>;
}

interface UploadPart {
  partNumber: number;
  body: Uint8Array;
  etag: string;
  lastModified: number;
}

interface MultipartUpload {
  uploadId: string;
  key: string;
  initiated: number;
  attributes: ObjectAttributes;
  parts: Map<number, UploadPart>;
}

interface Bucket {
  name: string;
  accountId: string;
  region: string;
  created: number;
  objects: Map<string, S3Object>;
  uploads: Map<string, MultipartUpload>;
}

export interface BucketSummary {
  name: string;
  region: string;
  created: number;
}

export interface ListObjectsOptions {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  /** List keys strictly after this one (continuation token or StartAfter/Marker). */
  after: string;
}

export interface ListObjectsPage {
  objects: S3Object[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix returned, from which the next page continues. */
  last: string | undefined;
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
}

/** The JSON form of S3 state inside a cloud snapshot. */
export interface S3Snapshot {
  buckets: Array<{
    name: string;
    accountId: string;
    region: string;
    created: number;
    objects: Array<{ key: string; body: string; etag: string; lastModified: number; headers: Record<string, string>; metadata: Record<string, string> }>;
  }>;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function noSuchBucket(bucket: string): AwsError {
  return new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, 'Sender', { BucketName: bucket });
}

function quotedMd5(body: Uint8Array): string {
  return `"${toHex(md5(body))}"`;
}

export class S3Service implements ObjectStore {
  private buckets = new Map<string, Bucket>();
  private uploadCounter = 0;

  constructor(private readonly clock: { now(): number }) {}

  // ---- buckets ----

  listBuckets(ctx: RequestContext): BucketSummary[] {
    return [...this.buckets.values()]
      .filter((b) => b.accountId === ctx.accountId)
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((b) => ({ name: b.name, region: b.region, created: b.created }));
  }

  createBucket(ctx: RequestContext, name: string, locationConstraint?: string): void {
    if (!BUCKET_NAME.test(name) || name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) {
      throw new AwsError('InvalidBucketName', 'The specified bucket is not valid.', 400, 'Sender', { BucketName: name });
    }
    const region = locationConstraint || ctx.region;
    const existing = this.buckets.get(name);
    if (existing) {
      if (existing.accountId !== ctx.accountId) {
        throw new AwsError('BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', 409, 'Sender', { BucketName: name });
      }
      // us-east-1 answers 200 to the owner re-creating a bucket; other regions refuse (as AWS does).
      if (existing.region === 'us-east-1' && region === 'us-east-1') return;
      throw new AwsError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, 'Sender', { BucketName: name });
    }
    this.buckets.set(name, { name, accountId: ctx.accountId, region, created: ctx.now, objects: new Map(), uploads: new Map() });
  }

  headBucket(ctx: RequestContext, name: string): BucketSummary {
    const bucket = this.bucket(ctx, name);
    return { name: bucket.name, region: bucket.region, created: bucket.created };
  }

  deleteBucket(ctx: RequestContext, name: string): void {
    const bucket = this.bucket(ctx, name);
    if (bucket.objects.size > 0 || bucket.uploads.size > 0) {
      throw new AwsError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, 'Sender', { BucketName: name });
    }
    this.buckets.delete(name);
  }

  // ---- objects ----

  /** PutObject: stores an object in an existing bucket of the caller's account. */
  writeObject(ctx: RequestContext, bucketName: string, key: string, body: Uint8Array, attributes: ObjectAttributes): S3Object {
    return this.storeObject(ctx, bucketName, key, body, attributes);
  }

  /** ObjectStore, for Elastic Beanstalk (sample and log bundles): creates the bucket when needed. */
  putObject(accountId: string, region: string, bucketName: string, key: string, body: Uint8Array, contentType?: string): void {
    const ctx: RequestContext = { accountId, region, requestId: '', now: this.clock.now() };
    if (!this.buckets.has(bucketName)) this.createBucket(ctx, bucketName);
    this.storeObject(ctx, bucketName, key, body, { headers: contentType ? { 'content-type': contentType } : {}, metadata: {} });
  }

  private storeObject(ctx: RequestContext, bucketName: string, key: string, body: Uint8Array, attributes: ObjectAttributes, etag?: string): S3Object {
    const bucket = this.bucket(ctx, bucketName);
    checkKey(key);
    if (body.length > MAX_OBJECT_BYTES) {
      throw new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, 'Sender', {
        ProposedSize: String(body.length),
        MaxSizeAllowed: String(MAX_OBJECT_BYTES),
      });
    }
    const object: S3Object = {
      key,
      body,
      etag: etag ?? quotedMd5(body),
      lastModified: ctx.now,
      headers: { 'content-type': 'binary/octet-stream', ...attributes.headers },
      metadata: { ...attributes.metadata },
    };
    bucket.objects.set(key, object);
    return object;
  }

  headObject(ctx: RequestContext, bucketName: string, key: string): S3Object {
    return this.getStoredObject(ctx, bucketName, key);
  }

  getStoredObject(ctx: RequestContext, bucketName: string, key: string): S3Object {
    const object = this.bucket(ctx, bucketName).objects.get(key);
    if (!object) throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404, 'Sender', { Key: key });
    return object;
  }

  /** ObjectStore: bytes of an object the account can read, or undefined. */
  getObject(accountId: string, bucketName: string, key: string): Uint8Array | undefined {
    const bucket = this.buckets.get(bucketName);
    if (!bucket || bucket.accountId !== accountId) return undefined;
    return bucket.objects.get(key)?.body;
  }

  /** Deleting a missing key succeeds, as on S3. */
  removeObject(ctx: RequestContext, bucketName: string, key: string): void {
    this.bucket(ctx, bucketName).objects.delete(key);
  }

  /** ObjectStore: deletes an object of the account (EB's DeleteSourceBundle); true when it existed. */
  deleteObject(accountId: string, bucketName: string, key: string): boolean {
    const bucket = this.buckets.get(bucketName);
    if (!bucket || bucket.accountId !== accountId) return false;
    return bucket.objects.delete(key);
  }

  copyObject(
    ctx: RequestContext,
    source: { bucket: string; key: string },
    bucketName: string,
    key: string,
    replacement: ObjectAttributes | undefined,
  ): S3Object {
    const original = this.getStoredObject(ctx, source.bucket, source.key);
    if (!replacement && source.bucket === bucketName && source.key === key) {
      throw new AwsError(
        'InvalidRequest',
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        400,
      );
    }
    const attributes = replacement ?? { headers: original.headers, metadata: original.metadata };
    return this.storeObject(ctx, bucketName, key, original.body, attributes, original.etag);
  }

  listObjects(ctx: RequestContext, bucketName: string, options: ListObjectsOptions): ListObjectsPage {
    const bucket = this.bucket(ctx, bucketName);
    const keys = [...bucket.objects.keys()].filter((k) => k.startsWith(options.prefix) && compareKeys(k, options.after) > 0).sort(compareKeys);
    const page: ListObjectsPage = { objects: [], commonPrefixes: [], isTruncated: false, last: undefined };
    const seenPrefixes = new Set<string>();
    for (const key of keys) {
      let commonPrefix: string | undefined;
      if (options.delimiter) {
        const at = key.indexOf(options.delimiter, options.prefix.length);
        if (at !== -1) commonPrefix = key.slice(0, at + options.delimiter.length);
      }
      if (commonPrefix !== undefined && seenPrefixes.has(commonPrefix)) continue;
      // A continuation inside a common prefix skips the rest of that prefix.
      if (commonPrefix !== undefined && options.after.startsWith(commonPrefix)) continue;
      if (page.objects.length + page.commonPrefixes.length >= options.maxKeys) {
        page.isTruncated = true;
        break;
      }
      if (commonPrefix !== undefined) {
        seenPrefixes.add(commonPrefix);
        page.commonPrefixes.push(commonPrefix);
        page.last = commonPrefix;
      } else {
        page.objects.push(bucket.objects.get(key)!);
        page.last = key;
      }
    }
    return page;
  }

  // ---- multipart ----

  createMultipartUpload(ctx: RequestContext, bucketName: string, key: string, attributes: ObjectAttributes): string {
    const bucket = this.bucket(ctx, bucketName);
    checkKey(key);
    this.uploadCounter += 1;
    const uploadId = toHex(md5(new TextEncoder().encode(`${bucketName}/${key}/${ctx.now}/${this.uploadCounter}/${Math.random()}`))) + this.uploadCounter.toString(36);
    bucket.uploads.set(uploadId, { uploadId, key, initiated: ctx.now, attributes, parts: new Map() });
    return uploadId;
  }

  uploadPart(ctx: RequestContext, bucketName: string, key: string, uploadId: string, partNumber: number, body: Uint8Array): string {
    const upload = this.upload(ctx, bucketName, key, uploadId);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) {
      throw new AwsError('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', 400, 'Sender', {
        ArgumentName: 'partNumber',
        ArgumentValue: String(partNumber),
      });
    }
    const size = [...upload.parts.values()].reduce((sum, p) => (p.partNumber === partNumber ? sum : sum + p.body.length), 0);
    if (size + body.length > MAX_OBJECT_BYTES) {
      throw new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, 'Sender', { MaxSizeAllowed: String(MAX_OBJECT_BYTES) });
    }
    const etag = quotedMd5(body);
    upload.parts.set(partNumber, { partNumber, body, etag, lastModified: ctx.now });
    return etag;
  }

  listParts(ctx: RequestContext, bucketName: string, key: string, uploadId: string): UploadPart[] {
    return [...this.upload(ctx, bucketName, key, uploadId).parts.values()].sort((a, b) => a.partNumber - b.partNumber);
  }

  completeMultipartUpload(ctx: RequestContext, bucketName: string, key: string, uploadId: string, parts: CompletedPart[]): S3Object {
    const upload = this.upload(ctx, bucketName, key, uploadId);
    if (parts.length === 0) {
      throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
    }
    const chosen: UploadPart[] = [];
    for (let i = 0; i < parts.length; i++) {
      if (i > 0 && parts[i].partNumber <= parts[i - 1].partNumber) {
        throw new AwsError('InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', 400, 'Sender', { UploadId: uploadId });
      }
      const part = upload.parts.get(parts[i].partNumber);
      const wanted = parts[i].etag.replace(/"/g, '');
      if (!part || part.etag.replace(/"/g, '') !== wanted) {
        throw new AwsError('InvalidPart', "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", 400, 'Sender', {
          UploadId: uploadId,
          PartNumber: String(parts[i].partNumber),
          ETag: parts[i].etag,
        });
      }
      chosen.push(part);
    }
    for (let i = 0; i < chosen.length - 1; i++) {
      if (chosen[i].body.length < MIN_PART_BYTES) {
        throw new AwsError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', 400, 'Sender', {
          ProposedSize: String(chosen[i].body.length),
          MinSizeAllowed: String(MIN_PART_BYTES),
          PartNumber: String(chosen[i].partNumber),
          ETag: chosen[i].etag,
        });
      }
    }
    const total = chosen.reduce((sum, p) => sum + p.body.length, 0);
    const body = new Uint8Array(total);
    const digests = new Uint8Array(chosen.length * 16);
    let offset = 0;
    chosen.forEach((part, i) => {
      body.set(part.body, offset);
      offset += part.body.length;
      digests.set(md5(part.body), i * 16);
    });
    const etag = `"${toHex(md5(digests))}-${chosen.length}"`;
    const object = this.storeObject(ctx, bucketName, key, body, upload.attributes, etag);
    this.bucket(ctx, bucketName).uploads.delete(uploadId);
    return object;
  }

  abortMultipartUpload(ctx: RequestContext, bucketName: string, key: string, uploadId: string): void {
    this.upload(ctx, bucketName, key, uploadId);
    this.bucket(ctx, bucketName).uploads.delete(uploadId);
  }

  // ---- state ----

  snapshot(): S3Snapshot {
    return {
      buckets: [...this.buckets.values()].map((b) => ({
        name: b.name,
        accountId: b.accountId,
        region: b.region,
        created: b.created,
        objects: [...b.objects.values()].map((o) => ({
          key: o.key,
          body: toBase64(o.body),
          etag: o.etag,
          lastModified: o.lastModified,
          headers: { ...o.headers },
          metadata: { ...o.metadata },
        })),
      })),
    };
  }

  /** Checks a snapshot completely and returns a function that installs it, so a bad one changes nothing. */
  prepareRestore(data: unknown): () => void {
    const buckets = new Map<string, Bucket>();
    const fail = (path: string, what: string) => {
      throw new Error(`Cloud snapshot field services.s3.${path} ${what}`);
    };
    if (typeof data !== 'object' || data === null || !Array.isArray((data as S3Snapshot).buckets)) fail('buckets', 'must be a list of buckets');
    (data as S3Snapshot).buckets.forEach((b, i) => {
      const at = `buckets[${i}]`;
      if (typeof b !== 'object' || b === null) fail(at, 'must be an object');
      if (typeof b.name !== 'string' || !BUCKET_NAME.test(b.name)) fail(`${at}.name`, 'must be a valid bucket name');
      if (buckets.has(b.name)) fail(`${at}.name`, `repeats the bucket '${b.name}'`);
      if (typeof b.accountId !== 'string' || !/^\d{12}$/.test(b.accountId)) fail(`${at}.accountId`, 'must be a 12-digit account id');
      if (typeof b.region !== 'string' || b.region === '') fail(`${at}.region`, 'must be a region name');
      if (typeof b.created !== 'number' || !Number.isFinite(b.created)) fail(`${at}.created`, 'must be a time in epoch milliseconds');
      if (!Array.isArray(b.objects)) fail(`${at}.objects`, 'must be a list');
      const objects = new Map<string, S3Object>();
      b.objects.forEach((o, j) => {
        const oat = `${at}.objects[${j}]`;
        if (typeof o !== 'object' || o === null || typeof o.key !== 'string' || o.key === '') fail(`${oat}.key`, 'must be a non-empty string');
        const body = typeof o.body === 'string' ? fromBase64(o.body) : undefined;
        if (!body) fail(`${oat}.body`, 'must be base64 text');
        if (typeof o.etag !== 'string' || typeof o.lastModified !== 'number') fail(oat, 'must have a string etag and a numeric lastModified');
        if (!isStringRecord(o.headers) || !isStringRecord(o.metadata)) fail(oat, 'must have headers and metadata as string maps');
        objects.set(o.key, { key: o.key, body: body!, etag: o.etag, lastModified: o.lastModified, headers: { ...o.headers }, metadata: { ...o.metadata } });
      });
      buckets.set(b.name, { name: b.name, accountId: b.accountId, region: b.region, created: b.created, objects, uploads: new Map() });
    });
    return () => {
      this.buckets = buckets;
    };
  }

  reset(): void {
    this.buckets = new Map();
  }

  // ---- lookups ----

  private bucket(ctx: RequestContext, name: string): Bucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw noSuchBucket(name);
    if (bucket.accountId !== ctx.accountId) {
      throw new AwsError('AccessDenied', 'Access Denied', 403, 'Sender', { BucketName: name });
    }
    return bucket;
  }

  private upload(ctx: RequestContext, bucketName: string, key: string, uploadId: string): MultipartUpload {
    const upload = this.bucket(ctx, bucketName).uploads.get(uploadId);
    if (!upload || upload.key !== key) {
      throw new AwsError('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404, 'Sender', { UploadId: uploadId });
    }
    return upload;
  }
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

function checkKey(key: string): void {
  if (key === '') throw new AwsError('InvalidArgument', 'The object key must not be empty.', 400);
  if (new TextEncoder().encode(key).length > MAX_KEY_BYTES) {
    throw new AwsError('KeyTooLongError', 'Your key is too long', 400, 'Sender', { MaxSizeAllowed: String(MAX_KEY_BYTES) });
  }
}

/** S3 lists keys in UTF-8 binary order; comparing code points gives the same order. */
function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done) return -1;
    if (y.done) return 1;
    const dx = x.value.codePointAt(0)!;
    const dy = y.value.codePointAt(0)!;
    if (dx !== dy) return dx - dy;
  }
}
