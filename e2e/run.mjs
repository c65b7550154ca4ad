#!/usr/bin/env node
// `npm run test:e2e`: build the site (astro build, then the Pagefind index), serve dist/ on 127.0.0.1 at
// a free port, run the browser specs against it (E2E_BASE_URL) and exit with their status.
// E2E_SKIP_BUILD=1 reuses an existing dist/; extra arguments go to vitest (e.g. a spec file to run).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dist = join(root, 'dist');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.yaml': 'text/yaml; charset=utf-8',
  '.zip': 'application/zip',
};

function run(command, args, env = process.env) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
    child.on('error', (error) => {
      console.error(`e2e: could not start ${command}: ${error.message}`);
      resolvePromise(1);
    });
  });
}

/** A static file server for dist/: directory index, 404.html for misses, no caching, GET/HEAD only. */
export function serveDist(directory) {
  return createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    let file = normalize(join(directory, pathname));
    if (file !== directory && !file.startsWith(directory + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { location: `${pathname}/` }).end();
        return;
      }
      file = join(file, 'index.html');
    } else if (!existsSync(file) && existsSync(`${file}.html`)) {
      file = `${file}.html`;
    }
    let status = 200;
    if (!existsSync(file) || !statSync(file).isFile()) {
      status = 404;
      file = join(directory, '404.html');
      if (!existsSync(file)) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
    }
    res.writeHead(status, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
}

async function main() {
  const vitestArgs = process.argv.slice(2);
  if (process.env.E2E_SKIP_BUILD !== '1') {
    console.log('e2e: building the site (astro build)');
    if ((await run('npx', ['astro', 'build'])) !== 0) {
      console.error('e2e: astro build failed; fix the build errors above first.');
      console.log('\n0 passed, 1 failed');
      return 1;
    }
    console.log('e2e: building the search index (pagefind)');
    if ((await run('npx', ['pagefind', '--site', 'dist'])) !== 0) {
      console.error('e2e: pagefind failed to index dist/.');
      console.log('\n0 passed, 1 failed');
      return 1;
    }
  } else if (!existsSync(join(dist, 'index.html'))) {
    console.error('e2e: E2E_SKIP_BUILD=1 but dist/index.html is missing; run `npm run build` first.');
    console.log('\n0 passed, 1 failed');
    return 1;
  }

  const server = serveDist(dist);
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const baseUrl = `http://127.0.0.1:${address.port}`;
  console.log(`e2e: serving dist/ at ${baseUrl}`);
  try {
    return await run('npx', ['vitest', 'run', '--config', 'vitest.e2e.config.ts', ...vitestArgs], {
      ...process.env,
      E2E_BASE_URL: baseUrl,
      NO_COLOR: process.env.NO_COLOR ?? '1',
    });
  } finally {
    server.close();
    server.closeAllConnections?.();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code), (error) => {
    console.error(error);
    console.log('\n0 passed, 1 failed');
    process.exit(1);
  });
}
