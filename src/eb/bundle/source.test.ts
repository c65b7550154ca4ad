// Packaging as `eb deploy` does it: .ebignore vs git HEAD vs --staged, the project folder at the
// archive root (no parent folder), unix modes, large files and the 512 MB refusal.
import { describe, it, expect } from 'vitest';
import { InMemoryFs } from 'just-bash';
import git from 'isomorphic-git';
import { unzipSync, strFromU8 } from 'fflate';
import type { WorkspaceFs } from '../../workspace/fs.ts';
import { gitFs } from '../../workspace/git-fs.ts';
import { collectSource } from './source.ts';
import { zipBundle } from './zip.ts';
import { versionLabel, labelTimestamp, versionDescription } from './version-label.ts';

const author = { name: 'Maya', email: 'maya@pettracker.example', timestamp: 1_790_000_000, timezoneOffset: 0 };

async function workspace(files: Record<string, string>, root = '/home/alex/pettracker-web'): Promise<WorkspaceFs> {
  const fs = new InMemoryFs() as unknown as WorkspaceFs;
  await fs.mkdir(root, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const full = `${root}/${path}`;
    await fs.mkdir(full.slice(0, full.lastIndexOf('/')), { recursive: true });
    await fs.writeFile(full, content);
  }
  return fs;
}

async function commitAll(fs: WorkspaceFs, dir: string, message: string): Promise<string> {
  const gfs = gitFs(fs);
  await git.add({ fs: gfs, dir, filepath: '.' });
  return git.commit({ fs: gfs, dir, message, author });
}

function namesIn(zip: Uint8Array): string[] {
  return Object.keys(unzipSync(zip)).sort();
}

describe('collectSource', () => {
  const root = '/home/alex/pettracker-web';

  it('packages the committed HEAD of a git project, not uncommitted edits, and reports them', async () => {
    const fs = await workspace({ 'server.js': 'v1', 'package.json': '{}', '.gitignore': 'node_modules/\n' });
    await git.init({ fs: gitFs(fs), dir: root, defaultBranch: 'main' });
    await commitAll(fs, root, 'First version');
    await fs.writeFile(`${root}/server.js`, 'v2 not committed');
    await fs.writeFile(`${root}/notes.txt`, 'untracked');
    await fs.mkdir(`${root}/node_modules/express`, { recursive: true });
    await fs.writeFile(`${root}/node_modules/express/index.js`, 'x');

    const source = await collectSource(fs, root, root);
    expect(source.kind).toBe('git-head');
    expect(source.files.map((f) => f.path)).toEqual(['.gitignore', 'package.json', 'server.js']);
    expect(strFromU8(source.files.find((f) => f.path === 'server.js')!.data)).toBe('v1');
    expect(source.uncommittedChanges).toEqual(['server.js']);
    expect(source.commitMessage).toBe('First version');
    expect(source.describe).toMatch(/^[0-9a-f]{4}$/);
  });

  it('packages the git index with --staged', async () => {
    const fs = await workspace({ 'server.js': 'v1' });
    await git.init({ fs: gitFs(fs), dir: root, defaultBranch: 'main' });
    await commitAll(fs, root, 'v1');
    await fs.writeFile(`${root}/server.js`, 'v2 staged');
    await fs.writeFile(`${root}/Procfile`, 'web: node server.js\n');
    await git.add({ fs: gitFs(fs), dir: root, filepath: 'server.js' });
    await git.add({ fs: gitFs(fs), dir: root, filepath: 'Procfile' });
    await fs.writeFile(`${root}/server.js`, 'v3 only in the working tree');

    const source = await collectSource(fs, root, root, { staged: true });
    expect(source.kind).toBe('git-staged');
    const byPath = Object.fromEntries(source.files.map((f) => [f.path, strFromU8(f.data)]));
    expect(byPath).toEqual({ Procfile: 'web: node server.js\n', 'server.js': 'v2 staged' });
    expect(source.unstagedChanges).toEqual(['server.js']);
    expect(source.uncommittedChanges.sort()).toEqual(['Procfile', 'server.js']);
  });

  it('lets .ebignore win over git: the working tree minus its patterns, uncommitted files included', async () => {
    const fs = await workspace({ 'server.js': 'v1', '.ebignore': 'node_modules/\n*.log\n', 'debug.log': 'x', '.gitignore': 'dist/\n' });
    await git.init({ fs: gitFs(fs), dir: root, defaultBranch: 'main' });
    await commitAll(fs, root, 'v1');
    await fs.writeFile(`${root}/server.js`, 'v2 uncommitted');
    await fs.mkdir(`${root}/dist`, { recursive: true });
    await fs.writeFile(`${root}/dist/app.js`, 'built');
    await fs.mkdir(`${root}/node_modules/x`, { recursive: true });
    await fs.writeFile(`${root}/node_modules/x/index.js`, 'x');
    await fs.mkdir(`${root}/.elasticbeanstalk`, { recursive: true });
    await fs.writeFile(`${root}/.elasticbeanstalk/config.yml`, 'global: {}');

    const source = await collectSource(fs, root, root);
    expect(source.kind).toBe('ebignore');
    expect(source.files.map((f) => f.path)).toEqual(['.ebignore', '.gitignore', 'dist/app.js', 'server.js']);
    expect(strFromU8(source.files.find((f) => f.path === 'server.js')!.data)).toBe('v2 uncommitted');
  });

  it('outside git honours .gitignore and never packages .elasticbeanstalk', async () => {
    const fs = await workspace({ 'application.py': 'app', '.gitignore': '__pycache__/\n', '__pycache__/a.pyc': 'x', '.elasticbeanstalk/config.yml': 'x' });
    const source = await collectSource(fs, root, null);
    expect(source.kind).toBe('directory');
    expect(source.files.map((f) => f.path)).toEqual(['.gitignore', 'application.py']);
    expect(source.describe).toBeNull();
  });

  it('avoids the parent-folder trap: a project inside a larger repository is archived from its own folder', async () => {
    const repo = '/home/alex/monorepo';
    const fs = await workspace({ 'services/web/server.js': 'web', 'services/web/Procfile': 'web: node server.js', 'services/api/main.py': 'api', 'README.md': 'r' }, repo);
    await git.init({ fs: gitFs(fs), dir: repo, defaultBranch: 'main' });
    await commitAll(fs, repo, 'monorepo');
    const source = await collectSource(fs, `${repo}/services/web`, repo);
    expect(source.files.map((f) => f.path)).toEqual(['Procfile', 'server.js']);
    expect(namesIn(zipBundle(source.files))).toEqual(['Procfile', 'server.js']);
  });

  it('refuses a repository without commits with a message that says what to do', async () => {
    const fs = await workspace({ 'server.js': 'v1' });
    await git.init({ fs: gitFs(fs), dir: root, defaultBranch: 'main' });
    await expect(collectSource(fs, root, root)).rejects.toThrow(/no commits yet.*git commit.*\.ebignore/s);
  });

  it('uses the nearest tag in the describe part of the label', async () => {
    const fs = await workspace({ 'server.js': 'v1' });
    const gfs = gitFs(fs);
    await git.init({ fs: gfs, dir: root, defaultBranch: 'main' });
    await commitAll(fs, root, 'v1');
    await git.tag({ fs: gfs, dir: root, ref: 'v1.0' });
    await fs.writeFile(`${root}/server.js`, 'v2');
    const head = await commitAll(fs, root, 'v2');
    const source = await collectSource(fs, root, root);
    expect(source.describe).toBe(`v1.0-1-g${head.slice(0, 4)}`);
    expect(versionLabel({ describe: source.describe, at: new Date(Date.UTC(2026, 10, 23, 9, 5, 7, 42)) })).toBe(
      `app-v1_0-1-g${head.slice(0, 4)}-261123_090507042000`,
    );
  });
});

