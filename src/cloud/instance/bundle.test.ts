import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { findByShortName } from '../services/elasticbeanstalk/platforms.ts';
import { BUNDLE_LIMITS, bundleOptionSettings, checkBundleOptionSettings, inspectBundle } from './index.ts';
import { makeZip } from './zip-fixture.ts';

const node = findByShortName('node.js-22')!;
const python = findByShortName('python-3.13')!;

const NODE_APP = {
  'package.json': JSON.stringify({ name: 'pets', version: '1.0.0', scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.0' } }),
  'server.js': "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
};

// Rewrites one little-endian u32 at an offset (to forge headers the way broken or hostile zips do).
function setU32(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(offset, value, true);
}

function centralDirectory(bytes: Uint8Array): { eocd: number; cdOffset: number } {
  for (let i = bytes.length - 22; i >= 0; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 5 && bytes[i + 3] === 6) {
      return { eocd: i, cdOffset: new DataView(bytes.buffer, bytes.byteOffset).getUint32(i + 16, true) };
    }
  }
  throw new Error('no EOCD');
}

describe('bundle failures', () => {
  it('rejects bytes that are not a zip with unzip’s own complaint', () => {
    const report = inspectBundle(strToU8('this is a tarball, honest'), node, { versionLabel: 'v1' });
    expect(report.ok).toBe(false);
    expect(report.failure?.kind).toBe('not-a-zip');
    expect(report.failure?.message).toMatch(/not a valid ZIP archive/);
    expect(report.failure?.logs.map((l) => l.text).join('\n')).toContain('End-of-central-directory signature not found');
    expect(report.failure?.events.at(-1)).toEqual({ severity: 'ERROR', message: "Instance deployment failed. For details, see 'eb-engine.log'." });
  });

  it('rejects a bundle over 512 MB before reading it', () => {
    const big = new Uint8Array(BUNDLE_LIMITS.maxBundleBytes + 1);
    const report = inspectBundle(big, node);
    expect(BUNDLE_LIMITS.maxBundleBytes).toBe(536_870_912);
    expect(report.failure?.kind).toBe('too-large');
    expect(report.failure?.message).toContain('512 MB');
  });

  it('rejects an empty zip', () => {
    expect(inspectBundle(makeZip({ 'docs/': '' }), node).failure?.kind).toBe('empty');
  });

  it('rejects a parent folder instead of files at the root, naming the folder', () => {
    const zip = makeZip({ 'pettracker/': '', 'pettracker/package.json': NODE_APP['package.json'], 'pettracker/server.js': NODE_APP['server.js'] });
    const report = inspectBundle(zip, node);
    expect(report.failure?.kind).toBe('parent-folder');
    expect(report.failure?.file).toBe('pettracker/');
    expect(report.failure?.message).toContain("inside the folder 'pettracker/'");
    expect(report.failure?.events[0].message).toContain("single top-level folder 'pettracker/'");
  });

  it('accepts files in subfolders when the root has files too', () => {
    const report = inspectBundle(makeZip({ ...NODE_APP, 'src/': '', 'src/routes.js': 'module.exports = {};' }), node);
    expect(report.ok).toBe(true);
  });

  it('rejects zip-slip paths and absolute paths', () => {
    const slip = inspectBundle(makeZip({ ...NODE_APP, '../../etc/cron.d/evil': '* * * * * root sh' }), node);
    expect(slip.failure?.kind).toBe('zip-slip');
    expect(slip.failure?.file).toBe('../../etc/cron.d/evil');
    const abs = inspectBundle(makeZip({ ...NODE_APP, '/etc/passwd': 'x' }), node);
    expect(abs.failure?.kind).toBe('zip-slip');
  });

  it('rejects symbolic links', () => {
    const report = inspectBundle(makeZip({ ...NODE_APP, 'config.json': { content: '/etc/shadow', symlink: true } }), node);
    expect(report.failure?.kind).toBe('symlink');
    expect(report.failure?.file).toBe('config.json');
  });

  it('rejects a zip bomb by its compression ratio', () => {
    const zeros = new Uint8Array(4 * 1024 * 1024);
    const zip = zipSync({ 'package.json': strToU8(NODE_APP['package.json']), 'server.js': strToU8(NODE_APP['server.js']), 'data.bin': zeros }, { level: 9 });
    const report = inspectBundle(zip, node);
    expect(report.failure?.kind).toBe('zip-bomb');
    expect(report.failure?.file).toBe('data.bin');
  });

  it('rejects a zip whose declared sizes add up past the staging space', () => {
    const zip = makeZip(NODE_APP);
    const { cdOffset } = centralDirectory(zip);
    setU32(zip, cdOffset + 24, 0xfffffff0); // uncompressed size of the first entry
    const report = inspectBundle(zip, node);
    expect(report.failure?.kind).toBe('zip-bomb');
  });

  it('rejects an entry that inflates past its declared size', () => {
    const zip = makeZip({ ...NODE_APP, 'requirements.txt': 'flask\n'.repeat(200) }, 9);
    const { cdOffset } = centralDirectory(zip);
    // Walk to the requirements.txt central record and shrink its declared size.
    const view = new DataView(zip.buffer, zip.byteOffset);
    let p = cdOffset;
    for (;;) {
      const nameLen = view.getUint16(p + 28, true);
      const name = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLen));
      if (name === 'requirements.txt') break;
      p += 46 + nameLen + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    }
    setU32(zip, p + 24, 10);
    const report = inspectBundle(zip, python);
    expect(report.failure?.kind).toBe('zip-bomb');
    expect(report.failure?.message).toContain('requirements.txt');
  });

  it('rejects overlapping entries (a non-recursive zip bomb)', () => {
    const zip = makeZip({ 'application.py': 'x = 1\n' }, 0);
    const { eocd, cdOffset } = centralDirectory(zip);
    const record = zip.slice(cdOffset, eocd);
    const copy = record.slice();
    copy[46] = 'b'.charCodeAt(0); // same data, another name
    const forged = new Uint8Array(cdOffset + record.length * 2 + 22);
    forged.set(zip.subarray(0, cdOffset), 0);
    forged.set(record, cdOffset);
    forged.set(copy, cdOffset + record.length);
    forged.set(zip.subarray(eocd, eocd + 22), cdOffset + record.length * 2);
    const e = cdOffset + record.length * 2;
    const view = new DataView(forged.buffer);
    view.setUint16(e + 8, 2, true);
    view.setUint16(e + 10, 2, true);
    view.setUint32(e + 12, record.length * 2, true);
    const report = inspectBundle(forged, python);
    expect(report.failure?.kind).toBe('zip-bomb');
    expect(report.failure?.message).toMatch(/shares its data/);
  });

  it('warns about __MACOSX entries without failing', () => {
    const report = inspectBundle(makeZip({ ...NODE_APP, '__MACOSX/._server.js': 'xx' }), node);
    expect(report.ok).toBe(true);
    expect(report.warnings[0].message).toContain('__MACOSX/');
  });
});

