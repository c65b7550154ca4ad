import { describe, it, expect } from 'vitest';
import { InMemoryFs } from 'just-bash';
import { createCloud, ManualClock } from '../cloud/index.ts';
import { clientsForCloud } from '../aws/index.ts';
import { createLabShell, type LabCommand } from './index.ts';

function newShell(extra: LabCommand[] = []) {
  const fs = new InMemoryFs();
  const cloud = createCloud({ clock: new ManualClock(), log: () => {} });
  const clients = clientsForCloud(cloud, { region: 'us-east-1' });
  const shell = createLabShell({ fs, clients, labId: 'first-deploy', commands: extra });
  return { fs, cloud, clients, shell };
}

describe('lab shell session', () => {
  it('starts in /home/learner/<lab>, creating it', async () => {
    const { shell, fs } = newShell();
    expect((await shell.exec('pwd')).stdout).toBe('/home/learner/first-deploy\n');
    expect(await fs.exists('/home/learner/first-deploy')).toBe(true);
    expect(shell.cwd).toBe('/home/learner/first-deploy');
  });

  it('carries cd, export, assignments and unset across lines', async () => {
    const { shell } = newShell();
    await shell.exec('mkdir -p app/src && cd app');
    await shell.exec('export APP_ENV=staging; COLOR=blue');
    expect(shell.cwd).toBe('/home/learner/first-deploy/app');
    const r = await shell.exec('pwd; echo "$APP_ENV $COLOR"; printenv APP_ENV');
    expect(r.stdout).toBe('/home/learner/first-deploy/app\nstaging blue\nstaging\n');
    await shell.exec('cd src; unset COLOR');
    const after = await shell.exec('pwd; echo "[${COLOR:-unset}]"; cd -');
    expect(after.stdout).toBe('/home/learner/first-deploy/app/src\n[unset]\n/home/learner/first-deploy/app\n');
    expect(shell.env.APP_ENV).toBe('staging');
    expect(shell.env.COLOR).toBeUndefined();
    expect(shell.cwd).toBe('/home/learner/first-deploy/app');
  });

  it('keeps functions defined on earlier lines', async () => {
    const { shell } = newShell();
    await shell.exec('greet() { echo "hello $1"; }');
    expect((await shell.exec('greet maya')).stdout).toBe('hello maya\n');
  });

  it('reports exit codes and errors of failing lines and stays usable', async () => {
    const { shell } = newShell();
    const failed = await shell.exec('cat missing.txt');
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/missing.txt: No such file or directory/);
    const syntax = await shell.exec('if true; then echo');
    expect(syntax.exitCode).toBe(2);
    expect(syntax.stderr).toMatch(/syntax error/);
    expect((await shell.exec('echo still here')).stdout).toBe('still here\n');
  });

  it('records history per line, without blank lines', async () => {
    const { shell } = newShell();
    await shell.exec('echo one');
    await shell.exec('   ');
    await shell.exec('echo two');
    expect(shell.history).toEqual(['echo one', 'echo two']);
    expect((await shell.exec('history')).stdout).toBe('    1  echo one\n    2  echo two\n    3  history\n');
    expect((await shell.exec('history 1')).stdout).toBe('    4  history 1\n');
    await shell.exec('history -c');
    expect(shell.history).toEqual([]);
  });

  it('passes every line’s output to io in order and returns it too', async () => {
    const { shell } = newShell();
    const seen: string[] = [];
    const r = await shell.exec('echo out; echo err >&2', { onStdout: (t) => seen.push(`1:${t}`), onStderr: (t) => seen.push(`2:${t}`) });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'out\n', stderr: 'err\n' });
    expect(seen).toEqual(['1:out\n', '2:err\n']);
  });

  it('tells whether input is complete, needs more lines, or is wrong', () => {
    const { shell } = newShell();
    expect(shell.inputState('echo hi').kind).toBe('complete');
    expect(shell.inputState('if true; then').kind).toBe('incomplete');
    expect(shell.inputState('cat > Procfile <<EOF\nweb: node server.js').kind).toBe('incomplete');
    expect(shell.inputState('echo "open').kind).toBe('incomplete');
    expect(shell.inputState('eb deploy \\').kind).toBe('incomplete');
    expect(shell.inputState('fi').kind).toBe('error');
  });

  it('lists our commands with just-bash’s', () => {
    const { shell } = newShell();
    const names = shell.commandNames();
    for (const name of ['eb', 'ls', 'grep', 'cd', 'clear']) expect(names).toContain(name);
  });

  it('offers the same commands as the workbench build: the left-out ones are not found, and curl is ours', async () => {
    const { shell } = newShell();
    expect(shell.commandNames()).not.toContain('file');
    expect(shell.commandNames()).not.toContain('html-to-markdown');
    const r = await shell.exec('file Procfile');
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toMatch(/file: command not found/);
    expect(shell.commandNames()).toContain('curl');
    expect((await shell.exec('curl')).stderr).toBe("curl: no URL specified\ncurl: try 'curl --help' for more information\n");
  });
});

