import { describe, it, expect } from 'vitest';
import { renderHuman, renderJson, renderJUnit } from './reporters.ts';
import type { CheckResult, CheckRun } from './types.ts';
import { HINTS } from './test-helpers.ts';

const result = (over: Partial<CheckResult>): CheckResult => ({
  id: 'procfile-web',
  title: 'Procfile starts Gunicorn',
  kind: 'procfile-process',
  status: 'pass',
  points: 3,
  maxPoints: 3,
  expected: 'a web process',
  found: 'web: gunicorn app.main:app',
  evidence: [],
  hints: HINTS,
  hintLevel: null,
  durationMs: 1.5,
  ...over,
});

const run: CheckRun = {
  labId: 'procfile',
  checkedAt: '2026-11-23T09:00:00.000Z',
  results: [
    result({}),
    result({
      id: 'staging-green',
      title: 'Staging is <Green> & well',
      status: 'fail',
      points: 0,
      maxPoints: 2,
      expected: 'Green',
      found: 'Red (Severe)',
      reason: 'wrong-health',
      hintLevel: 'concept',
      evidence: [{ kind: 'event', text: 'Instance deployment failed.', source: '2026-11-23 09:01:02 ERROR' }],
    }),
    result({ id: 'uvicorn-declared', status: 'error', points: 0, maxPoints: 2, error: 'SDK timeout', expected: '', found: '' }),
  ],
  score: 3,
  maxScore: 7,
  passed: 1,
  failed: 1,
  errored: 1,
  completed: false,
};

describe('reporters', () => {
  it('human: a table, then expected/found/evidence and the hint at the level reached', () => {
    const text = renderHuman([{ name: 'alex.json', run }]);
    expect(text).toContain('alex.json (lab procfile): 3/7 points, 1 passed, 1 failed, 1 errors');
    expect(text).toMatch(/PASS\s+procfile-web\s+3\/3\s+Procfile starts Gunicorn/);
    expect(text).toContain('found:    Red (Severe)');
    expect(text).toContain('event: Instance deployment failed.  [2026-11-23 09:01:02 ERROR]');
    expect(text).toContain('hint (concept): The concept. (/chapters/procfile/#the-web-process)');
    expect(text).toContain('The check itself failed (not your work): SDK timeout');
  });

  it('JSON keeps every field', () => {
    const [parsed] = JSON.parse(renderJson([{ name: 'alex.json', run }]));
    expect(parsed.name).toBe('alex.json');
    expect(parsed.results[1].hintLevel).toBe('concept');
  });

  it('JUnit: failures and errors apart, XML escaped', () => {
    const xml = renderJUnit([{ name: 'alex.json', run }]);
    expect(xml).toContain('<testsuites name="beanstalk-academy" tests="3" failures="1" errors="1">');
    expect(xml).toContain('name="staging-green: Staging is &lt;Green&gt; &amp; well"');
    expect(xml).toContain('<failure message="Red (Severe)" type="wrong-health">');
    expect(xml).toContain('<error message="SDK timeout" type="check-error"/>');
    expect(xml.match(/<testcase /g)).toHaveLength(3);
  });
});
