// The sample application EB deploys for `eb create --sample` or an environment created without a version:
// a small app per platform family that the app model runs like any other bundle.

import { zipSync, strToU8 } from 'fflate';
import type { PlatformVersion } from '../services/elasticbeanstalk/platforms.ts';

const PAGE_TITLE = 'Elastic Beanstalk';
const page = (runtime: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${PAGE_TITLE}</title></head><body><h1>Congratulations</h1><p>Your first AWS Elastic Beanstalk ${runtime} application is now running on your own dedicated environment in the AWS Cloud.</p></body></html>`;

// Fixed timestamps keep the sample's bytes (and so its S3 ETag) the same on every call.
const MTIME = new Date(Date.UTC(2026, 2, 31, 0, 0, 0));

function zip(files: Record<string, string>, executable: string[] = []): Uint8Array {
  const entries: Record<string, [Uint8Array, { mtime: Date; os: number; attrs: number }]> = {};
  for (const [path, text] of Object.entries(files)) {
    const mode = executable.includes(path) ? 0o100755 : 0o100644;
    entries[path] = [strToU8(text), { mtime: MTIME, os: 3, attrs: mode << 16 }];
  }
  return zipSync(entries, { level: 6 });
}

function nodeSample(runtime: string): Record<string, string> {
  return {
    'package.json': `${JSON.stringify({ name: 'nodejs-sample', version: '1.0.0', private: true, scripts: { start: 'node app.js' } }, null, 2)}\n`,
    'app.js': [
      "const http = require('http');",
      '',
      'const port = process.env.PORT || 3000;',
      '',
      'const server = http.createServer((req, res) => {',
      "  res.writeHead(200, { 'Content-Type': 'text/html' });",
      `  res.end('${page(runtime)}');`,
      '});',
      '',
      "server.listen(port, () => console.log(`Server running at http://127.0.0.1:${port}/`));",
      '',
    ].join('\n'),
  };
}

/** The sample application bundle (zip bytes) for a platform. */
export function sampleApplication(platform: PlatformVersion): Uint8Array {
  const runtime = platform.branch.runtime;
  switch (platform.branch.language) {
    case 'nodejs':
      return zip(nodeSample(runtime));
    case 'python':
      return zip({
        'application.py': [
          'import logging',
          '',
          'logger = logging.getLogger(__name__)',
          '',
          '',
          'def application(environ, start_response):',
          "    start_response('200 OK', [('Content-Type', 'text/html')])",
          `    return [b'${page(runtime)}']`,
          '',
        ].join('\n'),
        'cron.yaml': 'version: 1\ncron:\n  - name: "task1"\n    url: "/scheduled"\n    schedule: "* * * * *"\n',
      });
    case 'docker':
    case 'ecs':
      return zip({
        ...nodeSample('Docker'),
        Dockerfile: 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nENV PORT=8080\nEXPOSE 8080\nCMD ["node", "app.js"]\n',
      });
    default:
      return zip({ 'index.html': `${page(runtime)}\n` });
  }
}
