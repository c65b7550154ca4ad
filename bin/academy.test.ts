// The `academy` bin as a user runs it: a child process, exit codes, a scaffolded lab that verifies as is.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(import.meta.dirname, 'academy.mjs');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });

describe('bin/academy.mjs', () => {
  it('scaffolds a lab with new-lab that verify accepts, with exit codes 0, 2 and 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'academy-bin-'));
    try {
      const created = run(['new-lab', 'first-deploy', '--chapter', 'fundamentals', '--labs-dir', 'labs'], dir);
      expect(created.status, created.stderr).toBe(0);
      const verified = run(['verify', '--labs-dir', 'labs', '--json'], dir);
      expect(verified.stderr).toBe('');
      expect(verified.status, verified.stdout).toBe(0);
      const report = JSON.parse(verified.stdout);
      expect(report.labs.map((l: { id: string; ok: boolean }) => [l.id, l.ok])).toEqual([['first-deploy', true]]);
      expect(run(['verify', 'missing-lab', '--labs-dir', 'labs'], dir).status).toBe(2);
      expect(run(['grade', 'no-such-attempt.json', '--labs-dir', 'labs'], dir).status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
