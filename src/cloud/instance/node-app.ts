// The Node.js rules of the app model: read package.json and the JavaScript files (requires, environment reads,
// listen port, Express routes) from source text, then start `npm start` / `node x.js` the way it would run on EB.

import {
  APP_ROOT,
  balancedArgs,
  computedBody,
  expandEnv,
  lineAt,
  literalToJson,
  resolveBindHost,
  shellWords,
  splitArgs,
  splitEnvAssignments,
  stringLiteral,
  type SourceFiles,
  type StartContext,
  type StartOutcome,
} from './app-model.ts';
import type { AppRoute, BindHost, EnvRead, ImportRef, NodeFile, NodeSource, PackageJson, RouteFact } from './types.ts';

const BUILTINS = new Set(
  (
    'assert async_hooks buffer child_process cluster console constants crypto dgram diagnostics_channel dns domain events fs ' +
    'http http2 https inspector module net os path perf_hooks process punycode querystring readline repl stream string_decoder ' +
    'sys timers tls trace_events tty url util v8 vm wasi worker_threads zlib test sqlite'
  ).split(' '),
);

const JS_FILE = /\.(c|m)?js$/;

/** Text with comments blanked out (same length, so indexes and lines still match). */
function withoutComments(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  let quote: string | null = null;
  const blank = (from: number, to: number) => text.slice(from, to).replace(/[^\n]/g, ' ');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote || (c === '\n' && quote !== '`')) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      quote = c;
      continue;
    }
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const end = text[i + 1] === '/' ? (text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i)) : text.indexOf('*/', i + 2) < 0 ? text.length : text.indexOf('*/', i + 2) + 2;
      parts.push(text.slice(copied, i), blank(i, end));
      copied = end;
      i = end - 1;
    }
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Brace depth at each index (0 = module top level). Parentheses count too: a callback's body is not top level. */
function depths(text: string): Uint16Array {
  const d = new Uint16Array(text.length + 1);
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    d[i] = depth;
    const c = text[i];
    if (quote) {
      if (c === '\\') (d[i + 1] = depth), i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{' || c === '(') depth++;
    else if ((c === '}' || c === ')') && depth > 0) depth--;
  }
  d[text.length] = depth;
  return d;
}

export function packageNameOf(specifier: string): string {
  if (specifier.startsWith('@')) return specifier.split('/').slice(0, 2).join('/');
  return specifier.split('/')[0];
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(packageNameOf(specifier));
}

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

function normalisePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** Resolves a relative specifier like Node: exact file, then .js/.mjs/.cjs/.json, then a directory's index.js. */
export function resolveLocal(fromFile: string, specifier: string, paths: Set<string>): string | undefined {
  const base = normalisePath(`${dirOf(fromFile)}/${specifier}`);
  const candidates = [base, `${base}.js`, `${base}.mjs`, `${base}.cjs`, `${base}.json`, `${base}/index.js`, `${base}/index.mjs`];
  return candidates.find((c) => paths.has(c));
}

// Evaluates a port expression as far as the source lets us: `process.env.PORT || 3000`, `3000`, an identifier.
function portOf(expr: string, text: string, depthLeft = 3): { env?: string; fallback?: number; literal?: number } | undefined {
  const e = expr.trim().replace(/^\{?\s*port\s*:\s*/, '').replace(/\}\s*$/, '');
  const lit = /^(\d+)$/.exec(e);
  if (lit) return { literal: Number(lit[1]) };
  const env = /process\.env(?:\.(\w+)|\[\s*['"](\w+)['"]\s*\])/.exec(e);
  if (env) {
    const fb = /(?:\|\||\?\?)\s*['"]?(\d+)['"]?/.exec(e);
    return { env: env[1] ?? env[2], ...(fb ? { fallback: Number(fb[1]) } : {}) };
  }
  if (depthLeft <= 0) return undefined;
  const getPort = /^(\w+)\.get\(\s*['"](\w+)['"]\s*\)$/.exec(e);
  if (getPort) {
    const set = new RegExp(`${getPort[1]}\\.set\\(\\s*['"]${getPort[2]}['"]\\s*,\\s*([^;\\n]+)\\)`).exec(text);
    return set ? portOf(set[1], text, depthLeft - 1) : undefined;
  }
  const ident = /^(?:Number|parseInt|\+)?\(?\s*([A-Za-z_$][\w$]*)\s*(?:,\s*10)?\)?$/.exec(e);
  if (ident) {
    const decl = new RegExp(`(?:const|let|var)\\s+${ident[1].replace(/\$/g, '\\$')}\\s*=\\s*([^;\\n]+)`).exec(text);
    return decl ? portOf(decl[1], text, depthLeft - 1) : undefined;
  }
  return undefined;
}

// `{ port, host: 'localhost' }` → port → `port`, host → `'localhost'` (shorthand properties name a variable).
function objectProperties(literal: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of splitArgs(literal.trim().replace(/^\{/, '').replace(/\}$/, ''))) {
    const m = /^([A-Za-z_$][\w$]*)\s*(?::\s*([\s\S]+))?$/.exec(part.trim());
    if (m) out.set(m[1], (m[2] ?? m[1]).trim());
  }
  return out;
}

// A listen host as far as the source lets us read it: a string, `process.env.HOST || 'localhost'`, a constant
// bound to one of those. A callback or backlog in that place means no host; undefined/null means the default.
function nodeBindHost(expr: string, text: string, depthLeft = 3): BindHost | undefined {
  const e = expr.trim();
  if (e === 'undefined' || e === 'null' || /^\d+$/.test(e) || /^(?:async\s*)?(?:function\b|\([^)]*\)\s*=>|[\w$]+\s*=>)/.test(e)) return undefined;
  const literal = stringLiteral(e);
  if (literal !== undefined) return { literal };
  const env = /^process\.env(?:\.(\w+)|\[\s*['"](\w+)['"]\s*\])\s*(?:(?:\|\||\?\?)\s*(['"`])([^'"`]*)\3)?$/.exec(e);
  if (env) return { env: env[1] ?? env[2], ...(env[4] !== undefined ? { fallback: env[4] } : {}) };
  const ident = /^[A-Za-z_$][\w$]*$/.exec(e);
  if (ident && depthLeft > 0) {
    const decl = new RegExp(`(?:const|let|var)\\s+${e.replace(/\$/g, '\\$')}\\s*=\\s*([^;\\n]+)`).exec(text);
    // A function declared under that name is the listen callback.
    if (new RegExp(`function\\s+${e.replace(/\$/g, '\\$')}\\s*\\(`).test(text)) return undefined;
    if (decl) return nodeBindHost(decl[1], text, depthLeft - 1) ?? {};
  }
  return {};
}

// The first response a handler sends, when it is a literal.
function handlerResponse(handler: string): Partial<RouteFact> {
  const status = /\.status\(\s*(\d{3})\s*\)|\.sendStatus\(\s*(\d{3})\s*\)|writeHead\(\s*(\d{3})|statusCode\s*=\s*(\d{3})/.exec(handler);
  const out: Partial<RouteFact> = {};
  if (status) out.status = Number(status[1] ?? status[2] ?? status[3] ?? status[4]);
  const declaredType = /['"]Content-Type['"]\s*[:,]\s*['"]([^'"]+)['"]/i.exec(handler)?.[1];
  const send = /\.(send|json|end)\s*\(/.exec(handler);
  if (send) {
    const args = balancedArgs(handler, handler.indexOf('(', send.index)) ?? '';
    const first = splitArgs(args)[0] ?? '';
    if (send[1] === 'json') {
      const body = literalToJson(first, true, false);
      if (body !== undefined) (out.body = body), (out.contentType = 'application/json; charset=utf-8');
    } else {
      const stringified = /^JSON\.stringify\s*\(/.test(first.trim()) ? literalToJson(balancedArgs(first.trim(), first.trim().indexOf('(')) ?? '', true, false) : undefined;
      const str = stringLiteral(first);
      if (stringified !== undefined) {
        out.body = stringified;
        out.contentType = declaredType ?? 'application/json';
      } else if (str !== undefined) {
        out.body = str;
        out.contentType = declaredType ?? (send[1] === 'send' ? 'text/html; charset=utf-8' : 'text/plain');
      } else if (/^[{[]/.test(first.trim()) && send[1] === 'send') {
        const body = literalToJson(first, true, false);
        if (body !== undefined) (out.body = body), (out.contentType = 'application/json; charset=utf-8');
      }
    }
  }
  return out;
}

/** Reads one JavaScript file's facts. */
export function analyseNodeFile(file: string, source: string, files: SourceFiles, moduleType?: string): NodeFile {
  const text = withoutComments(source);
  const depth = depths(text);
  const requires: ImportRef[] = [];
  const envReads: EnvRead[] = [];
  const routes: RouteFact[] = [];
  const staticDirs: NodeFile['staticDirs'] = [];
  const esm = file.endsWith('.mjs') || (file.endsWith('.js') && moduleType === 'module') || /^\s*(import\s+[\w{*'"]|export\s)/m.test(text);
  const add = (spec: string, index: number) => {
    if (depth[index] !== 0) return;
    const local = spec.startsWith('.') || spec.startsWith('/');
    requires.push({ module: local ? spec : spec.startsWith('node:') ? spec : packageNameOf(spec), file, line: lineAt(text, index), local });
  };
  for (const m of text.matchAll(/\brequire\s*\(\s*(['"])([^'"]+)\1\s*\)/g)) add(m[2], m.index);
  for (const m of text.matchAll(/^\s*import\s+(?:[\w*{}\s,$]+\s+from\s+)?(['"])([^'"]+)\1/gm)) add(m[2], m.index + m[0].indexOf(m[1]));
  for (const m of text.matchAll(/^\s*export\s+[\w*{}\s,$]+\s+from\s+(['"])([^'"]+)\1/gm)) add(m[2], m.index);
  requires.sort((a, b) => a.line - b.line);

  for (const m of text.matchAll(/process\.env(?:\.(\w+)|\[\s*['"](\w+)['"]\s*\])/g)) {
    const name = m[1] ?? m[2];
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 40);
    const before = text.slice(Math.max(0, m.index - 60), m.index);
    const hasDefault = /^\s*(\|\||\?\?)/.test(after);
    const atStartup = depth[m.index] === 0 || (depth[m.index] === 1 && /\bif\s*\(\s*!?\s*$/.test(before) && isTopLevelIf(text, depth, m.index));
    const read: EnvRead = { name, file, line: lineAt(text, m.index), hasDefault, atStartup, failsWhenMissing: false };
    // `process.env.X.split(',')` at load: TypeError when X is unset.
    const prop = /^\.(\w+)/.exec(after);
    if (atStartup && !hasDefault && prop) {
      read.failsWhenMissing = true;
      read.error = `TypeError: Cannot read properties of undefined (reading '${prop[1]}')`;
    }
    // `if (!process.env.X) throw new Error('...')` at load.
    const guard = /^\s*\)\s*\{?\s*throw\s+new\s+(\w*Error)\s*\(\s*(['"`])((?:(?!\2)[^\\]|\\.)*)\2/.exec(after.length < 40 ? after : text.slice(m.index + m[0].length, m.index + m[0].length + 300));
    if (/!\s*$/.test(before) && guard && atStartup) {
      read.failsWhenMissing = true;
      read.error = `${guard[1]}: ${guard[3].replace(/\$\{[^}]*\}/g, name)}`;
    }
    envReads.push(read);
  }
  // `const X = process.env.X; if (!X) throw new Error(...)`
  for (const m of text.matchAll(/(?:const|let|var)\s+(\w+)\s*=\s*process\.env(?:\.(\w+)|\[\s*['"](\w+)['"]\s*\])\s*;?/g)) {
    if (depth[m.index] !== 0) continue;
    const v = m[1];
    if (!/\bthrow\b/.test(text.slice(m.index, m.index + 2000))) continue;
    const guard = new RegExp(`if\\s*\\(\\s*!\\s*${v}\\s*\\)\\s*\\{?\\s*throw\\s+new\\s+(\\w*Error)\\s*\\(\\s*(['"\`])((?:(?!\\2)[^\\\\]|\\\\.)*)\\2`).exec(text.slice(m.index, m.index + 2000));
    if (guard) {
      const line = lineAt(text, m.index);
      const read = envReads.find((r) => r.line === line && r.name === (m[2] ?? m[3]));
      if (read) {
        read.failsWhenMissing = true;
        read.error = `${guard[1]}: ${guard[3].replace(/\$\{[^}]*\}/g, read.name)}`;
      }
    }
  }

  let framework: NodeFile['framework'] = 'none';
  const pkgs = new Set(requires.map((r) => r.module));
  if (pkgs.has('express')) framework = 'express';
  else if (pkgs.has('fastify')) framework = 'fastify';
  else if (pkgs.has('koa')) framework = 'koa';
  else if (/\bcreateServer\s*\(/.test(text)) framework = 'http';

  // Route prefixes from app.use('/api', router).
  const prefixOf = new Map<string, string>();
  const mounts: NonNullable<NodeFile['mounts']> = [];
  for (const m of text.matchAll(/\.use\(\s*(['"`])([^'"`]+)\1\s*,\s*([\w$]+)\s*\)/g)) {
    prefixOf.set(m[3], m[2]);
    // The router comes from another file of the bundle.
    const v = m[3].replace(/\$/g, '\\$');
    const req =
      new RegExp(`(?:const|let|var)\\s+${v}\\s*=\\s*require\\(\\s*['"](\\.[^'"]+)['"]\\s*\\)`).exec(text) ??
      new RegExp(`import\\s+${v}\\s+from\\s+['"](\\.[^'"]+)['"]`).exec(text);
    const target = req ? resolveLocal(file, req[1], files.paths) : undefined;
    if (target) mounts.push({ prefix: m[2], file: target });
  }
  for (const m of text.matchAll(/\.use\(\s*(['"`])([^'"`]+)\1\s*,\s*require\(\s*['"](\.[^'"]+)['"]\s*\)\s*\)/g)) {
    const target = resolveLocal(file, m[3], files.paths);
    if (target) mounts.push({ prefix: m[2], file: target });
  }
  for (const m of text.matchAll(/\b([\w$]+)\.(get|post|put|delete|patch|all|head|options)\s*\(\s*(['"`])([^'"`]*)\3/g)) {
    if (m[1] === 'process') continue;
    if (m[2] === 'get' && !text.slice(m.index + m[0].length, m.index + m[0].length + 200).trimStart().startsWith(',')) continue; // app.get('port')
    const open = text.indexOf('(', m.index + m[1].length);
    const args = balancedArgs(text, open) ?? '';
    const prefix = prefixOf.get(m[1]) ?? '';
    routes.push({
      method: m[2] === 'all' ? '*' : m[2].toUpperCase(),
      path: `${prefix}${m[4]}`.replace(/\/\/+/g, '/') || '/',
      file,
      line: lineAt(text, m.index),
      ...handlerResponse(source.slice(open, open + args.length + 2)),
    });
  }
  // Fastify's object form: fastify.route({ method: 'GET', url: '/x', handler }).
  for (const m of text.matchAll(/\.route\(\s*\{([^}]*)\}/g)) {
    const method = /method\s*:\s*['"](\w+)['"]/.exec(m[1]);
    const url = /url\s*:\s*['"]([^'"]+)['"]/.exec(m[1]);
    if (url) routes.push({ method: method ? method[1].toUpperCase() : 'GET', path: url[1], file, line: lineAt(text, m.index) });
  }
  for (const m of text.matchAll(/\.use\(\s*(?:(['"`])([^'"`]+)\1\s*,\s*)?express\.static\(\s*(?:path\.join\(\s*__dirname\s*,\s*)?(['"`])([^'"`]+)\3/g)) {
    staticDirs.push({ urlPrefix: m[2] ?? '/', dir: normalisePath(`${dirOf(file)}/${m[4]}`) });
  }

  let listen: NodeFile['listen'];
  let listenLog: string | undefined;
  const lm = /\.listen\s*\(/.exec(text);
  if (lm) {
    const args = balancedArgs(text, lm.index + lm[0].length - 1) ?? '';
    const parts = splitArgs(args);
    // `listen({ port, host })` carries both in one object; `listen(port, host, cb)` has the host second.
    const options = parts[0]?.startsWith('{') ? objectProperties(parts[0]) : undefined;
    const portExpr = options ? options.get('port') : parts[0];
    const port = portExpr !== undefined ? portOf(portExpr, text) : undefined;
    const hostExpr = options ? options.get('host') : parts[1];
    const host = hostExpr !== undefined ? nodeBindHost(hostExpr, text) : undefined;
    listen = { file, line: lineAt(text, lm.index), ...(port ?? {}), ...(host ? { host } : {}) };
    const log = /console\.(?:log|info)\s*\(\s*(['"`])((?:(?!\1)[^\\]|\\.)*)\1/.exec(args);
    if (log) listenLog = log[2];
  }
  if (!listen && framework === 'none') {
    // A plain script with no server: nothing listens.
  }
  if (framework === 'http') {
    const handler = /createServer\s*\(/.exec(text);
    const inline = handler ? /^\s*(?:async\s*)?(?:function\b|\([^)]*\)\s*=>|\w+\s*=>)/.test(text.slice(handler.index + handler[0].length, handler.index + handler[0].length + 200)) : false;
    if (handler && inline) {
      let args = balancedArgs(source, handler.index + handler[0].length - 1) ?? '';
      // `http.createServer(app)` hands requests to a framework app; only an inline handler answers by itself.
      // `if (req.url === '/health') { ... }` branches are routes; what remains answers every other path.
      for (;;) {
        const branch = /if\s*\(\s*(?:req|request)\.url\s*===?\s*(['"`])([^'"`]+)\1[^)]*\)\s*\{/.exec(args);
        if (!branch) break;
        const open = branch.index + branch[0].length - 1;
        const block = balancedArgs(args, open);
        if (block === undefined) break;
        routes.push({ method: '*', path: branch[2], file, line: lineAt(text, handler.index), ...handlerResponse(block) });
        args = args.slice(0, branch.index) + args.slice(open + block.length + 2);
      }
      const fact = handlerResponse(args);
      routes.push({ method: '*', path: '*', file, line: lineAt(text, handler.index), ...fact });
    }
  }
  // Brackets still open at the end of the file: Node refuses it before running a line.
  // Regex literals can hold brackets and quotes this reader does not parse, so a file with one is never called broken.
  const mayHaveRegex = /(^|[=(,:!&|?{};]\s*)\/(?![/*])(?:\\.|[^/\n])+\/[dgimsuy]*/m.test(text);
  const syntaxError = depth[text.length] > 0 && !mayHaveRegex ? { line: lineAt(text, Math.max(0, text.trimEnd().length - 1)), message: 'Unexpected end of input' } : undefined;
  return { file, requires, envReads, framework, esm, staticDirs, ...(syntaxError ? { syntaxError } : {}), ...(listen ? { listen } : {}), ...(listenLog !== undefined ? { listenLog } : {}), routes, ...(mounts.length ? { mounts } : {}) };
}

function isTopLevelIf(text: string, depth: Uint16Array, index: number): boolean {
  const open = text.lastIndexOf('(', index);
  return open >= 0 && depth[open] === 0;
}

export function parsePackageJson(text: string): PackageJson {
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
    const scripts = obj(raw.scripts);
    return {
      ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
      ...(typeof raw.version === 'string' ? { version: raw.version } : {}),
      ...(typeof raw.type === 'string' ? { type: raw.type } : {}),
      ...(typeof raw.main === 'string' ? { main: raw.main } : {}),
      ...(typeof scripts.start === 'string' ? { startScript: scripts.start } : {}),
      dependencies: [...Object.keys(obj(raw.dependencies)), ...Object.keys(obj(raw.optionalDependencies))],
      devDependencies: Object.keys(obj(raw.devDependencies)),
      ...(typeof obj(raw.engines).node === 'string' ? { engines: obj(raw.engines).node as string } : {}),
    };
  } catch (err) {
    return { dependencies: [], devDependencies: [], error: err instanceof Error ? err.message : String(err) };
  }
}

export function analyseNode(files: SourceFiles): NodeSource {
  const pkgText = files.text.get('package.json');
  const packageJson = pkgText !== undefined ? parsePackageJson(pkgText) : undefined;
  const out: NodeFile[] = [];
  for (const [path, text] of files.text) {
    const script = /^bin\/[^/.]+$/.test(path) && (/^#!.*\bnode\b/.test(text) || /\brequire\s*\(/.test(text));
    if ((!JS_FILE.test(path) && !script) || path.startsWith('node_modules/') || path.startsWith('.platform/') || path.startsWith('.ebextensions/')) continue;
    out.push(analyseNodeFile(path, text, files, packageJson?.type));
  }
  out.sort((a, b) => a.file.localeCompare(b.file));
  return { ...(packageJson ? { packageJson } : {}), files: out };
}

// ---------------------------------------------------------------------------------------------------------------
// Starting the process

function nodeFooter(runtimeVersion: string): string[] {
  return ['', `Node.js v${runtimeVersion}`];
}

function cannotFindCjs(spec: string, stack: string[], at: { file: string; line: number }, runtimeVersion: string): string[] {
  return [
    'node:internal/modules/cjs/loader:1228',
    '  throw err;',
    '  ^',
    '',
    `Error: Cannot find module '${spec}'`,
    ...(stack.length ? ['Require stack:', ...stack.map((s) => `- ${APP_ROOT}/${s}`)] : []),
    '    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)',
    '    at Module._load (node:internal/modules/cjs/loader:1051:27)',
    '    at Module.require (node:internal/modules/cjs/loader:1311:19)',
    '    at require (node:internal/modules/helpers:179:18)',
    `    at Object.<anonymous> (${APP_ROOT}/${at.file}:${at.line}:1)`,
    '    at Module._compile (node:internal/modules/cjs/loader:1469:14) {',
    "  code: 'MODULE_NOT_FOUND',",
    `  requireStack: [${stack.length ? ` ${stack.map((s) => `'${APP_ROOT}/${s}'`).join(', ')} ` : ''}]`,
    '}',
    ...nodeFooter(runtimeVersion),
  ];
}

function cannotFindEsm(spec: string, from: string, local: boolean, runtimeVersion: string): string[] {
  return [
    'node:internal/modules/esm/resolve:873',
    '  throw new ERR_MODULE_NOT_FOUND(packageName, fileURLToPath(base), null);',
    '        ^',
    '',
    local
      ? `Error [ERR_MODULE_NOT_FOUND]: Cannot find module '${APP_ROOT}/${normalisePath(`${dirOf(from)}/${spec}`)}' imported from ${APP_ROOT}/${from}`
      : `Error [ERR_MODULE_NOT_FOUND]: Cannot find package '${spec}' imported from ${APP_ROOT}/${from}`,
    '    at packageResolve (node:internal/modules/esm/resolve:873:9)',
    '    at moduleResolve (node:internal/modules/esm/resolve:946:18)',
    '    at defaultResolve (node:internal/modules/esm/resolve:1188:11) {',
    "  code: 'ERR_MODULE_NOT_FOUND'",
    '}',
    ...nodeFooter(runtimeVersion),
  ];
}

interface NodeLoad {
  failure?: { lines: string[]; error: string; at: { file: string; line: number } };
  loaded: NodeFile[];
}

function installedPackages(source: NodeSource, files: SourceFiles): Set<string> {
  const have = new Set<string>(source.packageJson?.dependencies ?? []);
  for (const p of files.paths) {
    const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p);
    if (m) have.add(m[1]);
  }
  return have;
}

function loadNode(entry: string, source: NodeSource, files: SourceFiles, env: Record<string, string>, ctx: StartContext): NodeLoad {
  const have = installedPackages(source, files);
  const loaded: NodeFile[] = [];
  const seen = new Set<string>();
  const visit = (file: string, stack: string[]): NodeLoad['failure'] => {
    if (seen.has(file)) return undefined;
    seen.add(file);
    const nf = source.files.find((f) => f.file === file);
    if (!nf) return undefined;
    loaded.push(nf);
    if (nf.syntaxError) {
      const code = (files.text.get(file) ?? '').split(/\r?\n/)[nf.syntaxError.line - 1] ?? '';
      const error = `SyntaxError: ${nf.syntaxError.message}`;
      return {
        error,
        at: { file, line: nf.syntaxError.line },
        lines: [`${APP_ROOT}/${file}:${nf.syntaxError.line}`, code, '', '', error, '    at wrapSafe (node:internal/modules/cjs/loader:1469:18)', '    at Module._compile (node:internal/modules/cjs/loader:1491:20)', ...nodeFooter(ctx.runtimeVersion)],
      };
    }
    const steps = [
      ...nf.requires.map((r) => ({ kind: 'require' as const, line: r.line, r })),
      ...nf.envReads.filter((e) => e.atStartup && e.failsWhenMissing).map((e) => ({ kind: 'env' as const, line: e.line, e })),
    ].sort((a, b) => a.line - b.line);
    for (const s of steps) {
      if (s.kind === 'env') {
        if (env[s.e.name] === undefined || env[s.e.name] === '') {
          const code = (files.text.get(file) ?? '').split(/\r?\n/)[s.line - 1] ?? '';
          const error = s.e.error ?? `Error: ${s.e.name} is not set`;
          return {
            error,
            at: { file, line: s.line },
            lines: [`${APP_ROOT}/${file}:${s.line}`, code, `${' '.repeat(Math.max(0, code.search(/\S/)))}^`, '', error, `    at Object.<anonymous> (${APP_ROOT}/${file}:${s.line}:${Math.max(1, code.search(/\S/) + 1)})`, '    at Module._compile (node:internal/modules/cjs/loader:1469:14)', ...nodeFooter(ctx.runtimeVersion)],
          };
        }
        continue;
      }
      const r = s.r;
      if (r.local) {
        const target = resolveLocal(file, r.module, files.paths);
        if (!target) {
          const error = `Error: Cannot find module '${r.module}'`;
          return { error, at: { file, line: r.line }, lines: nf.esm ? cannotFindEsm(r.module, file, true, ctx.runtimeVersion) : cannotFindCjs(r.module, [file, ...stack], { file, line: r.line }, ctx.runtimeVersion) };
        }
        const f = visit(target, [file, ...stack]);
        if (f) return f;
        continue;
      }
      if (isBuiltin(r.module)) continue;
      if (!have.has(r.module)) {
        const error = nf.esm ? `Error [ERR_MODULE_NOT_FOUND]: Cannot find package '${r.module}'` : `Error: Cannot find module '${r.module}'`;
        return { error, at: { file, line: r.line }, lines: nf.esm ? cannotFindEsm(r.module, file, false, ctx.runtimeVersion) : cannotFindCjs(r.module, [file, ...stack], { file, line: r.line }, ctx.runtimeVersion) };
      }
    }
    return undefined;
  };
  const failure = visit(entry, []);
  return { ...(failure ? { failure } : {}), loaded };
}

/** The command EB runs without a Procfile: `npm start` with package.json, else `node app.js`, else `node server.js`. */
export function defaultNodeCommand(paths: Set<string>): string | undefined {
  if (paths.has('package.json')) return 'npm start';
  if (paths.has('app.js')) return 'node app.js';
  if (paths.has('server.js')) return 'node server.js';
  return undefined;
}

const EXPRESS_404 = (method: string, path: string) =>
  `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${method} ${path}</pre>\n</body>\n</html>\n`;

/** Starts the Node.js web process for a command. Never throws. */
export function startNodeApp(source: NodeSource, files: SourceFiles, ctx: StartContext): StartOutcome {
  const base: StartOutcome = { running: false, stdout: [], routes: [], answersEveryPath: false, notFound: { body: EXPRESS_404('GET', '/'), contentType: 'text/html; charset=utf-8' }, framework: 'node' };
  const stdout: string[] = [];
  let words = splitEnvAssignments(shellWords(expandEnv(ctx.command, ctx.env))).rest;
  const pkg = source.packageJson;

  if (words[0] === 'npm' && (words[1] === 'start' || (words[1] === 'run' && words[2]) || words[1] === 'run-script')) {
    const script = words[1] === 'start' ? 'start' : words[2];
    if (!pkg) {
      const lines = ['npm error code ENOENT', 'npm error syscall open', `npm error path ${APP_ROOT}/package.json`, `npm error errno -2`, `npm error enoent Could not read package.json: Error: ENOENT: no such file or directory, open '${APP_ROOT}/package.json'`];
      return { ...base, exit: { code: 254, error: lines[4] }, stdout: lines };
    }
    if (pkg.error) {
      const lines = ['npm error code EJSONPARSE', `npm error JSON.parse Invalid package.json: JSONParseError: ${pkg.error}`, 'npm error JSON.parse Failed to parse JSON data.'];
      return { ...base, exit: { code: 1, error: lines[1] }, stdout: lines };
    }
    let scriptText = script === 'start' ? pkg.startScript : undefined;
    if (script === 'start' && scriptText === undefined && files.paths.has('server.js')) scriptText = 'node server.js';
    if (scriptText === undefined) {
      const lines = [`npm error Missing script: "${script}"`, 'npm error', 'npm error To see a list of scripts, run:', 'npm error   npm run'];
      return { ...base, exit: { code: 1, error: `npm error Missing script: "${script}"` }, stdout: lines };
    }
    stdout.push('', `> ${pkg.name ?? 'app'}@${pkg.version ?? '1.0.0'} ${script}`, `> ${scriptText}`, '');
    // `tsc && node dist/server.js`: the last command is the server.
    const chain = scriptText.split(/&&|;/).map((s) => s.trim()).filter(Boolean);
    words = splitEnvAssignments(shellWords(expandEnv(chain[chain.length - 1] ?? '', ctx.env))).rest;
  }

  const program = words[0] ?? '';
  if (program !== 'node') {
    const bin = program.split('/').pop() ?? program;
    const installed = installedPackages(source, files);
    const devOnly = pkg?.devDependencies.includes(bin) && !installed.has(bin);
    if (!installed.has(bin) && !files.paths.has(program.replace(/^\.\//, ''))) {
      const error = `sh: line 1: ${bin}: command not found`;
      return { ...base, exit: { code: 127, error: devOnly ? `${error} (${bin} is a devDependency; EB installs dependencies only)` : error }, stdout: [...stdout, error] };
    }
    // A framework CLI we do not model (next start, nest start ...): it serves on PORT; every path answers.
    const port = ctx.env.PORT ? Number(ctx.env.PORT) : 8080;
    return {
      running: true,
      stdout: [...stdout, `(sandbox) '${words.join(' ')}' is not modelled in detail; it is assumed to serve every path on port ${port}.`],
      listenPort: port,
      routes: [],
      answersEveryPath: true,
      defaultResponse: { method: '*', path: '*', status: 200, body: computedBody('*', '*', { file: 'package.json', line: 1 }), contentType: 'text/html; charset=utf-8' },
      notFound: base.notFound,
      framework: bin,
    };
  }
  const script = words.slice(1).find((w) => !w.startsWith('-'));
  let entry: string | undefined;
  if (script === undefined) {
    const error = 'node: no script given; the process starts a REPL and exits without a terminal.';
    return { ...base, exit: { code: 0, error }, stdout };
  }
  if (script === '.' || script === './') {
    entry = resolveLocal('index.js', `./${pkg?.main ?? 'index.js'}`, files.paths);
  } else {
    entry = resolveLocal('index.js', script.startsWith('.') || script.startsWith('/') ? script : `./${script}`, files.paths);
  }
  if (!entry) {
    const missing = `${APP_ROOT}/${normalisePath(script === '.' ? (pkg?.main ?? 'index.js') : script)}`;
    const lines = [
      'node:internal/modules/cjs/loader:1228',
      '  throw err;',
      '  ^',
      '',
      `Error: Cannot find module '${missing}'`,
      '    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)',
      '    at Module._load (node:internal/modules/cjs/loader:1051:27)',
      '    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:174:12)',
      '    at node:internal/main/run_main_module:28:49 {',
      "  code: 'MODULE_NOT_FOUND',",
      '  requireStack: []',
      '}',
      ...nodeFooter(ctx.runtimeVersion),
    ];
    return { ...base, exit: { code: 1, error: `Error: Cannot find module '${missing}'` }, stdout: [...stdout, ...lines] };
  }
  // `node -r dotenv/config server.js` preloads a package.
  const preload = words.findIndex((w) => w === '-r' || w === '--require');
  if (preload >= 0 && words[preload + 1] && !isBuiltin(words[preload + 1]) && !installedPackages(source, files).has(packageNameOf(words[preload + 1]))) {
    const lines = cannotFindCjs(words[preload + 1], ['internal/preload'], { file: entry, line: 1 }, ctx.runtimeVersion);
    return { ...base, exit: { code: 1, error: `Error: Cannot find module '${words[preload + 1]}'` }, stdout: [...stdout, ...lines] };
  }

  const load = loadNode(entry, source, files, ctx.env, ctx);
  if (load.failure) {
    return { ...base, exit: { code: 1, error: load.failure.error, at: load.failure.at }, stdout: [...stdout, ...load.failure.lines] };
  }
  const listen = load.loaded.find((f) => f.listen)?.listen;
  const listener = load.loaded.find((f) => f.listen);
  const framework =
    load.loaded.find((f) => f.framework !== 'none' && f.framework !== 'http')?.framework ?? (load.loaded.some((f) => f.framework === 'http') ? 'http' : 'none');
  if (!listen) {
    return { ...base, exit: { code: 0, error: `${entry} ran to its end without listening on a port (no .listen(...) call).` }, stdout, framework };
  }
  let listenPort: number;
  if (listen.literal !== undefined) listenPort = listen.literal;
  else if (listen.env && ctx.env[listen.env] && /^\d+$/.test(ctx.env[listen.env])) listenPort = Number(ctx.env[listen.env]);
  else if (listen.fallback !== undefined) listenPort = listen.fallback;
  else if (listen.env) listenPort = 30000 + (ctx.pid % 20000); // listen(undefined): the OS picks a free port
  else listenPort = ctx.env.PORT ? Number(ctx.env.PORT) : 8080;
  if (listener?.listenLog) stdout.push(listener.listenLog.replace(/\$\{[^}]*\}/g, String(listenPort)));
  // Node's server.listen without a host binds the unspecified address (`::`, every interface); Fastify's listen
  // defaults to localhost (both documented).
  const listenHost = resolveBindHost(listen.host, ctx.env, framework === 'fastify' ? 'localhost' : '::');

  const mountOf = (file: string): string => load.loaded.flatMap((f) => f.mounts ?? []).find((m) => m.file === file)?.prefix ?? '';
  const routeFacts = load.loaded.flatMap((f) => {
    const prefix = mountOf(f.file);
    return prefix ? f.routes.map((r) => (r.path === '*' ? r : { ...r, path: r.path === '/' ? prefix : `${prefix}${r.path}`.replace(/\/\/+/g, '/') })) : f.routes;
  });
  const everyPath = routeFacts.find((r) => r.method === '*' && r.path === '*');
  const routes: AppRoute[] = routeFacts
    .filter((r) => r !== everyPath)
    .map((r) => ({
      method: r.method,
      path: r.path,
      status: r.status ?? 200,
      body: r.body ?? computedBody(r.method, r.path, r),
      contentType: r.body !== undefined ? (r.contentType ?? 'text/html; charset=utf-8') : 'text/plain; charset=utf-8',
    }));
  const outcome: StartOutcome = {
    running: true,
    stdout,
    listenPort,
    ...(listenHost !== undefined ? { listenHost } : {}),
    routes,
    answersEveryPath: framework === 'http' || framework === 'none' || Boolean(everyPath),
    notFound: framework === 'fastify' ? { body: '{"message":"Route GET:/ not found","error":"Not Found","statusCode":404}', contentType: 'application/json; charset=utf-8' } : { body: EXPRESS_404('GET', '/'), contentType: 'text/html; charset=utf-8' },
    framework,
  };
  if (outcome.answersEveryPath) {
    outcome.defaultResponse = {
      method: '*',
      path: '*',
      status: everyPath?.status ?? 200,
      body: everyPath?.body ?? computedBody('*', '*', everyPath ?? { file: entry, line: listen.line }),
      contentType: everyPath?.body !== undefined ? (everyPath.contentType ?? 'text/plain') : 'text/plain; charset=utf-8',
    };
  }
  return outcome;
}

/** Static files an Express app serves, by URL path. */
export function staticFilesOf(source: NodeSource, files: SourceFiles): { urlPrefix: string; files: string[] }[] {
  return source.files.flatMap((f) =>
    f.staticDirs.map((s) => ({ urlPrefix: s.urlPrefix, files: [...files.paths].filter((p) => p.startsWith(`${s.dir}/`)).map((p) => p.slice(s.dir.length + 1)) })),
  );
}
