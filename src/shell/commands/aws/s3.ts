// `aws s3` (ls, cp, mb, rb, rm) and `aws s3api` (buckets and objects), through the lab's S3 client,
// with the AWS CLI's wording: `upload: ./app.zip to s3://bucket/app.zip`, `make_bucket: bucket`.
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  type _Object,
} from '@aws-sdk/client-s3';
import { joinPath } from '../../../workspace/fs.ts';
import { resolvePath, type LabCommandContext } from '../../command.ts';
import { AwsUsageError, type OperationSpec } from './params.ts';

interface S3Location {
  bucket: string;
  key: string;
}

function parseS3(url: string): S3Location | null {
  if (!url.startsWith('s3://')) return null;
  const rest = url.slice(5);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (!bucket) throw new AwsUsageError(`Invalid S3 path '${url}': name a bucket, e.g. s3://my-bucket/key`);
  return { bucket, key: slash < 0 ? '' : rest.slice(slash + 1) };
}

function stamp(date: Date | undefined): string {
  const d = date ?? new Date(0);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

function humanSize(bytes: number): string {
  const units = ['Bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} Bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

async function bodyBytes(body: unknown): Promise<Uint8Array> {
  const stream = body as { transformToByteArray?: () => Promise<Uint8Array> } | undefined;
  if (stream?.transformToByteArray) return stream.transformToByteArray();
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  return new Uint8Array(0);
}

async function listAll(s3: S3Client, bucket: string, prefix: string, delimiter?: string): Promise<{ objects: _Object[]; prefixes: string[] }> {
  const objects: _Object[] = [];
  const prefixes: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, Delimiter: delimiter, ContinuationToken: token }));
    objects.push(...(page.Contents ?? []));
    prefixes.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { objects, prefixes };
}

/** Local files under a folder, relative, for `cp --recursive`. */
async function localFiles(ctx: LabCommandContext, dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await ctx.fs.readdir(rel ? joinPath(dir, rel) : dir)).sort()) {
    const child = rel ? `${rel}/${name}` : name;
    if ((await ctx.fs.stat(joinPath(dir, child))).isDirectory) out.push(...(await localFiles(ctx, dir, child)));
    else out.push(child);
  }
  return out;
}

const shown = (typed: string) => (typed.startsWith('/') || typed.startsWith('./') || typed.startsWith('../') ? typed : `./${typed}`);

