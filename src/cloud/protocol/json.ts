// The AWS JSON protocols (1.0 and 1.1): `X-Amz-Target: Prefix.Operation` plus a JSON body in, JSON out.
// ACM speaks 1.1, the JS SDK's CloudWatch 1.0 (query-compatible); later issues register such services.
import type { RequestContext } from '../services/service.ts';
import { AwsError } from './errors.ts';

/** A service spoken over AWS JSON 1.0/1.1. Registered in index.ts with one line, like a QueryService. */
export interface JsonService {
  /** SigV4 signing name, e.g. `acm`, `monitoring`. */
  readonly signingName: string;
  /** The `X-Amz-Target` prefix, e.g. `CertificateManager`, `GraniteServiceVersion20100801`. */
  readonly targetPrefix: string;
  /** Set for services whose errors also carry the Query code (`x-amzn-query-error`), like CloudWatch. */
  readonly queryCompatible?: boolean;
  /** Runs one operation; Dates in the result are sent as epoch seconds. Throws AwsError. */
  handle(operation: string, input: Record<string, unknown>, ctx: RequestContext): Promise<Record<string, unknown>>;
}

export interface JsonRequest {
  operation: string;
  input: Record<string, unknown>;
  contentType: string;
}

/** Reads the operation from `X-Amz-Target` and the input from the body. */
export function parseJsonRequest(service: JsonService, headers: Record<string, string>, body: Uint8Array): JsonRequest {
  const contentType = headers['content-type']?.startsWith('application/x-amz-json-1.0') ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
  const target = headers['x-amz-target'] ?? '';
  const dot = target.lastIndexOf('.');
  if (dot === -1 || target.slice(0, dot) !== service.targetPrefix) {
    throw new AwsError('UnknownOperationException', `The X-Amz-Target header '${target.slice(0, 200)}' does not name an operation of ${service.targetPrefix}.`, 400);
  }
  const operation = target.slice(dot + 1);
  let input: unknown = {};
  const text = new TextDecoder().decode(body).trim();
  if (text !== '') {
    try {
      input = JSON.parse(text);
    } catch {
      throw new AwsError('SerializationException', 'The request body is not valid JSON.', 400);
    }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AwsError('SerializationException', 'The request body must be a JSON object.', 400);
  }
  return { operation, input: input as Record<string, unknown>, contentType };
}

/** JSON protocols send timestamps as epoch seconds. */
export function serializeJsonResult(result: Record<string, unknown>): string {
  return JSON.stringify(result, function (this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key];
    return original instanceof Date ? original.getTime() / 1000 : value;
  });
}

export function serializeJsonError(error: AwsError): string {
  return JSON.stringify({ __type: error.code, message: error.message });
}
