// The nginx-like proxy in front of the web process: answers requests and health checks from the app model,
// with nginx's own pages and log lines for 502, 404 and 413, and the version label on every response.

import type { AppProcess, AppRequest, AppResponse, AppRoute, HealthCheckResult, LogLine } from './types.ts';
import { LOG_FILES } from './types.ts';
import { hostNameOf, journalTime } from './deploy.ts';
import { requestFailureLog } from './python-app.ts';

function nginxPage(status: number, reason: string, signature = true): string {
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n${signature ? '<hr><center>nginx</center>\r\n' : ''}</body>\r\n</html>\r\n`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function accessTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function errorTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const utf8 = new TextEncoder();

function bodySize(req: AppRequest): number {
  const declared = Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-length')?.[1];
  if (req.body instanceof Uint8Array) return req.body.length;
  if (typeof req.body === 'string') return utf8.encode(req.body).length;
  return declared && /^\d+$/.test(declared) ? Number(declared) : 0;
}

function header(req: AppRequest, name: string): string | undefined {
  return Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
}

/** Whether a route path (`/pets/<int:id>`, `/pets/:id`, `/pets/{id}`, `*`) matches a request path. */
export function routeMatches(pattern: string, path: string): boolean {
  if (pattern === '*' || pattern === '/*' || pattern === '(.*)') return true;
  const norm = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
  const parts = norm(pattern).split('/');
  const actual = norm(path).split('/');
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

/** Answers one request through the proxy: 502 when nothing listens upstream, 413 over client_max_body_size, 404 for unknown routes. */
export function answerRequest(process: AppProcess | undefined, request: AppRequest): AppResponse {
  const now = request.now ?? process?.startedAt ?? 0;
  const method = request.method.toUpperCase();
  const rawPath = request.path || '/';
  const path = rawPath.split('?')[0] || '/';
  const client = request.clientIp ?? '172.31.0.10';
  const host = header(request, 'host') ?? '';
  const agent = header(request, 'user-agent') ?? '-';
  const logs: LogLine[] = [];
  const withProxy = process?.proxyServer !== 'none';
  const respond = (status: number, body: string, contentType: string, extra: Record<string, string> = {}): AppResponse => {
    const headers: Record<string, string> = {
      ...(withProxy ? { server: 'nginx' } : {}),
      date: new Date(now).toUTCString(),
      'content-type': contentType,
      'content-length': String(utf8.encode(body).length),
      ...extra,
    };
    if (process) headers['x-app-version'] = process.versionLabel;
    if (withProxy) {
      logs.push({ file: LOG_FILES.nginxAccess, at: now, text: `${client} - - [${accessTime(now)}] "${method} ${rawPath} HTTP/1.1" ${status} ${headers['content-length']} "-" "${agent}" "${header(request, 'x-forwarded-for') ?? '-'}"` });
    }
    return { status, headers, body: method === 'HEAD' ? '' : body, logs };
  };
  const nginxError = (text: string) => logs.push({ file: LOG_FILES.nginxError, at: now, text: `${errorTime(now)} [error] 2210#2210: *${(now % 9000) + 1} ${text}, client: ${client}, server: , request: "${method} ${rawPath} HTTP/1.1"${text.includes('upstream') ? `, upstream: "http://127.0.0.1:${process?.upstreamPort ?? 0}${rawPath}"` : ''}, host: "${host}"` });

  if (!process) {
    nginxError('connect() failed (111: Connection refused) while connecting to upstream');
    return respond(502, nginxPage(502, 'Bad Gateway'), 'text/html');
  }
  const size = bodySize(request);
  if (withProxy && size > process.clientMaxBodySize) {
    nginxError(`client intended to send too large body: ${size} bytes`);
    return respond(413, nginxPage(413, 'Request Entity Too Large'), 'text/html');
  }
  if (withProxy && process.upstreamPort === 0) {
    nginxError(`open() "/usr/share/nginx/html${path}" failed (2: No such file or directory)`);
    return respond(404, nginxPage(404, 'Not Found'), 'text/html');
  }
  // nginx serves the platform's static directories itself.
  if (withProxy && process.framework !== 'express') {
    for (const s of process.staticFiles ?? []) {
      const prefix = s.urlPrefix.endsWith('/') ? s.urlPrefix : `${s.urlPrefix}/`;
      if (path.startsWith(prefix)) {
        const file = path.slice(prefix.length);
        if (s.files.includes(file)) return respond(200, `(static file ${s.urlPrefix}/${file})\n`, CONTENT_TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream');
        nginxError(`open() "/var/app/current${s.urlPrefix}/${file}" failed (2: No such file or directory)`);
        return respond(404, nginxPage(404, 'Not Found'), 'text/html');
      }
    }
  }
  if (process.state !== 'running' || process.listenPort !== process.upstreamPort) {
    if (!withProxy) return respond(502, nginxPage(502, 'Bad Gateway', false), 'text/html');
    nginxError('connect() failed (111: Connection refused) while connecting to upstream');
    return respond(502, nginxPage(502, 'Bad Gateway'), 'text/html');
  }
  if (process.requestFailure) {
    for (const line of process.requestFailure.log) logs.push({ file: LOG_FILES.web, at: now, text: line.replace('Error handling request /', `Error handling request ${path}`) });
    return respond(process.requestFailure.status, process.requestFailure.body, 'text/html');
  }
  // Express serves its static directories before its routes.
  if (process.framework === 'express') {
    for (const s of process.staticFiles ?? []) {
      const prefix = s.urlPrefix.endsWith('/') ? s.urlPrefix : `${s.urlPrefix}/`;
      if (path.startsWith(prefix) || (path === '/' && s.urlPrefix === '/')) {
        const file = path === '/' ? 'index.html' : path.slice(prefix.length);
        if (s.files.includes(file)) return respond(200, `(static file ${file})\n`, CONTENT_TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream');
      }
    }
  }
  const methodOk = (r: AppRoute) => r.method === '*' || r.method === method || (method === 'HEAD' && r.method === 'GET') || (method === 'OPTIONS' && process.framework === 'flask');
  const matching = process.routes.filter((r) => routeMatches(r.path, path));
  const hit = matching.find(methodOk);
  if (hit?.failure) {
    // The handler raised: the app logs the traceback (journald puts it in web.stdout.log) and answers 500.
    const f = hit.failure;
    const prefix = `${journalTime(now)} ${hostNameOf(process.instanceId)} web[${f.pid}]: `;
    for (const line of requestFailureLog(f, method, path, now)) logs.push({ file: LOG_FILES.web, at: now, text: `${prefix}${line}` });
    return respond(f.status, f.body, f.contentType);
  }
  if (hit) return respond(hit.status, hit.body, hit.contentType);
  if (process.answersEveryPath && process.defaultResponse) {
    const d = process.defaultResponse;
    return respond(d.status, d.body, d.contentType);
  }
  if (matching.length && process.framework !== 'express' && process.framework !== 'node') {
    const allow = [...new Set(matching.map((r) => r.method).concat(process.framework === 'flask' ? ['HEAD', 'OPTIONS'] : []))].sort().join(', ');
    if (process.framework === 'fastapi' || process.framework === 'starlette') return respond(405, '{"detail":"Method Not Allowed"}', 'application/json', { allow });
    return respond(
      405,
      '<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n',
      'text/html; charset=utf-8',
      { allow },
    );
  }
  if (process.framework === 'express') {
    const body = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${method} ${path}</pre>\n</body>\n</html>\n`;
    return respond(404, body, 'text/html; charset=utf-8');
  }
  if (process.framework === 'fastify') {
    return respond(404, JSON.stringify({ message: `Route ${method}:${path} not found`, error: 'Not Found', statusCode: 404 }), 'application/json; charset=utf-8');
  }
  return respond(404, process.notFound.body, process.notFound.contentType);
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
