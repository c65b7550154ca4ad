import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findByShortName } from '../services/elasticbeanstalk/platforms.ts';
import { answerRequest, checkHealth, deployToInstance, inspectBundle, type BundleFailureKind } from './index.ts';
import { makeZip } from './zip-fixture.ts';

// Property tests: whatever the bytes, inspection and deployment answer with a report, never an exception.
const RUNS = { mutated: 1000, random: 500, structured: 500 };
const KINDS: BundleFailureKind[] = ['not-a-zip', 'empty', 'too-large', 'parent-folder', 'zip-slip', 'zip-bomb', 'symlink', 'invalid-ebextensions'];
const platforms = [findByShortName('node.js-22')!, findByShortName('python-3.13')!, findByShortName('docker')!];

const SEED_BUNDLE = makeZip({
  'package.json': JSON.stringify({ name: 'p', version: '1.0.0', scripts: { start: 'node server.js' }, dependencies: { express: '4' } }),
  'server.js': "const express = require('express');\nconst app = express();\napp.get('/', (q, s) => s.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
  'application.py': "import os\nfrom flask import Flask\napplication = Flask(__name__)\n@application.route('/')\ndef i():\n    return 'ok'\n",
  'requirements.txt': 'flask\n',
  '.ebextensions/01.config': 'option_settings:\n  aws:autoscaling:asg:\n    MinSize: 2\ncontainer_commands:\n  01:\n    command: echo hi\n    leader_only: true\n',
  '.platform/hooks/prebuild/01.sh': { content: '#!/bin/bash\necho hi\n', mode: 0o755 },
  Procfile: 'web: npm start\n',
  Dockerfile: 'FROM node:22\nEXPOSE 8080\nCMD ["npm", "start"]\n',
});

function exercise(bytes: Uint8Array, platformIndex: number): void {
  const platform = platforms[platformIndex % platforms.length];
  const report = inspectBundle(bytes, platform, { versionLabel: 'fuzz' });
  expect(typeof report.ok).toBe('boolean');
  if (!report.ok) expect(KINDS).toContain(report.failure?.kind);
  JSON.stringify(report);
  const result = deployToInstance({ report, versionLabel: 'fuzz', instanceId: 'i-f', isLeader: true, env: {}, options: () => undefined, platform, startedAt: 0 });
  if (result.ok) {
    answerRequest(result.process, { method: 'POST', path: '/x?y=1', body: 'z' });
    checkHealth(result.process, { path: '/' });
  } else {
    expect(result.failure?.step).toBeTruthy();
  }
}

describe('bundle robustness', () => {
  it(`inspects and deploys ${RUNS.mutated} mutated bundles without throwing`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat()),
        fc.nat(),
        (flips, truncateAt, p) => {
          let bytes = SEED_BUNDLE.slice();
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          if (truncateAt !== null) bytes = bytes.slice(0, truncateAt % (bytes.length + 1));
          exercise(bytes, p);
        },
      ),
      { numRuns: RUNS.mutated },
    );
  });

  it(`inspects ${RUNS.random} random byte strings without throwing`, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.nat(), (bytes, p) => {
        // Half of them start like a zip, so the reader gets past the first check.
        const withMagic = bytes.length > 4 && bytes[0] % 2 === 0 ? Uint8Array.from([0x50, 0x4b, 3, 4, ...bytes]) : bytes;
        exercise(withMagic, p);
      }),
      { numRuns: RUNS.random },
    );
  });

  it(`inspects and deploys ${RUNS.structured} well-formed zips of random files without throwing`, () => {
    const name = fc.oneof(
      fc.constantFrom('Procfile', 'Buildfile', 'package.json', 'requirements.txt', 'application.py', 'server.js', 'app.js', 'Dockerfile', 'Dockerrun.aws.json', '.ebextensions/a.config', '.ebextensions/b.config', '.platform/nginx/conf.d/x.conf', '.platform/nginx/nginx.conf', '.platform/hooks/predeploy/01.sh', 'app/main.py', 'app/__init__.py', '../x', 'a/../../b', '__MACOSX/._x'),
      fc.stringMatching(/^[a-z_./]{1,20}$/),
    );
    const content = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom('web: gunicorn application:application', 'web node server.js', 'option_settings:\n\t- x', '{"option_settings": [{"option_name": 1}]}', 'import os\nX = os.environ["X"]\n', "require('nope')\n", 'commands:\n  a:\n    command: exit 3\n', 'client_max_body_size 0;'),
    );
    fc.assert(
      fc.property(fc.dictionary(name, fc.tuple(content, fc.constantFrom(0o644, 0o755, 0o777)), { maxKeys: 8 }), fc.nat(), (files, p) => {
        const spec = Object.fromEntries(Object.entries(files).map(([k, [c, mode]]) => [k, { content: c, mode }]));
        let bytes: Uint8Array;
        try {
          bytes = makeZip(spec);
        } catch {
          return; // fflate refuses some names; not what is under test
        }
        exercise(bytes, p);
      }),
      { numRuns: RUNS.structured },
    );
  });
});