/** Runs `aws s3 <command>`; returns the exit code (1 for failed transfers, as the CLI). */
export async function runS3(s3: S3Client, command: string, args: string[], ctx: LabCommandContext): Promise<number> {
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const paths = args.filter((a) => !a.startsWith('--'));
  const known = ['--recursive', '--human-readable', '--summarize', '--force', '--quiet', '--only-show-errors'];
  const stray = [...flags].filter((f) => !known.includes(f));
  if (stray.length) throw new AwsUsageError(`Unknown options: ${stray.join(', ')}`);
  const quiet = flags.has('--quiet') || flags.has('--only-show-errors');
  const say = (text: string) => quiet || ctx.stdout(text);
  switch (command) {
    case 'ls': {
      if (paths.length === 0) {
        const buckets = await s3.send(new ListBucketsCommand({}));
        for (const b of buckets.Buckets ?? []) ctx.stdout(`${stamp(b.CreationDate)} ${b.Name}\n`);
        return 0;
      }
      const where = parseS3(paths[0].startsWith('s3://') ? paths[0] : `s3://${paths[0]}`)!;
      const recursive = flags.has('--recursive');
      const { objects, prefixes } = await listAll(s3, where.bucket, where.key, recursive ? undefined : '/');
      const strip = recursive ? '' : where.key.slice(0, where.key.lastIndexOf('/') + 1);
      for (const prefix of prefixes) ctx.stdout(`${''.padStart(30)} PRE ${prefix.slice(strip.length)}\n`);
      let total = 0;
      for (const o of objects) {
        total += o.Size ?? 0;
        const size = flags.has('--human-readable') ? humanSize(o.Size ?? 0).padStart(10) : String(o.Size ?? 0).padStart(10);
        ctx.stdout(`${stamp(o.LastModified)} ${size} ${(o.Key ?? '').slice(strip.length)}\n`);
      }
      if (flags.has('--summarize')) ctx.stdout(`\nTotal Objects: ${objects.length}\n   Total Size: ${flags.has('--human-readable') ? humanSize(total) : total}\n`);
      if (objects.length === 0 && prefixes.length === 0 && where.key) return 1;
      return 0;
    }
    case 'mb':
    case 'rb': {
      const where = paths[0] ? parseS3(paths[0]) : null;
      if (!where) throw new AwsUsageError(`${command} needs a bucket: aws s3 ${command} s3://bucket-name`);
      const verb = command === 'mb' ? 'make_bucket' : 'remove_bucket';
      try {
        if (command === 'mb') await s3.send(new CreateBucketCommand({ Bucket: where.bucket }));
        else {
          if (flags.has('--force')) for (const o of (await listAll(s3, where.bucket, '')).objects) await s3.send(new DeleteObjectCommand({ Bucket: where.bucket, Key: o.Key }));
          await s3.send(new DeleteBucketCommand({ Bucket: where.bucket }));
        }
      } catch (error) {
        ctx.stderr(`${verb} failed: s3://${where.bucket} ${describeError(error, command === 'mb' ? 'CreateBucket' : 'DeleteBucket')}\n`);
        return 1;
      }
      say(`${verb}: ${where.bucket}\n`);
      return 0;
    }
    case 'rm': {
      const where = paths[0] ? parseS3(paths[0]) : null;
      if (!where) throw new AwsUsageError('rm needs an S3 path: aws s3 rm s3://bucket/key');
      const keys = flags.has('--recursive') ? (await listAll(s3, where.bucket, where.key)).objects.map((o) => o.Key ?? '') : [where.key];
      for (const key of keys) {
        try {
          await s3.send(new DeleteObjectCommand({ Bucket: where.bucket, Key: key }));
        } catch (error) {
          ctx.stderr(`delete failed: s3://${where.bucket}/${key} ${describeError(error, 'DeleteObject')}\n`);
          return 1;
        }
        say(`delete: s3://${where.bucket}/${key}\n`);
      }
      return 0;
    }
    case 'cp':
      return copy(s3, paths, flags, ctx, say);
    default:
      throw new AwsUsageError(`Invalid choice: '${command}', valid choices for aws s3 here are: cp, ls, mb, rb, rm`);
  }
}

async function copy(s3: S3Client, paths: string[], flags: Set<string>, ctx: LabCommandContext, say: (t: string) => void): Promise<number> {
  if (paths.length !== 2) throw new AwsUsageError('cp needs a source and a destination, e.g. aws s3 cp app.zip s3://bucket/app.zip');
  const [from, to] = paths;
  const source = parseS3(from);
  const target = parseS3(to);
  const recursive = flags.has('--recursive');
  try {
    if (!source && target) {
      const local = resolvePath(ctx, from);
      if (!(await ctx.fs.exists(local))) {
        ctx.stderr(`\nThe user-provided path ${from} does not exist.\n`);
        return 255;
      }
      const isDir = (await ctx.fs.stat(local)).isDirectory;
      if (isDir && !recursive) {
        ctx.stderr(`upload failed: ${shown(from)} to ${to} ${from} is a folder: add --recursive to upload its files\n`);
        return 1;
      }
      const files = isDir ? (await localFiles(ctx, local)).map((rel) => ({ path: joinPath(local, rel), key: `${target.key.replace(/\/?$/, target.key ? '/' : '')}${rel}`, typed: `${from.replace(/\/$/, '')}/${rel}` })) : [{ path: local, key: !target.key || target.key.endsWith('/') ? `${target.key}${from.split('/').pop()}` : target.key, typed: from }];
      for (const file of files) {
        await s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: file.key, Body: await ctx.fs.readFileBuffer(file.path) }));
        say(`upload: ${shown(file.typed)} to s3://${target.bucket}/${file.key}\n`);
      }
      return 0;
    }
    if (source && !target) {
      const keys = recursive ? (await listAll(s3, source.bucket, source.key)).objects.map((o) => o.Key ?? '') : [source.key];
      for (const key of keys) {
        const object = await s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: key }));
        const bytes = await bodyBytes(object.Body);
        if (to === '-') {
          ctx.stdout(new TextDecoder().decode(bytes));
          continue;
        }
        const base = resolvePath(ctx, to);
        const isDir = (await ctx.fs.exists(base)) && (await ctx.fs.stat(base)).isDirectory;
        const path = recursive ? joinPath(base, key.slice(source.key.replace(/[^/]*$/, '').length)) : isDir || to.endsWith('/') ? joinPath(base, key.split('/').pop() ?? key) : base;
        await ctx.fs.mkdir(path.slice(0, path.lastIndexOf('/')) || '/', { recursive: true });
        await ctx.fs.writeFile(path, bytes);
        say(`download: s3://${source.bucket}/${key} to ${shown(recursive || isDir ? joinPath(to, path.slice(base.length + 1)) : to)}\n`);
      }
      return 0;
    }
    if (source && target) {
      const key = !target.key || target.key.endsWith('/') ? `${target.key}${source.key.split('/').pop()}` : target.key;
      await s3.send(new CopyObjectCommand({ Bucket: target.bucket, Key: key, CopySource: `${source.bucket}/${source.key}` }));
      say(`copy: s3://${source.bucket}/${source.key} to s3://${target.bucket}/${key}\n`);
      return 0;
    }
  } catch (error) {
    const verb = !source ? 'upload' : !target ? 'download' : 'copy';
    const op = !source ? 'PutObject' : !target ? 'GetObject' : 'CopyObject';
    ctx.stderr(`${verb} failed: ${from} to ${to} ${describeError(error, op)}\n`);
    return 1;
  }
  throw new AwsUsageError('cp copies between your files and S3: one side must be an s3:// path');
}

