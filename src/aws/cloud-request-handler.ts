// An SDK v3 request handler that answers from an in-process sandbox cloud instead of the network:
// the SDK's HttpRequest (any body kind, streaming included) becomes a CloudRequest, and back.
import type { HttpHandlerOptions, HttpRequest, HttpResponse } from '@smithy/types';
import type { CloudRequest, CloudResponse } from '../cloud/http.ts';

/** What the handler needs of a cloud: its request handler. */
export interface CloudEndpoint {
  handle(req: CloudRequest): Promise<CloudResponse>;
}

/** Reads every byte of a request body the SDK may hand over (string, bytes, Blob, Node or web stream). */
export async function readRequestBody(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (typeof Blob !== 'undefined' && body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  const chunks: Uint8Array[] = [];
  if (typeof (body as ReadableStream).getReader === 'function') {
    const reader = (body as ReadableStream<unknown>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(toBytes(value));
    }
  } else if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    for await (const chunk of body as AsyncIterable<unknown>) chunks.push(toBytes(chunk));
  } else {
    throw new TypeError(`The sandbox cloud cannot read a request body of type ${Object.prototype.toString.call(body)}.`);
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function toBytes(chunk: unknown): Uint8Array {
  if (typeof chunk === 'string') return new TextEncoder().encode(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('The sandbox cloud received a request body chunk that is not bytes or text.');
}

/** The SDK percent-encodes like this (RFC 3986 plus `!'()*`). */
function encodeQueryComponent(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function buildQueryString(query: HttpRequest['query']): string {
  const parts: string[] = [];
  const entries = query ?? {};
  for (const key of Object.keys(entries).sort()) {
    const value = entries[key];
    if (value === null || value === undefined) parts.push(encodeQueryComponent(key));
    else if (Array.isArray(value)) for (const item of value) parts.push(`${encodeQueryComponent(key)}=${encodeQueryComponent(item)}`);
    else parts.push(`${encodeQueryComponent(key)}=${encodeQueryComponent(value)}`);
  }
  return parts.join('&');
}

/** A response body the SDK can both collect and expose as a stream (GetObject's Body), in Node and browsers. */
function responseStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.length > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

export class CloudRequestHandler {
  readonly metadata = { handlerProtocol: 'sandbox-in-process' };

  constructor(private readonly cloud: CloudEndpoint) {}

  async handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
    throwIfAborted(options?.abortSignal);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    if (!headers['host']) headers['host'] = request.port ? `${request.hostname}:${request.port}` : request.hostname;
    const cloudRequest: CloudRequest = {
      method: request.method.toUpperCase(),
      path: request.path || '/',
      query: buildQueryString(request.query),
      headers,
      body: await readRequestBody(request.body),
    };
    const answer = await this.cloud.handle(cloudRequest);
    throwIfAborted(options?.abortSignal);
    return { response: { statusCode: answer.status, reason: undefined, headers: { ...answer.headers }, body: responseStream(answer.body) } };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}

function throwIfAborted(signal: HttpHandlerOptions['abortSignal']): void {
  if (signal?.aborted) {
    const error = new Error('Request aborted');
    error.name = 'AbortError';
    throw error;
  }
}