describe('zipBundle', () => {
  it('keeps unix modes so platform hooks stay executable, and keeps large binary files intact', async () => {
    const big = new Uint8Array(1024 * 1024);
    let seed = 7;
    for (let i = 0; i < big.length; i++) big[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    const zip = zipBundle([
      { path: '.platform/hooks/predeploy/01-migrate.sh', data: new TextEncoder().encode('#!/bin/sh\n'), mode: 0o100755, mtime: new Date() },
      { path: 'assets/big.bin', data: big, mode: 0o100644, mtime: new Date() },
    ]);
    const files = unzipSync(zip);
    expect(Buffer.from(files['assets/big.bin']).equals(Buffer.from(big))).toBe(true);
    // Central directory: external attributes carry the mode in their upper 16 bits.
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    const modes: Record<string, number> = {};
    const directory = view.getUint32(zip.length - 22 + 16, true);
    for (let i = directory; i + 46 <= zip.length; ) {
      if (view.getUint32(i, true) !== 0x02014b50) break;
      const nameLength = view.getUint16(i + 28, true);
      const name = strFromU8(zip.subarray(i + 46, i + 46 + nameLength));
      modes[name] = view.getUint32(i + 38, true) >>> 16;
      i += 46 + nameLength + view.getUint16(i + 30, true) + view.getUint16(i + 32, true);
    }
    expect(modes['.platform/hooks/predeploy/01-migrate.sh']).toBe(0o100755);
    expect(modes['assets/big.bin']).toBe(0o100644);
  });
});

describe('version labels', () => {
  it('follows the EB CLI patterns', () => {
    const at = new Date(Date.UTC(2019, 3, 14, 20, 27, 46, 5));
    expect(labelTimestamp(at)).toBe('190414_202746005000');
    expect(versionLabel({ describe: null, at })).toBe('app-190414_202746005000');
    expect(versionLabel({ describe: 'f761', at })).toBe('app-f761-190414_202746005000');
    expect(versionLabel({ describe: 'f761', at, staged: true })).toBe('app-f761-190414_202746005000-stage-190414_202746005000');
    expect(versionDescription(undefined, null)).toBe('EB-CLI deploy');
    expect(versionDescription(undefined, 'x'.repeat(300))).toHaveLength(200);
    expect(versionDescription('mine', 'commit')).toBe('mine');
  });
});
