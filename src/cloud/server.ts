// The node:http host for the sandbox cloud (`academy cloud`): loopback by default, DNS-rebinding and
// cross-site protection, CORS for the course's pages, body limits, and an optional state file.
import { createServer, validateHeaderValue, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Cloud } from './index.ts';
import type { CloudRequest, CloudResponse } from './http.ts';
import { credentialScopeOf } from './protocol/router.ts';

export interface CloudServerOptions {
  cloud: Cloud;
  /** Interface to listen on (default 127.0.0.1). Anything but loopback is reachable from the network. */
  host?: string;
  /** Port (default 4566, LocalStack's; 0 picks a free one). */
  port?: number;
  /** JSON file the state is restored from at start and saved to on change (debounced) and on close. */
  stateFile?: string;
  /** Browser origins allowed besides any localhost/127.0.0.1 origin, e.g. https://academy.example.org. */
  allowedOrigins?: string[];
  /** Request and warning lines (default: nothing). */
  log?: (line: string) => void;
  /** Milliseconds to wait after a change before saving the state file (default 1000). */
  saveDelayMs?: number;
}

export interface CloudServer {
  /** Base URL, e.g. http://127.0.0.1:4566. */
  url: string;
  port: number;
  /** Saves the state file (if any) and stops listening. */
  close(): Promise<void>;
  /** Writes the state file now (no-op without one). */
  save(): void;
}

/** Largest body for Query/JSON APIs and control endpoints. */
export const API_BODY_LIMIT = 1024 * 1024;
/** Largest S3 request body: a 512 MB object plus room for aws-chunked framing. */
export const S3_BODY_LIMIT = 512 * 1024 * 1024 + 4 * 1024 * 1024;

const LOOPBACK_HOSTS = /^(localhost|([a-z0-9-]+\.)+localhost|127(\.\d{1,3}){3}|\[::1\]|::1)$/i;
/** Environment URLs (CNAMEs, load balancer names) are answered even on a loopback-only sandbox. */
const CNAME_HOST = /^([a-z0-9-]+\.)+(elasticbeanstalk\.com|elb\.amazonaws\.com)$/i;
const EXPOSED_HEADERS = [
  'x-amzn-requestid', 'x-amzn-errortype', 'x-amzn-query-error', 'x-amz-request-id', 'x-amz-id-2', 'x-amz-bucket-region',
  'x-amz-version-id', 'x-amz-delete-marker', 'x-amz-checksum-crc32', 'x-amz-checksum-crc32c', 'x-amz-checksum-sha1',
  'x-amz-checksum-sha256', 'x-amz-checksum-type', 'x-amz-meta-*', 'x-app-version', 'etag', 'content-range', 'content-length',
  'last-modified', 'date', 'location',
].join(', ');

/** The host name part of a Host header (`[::1]:4566` → `[::1]`). */
function hostName(header: string): string {
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  return header.replace(/:\d*$/, '');
}

export function isLoopbackHost(hostHeader: string): boolean {
  return LOOPBACK_HOSTS.test(hostName(hostHeader));
}

function isLoopbackInterface(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Any page served from this machine may call the sandbox, plus configured origins. */
export function isAllowedOrigin(origin: string, allowed: readonly string[]): boolean {
  if (allowed.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.host);
  } catch {
    return false;
  }
}

/** A whole-cloud snapshot PUT to /_sandbox/state carries bundles as base64 (and JSON text tops out near 512 MiB). */
export const STATE_BODY_LIMIT = 512 * 1024 * 1024;

function bodyLimitFor(req: IncomingMessage): number {
  if ((req.url ?? '').split('?')[0] === '/_sandbox/state') return STATE_BODY_LIMIT;
  return serviceOf(req) === 's3' ? S3_BODY_LIMIT : API_BODY_LIMIT;
}

function queryOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? '' : url.slice(q + 1);
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function plain(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code: status === 413 ? 'RequestEntityTooLarge' : status === 403 ? 'Forbidden' : 'BadRequest', message } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

