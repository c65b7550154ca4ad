// The nginx-like proxy in front of the web process: answers requests and health checks from the app model,
// with nginx's own pages and log lines for 502, 404 and 413, and the version label on every response.

import type { AppProcess, AppRequest, AppResponse, AppRoute, HealthCheckResult, LogLine } from './types.ts';
import { LOG_FILES } from './types.ts';
import { hostNameOf, journalTime } from './deploy.ts';
import { finishRules, startRules, type RuleAnswer } from './nginx-rules.ts';
import { requestFailureLog } from './python-app.ts';

function nginxPage(status: number, reason: string, signature = true): string {
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n${signature ? '<hr><center>nginx</center>\r\n' : ''}</body>\r\n</html>\r\n`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// A load run answers thousands of requests per simulated second: each timestamp format is computed once per
// second (the key is the second a Date built from the same milliseconds falls in) and reused.
function secondOf(ms: number): number {
  // Past Date's range every time is an Invalid Date: NaN is never equal to a cached key, so those are not cached.
  return Math.abs(ms) <= 8.64e15 ? Math.floor(Math.trunc(ms) / 1000) : NaN;
}

let dateSecond = NaN;
let dateText = '';
function httpDate(ms: number): string {
  const second = secondOf(ms);
  if (second !== dateSecond) {
    dateText = new Date(ms).toUTCString();
    dateSecond = second;
  }
  return dateText;
}

let accessSecond = NaN;
let accessText = '';
function accessTime(ms: number): string {
  const second = secondOf(ms);
  if (second !== accessSecond) {
    const d = new Date(ms);
    accessText = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
    accessSecond = second;
  }
  return accessText;
}

function errorTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** UTF-8 byte length of a string, as TextEncoder counts it (a lone surrogate becomes U+FFFD, 3 bytes), without encoding it. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

// Route bodies are the same few strings on every request; their lengths are remembered (bounded, since error
// pages that quote the path are built per request).
const MAX_CACHED_LENGTHS = 1_000;
const contentLengths = new Map<string, string>();
function contentLengthOf(body: string): string {
  let length = contentLengths.get(body);
  if (length === undefined) {
    length = String(utf8Length(body));
    if (contentLengths.size >= MAX_CACHED_LENGTHS) contentLengths.clear();
    contentLengths.set(body, length);
  }
  return length;
}

/** The request headers the proxy reads, found case-insensitively in one pass (the first key of each name wins). */
interface ProxyHeaders {
  host: string | undefined;
  userAgent: string | undefined;
  forwardedFor: string | undefined;
  contentLength: string | undefined;
}

function proxyHeaders(headers: Record<string, string> | undefined): ProxyHeaders {
  const found: ProxyHeaders = { host: undefined, userAgent: undefined, forwardedFor: undefined, contentLength: undefined };
  if (!headers) return found;
  let seenHost = false;
  let seenAgent = false;
  let seenForwarded = false;
  let seenLength = false;
  for (const key in headers) {
    if (!Object.hasOwn(headers, key)) continue;
    const name = key.toLowerCase();
    if (name === 'host') {
      if (!seenHost) (found.host = headers[key]), (seenHost = true);
    } else if (name === 'user-agent') {
      if (!seenAgent) (found.userAgent = headers[key]), (seenAgent = true);
    } else if (name === 'x-forwarded-for') {
      if (!seenForwarded) (found.forwardedFor = headers[key]), (seenForwarded = true);
    } else if (name === 'content-length') {
      if (!seenLength) (found.contentLength = headers[key]), (seenLength = true);
    }
  }
  return found;
}

function bodySize(req: AppRequest, declared: string | undefined): number {
  if (req.body instanceof Uint8Array) return req.body.length;
  if (typeof req.body === 'string') return utf8Length(req.body);
  return declared && /^\d+$/.test(declared) ? Number(declared) : 0;
}

function trimTrailingSlashes(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

function matchRoute(pattern: string, path: string): boolean {
  if (pattern === '*' || pattern === '/*' || pattern === '(.*)') return true;
  const parts = trimTrailingSlashes(pattern).split('/');
  const actual = trimTrailingSlashes(path).split('/');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p === '*' || /^<path:[^>]+>$/.test(p) || /^\{[^}]+:path\}$/.test(p) || /^:\w+\*$/.test(p)) return actual.length >= i;
    if (i >= actual.length) return /^:\w+\?$/.test(p);
    if (/^<(?:(?:string|int|float|uuid):)?\w+>$/.test(p)) {
      if (p.startsWith('<int:') && !/^\d+$/.test(actual[i])) return false;
      if (p.startsWith('<float:') && !/^\d+(\.\d+)?$/.test(actual[i])) return false;
      if (!actual[i]) return false;
      continue;
    }
    if (/^:\w+\??$/.test(p) || /^\{\w+\}$/.test(p)) {
      if (!actual[i]) return false;
      continue;
    }
    if (p !== decodeURIComponent(actual[i] ?? '')) return false;
  }
  return parts.length === actual.length;
}

// Whether a pattern matches a path depends on the two strings only, so answers are remembered for the process's
// lifetime: a load run asks about the same few (pattern, path) pairs a hundred thousand times. Bounded per pattern.
const MAX_CACHED_PATHS = 4_096;
const routeAnswers = new Map<string, Map<string, boolean>>();

/** Whether a route path (`/pets/<int:id>`, `/pets/:id`, `/pets/{id}`, `*`) matches a request path. */
export function routeMatches(pattern: string, path: string): boolean {
  let answers = routeAnswers.get(pattern);
  if (!answers) routeAnswers.set(pattern, (answers = new Map()));
  let matches = answers.get(path);
  if (matches === undefined) {
    // A malformed percent-escape throws from decodeURIComponent, as before; such answers are not remembered.
    matches = matchRoute(pattern, path);
    if (answers.size >= MAX_CACHED_PATHS) answers.clear();
    answers.set(path, matches);
  }
  return matches;
}

function methodAccepts(route: AppRoute, method: string, framework: string): boolean {
  return route.method === '*' || route.method === method || (method === 'HEAD' && route.method === 'GET') || (method === 'OPTIONS' && framework === 'flask');
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html',
  css: 'text/css',
  js: 'application/javascript',
  json: 'application/json',
  png: 'image/png',
  jpg: 'image/jpeg',
  svg: 'image/svg+xml',
  txt: 'text/plain',
  ico: 'image/x-icon',
};

const PAGE_502 = nginxPage(502, 'Bad Gateway');
const PAGE_502_BARE = nginxPage(502, 'Bad Gateway', false);
const PAGE_413 = nginxPage(413, 'Request Entity Too Large');
const PAGE_404 = nginxPage(404, 'Not Found');
const PAGE_405_FLASK =
  '<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n';

/** One request on its way through the proxy: what the response and log lines are built from. */
interface Exchange {
  process: AppProcess | undefined;
  now: number;
  method: string;
  rawPath: string;
  client: string;
  headers: ProxyHeaders;
  withProxy: boolean;
  logs: LogLine[];
}

function respond(x: Exchange, status: number, body: string, contentType: string, allow?: string): AppResponse {
  const contentLength = contentLengthOf(body);
  const headers: Record<string, string> = x.withProxy
    ? { server: 'nginx', date: httpDate(x.now), 'content-type': contentType, 'content-length': contentLength }
    : { date: httpDate(x.now), 'content-type': contentType, 'content-length': contentLength };
  if (allow !== undefined) headers.allow = allow;
  if (x.process) headers['x-app-version'] = x.process.versionLabel;
  if (x.withProxy) {
    x.logs.push({
      file: LOG_FILES.nginxAccess,
      at: x.now,
      text: `${x.client} - - [${accessTime(x.now)}] "${x.method} ${x.rawPath} HTTP/1.1" ${status} ${contentLength} "-" "${x.headers.userAgent ?? '-'}" "${x.headers.forwardedFor ?? '-'}"`,
    });
  }
  return { status, headers, body: x.method === 'HEAD' ? '' : body, logs: x.logs };
}

function nginxError(x: Exchange, text: string): void {
  const upstream = text.includes('upstream') ? `, upstream: "http://127.0.0.1:${x.process?.upstreamPort ?? 0}${x.rawPath}"` : '';
  x.logs.push({
    file: LOG_FILES.nginxError,
    at: x.now,
    text: `${errorTime(x.now)} [error] 2210#2210: *${(x.now % 9000) + 1} ${text}, client: ${x.client}, server: , request: "${x.method} ${x.rawPath} HTTP/1.1"${upstream}, host: "${x.headers.host ?? ''}"`,
  });
}