describe('.ebextensions', () => {
  it('reads config files in alphabetical order, YAML and JSON, option_settings in both forms', () => {
    const report = inspectBundle(
      makeZip({
        ...NODE_APP,
        '.ebextensions/02-scaling.config': 'option_settings:\n  aws:autoscaling:asg:\n    MinSize: 2\n    MaxSize: 4\n',
        '.ebextensions/01-env.config': 'option_settings:\n  - option_name: LOG_LEVEL\n    value: debug\n  - namespace: aws:elasticbeanstalk:command\n    option_name: IgnoreHealthCheck\n    value: true\n',
        '.ebextensions/03-json.config': JSON.stringify({ option_settings: [{ namespace: 'aws:autoscaling:asg', option_name: 'MaxSize', value: 6 }] }),
        '.ebextensions/readme.md': 'not a config',
      }),
      node,
    );
    expect(report.ok).toBe(true);
    expect(report.ebextensions.map((c) => [c.file, c.format])).toEqual([
      ['.ebextensions/01-env.config', 'yaml'],
      ['.ebextensions/02-scaling.config', 'yaml'],
      ['.ebextensions/03-json.config', 'json'],
    ]);
    expect(bundleOptionSettings(report)).toEqual([
      { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'LOG_LEVEL', Value: 'debug' },
      { Namespace: 'aws:elasticbeanstalk:command', OptionName: 'IgnoreHealthCheck', Value: 'true' },
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '2' },
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '4' },
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '6' },
    ]);
  });

  it('fails on invalid YAML with EB’s event text naming the file and version', () => {
    const report = inspectBundle(makeZip({ ...NODE_APP, '.ebextensions/cron-linux.config': 'files:\n\t"/etc/cron.d/x":\n    content: "* * * * * root true"\n' }), node, {
      versionLabel: 'app-f761-190414_202746',
    });
    expect(report.failure?.kind).toBe('invalid-ebextensions');
    expect(report.failure?.file).toBe('.ebextensions/cron-linux.config');
    const message = report.failure!.events[0].message;
    expect(message).toMatch(/^The configuration file \.ebextensions\/cron-linux\.config in application version app-f761-190414_202746 contains invalid YAML or JSON\. YAML exception: Invalid Yaml: /);
    expect(message).toContain("found character '\\t(TAB)' that cannot start any token");
    expect(message).toContain('JSON exception: Invalid JSON: Unexpected character (f) at position 0.. Update the configuration file.');
    expect(report.failure!.events[0].severity).toBe('ERROR');
  });

  it('fails on YAML that parses but cannot be built (an undefined alias, an alias bomb)', () => {
    const alias = inspectBundle(makeZip({ ...NODE_APP, '.ebextensions/a.config': '*!' }), node);
    expect(alias.failure?.kind).toBe('invalid-ebextensions');
    expect(alias.failure?.events[0].message).toContain('Unresolved alias');
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
    expect(inspectBundle(makeZip({ ...NODE_APP, '.ebextensions/bomb.config': bomb }), node).failure?.kind).toBe('invalid-ebextensions');
  });

  it('skips a file with an unknown top-level key, with the WARN event, and keeps the others', () => {
    const report = inspectBundle(
      makeZip({ ...NODE_APP, '.ebextensions/a.config': 'OptionSettings:\n  - option_name: X\n    value: "1"\n', '.ebextensions/b.config': 'option_settings:\n  - option_name: Y\n    value: "2"\n' }),
      node,
    );
    expect(report.ok).toBe(true);
    expect(report.warnings).toContainEqual({
      severity: 'WARN',
      message:
        "Error processing file (Skipping): '.ebextensions/a.config' - Contains invalid key: 'OptionSettings'. For information about valid keys, see http://docs.aws.amazon.com/elasticbeanstalk/latest/dg/ebextensions.html",
    });
    expect(report.ebextensions[0].skipped?.reason).toContain('OptionSettings');
    expect(bundleOptionSettings(report).map((s) => s.OptionName)).toEqual(['Y']);
  });

  it('records commands and container_commands alphabetically with leader_only, test and ignoreErrors', () => {
    const report = inspectBundle(
      makeZip({
        ...NODE_APP,
        '.ebextensions/db.config': [
          'packages:',
          '  yum:',
          '    git: []',
          'files:',
          '  "/etc/app.conf":',
          '    mode: "000644"',
          '    content: "x=1"',
          'commands:',
          '  02_second:',
          '    command: echo two',
          '  01_first:',
          '    command: [echo, one]',
          '    ignoreErrors: true',
          'container_commands:',
          '  10_migrate:',
          '    command: node migrate.js',
          '    leader_only: true',
          '  05_check:',
          '    command: echo check',
          '    test: test -f server.js',
          'Resources:',
          '  Queue:',
          '    Type: AWS::SQS::Queue',
        ].join('\n'),
      }),
      node,
    );
    const c = report.ebextensions[0];
    expect(c.packages).toEqual({ yum: { git: [] } });
    expect(c.files).toEqual([{ path: '/etc/app.conf', mode: '000644', content: 'x=1' }]);
    expect(c.commands.map((x) => [x.name, x.command, x.ignoreErrors])).toEqual([
      ['01_first', ['echo', 'one'], true],
      ['02_second', 'echo two', false],
    ]);
    expect(c.containerCommands.map((x) => [x.name, x.leaderOnly, x.test])).toEqual([
      ['05_check', false, 'test -f server.js'],
      ['10_migrate', true, undefined],
    ]);
    expect(c.resources).toEqual(['Queue']);
  });

  it('reports option_settings that fail validation with EB’s two events', () => {
    const report = inspectBundle(makeZip({ ...NODE_APP, '.ebextensions/asg.config': 'option_settings:\n  aws:autoscaling:asg:\n    MinSize: 0\n' }), node);
    expect(report.ok).toBe(true);
    expect(checkBundleOptionSettings(report, { language: 'nodejs' })).toEqual([
      { severity: 'ERROR', message: '"option_settings" in one of the configuration files failed validation. More details to follow.' },
      { severity: 'ERROR', message: "Invalid option value: '0' (Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize'): Value is less than minimum allowed value: 1" },
    ]);
    expect(checkBundleOptionSettings(inspectBundle(makeZip(NODE_APP), node), { language: 'nodejs' })).toEqual([]);
  });
});

