import { describe, it, expect } from 'vitest';
import { InMemoryFs } from 'just-bash';
import { createCloud, ManualClock } from '../cloud/index.ts';
import { clientsForCloud } from '../aws/index.ts';
import { createLabShell, runScript } from './index.ts';

function newShell() {
  const fs = new InMemoryFs();
  const cloud = createCloud({ clock: new ManualClock(), log: () => {} });
  return { fs, shell: createLabShell({ fs, clients: clientsForCloud(cloud), cwd: '/home/learner/lab' }) };
}

describe('runScript', () => {
  it('runs a script with heredocs, loops, continuation lines and state across lines', async () => {
    const { fs, shell } = newShell();
    const script = [
      '#!/bin/bash',
      'set -euo pipefail',
      '# write a Procfile',
      'mkdir -p app && cd app',
      "cat > Procfile <<'EOF'",
      'web: gunicorn application:application --bind :8000',
      'EOF',
      'for f in a b; do',
      '  echo "file $f" > "$f.txt"',
      'done',
      'echo one \\',
      '  two',
      'name=$(cat a.txt)',
      'echo "$name"',
    ].join('\n');
    const out: string[] = [];
    const r = await runScript(shell, script, { onStdout: (t) => out.push(t) });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('one two\nfile a\n');
    expect(out.join('')).toBe(r.stdout);
    expect(await fs.readFile('/home/learner/lab/app/Procfile')).toBe('web: gunicorn application:application --bind :8000\n');
    expect(await fs.readFile('/home/learner/lab/app/b.txt')).toBe('file b\n');
    expect(shell.cwd).toBe('/home/learner/lab/app');
    expect(shell.history).toEqual([]);
  });

  it('stops at the first failing command and names its line', async () => {
    const { shell } = newShell();
    const r = await runScript(shell, 'echo start\n\ncat nothing-here.txt\necho never');
    expect(r.exitCode).toBe(1);
    expect(r.failedLineNumber).toBe(3);
    expect(r.failedLine).toBe('cat nothing-here.txt');
    expect(r.stdout).toBe('start\n');
    expect(r.stderr).toContain('script: line 3: `cat nothing-here.txt` failed with exit code 1');
  });

  it('applies set -e inside a line too, and set -o pipefail from the script', async () => {
    const { shell } = newShell();
    const inLine = await runScript(shell, 'false; echo after');
    expect(inLine.exitCode).toBe(1);
    expect(inLine.stdout).toBe('');
    const piped = await runScript(shell, 'set -o pipefail\ncat missing | sort\necho after');
    expect(piped.exitCode).not.toBe(0);
    expect(piped.failedLineNumber).toBe(2);
  });

  it('reports a syntax error with its line before running anything', async () => {
    const { shell, fs } = newShell();
    const r = await runScript(shell, 'touch made.txt\nif true; then\n  echo x\n');
    expect(r.exitCode).toBe(2);
    expect(r.failedLineNumber).toBe(2);
    expect(r.stderr).toMatch(/script: line 2: syntax error/);
    expect(await fs.exists('/home/learner/lab/made.txt')).toBe(false);
  });

  it('ends at exit with its code', async () => {
    const { shell } = newShell();
    expect(await runScript(shell, 'echo a\nexit 0\necho b')).toMatchObject({ exitCode: 0, stdout: 'a\n' });
    expect(await runScript(shell, 'exit 3')).toMatchObject({ exitCode: 3 });
  });
});