describe('streaming and Ctrl-C', () => {
  const ticker: LabCommand = {
    name: 'ticker',
    summary: 'test command that writes as it goes',
    streams: true,
    async run(args, ctx) {
      for (let i = 1; i <= Number(args[0] ?? 3); i++) {
        ctx.stdout(`tick ${i}\n`);
        await new Promise((r) => setTimeout(r, 1));
      }
      return 0;
    },
  };
  const hang: LabCommand = {
    name: 'hang',
    summary: 'test command that never finishes and ignores the signal',
    streams: true,
    async run(_args, ctx) {
      ctx.stdout('waiting\n');
      await new Promise(() => {});
      return 0;
    },
  };

  it('streams a command run at the prompt while it runs', async () => {
    const { shell } = newShell([ticker]);
    const chunks: string[] = [];
    const r = await shell.exec('ticker 3', { onStdout: (t) => chunks.push(t) });
    expect(chunks).toEqual(['tick 1\n', 'tick 2\n', 'tick 3\n']);
    expect(r.stdout).toBe('tick 1\ntick 2\ntick 3\n');
  });

  it('keeps the order of our commands’ output on one line', async () => {
    const { shell } = newShell([ticker]);
    const chunks: string[] = [];
    await shell.exec('ticker 1 && clear && ticker 2', { onStdout: (t) => chunks.push(t) });
    expect(chunks).toEqual(['tick 1\n', '\x1b[H\x1b[2J\x1b[3J', 'tick 1\n', 'tick 2\n']);
  });

  it('keeps piped and redirected output in the pipeline', async () => {
    const { shell, fs } = newShell([ticker]);
    const chunks: string[] = [];
    const piped = await shell.exec('ticker 3 | grep 2', { onStdout: (t) => chunks.push(t) });
    expect(piped.stdout).toBe('tick 2\n');
    expect(chunks).toEqual(['tick 2\n']);
    await shell.exec('ticker 2 > ticks.txt');
    expect(await fs.readFile('/home/learner/first-deploy/ticks.txt')).toBe('tick 1\ntick 2\n');
    expect((await shell.exec('echo "$(ticker 1)"')).stdout).toBe('tick 1\n');
  });

  it('Ctrl-C ends a command that never finishes with exit 130, and the shell goes on', async () => {
    const { shell } = newShell([hang]);
    const controller = new AbortController();
    const chunks: string[] = [];
    const running = shell.exec('hang; echo not reached', {
      signal: controller.signal,
      onStdout: (t) => {
        chunks.push(t);
        controller.abort();
      },
    });
    const r = await running;
    expect(r.exitCode).toBe(130);
    expect(chunks).toEqual(['waiting\n']);
    expect((await shell.exec('echo back')).stdout).toBe('back\n');
  });
});
