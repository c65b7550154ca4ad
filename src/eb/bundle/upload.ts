// Uploads a source bundle the way the EB CLI does: the account's `elasticbeanstalk-<region>-<account>`
// bucket from CreateStorageLocation, HeadObject first (an existing key is not uploaded again), then
// one PutObject below 7 MiB or a multipart upload at or above it (ebcli/lib/s3.py).
import { CreateStorageLocationCommand } from '@aws-sdk/client-elastic-beanstalk';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { EbClients } from '../context.ts';

export const multipartThreshold = 7_340_032;
/** Part size for multipart uploads (S3's minimum for every part but the last is 5 MiB). */
export const partSize = 5_242_880;

export interface UploadResult {
  bucket: string;
  key: string;
  /** False when an object with that key was already there (HeadObject found it). */
  uploaded: boolean;
  multipart: boolean;
}

export async function storageBucket(clients: EbClients): Promise<string> {
  const response = await clients.eb.send(new CreateStorageLocationCommand({}));
  if (!response.S3Bucket) throw new Error('CreateStorageLocation returned no S3Bucket');
  return response.S3Bucket;
}

export async function objectExists(clients: EbClients, bucket: string, key: string): Promise<boolean> {
  try {
    await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const name = (error as Error).name;
    if (status === 404 || name === 'NotFound' || name === 'NoSuchKey') return false;
    throw error;
  }
}

export async function uploadBundle(clients: EbClients, bucket: string, key: string, body: Uint8Array): Promise<UploadResult> {
  if (await objectExists(clients, bucket, key)) return { bucket, key, uploaded: false, multipart: false };
  if (body.byteLength < multipartThreshold) {
    await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.byteLength }));
    return { bucket, key, uploaded: true, multipart: false };
  }
  const created = await clients.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const uploadId = created.UploadId;
  if (!uploadId) throw new Error('CreateMultipartUpload returned no UploadId');
  try {
    const parts: Array<{ ETag?: string; PartNumber: number }> = [];
    for (let offset = 0, number = 1; offset < body.byteLength; offset += partSize, number++) {
      const chunk = body.subarray(offset, Math.min(offset + partSize, body.byteLength));
      const part = await clients.s3.send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: number, Body: chunk, ContentLength: chunk.byteLength }),
      );
      parts.push({ ETag: part.ETag, PartNumber: number });
    }
    await clients.s3.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
    );
  } catch (error) {
    await clients.s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
    throw error;
  }
  return { bucket, key, uploaded: true, multipart: true };
}
