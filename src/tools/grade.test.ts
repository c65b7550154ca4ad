import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryFs } from 'just-bash';
import { listFiles, joinPath } from '../workspace/fs.ts';
import { loadLabFromDir } from '../course/lab-loader-node.ts';
import { createAttempt, serializeAttempt } from '../course/attempt.ts';
import { applyPreset } from '../checks/index.ts';
import { createSandbox } from './sandbox.ts';
import { runSolveScript } from './solve-script.ts';
import { runAcademy } from './main.ts';

const labsDir = join(import.meta.dirname, '..', '..', 'labs');
let dir: string;

/** Plays the procfile lab the way a learner would in the workbench, then exports the attempt. */
async function attemptAt(stage: 'solved' | 'untouched'): Promise<string> {
  const lab = await loadLabFromDir(join(labsDir, 'procfile'));
  const sandbox = createSandbox({ region: 'us-east-1' });
  const preset = await applyPreset(lab, sandbox.clients);
  const fs = new InMemoryFs();
  await fs.mkdir(lab.workspaceDir, { recursive: true });
  const files = stage === 'solved' ? { ...lab.starter, ...lab.solution } : lab.starter;
  for (const [path, content] of Object.entries(files)) await fs.writeFile(joinPath(lab.workspaceDir, path), content);
  const history: string[] = [];
  if (stage === 'solved') {
    const run = await runSolveScript({ fs, clients: sandbox.clients, cwd: lab.workspaceDir, script: lab.solveScript, labId: lab.id });
    expect(run.exitCode, run.output).toBe(0);
    history.push('eb deploy', 'eb health');
    await sandbox.clients.sleep(60_000);
  }
  const exported: Record<string, Uint8Array> = {};
  for (const path of await listFiles(fs, lab.workspaceDir)) exported[path] = await fs.readFileBuffer(joinPath(lab.workspaceDir, path));
  const attempt = createAttempt({ labId: 'procfile', files: exported, history, cloud: sandbox.cloud.snapshot(), presetFinishedAt: preset.finishedAt });
  sandbox.dispose();
  return serializeAttempt(attempt);
}

function capture(cwd: string) {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), cwd, env: {} } };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'academy-grade-'));
  await writeFile(join(dir, 'alex-solved.json'), await attemptAt('solved'));
  await writeFile(join(dir, 'alex-untouched.json'), await attemptAt('untouched'));
  return () => rm(dir, { recursive: true, force: true });
});

describe('academy grade', () => {
  it('re-runs the checks against the restored snapshot and prints a table', async () => {
    const { out, io } = capture(dir);
    expect(await runAcademy(['grade', 'alex-solved.json', 'alex-untouched.json', '--labs-dir', labsDir], io)).toBe(0);
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain('alex-solved.json (lab procfile): 8/8 points, 4 passed, 0 failed, 0 errors');
    expect(out.stdout).toContain('shell history: 2 command(s), last: eb health');
    expect(out.stdout).toContain('alex-untouched.json (lab procfile): 0/8 points, 0 passed, 4 failed, 0 errors');
    expect(out.stdout).toMatch(/FAIL\s+procfile-web\s+0\/3/);
    expect(out.stdout).toContain('hint (nudge): The logs say the platform started');
  });

  it('--json and --junit', async () => {
    const json = capture(dir);
    expect(await runAcademy(['grade', 'alex-solved.json', '--json', '--labs-dir', labsDir], json.io)).toBe(0);
    const [report] = JSON.parse(json.out.stdout);
    expect(report).toMatchObject({ name: 'alex-solved.json', labId: 'procfile', score: 8, maxScore: 8, completed: true });
    const junit = capture(dir);
    expect(await runAcademy(['grade', 'alex-untouched.json', '--junit', '--labs-dir', labsDir], junit.io)).toBe(0);
    expect(junit.out.stdout).toContain('<testsuite name="alex-untouched.json" tests="4" failures="4" errors="0"');
  });

  it('refuses attempts at unknown labs and snapshots it cannot restore, and grades the rest', async () => {
    const solved = JSON.parse(await (await import('node:fs/promises')).readFile(join(dir, 'alex-solved.json'), 'utf8'));
    await writeFile(join(dir, 'other-lab.json'), JSON.stringify({ ...solved, labId: 'no-such-lab' }));
    await writeFile(join(dir, 'bad-cloud.json'), JSON.stringify({ ...solved, cloud: { format: 'beanstalk-academy-cloud', version: 99 } }));
    const { out, io } = capture(dir);
    expect(await runAcademy(['grade', 'other-lab.json', 'bad-cloud.json', 'alex-solved.json', '--labs-dir', labsDir], io)).toBe(1);
    expect(out.stderr).toContain('other-lab.json is an attempt at lab "no-such-lab", which is not in');
    expect(out.stderr).toContain('bad-cloud.json has a cloud snapshot the sandbox cannot restore');
    expect(out.stdout).toContain('alex-solved.json (lab procfile): 8/8 points');
  });
});