describe('platform hooks, proxy overrides, Procfile and Buildfile', () => {
  it('reads hooks in lexicographic order with their executable bit from the zip', () => {
    const report = inspectBundle(
      makeZip({
        ...NODE_APP,
        '.platform/hooks/prebuild/02_b.sh': { content: '#!/bin/bash\necho b\n', mode: 0o755 },
        '.platform/hooks/prebuild/01_a.sh': { content: '#!/bin/bash\necho a\n', mode: 0o644 },
        '.platform/confighooks/postdeploy/01_reload.sh': { content: '#!/bin/sh\ntrue\n', mode: 0o755 },
      }),
      node,
    );
    expect(report.hooks.prebuild.map((h) => [h.path, h.executable, h.shebang])).toEqual([
      ['.platform/hooks/prebuild/01_a.sh', false, '#!/bin/bash'],
      ['.platform/hooks/prebuild/02_b.sh', true, '#!/bin/bash'],
    ]);
    expect(report.confighooks.postdeploy[0].config).toBe(true);
  });

  it('reads client_max_body_size from .platform/nginx overrides', () => {
    const report = inspectBundle(makeZip({ ...NODE_APP, '.platform/nginx/conf.d/upload.conf': 'client_max_body_size 20M;\n' }), node);
    expect(report.proxy.clientMaxBodySize).toBe(20 * 1024 * 1024);
    expect(report.proxy.clientMaxBodySizeText).toBe('20M');
    expect(report.proxy.replacesMainConfig).toBe(false);
  });

  it('notices a replacement nginx.conf that drops EB’s include', () => {
    const report = inspectBundle(makeZip({ ...NODE_APP, '.platform/nginx/nginx.conf': 'events {}\nhttp { server { listen 80; } }\n' }), node);
    expect(report.proxy.replacesMainConfig).toBe(true);
    expect(report.proxy.keepsElasticBeanstalkInclude).toBe(false);
  });

  it('parses a Procfile, picks the web process, and reports bad lines with their numbers', () => {
    const ok = inspectBundle(makeZip({ ...NODE_APP, Procfile: 'worker: node worker.js\nweb: node server.js\n' }), node);
    expect(ok.procfile?.web).toEqual({ name: 'web', command: 'node server.js', line: 2 });
    expect(ok.procfile?.processes.map((p) => p.name)).toEqual(['worker', 'web']);
    const bad = inspectBundle(makeZip({ ...NODE_APP, Procfile: 'web: node server.js\nweb node worker.js\n# comment\n' }), node);
    expect(bad.procfile?.problems.map((p) => p.line)).toEqual([2, 3]);
    expect(bad.procfile?.problems[0].reason).toContain('no colon');
  });

  it('parses a Buildfile', () => {
    const report = inspectBundle(makeZip({ ...NODE_APP, Buildfile: 'make: npm run build\n' }), node);
    expect(report.buildfile).toEqual([{ name: 'make', command: 'npm run build', line: 1 }]);
  });
});
