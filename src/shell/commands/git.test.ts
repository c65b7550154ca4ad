import { describe, it, expect } from 'vitest';
import { labShell, APP } from '../test/lab.ts';

const FILES = { 'server.js': 'line 1\nline 2\nline 3\n', 'package.json': '{"name":"app"}\n', 'lib/util.js': 'module.exports = 1;\n' };

describe('git', () => {
  it('init, add, commit with git’s messages and a default identity', async () => {
    const { shell } = await labShell(FILES);
    expect((await shell.exec('git init')).stdout).toBe(`Initialized empty Git repository in ${APP}/.git/\n`);
    expect((await shell.exec('git status')).stdout).toBe(
      [
        'On branch main',
        '',
        'No commits yet',
        '',
        'Untracked files:',
        '  (use "git add <file>..." to include in what will be committed)',
        '\tlib/',
        '\tpackage.json',
        '\tserver.js',
        '',
        'nothing added to commit but untracked files present (use "git add" to track)',
        '',
      ].join('\n'),
    );
    await shell.exec('git add .');
    expect((await shell.exec('git status -s')).stdout).toBe('A  lib/util.js\nA  package.json\nA  server.js\n');
    const commit = await shell.exec('git commit -m "First version"');
    expect(commit.exitCode).toBe(0);
    expect(commit.stdout).toMatch(/^\[main \(root-commit\) [0-9a-f]{7}\] First version\n 3 files changed, 5 insertions\(\+\)\n create mode 100644 lib\/util\.js\n/);
    const log = await shell.exec('git log');
    expect(log.stdout).toMatch(/^commit [0-9a-f]{40} \(HEAD -> main\)\nAuthor: Learner <learner@pettracker\.example>\nDate:   \w{3} \w{3} \d+ \d\d:\d\d:\d\d \d{4} [+-]\d{4}\n\n    First version\n$/);
    expect((await shell.exec('git status')).stdout).toBe('On branch main\nnothing to commit, working tree clean\n');
  });

  it('shows modified, staged, deleted and untracked files in short and long status', async () => {
    const { shell, fs } = await labShell(FILES);
    const quiet = await shell.exec('git init -q; git add . && git commit -q -m base');
    expect(quiet).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    await fs.writeFile(`${APP}/server.js`, 'line 1\nline two\nline 3\n');
    await fs.writeFile(`${APP}/Procfile`, 'web: node server.js\n');
    await shell.exec('rm lib/util.js');
    await shell.exec('git add Procfile');
    expect((await shell.exec('git status --short')).stdout).toBe('A  Procfile\n D lib/util.js\n M server.js\n');
    const long = (await shell.exec('git status')).stdout;
    expect(long).toContain('Changes to be committed:\n  (use "git restore --staged <file>..." to unstage)\n\tnew file:   Procfile\n');
    expect(long).toContain('Changes not staged for commit:');
    expect(long).toContain('\tdeleted:    lib/util.js\n\tmodified:   server.js\n');
    // Paths are shown relative to where you are.
    await shell.exec('mkdir -p lib && cd lib');
    expect((await shell.exec('git status -s')).stdout).toBe('A  ../Procfile\n D util.js\n M ../server.js\n');
  });

  it('diffs working tree vs index, index vs HEAD, and working tree vs HEAD', async () => {
    const { shell, fs } = await labShell(FILES);
    await shell.exec('git init -q && git add . && git commit -q -m base');
    await fs.writeFile(`${APP}/server.js`, 'line 1\nline two\nline 3\n');
    const unstaged = await shell.exec('git diff');
    expect(unstaged.stdout).toMatch(
      /^diff --git a\/server\.js b\/server\.js\nindex [0-9a-f]{7}\.\.[0-9a-f]{7} 100644\n--- a\/server\.js\n\+\+\+ b\/server\.js\n@@ -1,3 \+1,3 @@\n line 1\n-line 2\n\+line two\n line 3\n$/,
    );
    expect((await shell.exec('git diff --staged')).stdout).toBe('');
    await shell.exec('git add server.js');
    expect((await shell.exec('git diff')).stdout).toBe('');
    expect((await shell.exec('git diff --cached')).stdout).toContain('+line two\n');
    await fs.writeFile(`${APP}/new.txt`, 'hello\n');
    await shell.exec('git add new.txt');
    expect((await shell.exec('git diff --staged new.txt')).stdout).toMatch(/^diff --git a\/new\.txt b\/new\.txt\nnew file mode 100644\nindex 0000000\.\.[0-9a-f]{7}\n--- \/dev\/null\n\+\+\+ b\/new\.txt\n@@ -0,0 \+1 @@\n\+hello\n$/);
    expect((await shell.exec('git diff HEAD --stat')).stdout).toBe(' new.txt | 1 +\n server.js | 2 +-\n');
  });

  it('commit -a picks up tracked changes and deletions, not untracked files', async () => {
    const { shell, fs } = await labShell(FILES);
    await shell.exec('git init -q && git add . && git commit -q -m base');
    await fs.writeFile(`${APP}/server.js`, 'changed\n');
    await fs.writeFile(`${APP}/untracked.txt`, 'x\n');
    await shell.exec('git rm -q lib/util.js');
    const r = await shell.exec('git commit -a -m "Second"');
    expect(r.stdout).toMatch(/^\[main [0-9a-f]{7}\] Second\n 2 files changed, 1 insertion\(\+\), 4 deletions\(-\)\n delete mode 100644 lib\/util\.js\n$/);
    expect((await shell.exec('git status -s')).stdout).toBe('?? untracked.txt\n');
    expect((await shell.exec('git log --oneline')).stdout).toMatch(/^[0-9a-f]{7} \(HEAD -> main\) Second\n[0-9a-f]{7} base\n$/);
    const nothing = await shell.exec('git commit -m again');
    expect(nothing.exitCode).toBe(1);
    expect(nothing.stdout).toContain('nothing added to commit but untracked files present');
  });

  it('uses the identity from git config, and branches with checkout -b', async () => {
    const { shell } = await labShell(FILES);
    await shell.exec('git init -q && git config user.name "Maya Chen" && git config user.email maya@pettracker.example');
    expect((await shell.exec('git config user.name')).stdout).toBe('Maya Chen\n');
    await shell.exec('git add . && git commit -q -m base');
    expect((await shell.exec('git log -1')).stdout).toContain('Author: Maya Chen <maya@pettracker.example>');
    const switched = await shell.exec('git checkout -b feature/health');
    expect(switched.stderr).toBe("Switched to a new branch 'feature/health'\n");
    expect((await shell.exec('git branch')).stdout).toBe('* feature/health\n  main\n');
    expect((await shell.exec('git rev-parse --abbrev-ref HEAD')).stdout).toBe('feature/health\n');
  });

  it('fails like git outside a repository and on bad input', async () => {
    const { shell } = await labShell(FILES);
    const outside = await shell.exec('git status');
    expect(outside.exitCode).toBe(128);
    expect(outside.stderr).toMatch(/^fatal: not a git repository \(or any of the parent directories\): \.git/);
    await shell.exec('git init -q');
    const missing = await shell.exec('git add nothing.txt');
    expect(missing).toMatchObject({ exitCode: 128, stderr: "fatal: pathspec 'nothing.txt' did not match any files\n" });
    expect((await shell.exec('git log')).stderr).toBe("fatal: your current branch 'main' does not have any commits yet\n");
    expect((await shell.exec('git commit')).stderr).toMatch(/no commit message.*git commit -m/);
    expect((await shell.exec('git push')).stderr).toMatch(/this lab has none: deploy with eb deploy/);
    expect((await shell.exec('git frob')).stderr).toMatch(/'frob' is not a git command here/);
  });

  it('init -b names the first branch, and init <dir> makes the repository there', async () => {
    const { shell } = await labShell(FILES);
    expect((await shell.exec('git init -b trunk app')).stdout).toBe(`Initialized empty Git repository in ${APP}/app/.git/\n`);
    expect((await shell.exec('cd app && git status')).stdout).toMatch(/^On branch trunk\n/);
  });

  it('is what eb deploy packages: the committed version, not uncommitted edits', async () => {
    const { shell } = await labShell(FILES);
    await shell.exec('git init -q && git add . && git commit -q -m "Ship it"');
    const sha = (await shell.exec('git rev-parse --short HEAD')).stdout.trim();
    expect(sha).toMatch(/^[0-9a-f]{7}$/);
    expect((await shell.exec('git show HEAD:server.js')).stdout).toBe(FILES['server.js']);
  });
});
