// Stands in for the Node built-ins that just-bash's code-split build imports, in the lab worker. With
// __BROWSER__ set (as just-bash's own browser build sets it) only host-filesystem and network code reaches them.
/// <reference lib="webworker" />

function unavailable(what: string): never {
  throw new Error(`${what} is not available in the browser lab; the lab shell works on its in-memory filesystem`);
}

// node:module: every chunk calls createRequire(import.meta.url) when it loads; nothing requires in the browser.
export function createRequire(): (id: string) => never {
  return (id: string) => unavailable(`require("${id}")`);
}
export const Module = undefined;

// node:async_hooks: just-bash's defense-in-depth runs without AsyncLocalStorage in browsers.
export const AsyncLocalStorage = undefined;

// node:dns: only for DNS pinning of just-bash's own network access, which the lab shell does not enable.
export function lookup(): never {
  return unavailable('node:dns');
}

// node:crypto: transaction tokens of the host filesystem adapters.
export function randomBytes(size: number): Uint8Array & { toString(encoding?: string): string } {
  const bytes = crypto.getRandomValues(new Uint8Array(size));
  return Object.assign(bytes, {
    toString: (encoding?: string) => (encoding === 'hex' ? Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('') : Array.from(bytes).join(',')),
  });
}

// node:worker_threads, node:url: the Node-only python3/js-exec/sqlite3 commands, dropped with __BROWSER__.
export function Worker(): never {
  return unavailable('node:worker_threads');
}
export function fileURLToPath(): never {
  return unavailable('node:url');
}

// node:fs, node:fs/promises, node:path: the host filesystem adapters (OverlayFs, ReadWriteFs) and file's
// host reads, which the lab shell never uses (its filesystem is just-bash's InMemoryFs).
const hostFs = (name: string) => (): never => unavailable(`node:fs ${name}`);
const hostPath = (name: string) => (): never => unavailable(`node:path ${name}`);
export const promises = new Proxy({}, { get: (_target, name) => (name === 'then' ? undefined : hostFs(String(name))) });
export const constants = {};
export const open = hostFs('open');
export const existsSync = hostFs('existsSync');
export const lstatSync = hostFs('lstatSync');
export const statSync = hostFs('statSync');
export const readdirSync = hostFs('readdirSync');
export const readlinkSync = hostFs('readlinkSync');
export const realpathSync = hostFs('realpathSync');
export const basename = hostPath('basename');
export const dirname = hostPath('dirname');
export const join = hostPath('join');
export const resolve = hostPath('resolve');
export const relative = hostPath('relative');
export const isAbsolute = hostPath('isAbsolute');
export const sep = '/';
export const posix = undefined;
export const win32 = undefined;