/** Refuses an oversized body in the caller's protocol: S3's EntityTooLarge, a Query ErrorResponse, or JSON. */
function tooLarge(req: IncomingMessage, res: ServerResponse, limit: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const service = serviceOf(req);
  const message = `The request body is larger than the sandbox accepts (${limit} bytes for this service).`;
  let body: string;
  let status = 413;
  if (service === 's3') {
    status = 400;
    body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message><MaxSizeAllowed>${limit}</MaxSizeAllowed></Error>`;
  } else if (service) {
    body = `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>RequestEntityTooLarge</Code><Message>${message}</Message></Error><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ErrorResponse>`;
  } else {
    plain(res, 413, message, { connection: 'close' });
    return;
  }
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
}

function serviceOf(req: IncomingMessage): string | undefined {
  return credentialScopeOf({ method: req.method ?? 'GET', path: '/', query: queryOf(req.url ?? '/'), headers: flatHeaders(req), body: new Uint8Array(0) })?.service;
}

/** Reads the body up to `limit` bytes; undefined when it was too large (and a 413 was sent). */
function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        tooLarge(req, res, limit);
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const buffer = Buffer.concat(chunks);
      resolve(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    });
    req.on('error', () => {
      if (done) return;
      done = true;
      resolve(undefined);
    });
  });
}

export async function startCloudServer(options: CloudServerOptions): Promise<CloudServer> {
  const { cloud } = options;
  const host = options.host ?? '127.0.0.1';
  const loopbackOnly = isLoopbackInterface(host);
  const allowedOrigins = options.allowedOrigins ?? [];
  const log = options.log ?? (() => {});
  if (!loopbackOnly) {
    log(`warning: listening on ${host}: anyone who can reach this address can use and reset the sandbox cloud. Use --host 127.0.0.1 to keep it on this machine.`);
  }

  if (options.stateFile && existsSync(options.stateFile)) {
    let text: string;
    try {
      text = readFileSync(options.stateFile, 'utf8');
    } catch (err) {
      throw new Error(`Cannot read the state file ${options.stateFile}: ${(err as Error).message}`);
    }
    try {
      cloud.restore(text);
    } catch (err) {
      throw new Error(`The state file ${options.stateFile} cannot be restored: ${(err as Error).message} Move it aside to start with an empty cloud.`);
    }
    log(`restored state from ${options.stateFile}`);
  }

  const save = () => {
    if (!options.stateFile) return;
    const temporary = `${options.stateFile}.tmp`;
    writeFileSync(temporary, JSON.stringify(cloud.snapshot()));
    renameSync(temporary, options.stateFile);
  };
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const unsubscribe = cloud.onChange(() => {
    if (!options.stateFile || saveTimer) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      try {
        save();
      } catch (err) {
        log(`could not save ${options.stateFile}: ${(err as Error).message}`);
      }
    }, options.saveDelayMs ?? 1000);
  });

  /** Refuses what a loopback-only sandbox must never answer; returns the CORS headers to add otherwise. */
  const admit = (req: IncomingMessage, res: ServerResponse): Record<string, string> | undefined => {
    const hostHeader = req.headers.host ?? '';
    if (loopbackOnly && !isLoopbackHost(hostHeader) && !CNAME_HOST.test(hostName(hostHeader))) {
      plain(res, 403, `Refused: the Host header '${hostHeader.slice(0, 100)}' is not a loopback name (DNS rebinding protection). Use http://127.0.0.1 or http://localhost, or start the cloud with --host.`);
      return undefined;
    }
    const origin = req.headers.origin;
    if (origin === undefined) return {};
    if (!isAllowedOrigin(origin, allowedOrigins)) {
      plain(res, 403, `Refused: the page origin '${origin.slice(0, 200)}' may not call this sandbox cloud. Allowed: localhost pages${allowedOrigins.length ? ` and ${allowedOrigins.join(', ')}` : ''}.`);
      return undefined;
    }
    return { 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-expose-headers': EXPOSED_HEADERS };
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, body: Uint8Array | undefined) => {
    const started = Date.now();
    const cors = admit(req, res);
    if (!cors) return;
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'GET, PUT, POST, DELETE, HEAD',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    const limit = bodyLimitFor(req);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      tooLarge(req, res, limit);
      req.resume();
      return;
    }
    const bytes = body ?? (await readBody(req, res, limit));
    if (!bytes) return;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const cloudRequest: CloudRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: q === -1 ? url : url.slice(0, q),
      query: q === -1 ? '' : url.slice(q + 1),
      headers: flatHeaders(req),
      body: bytes,
    };
    const answer: CloudResponse = await cloud.handle(cloudRequest);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries({ ...answer.headers, ...cors })) {
      // A value HTTP cannot carry (say, user metadata with a newline) is dropped rather than failing the response.
      try {
        validateHeaderValue(name, value);
        headers[name] = value;
      } catch {
        log(`dropped response header ${name}: not a valid HTTP header value`);
      }
    }
    const noBody = cloudRequest.method === 'HEAD' || answer.status === 204 || answer.status === 304;
    if (!noBody) headers['content-length'] = String(answer.body.length);
    else if (answer.status !== 200 && answer.status !== 206) delete headers['content-length'];
    res.writeHead(answer.status, headers);
    res.end(noBody ? undefined : answer.body);
    log(`${cloudRequest.method} ${cloudRequest.path}${cloudRequest.query ? '?' + cloudRequest.query.slice(0, 60) : ''} ${answer.status} ${Date.now() - started}ms`);
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    serve(req, res, undefined).catch((err: unknown) => {
      log(`internal error: ${(err as Error)?.stack ?? String(err)}`);
      plain(res, 500, 'The sandbox cloud failed to process the request.');
    });
  };

  const server = createServer({ maxHeaderSize: 64 * 1024 }, handler);
  server.on('checkContinue', (req, res) => {
    // Refuse an oversized upload before the client sends it.
    const limit = bodyLimitFor(req);
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      tooLarge(req, res, limit);
      return;
    }
    res.writeContinue();
    handler(req, res);
  });
  server.on('clientError', (_err: Error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4566, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 4566);
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  let closed = false;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    save,
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      if (saveTimer) clearTimeout(saveTimer);
      saveTimer = undefined;
      save();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
