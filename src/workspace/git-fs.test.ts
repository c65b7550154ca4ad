// Proves isomorphic-git works over a WorkspaceFs through gitFs, on the in-memory fs and on node:fs.
import { describe, it, expect } from 'vitest';
import { InMemoryFs } from 'just-bash';
import git from 'isomorphic-git';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitFs } from './git-fs.ts';
import { NodeWorkspaceFs } from './node-fs.ts';
import type { WorkspaceFs } from './fs.ts';

const author = { name: 'Maya', email: 'maya@pettracker.example', timestamp: 1_790_000_000, timezoneOffset: 0 };

const workspaces: Array<[string, () => { fs: WorkspaceFs; dir: string }]> = [
  ['just-bash InMemoryFs', () => ({ fs: new InMemoryFs() as unknown as WorkspaceFs, dir: '/home/user/app' })],
  ['NodeWorkspaceFs', () => ({ fs: new NodeWorkspaceFs(mkdtempSync(join(tmpdir(), 'git-fs-'))), dir: '/app' })],
];

describe.each(workspaces)('gitFs over %s', (_name, make) => {
  it('runs init, add, commit, log and statusMatrix', async () => {
    const { fs: workspace, dir } = make();
    await workspace.mkdir(dir, { recursive: true });
    const fs = gitFs(workspace);
    await git.init({ fs, dir, defaultBranch: 'main' });
    await workspace.writeFile(`${dir}/server.js`, 'require("http").createServer().listen(process.env.PORT);\n');
    await workspace.mkdir(`${dir}/.ebextensions`);
    await workspace.writeFile(`${dir}/.ebextensions/env.config`, 'option_settings: {}\n');
    await git.add({ fs, dir, filepath: '.' });
    const oid = await git.commit({ fs, dir, message: 'First version', author });
    expect(oid).toMatch(/^[0-9a-f]{40}$/);

    const log = await git.log({ fs, dir });
    expect(log[0].commit.message).toBe('First version\n');
    expect(await git.currentBranch({ fs, dir })).toBe('main');

    const files = await git.listFiles({ fs, dir, ref: 'HEAD' });
    expect(files.sort()).toEqual(['.ebextensions/env.config', 'server.js']);

    await workspace.writeFile(`${dir}/server.js`, 'changed\n');
    await workspace.writeFile(`${dir}/notes.txt`, 'untracked\n');
    const matrix = await git.statusMatrix({ fs, dir });
    const byPath = Object.fromEntries(matrix.map(([path, head, workdir, stage]) => [path, [head, workdir, stage]]));
    expect(byPath['server.js']).toEqual([1, 2, 1]);
    expect(byPath['notes.txt']).toEqual([0, 2, 0]);
    expect(byPath['.ebextensions/env.config']).toEqual([1, 1, 1]);
  });

  it('reports missing, existing and non-directory paths with Node error codes', async () => {
    const { fs: workspace, dir } = make();
    await workspace.mkdir(dir, { recursive: true });
    const fs = gitFs(workspace).promises;
    await workspace.writeFile(`${dir}/file.txt`, 'x');
    await expect(fs.readFile(`${dir}/missing`)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(fs.stat(`${dir}/missing`)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(fs.mkdir(`${dir}/file.txt`)).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(fs.mkdir(`${dir}/a/b`)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(fs.readdir(`${dir}/file.txt`)).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(fs.unlink(`${dir}/missing`)).rejects.toMatchObject({ code: 'ENOENT' });
    await fs.mkdir(`${dir}/sub`);
    await fs.writeFile(`${dir}/sub/inner`, 'y');
    await expect(fs.rmdir(`${dir}/sub`)).rejects.toMatchObject({ code: 'ENOTEMPTY' });
    await fs.unlink(`${dir}/sub/inner`);
    await fs.rmdir(`${dir}/sub`);
    expect(await workspace.exists(`${dir}/sub`)).toBe(false);
    const st = await fs.stat(`${dir}/file.txt`);
    expect(st.isFile()).toBe(true);
    expect(st.mode & 0o170000).toBe(0o100000);
    expect(new TextDecoder().decode((await fs.readFile(`${dir}/file.txt`)) as Uint8Array)).toBe('x');
    expect(await fs.readFile(`${dir}/file.txt`, 'utf8')).toBe('x');
  });

  it('keeps the executable bit that git records for hooks', async () => {
    const { fs: workspace, dir } = make();
    await workspace.mkdir(dir, { recursive: true });
    const fs = gitFs(workspace);
    await git.init({ fs, dir, defaultBranch: 'main' });
    await workspace.writeFile(`${dir}/hook.sh`, '#!/bin/sh\necho hi\n');
    await workspace.chmod(`${dir}/hook.sh`, 0o755);
    await git.add({ fs, dir, filepath: 'hook.sh' });
    const oid = await git.commit({ fs, dir, message: 'hook', author });
    const { tree } = await git.readTree({ fs, dir, oid });
    expect(tree.find((entry) => entry.path === 'hook.sh')?.mode).toBe('100755');
  });
});
