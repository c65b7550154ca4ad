import { describe, it, expect } from 'vitest';
import { stringify } from 'yaml';
import { parseLab } from '../course/lab-loader.ts';
import { HINTS } from '../checks/test-helpers.ts';
import { verifyLab, renderVerifyHuman, renderVerifyJson } from './verify.ts';

/** A small file-only lab: the learner must write a Procfile with a web process running gunicorn. */
function lab(files: Record<string, string>) {
  const manifest = {
    id: 'mini',
    title: 'Mini',
    chapter: 'procfile',
    estimatedMinutes: 5,
    objectives: ['Write a Procfile'],
    platform: 'python-3.13',
    steps: [{ title: 'Write it', body: 'Write the Procfile.' }],
    checks: [{ id: 'procfile-web', title: 'Procfile', kind: 'procfile-process', params: { command: '^gunicorn', mustInclude: [{ pattern: ':8000', means: 'bind port 8000' }] }, hints: HINTS }],
  };
  return parseLab({
    'lab.yaml': stringify(manifest),
    'starter/app.py': 'app = None\n',
    'solution/solve.sh': "echo 'web: gunicorn --bind :8000 app:app' > Procfile\n",
    'wrong/no-procfile/wrong.yaml': stringify({ description: 'No Procfile', expect: { check: 'procfile-web', hintLevel: 'nudge' } }),
    'wrong/no-procfile/solve.sh': 'true\n',
    'wrong/port/wrong.yaml': stringify({ description: 'Port 5000', expect: { check: 'procfile-web', hintLevel: 'fix' } }),
    'wrong/port/solve.sh': "echo 'web: gunicorn --bind :5000 app:app' > Procfile\n",
    ...files,
  }, { labId: 'mini' });
}

describe('verifyLab', () => {
  it('passes a lab whose starter fails, solution passes and wrong answers reach their hints', async () => {
    const report = await verifyLab(lab({}));
    expect(report.scenarios.map((s) => [s.name, s.ok])).toEqual([
      ['starter', true],
      ['solution', true],
      ['wrong/no-procfile', true],
      ['wrong/port', true],
    ]);
    expect(report.ok).toBe(true);
    expect(renderVerifyHuman({ ok: true, labs: [report], durationMs: 1, cpuMs: 1 })).toMatch(/^PASS {2}mini/);
    expect(JSON.parse(renderVerifyJson({ ok: true, labs: [report], durationMs: 1, cpuMs: 1 })).labs[0].scenarios[1].run.completed).toBe(true);
  });

  it('fails a lab whose starter already passes, whose solve.sh fails, or whose wrong answer gets another hint', async () => {
    const report = await verifyLab(
      lab({
        'starter/Procfile': 'web: gunicorn --bind :8000 app:app\n',
        'solution/solve.sh': "echo deploying\nfalse\necho 'never runs'\n",
        'wrong/port/wrong.yaml': stringify({ description: 'Port 5000', expect: { check: 'procfile-web', hintLevel: 'concept' } }),
      }),
    );
    expect(report.ok).toBe(false);
    const byName = Object.fromEntries(report.scenarios.map((s) => [s.name, s.problems.join('\n')]));
    expect(byName.starter).toContain('the starter must fail at least one check, but it passes them all');
    expect(byName.solution).toContain('solve.sh exited with 1 at: line 2: false');
    expect(byName['wrong/port']).toContain('expected procfile-web to fail at hint level concept, but it reached fix');
    expect(byName['wrong/no-procfile']).toContain('expected procfile-web to fail at hint level nudge, but it passed');
  });
});
