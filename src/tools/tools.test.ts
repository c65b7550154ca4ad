import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAcademy } from './main.ts';
import { parseArgs, UsageError } from './io.ts';
import { loadLabFromDir } from '../course/lab-loader-node.ts';

function capture(cwd = process.cwd()) {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), cwd, env: {} } };
}

describe('academy', () => {
  it('prints help, and exit code 2 for an unknown command', async () => {
    const { out, io } = capture();
    expect(await runAcademy(['--help'], io)).toBe(0);
    expect(out.stdout).toContain('verify [lab-id...]');
    const bad = capture();
    expect(await runAcademy(['verfy'], bad.io)).toBe(2);
    expect(bad.out.stderr).toContain('unknown command "verfy"');
  });

  it('rejects unknown options precisely', async () => {
    const { out, io } = capture();
    expect(await runAcademy(['grade', '--xml', 'a.json'], io)).toBe(2);
    expect(out.stderr).toBe('academy grade: unknown option --xml; it accepts --json, --junit, --help, --labs-dir\n');
    expect(() => parseArgs(['--labs-dir'], { boolean: [], value: ['labs-dir'] }, 'verify')).toThrow(UsageError);
  });

  it('grade explains unreadable and damaged attempt files with exit 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'academy-grade-'));
    try {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(dir, 'broken.json'), '{"format": "beanstalk-academy-attempt", "version": 7}');
      const { out, io } = capture(dir);
      expect(await runAcademy(['grade', 'missing.json', 'broken.json'], io)).toBe(1);
      expect(out.stderr).toContain('cannot read missing.json: no such file');
      expect(out.stderr).toContain('broken.json is attempt format version 7, newer than this grader reads (1)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('academy new-lab', () => {
  it('scaffolds a lab the loader accepts, and refuses to overwrite it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'academy-new-lab-'));
    try {
      const { out, io } = capture(dir);
      expect(await runAcademy(['new-lab', 'rolling-deploy', '--chapter', 'deployment-strategies', '--labs-dir', 'labs'], io)).toBe(0);
      expect(out.stdout).toContain('npm run verify -- rolling-deploy');
      const lab = await loadLabFromDir(join(dir, 'labs', 'rolling-deploy'));
      expect(lab.manifest.chapter).toBe('deployment-strategies');
      // verify takes the lab's folder as well as its id.
      const verified = capture(dir);
      expect(await runAcademy(['verify', 'labs/rolling-deploy/', '--labs-dir', 'labs'], verified.io)).toBe(0);
      expect(verified.out.stdout).toMatch(/^PASS {2}rolling-deploy/);
      expect(lab.wrongAnswers.map((w) => w.manifest.expect)).toEqual([
        { check: 'application-created', hintLevel: 'fix' },
        { check: 'project-initialised', hintLevel: 'nudge' },
      ]);
      expect(await readFile(join(dir, 'labs', 'rolling-deploy', 'solution', 'solve.sh'), 'utf8')).toContain('eb init -p node.js-22 pettracker-web');
      const again = capture(dir);
      expect(await runAcademy(['new-lab', 'rolling-deploy', '--chapter', 'deployment-strategies'], again.io)).toBe(1);
      expect(again.out.stderr).toContain('already exists');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('validates the id and the chapter', async () => {
    const a = capture();
    expect(await runAcademy(['new-lab', 'Rolling_Deploy', '--chapter', 'procfile'], a.io)).toBe(2);
    expect(a.out.stderr).toContain('must be kebab-case');
    const b = capture();
    expect(await runAcademy(['new-lab', 'x-lab', '--chapter', 'procfiles'], b.io)).toBe(2);
    expect(b.out.stderr).toContain('"procfiles" is not a chapter; chapters: prologue, fundamentals');
    const c = capture();
    expect(await runAcademy(['new-lab', 'x-lab'], c.io)).toBe(2);
    expect(c.out.stderr).toContain('--chapter <slug> is required');
  });
});