function staticPrefix(urlPrefix: string): string {
  return urlPrefix.endsWith('/') ? urlPrefix : `${urlPrefix}/`;
}

function contentTypeOf(file: string): string {
  return CONTENT_TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream';
}

function lowerCaseHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const key in headers) {
    if (!Object.hasOwn(headers, key)) continue;
    const name = key.toLowerCase();
    if (!(name in out)) out[name] = headers[key];
  }
  return out;
}

const REASONS: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Authorization Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Not Allowed',
  410: 'Gone',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/** nginx answers from its rules: `return`, a redirecting `rewrite`, a location without the app, a rewrite cycle. */
function answerFromRules(x: Exchange, outcome: RuleAnswer): AppResponse {
  if (outcome.t === 'no-file') {
    nginxError(x, `open() "/usr/share/nginx/html${outcome.uri}" failed (2: No such file or directory)`);
    return respond(x, 404, PAGE_404, 'text/html');
  }
  if (outcome.t === 'cycle') {
    nginxError(x, `rewrite or internal redirection cycle while processing "${outcome.uri}"`);
    return respond(x, 500, nginxPage(500, 'Internal Server Error'), 'text/html');
  }
  const reason = REASONS[outcome.status];
  let response: AppResponse;
  // `return code text` sends the text with the default_type of EB's nginx.conf; without text nginx sends its own page.
  if (outcome.body !== undefined) response = respond(x, outcome.status, outcome.body, 'application/octet-stream');
  else if (reason && outcome.status >= 300) response = respond(x, outcome.status, nginxPage(outcome.status, reason), 'text/html');
  else response = respond(x, outcome.status, '', 'application/octet-stream');
  if (outcome.location !== undefined) response.headers.location = outcome.location;
  return response;
}

