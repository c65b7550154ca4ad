import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, statSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryFs } from 'just-bash';
import { createCloud, ManualClock } from '../../cloud/index.ts';
import { clientsForCloud } from '../../aws/index.ts';
import { createLabShell } from '../index.ts';

const APP = '/home/learner/lab';

async function project() {
  const fs = new InMemoryFs();
  const files: Record<string, string> = {
    'package.json': '{"name":"pettracker-web","scripts":{"start":"node server.js"}}\n',
    'server.js': "require('http').createServer((q, s) => s.end('hello from pettracker')).listen(process.env.PORT || 8080);\n".repeat(4),
    '.platform/hooks/predeploy/01_seed.sh': '#!/bin/bash\necho seeding\n',
    'node_modules/express/index.js': 'module.exports = {};\n',
    'venv/bin/activate': '# venv\n',
    '.elasticbeanstalk/config.yml': 'global: {}\n',
  };
  for (const [name, text] of Object.entries(files)) {
    const path = `${APP}/${name}`;
    await fs.mkdir(path.slice(0, path.lastIndexOf('/')), { recursive: true });
    await fs.writeFile(path, text);
  }
  await fs.chmod(`${APP}/.platform/hooks/predeploy/01_seed.sh`, 0o755);
  const cloud = createCloud({ clock: new ManualClock(), log: () => {} });
  return { fs, shell: createLabShell({ fs, clients: clientsForCloud(cloud), cwd: APP }) };
}