export function describeError(error: unknown, operation: string): string {
  const e = error as { name?: string; Code?: unknown; message?: string; $metadata?: { httpStatusCode?: number } };
  // Query-compatible JSON services (CloudWatch) name the error after its shape; the CLI prints the Query code.
  const code = typeof e.Code === 'string' && e.Code ? e.Code : e.name && e.name !== 'Error' ? e.name : String(e.$metadata?.httpStatusCode ?? 'Unknown');
  const message = e.message && e.message !== 'UnknownError' ? e.message : code === 'NotFound' || code === '404' ? 'Not Found' : (e.message ?? '');
  return `An error occurred (${code}) when calling the ${operation} operation: ${message}`;
}

/** `aws s3api` operations labs use. */
export const s3apiOperations: Record<string, OperationSpec & { operation: string }> = {
  'list-buckets': { operation: 'ListBuckets', params: {} },
  'create-bucket': { operation: 'CreateBucket', params: { bucket: 'string', 'create-bucket-configuration': 'structure' }, required: ['bucket'] },
  'delete-bucket': { operation: 'DeleteBucket', params: { bucket: 'string' }, required: ['bucket'] },
  'head-bucket': { operation: 'HeadBucket', params: { bucket: 'string' }, required: ['bucket'] },
  'list-objects-v2': {
    operation: 'ListObjectsV2',
    params: { bucket: 'string', prefix: 'string', delimiter: 'string', 'max-keys': 'integer', 'start-after': 'string', 'continuation-token': 'string' },
    required: ['bucket'],
  },
  'head-object': { operation: 'HeadObject', params: { bucket: 'string', key: 'string', 'version-id': 'string' }, required: ['bucket', 'key'] },
  'get-object': { operation: 'GetObject', params: { bucket: 'string', key: 'string', 'version-id': 'string', range: 'string' }, required: ['bucket', 'key'] },
  'put-object': { operation: 'PutObject', params: { bucket: 'string', key: 'string', body: 'string', 'content-type': 'string' }, required: ['bucket', 'key'] },
  'delete-object': { operation: 'DeleteObject', params: { bucket: 'string', key: 'string' }, required: ['bucket', 'key'] },
};

export const s3Commands: Record<string, new (input: never) => unknown> = {
  ListBuckets: ListBucketsCommand,
  CreateBucket: CreateBucketCommand,
  DeleteBucket: DeleteBucketCommand,
  HeadBucket: HeadBucketCommand,
  ListObjectsV2: ListObjectsV2Command,
  HeadObject: HeadObjectCommand,
  GetObject: GetObjectCommand,
  PutObject: PutObjectCommand,
  DeleteObject: DeleteObjectCommand,
};

export { bodyBytes };
