import { describe, it, expect } from 'vitest';
import { labShell, APP } from './test/lab.ts';

async function shellWithTree() {
  const lab = await labShell({
    'server.js': 'x\n',
    'src/routes.js': 'x\n',
    'src/static/site.css': 'x\n',
    '.ebextensions/01-env.config': 'x\n',
    'my file.txt': 'x\n',
  });
  await lab.fs.chmod(`${APP}/server.js`, 0o755);
  return lab;
}

describe('tab completion', () => {
  it('completes command names at the start of a line and after separators', async () => {
    const { shell } = await shellWithTree();
    expect(await shell.complete('unz', 3)).toEqual({ replaceFrom: 0, from: 0, candidates: ['unzip'] });
    expect((await shell.complete('un', 2)).candidates).toEqual(expect.arrayContaining(['uniq', 'unset', 'unzip']));
    expect((await shell.complete('ls | gre', 8)).candidates).toEqual(['grep']);
    expect((await shell.complete('FOO=1 cur', 9)).candidates).toEqual(['curl']);
  });

  it('completes paths relative to the cwd, marking folders, hiding dotfiles unless asked', async () => {
    const { shell } = await shellWithTree();
    expect(await shell.complete('cat s', 5)).toEqual({ replaceFrom: 4, from: 4, candidates: ['server.js', 'src/'] });
    expect((await shell.complete('cat src/st', 10)).candidates).toEqual(['src/static/']);
    expect((await shell.complete('ls .eb', 6)).candidates).toEqual(['.ebextensions/']);
    expect((await shell.complete('ls ', 3)).candidates).toEqual(['my file.txt', 'package.json', 'server.js', 'src/'].filter((n) => n !== 'package.json'));
    expect((await shell.complete(`cat ${APP}/src/r`, `cat ${APP}/src/r`.length)).candidates).toEqual([`${APP}/src/routes.js`]);
    expect((await shell.complete('cat nothing/x', 13)).candidates).toEqual([]);
  });

  it('completes executables by path at the command position', async () => {
    const { shell } = await shellWithTree();
    expect((await shell.complete('./s', 3)).candidates).toEqual(['./server.js', './src/']);
  });

  it('completes within the line up to the cursor, and git subcommands', async () => {
    const { shell } = await shellWithTree();
    expect(await shell.complete('git com && ls', 7)).toMatchObject({ replaceFrom: 4, candidates: ['commit'] });
    expect((await shell.complete('git diff --st', 13)).candidates).toEqual(['--staged', '--stat']);
    expect((await shell.complete('git add s', 9)).candidates).toEqual(['server.js', 'src/']);
  });

  it('follows the cwd after cd', async () => {
    const { shell } = await shellWithTree();
    await shell.exec('cd src');
    expect((await shell.complete('cat r', 5)).candidates).toEqual(['routes.js']);
  });
});