const hasInfoZip = (() => {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('zip', () => {
  it('zips a project from inside it, excluding patterns, with zip’s own report', async () => {
    const { shell } = await project();
    const r = await shell.exec("zip -r pettracker-web.zip . -x 'node_modules/*' 'venv/*' '.elasticbeanstalk/*'");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('  adding: package.json (stored 0%)\n');
    expect(r.stdout).toMatch(/  adding: server\.js \(deflated \d+%\)\n/);
    expect(r.stdout).toContain('  adding: .platform/hooks/predeploy/01_seed.sh');
    expect(r.stdout).not.toMatch(/node_modules|venv|elasticbeanstalk|pettracker-web\.zip/);

    const listing = await shell.exec('unzip -l pettracker-web.zip');
    const names = listing.stdout.split('\n').filter((l) => /^\s+\d+\s+\d\d-\d\d-\d{4} \d\d:\d\d {3}/.test(l)).map((l) => l.slice(30));
    expect(names).toEqual(['.platform/', '.platform/hooks/', '.platform/hooks/predeploy/', '.platform/hooks/predeploy/01_seed.sh', 'package.json', 'server.js']);
    expect(listing.stdout).toMatch(/ 6 files\n$/);
  });

  it('round-trips contents and unix modes through unzip -d', async () => {
    const { fs, shell } = await project();
    await shell.exec('zip -qr app.zip server.js .platform');
    const r = await shell.exec('unzip app.zip -d /tmp/check');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('  inflating: /tmp/check/server.js\n');
    expect(await fs.readFile('/tmp/check/server.js')).toBe(await fs.readFile(`${APP}/server.js`));
    expect((await fs.stat('/tmp/check/.platform/hooks/predeploy/01_seed.sh')).mode & 0o777).toBe(0o755);
    expect((await fs.stat('/tmp/check/server.js')).mode & 0o777).toBe(0o644);
    const info = await shell.exec('unzip -Z app.zip');
    expect(info.stdout).toMatch(/^-rwxr-xr-x .* \.platform\/hooks\/predeploy\/01_seed\.sh$/m);
    expect(info.stdout).toMatch(/^-rw-r--r-- .* server\.js$/m);
  });

  it('writes archives Info-ZIP reads with the same modes, and reads archives Info-ZIP writes', async (ctx) => {
    if (!hasInfoZip) ctx.skip();
    const { fs, shell } = await project();
    await shell.exec('zip -qr app.zip .platform package.json');
    const dir = mkdtempSync(join(tmpdir(), 'shell-zip-'));
    try {
      writeFileSync(join(dir, 'ours.zip'), await fs.readFileBuffer(`${APP}/app.zip`));
      execFileSync('unzip', ['-q', 'ours.zip', '-d', 'out'], { cwd: dir });
      expect(statSync(join(dir, 'out/.platform/hooks/predeploy/01_seed.sh')).mode & 0o777).toBe(0o755);
      expect(readFileSync(join(dir, 'out/package.json'), 'utf8')).toBe(await fs.readFile(`${APP}/package.json`));

      writeFileSync(join(dir, 'hook.sh'), '#!/bin/sh\necho hi\n'.repeat(20));
      chmodSync(join(dir, 'hook.sh'), 0o750);
      execFileSync('zip', ['-q', 'theirs.zip', 'hook.sh'], { cwd: dir });
      await fs.writeFile(`${APP}/theirs.zip`, new Uint8Array(readFileSync(join(dir, 'theirs.zip'))));
      expect((await shell.exec('unzip -q theirs.zip -d from-info-zip')).exitCode).toBe(0);
      expect(await fs.readFile(`${APP}/from-info-zip/hook.sh`)).toBe('#!/bin/sh\necho hi\n'.repeat(20));
      expect((await fs.stat(`${APP}/from-info-zip/hook.sh`)).mode & 0o777).toBe(0o750);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('updates an existing archive in place', async () => {
    const { fs, shell } = await project();
    await shell.exec('zip -q app.zip package.json server.js');
    await fs.writeFile(`${APP}/server.js`, 'console.log("v2")\n');
    const r = await shell.exec('zip app.zip server.js');
    expect(r.stdout).toBe('updating: server.js (stored 0%)\n');
    await shell.exec('unzip -q app.zip -d v2');
    expect(await fs.readFile(`${APP}/v2/server.js`)).toBe('console.log("v2")\n');
    expect(await fs.exists(`${APP}/v2/package.json`)).toBe(true);
  });

  it('says when there is nothing to do and names unmatched inputs', async () => {
    const { shell } = await project();
    const r = await shell.exec('zip out.zip nothing-here');
    expect(r.exitCode).toBe(12);
    expect(r.stderr).toBe('\tzip warning: name not matched: nothing-here\n\nzip error: Nothing to do! (out.zip)\n');
    const bad = await shell.exec('zip -Q out.zip server.js');
    expect(bad.exitCode).toBe(16);
    expect(bad.stderr).toMatch(/^zip: option -Q is not supported here/);
  });
});

describe('unzip', () => {
  it('refuses broken archives with unzip’s wording and a way out', async () => {
    const { fs, shell } = await project();
    await fs.writeFile(`${APP}/fake.zip`, 'this is not a zip file at all, just text pretending');
    const r = await shell.exec('unzip -l fake.zip');
    expect(r.exitCode).toBe(9);
    expect(r.stderr).toContain('End-of-central-directory signature not found.');
    expect(r.stderr).toContain('it is not a valid zip archive');

    await shell.exec('zip -q good.zip server.js');
    const bytes = await fs.readFileBuffer(`${APP}/good.zip`);
    const corrupt = bytes.slice();
    corrupt[40] ^= 0xff; // inside server.js's compressed data
    await fs.writeFile(`${APP}/corrupt.zip`, corrupt);
    const tested = await shell.exec('unzip -t corrupt.zip');
    expect(tested.exitCode).toBe(2);
    expect(tested.stdout).toMatch(/testing: server\.js\s+(server\.js: )?(bad CRC|invalid compressed data)/);
    await fs.writeFile(`${APP}/truncated.zip`, bytes.slice(0, bytes.length - 30));
    expect((await shell.exec('unzip -l truncated.zip')).exitCode).toBe(9);
  });

  it('says which file is missing, and will not overwrite without -o', async () => {
    const { fs, shell } = await project();
    const missing = await shell.exec('unzip nope');
    expect(missing.exitCode).toBe(9);
    expect(missing.stderr).toBe('unzip:  cannot find or open nope, nope.zip or nope.ZIP.\n');
    await shell.exec('zip -q app.zip server.js');
    await fs.writeFile(`${APP}/server.js`, 'edited\n');
    const refused = await shell.exec('unzip app.zip');
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/server\.js already exists\. Add -o to overwrite/);
    expect(await fs.readFile(`${APP}/server.js`)).toBe('edited\n');
    expect((await shell.exec('unzip -o -q app.zip')).exitCode).toBe(0);
    expect(await fs.readFile(`${APP}/server.js`)).not.toBe('edited\n');
  });

  it('prints a file with -p for pipelines', async () => {
    const { shell } = await project();
    await shell.exec('zip -q app.zip package.json');
    expect((await shell.exec('unzip -p app.zip package.json | grep -o pettracker-web')).stdout).toBe('pettracker-web\n');
  });
});