/** Answers one request through the proxy: 502 when nothing listens upstream, 413 over client_max_body_size, 404 for unknown routes. */
export function answerRequest(process: AppProcess | undefined, request: AppRequest): AppResponse {
  const rawPath = request.path || '/';
  const query = rawPath.indexOf('?');
  let path = (query === -1 ? rawPath : rawPath.slice(0, query)) || '/';
  const headers = proxyHeaders(request.headers);
  const x: Exchange = {
    process,
    now: request.now ?? process?.startedAt ?? 0,
    method: request.method.toUpperCase(),
    rawPath,
    client: request.clientIp ?? '172.31.0.10',
    headers,
    withProxy: process?.proxyServer !== 'none',
    logs: [],
  };
  const { method, withProxy, now } = x;

  if (!process) {
    nginxError(x, 'connect() failed (111: Connection refused) while connecting to upstream');
    return respond(x, 502, PAGE_502, 'text/html');
  }
  // nginx's phases: the server block's rewrite rules, then the location and the body size (find-config phase),
  // then the location's rewrite rules, then the content handler (proxy_pass to the app).
  const rules = withProxy ? process.nginxRules : undefined;
  const run = rules ? startRules(rules, { method, requestUri: rawPath, headers: lowerCaseHeaders(request.headers), remoteAddr: x.client, now }) : undefined;
  if (run?.answer) return answerFromRules(x, run.answer);
  const size = bodySize(request, headers.contentLength);
  if (withProxy && size > process.clientMaxBodySize) {
    nginxError(x, `client intended to send too large body: ${size} bytes`);
    return respond(x, 413, PAGE_413, 'text/html');
  }
  if (rules && run) {
    const outcome = finishRules(rules, run.state);
    if (outcome.t !== 'proxy') return answerFromRules(x, outcome);
    // A rewritten URI is what the app sees.
    path = outcome.uri;
  }
  if (withProxy && process.upstreamPort === 0) {
    nginxError(x, `open() "/usr/share/nginx/html${path}" failed (2: No such file or directory)`);
    return respond(x, 404, PAGE_404, 'text/html');
  }
  // nginx serves the platform's static directories itself.
  if (withProxy && process.framework !== 'express' && process.staticFiles) {
    for (const s of process.staticFiles) {
      const prefix = staticPrefix(s.urlPrefix);
      if (path.startsWith(prefix)) {
        const file = path.slice(prefix.length);
        if (s.files.includes(file)) return respond(x, 200, `(static file ${s.urlPrefix}/${file})\n`, contentTypeOf(file));
        nginxError(x, `open() "/var/app/current${s.urlPrefix}/${file}" failed (2: No such file or directory)`);
        return respond(x, 404, PAGE_404, 'text/html');
      }
    }
  }
  if (process.state !== 'running' || process.listenPort !== process.upstreamPort) {
    if (!withProxy) return respond(x, 502, PAGE_502_BARE, 'text/html');
    nginxError(x, 'connect() failed (111: Connection refused) while connecting to upstream');
    return respond(x, 502, PAGE_502, 'text/html');
  }
  if (process.requestFailure) {
    for (const line of process.requestFailure.log) x.logs.push({ file: LOG_FILES.web, at: now, text: line.replace('Error handling request /', `Error handling request ${path}`) });
    return respond(x, process.requestFailure.status, process.requestFailure.body, 'text/html');
  }
  // Express serves its static directories before its routes.
  if (process.framework === 'express' && process.staticFiles) {
    for (const s of process.staticFiles) {
      const prefix = staticPrefix(s.urlPrefix);
      if (path.startsWith(prefix) || (path === '/' && s.urlPrefix === '/')) {
        const file = path === '/' ? 'index.html' : path.slice(prefix.length);
        if (s.files.includes(file)) return respond(x, 200, `(static file ${file})\n`, contentTypeOf(file));
      }
    }
  }
  // The first route whose path matches and whose method accepts the request answers it.
  const framework = process.framework;
  let hit: AppRoute | undefined;
  let pathMatched = false;
  for (const r of process.routes) {
    if (!routeMatches(r.path, path)) continue;
    pathMatched = true;
    if (methodAccepts(r, method, framework)) {
      hit = r;
      break;
    }
  }
  if (hit?.failure) {
    // The handler raised: the app logs the traceback (journald puts it in web.stdout.log) and answers 500.
    const f = hit.failure;
    const prefix = `${journalTime(now)} ${hostNameOf(process.instanceId)} web[${f.pid}]: `;
    for (const line of requestFailureLog(f, method, path, now)) x.logs.push({ file: LOG_FILES.web, at: now, text: `${prefix}${line}` });
    return respond(x, f.status, f.body, f.contentType);
  }
  if (hit) return respond(x, hit.status, hit.body, hit.contentType);
  if (process.answersEveryPath && process.defaultResponse) {
    const d = process.defaultResponse;
    return respond(x, d.status, d.body, d.contentType);
  }
  if (pathMatched && framework !== 'express' && framework !== 'node') {
    const matching = process.routes.filter((r) => routeMatches(r.path, path));
    const allow = [...new Set(matching.map((r) => r.method).concat(framework === 'flask' ? ['HEAD', 'OPTIONS'] : []))].sort().join(', ');
    if (framework === 'fastapi' || framework === 'starlette') return respond(x, 405, '{"detail":"Method Not Allowed"}', 'application/json', allow);
    return respond(x, 405, PAGE_405_FLASK, 'text/html; charset=utf-8', allow);
  }
  if (framework === 'express') {
    const body = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${method} ${path}</pre>\n</body>\n</html>\n`;
    return respond(x, 404, body, 'text/html; charset=utf-8');
  }
  if (framework === 'fastify') {
    return respond(x, 404, JSON.stringify({ message: `Route ${method}:${path} not found`, error: 'Not Found', statusCode: 404 }), 'application/json; charset=utf-8');
  }
  return respond(x, 404, process.notFound.body, process.notFound.contentType);
}

function matcherAccepts(matcher: string, status: number): boolean {
  return matcher.split(',').some((part) => {
    const [lo, hi] = part.trim().split('-').map(Number);
    return hi === undefined || Number.isNaN(hi) ? status === lo : status >= lo && status <= hi;
  });
}

/** A load balancer health check: the path's status must satisfy MatcherHTTPCode (`200`, `200,202`, `200-299`). */
export function checkHealth(process: AppProcess | undefined, check: { path: string; matcherHttpCode?: string; now?: number }): HealthCheckResult {
  const response = answerRequest(process, { method: 'GET', path: check.path || '/', headers: { 'user-agent': 'ELB-HealthChecker/2.0' }, ...(check.now !== undefined ? { now: check.now } : {}) });
  const healthy = matcherAccepts(check.matcherHttpCode ?? '200', response.status);
  const causes: string[] = [];
  if (!process || process.state !== 'running') causes.push('Following services are not running: web.');
  if (!healthy) causes.push(`Health checks failed with these codes: [${response.status}]`);
  return { healthy, status: response.status, causes };
}
