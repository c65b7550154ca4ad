// Source bundles for the Elastic Beanstalk tests: small Node.js and Python apps zipped in memory, healthy or
// broken in the ways the labs teach (wrong port, crash at start, missing dependency).

import { strToU8, zipSync } from 'fflate';

export const NODE_STACK = '64bit Amazon Linux 2023 v6.10.0 running Node.js 22';
export const PYTHON_STACK = '64bit Amazon Linux 2023 v4.9.1 running Python 3.13';

export function zip(files: Record<string, string>): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [path, text] of Object.entries(files)) entries[path] = strToU8(text);
  return zipSync(entries);
}

/** A plain node:http app that listens on PORT and answers every path with its version. */
export function nodeApp(version: string, options: { port?: string; crash?: boolean } = {}): Uint8Array {
  const listen = options.port ?? 'process.env.PORT || 8080';
  const crash = options.crash ? "if (!process.env.DATABASE_URL) { throw new Error('DATABASE_URL is not set'); }\n" : '';
  return zip({
    'package.json': JSON.stringify({ name: 'pettracker', version: '1.0.0', scripts: { start: 'node app.js' }, dependencies: {} }, null, 2),
    'app.js':
      "const http = require('http');\n" +
      crash +
      `const server = http.createServer((req, res) => {\n  res.writeHead(200, { 'content-type': 'text/plain' });\n  res.end('PetTracker ${version}');\n});\n` +
      `server.listen(${listen});\n`,
  });
}
