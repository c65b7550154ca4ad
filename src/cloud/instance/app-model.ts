// Shared pieces of the app model: the source files of a bundle, what starting the web process produced, and the
// small lexical helpers the Python and Node.js readers use. The rules themselves live in python-app.ts and node-app.ts.

import type { AppRoute, BindHost, SourceRef } from './types.ts';

/** Text of the bundle's source files by path, plus every path in the bundle (for existence checks). */
export interface SourceFiles {
  text: Map<string, string>;
  paths: Set<string>;
}

/** What starting the web process produced (the parts of AppProcess the language rules decide). */
export interface StartOutcome {
  running: boolean;
  exit?: { code: number; error: string; at?: SourceRef };
  /** Lines the process printed (web.stdout.log), without the journald prefix. */
  stdout: string[];
  listenPort?: number;
  /** The address it binds (`127.0.0.1`, `0.0.0.0`, `::`), when the command or source says; undefined when unknown. */
  listenHost?: string;
  routes: AppRoute[];
  answersEveryPath: boolean;
  defaultResponse?: AppRoute;
  notFound: { body: string; contentType: string };
  framework: string;
  requestFailure?: { status: number; body: string; log: string[] };
}

export interface StartContext {
  /** The command that starts the web process (Procfile line or platform default). */
  command: string;
  /** Environment the process sees: environment properties plus PORT. */
  env: Record<string, string>;
  /** Virtual time of the start, for timestamps in the app's own log lines. */
  now: number;
  pid: number;
  /** Runtime version, e.g. `3.13.12`, `22.22.2`. */
  runtimeVersion: string;
}

export const APP_ROOT = '/var/app/current';

/** Splits a shell command line into words (quotes respected, no expansion). */
export function shellWords(command: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let has = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      if (c === quote) quote = null;
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
    }
  }
  if (has || cur) out.push(cur);
  return out;
}

/** Expands `$NAME` and `${NAME}` from the environment, as /bin/sh would (unset → empty). */
export function expandEnv(command: string, env: Record<string, string>): string {
  return command.replace(/\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)/g, (_m, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    return fallback ?? '';
  });
}

/** Leading `NAME=value` words of a command become environment for it. */
export function splitEnvAssignments(words: string[]): { assignments: Record<string, string>; rest: string[] } {
  const assignments: Record<string, string> = {};
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i])) {
    const eq = words[i].indexOf('=');
    assignments[words[i].slice(0, eq)] = words[i].slice(eq + 1);
    i++;
  }
  return { assignments, rest: words.slice(i) };
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2026-11-23 09:00:01 +0000`, the timestamp gunicorn writes. */
export function gunicornTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000`;
}

/** A body the source does not spell out: say where it comes from rather than invent one. */
export function computedBody(method: string, path: string, ref: SourceRef): string {
  return `${method} ${path} answered by ${ref.file}:${ref.line} (the sandbox does not run your code, so the body is not simulated)\n`;
}

/** Python or JS literal → JSON text, when it is a plain literal (dict/list/str/number/bool/None). */
export function literalToJson(literal: string, compact: boolean, sortKeys: boolean): string | undefined {
  const src = literal
    .trim()
    .replace(/\bTrue\b/g, 'true')
    .replace(/\bFalse\b/g, 'false')
    .replace(/\bNone\b/g, 'null')
    .replace(/'((?:[^'\\]|\\.)*)'/g, (_m, s: string) => JSON.stringify(s.replace(/\\'/g, "'")))
    .replace(/([{,]\s*)([A-Za-z_$][\w$]*)\s*:/g, '$1"$2":')
    .replace(/,\s*([}\]])/g, '$1');
  try {
    const value: unknown = JSON.parse(src);
    const sorted = sortKeys ? sortDeep(value) : value;
    return compact ? JSON.stringify(sorted) : JSON.stringify(sorted, null, 2);
  } catch {
    return undefined;
  }
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as Record<string, unknown>)
        .sort()
        .map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** A string literal's value (single, double or backtick quotes, no interpolation), or undefined. */
export function stringLiteral(expr: string): string | undefined {
  const m = /^\s*(?:[bruf]{0,2})?(['"`])((?:(?!\1)[^\\]|\\.)*)\1\s*$/.exec(expr);
  if (!m) return undefined;
  if (m[1] === '`' && m[2].includes('${')) return undefined;
  if (/^\s*f/i.test(expr) && m[2].includes('{')) return undefined;
  return m[2].replace(/\\n/g, '\n').replace(/\\(['"`\\])/g, '$1');
}

/**
 * The address a server binds: the variable the source reads when it is set, else the literal or fallback written,
 * else (no host argument at all) the server's documented default. Undefined when the source's expression is unknown.
 */
export function resolveBindHost(host: BindHost | undefined, env: Record<string, string>, serverDefault: string | undefined): string | undefined {
  if (!host) return serverDefault;
  if (host.env !== undefined && env[host.env]) return env[host.env];
  return host.literal ?? host.fallback ?? (host.env !== undefined ? serverDefault : undefined);
}

/** Reads a balanced `( ... )` starting at `open` (the index of the parenthesis); the inside text, or undefined. */
export function balancedArgs(text: string, open: number): string | undefined {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return text.slice(open + 1, i);
    }
  }
  return undefined;
}

/** Splits call arguments at top-level commas. */
export function splitArgs(args: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let cur = '';
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (quote) {
      cur += c;
      if (c === '\\') cur += args[++i] ?? '';
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    if (c === '(' || c === '[' || c === '{') depth++;
    if (c === ')' || c === ']' || c === '}') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

let lastText: { text: string; starts: number[] } | undefined;

/** Line number (1-based) of an index in a text. Line starts are computed once per text, then binary-searched. */
export function lineAt(text: string, index: number): number {
  if (!lastText || lastText.text !== text) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    lastText = { text, starts };
  }
  const starts = lastText.starts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
