// Renders check runs for people (a table with expected/found, evidence and the hint reached), for
// machines (JSON) and for CI dashboards (JUnit XML: a failed check is a <failure>, an erroring check an <error>).
import type { CheckResult, CheckRun } from './types.ts';

export interface ReportInput {
  /** What was graded: an attempt file name or a lab id. */
  name: string;
  run: CheckRun;
  /** The learner's shell history, when grading an attempt (summarised for the instructor). */
  history?: string[];
}

const STATUS_TEXT: Record<CheckResult['status'], string> = { pass: 'PASS', fail: 'FAIL', error: 'ERROR' };

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function hintText(r: CheckResult): string {
  if (r.hintLevel === 'nudge') return r.hints.nudge;
  if (r.hintLevel === 'concept') return `${r.hints.concept.text} (${r.hints.concept.href})`;
  if (r.hintLevel === 'fix') return r.hints.fix;
  return '';
}

/** A plain-text table per run plus details for every check that did not pass. */
export function renderHuman(reports: ReportInput[], options: { details?: boolean } = {}): string {
  const lines: string[] = [];
  for (const { name, run, history } of reports) {
    lines.push(`${name} (lab ${run.labId}): ${run.score}/${run.maxScore} points, ${run.passed} passed, ${run.failed} failed, ${run.errored} errors`);
    if (history) lines.push(`  shell history: ${history.length} command(s)${history.length ? `, last: ${history[history.length - 1]}` : ''}`);
    const idWidth = Math.max(5, ...run.results.map((r) => r.id.length));
    lines.push(`  ${pad('STATUS', 6)}  ${pad('CHECK', idWidth)}  ${pad('POINTS', 6)}  TITLE`);
    for (const r of run.results) {
      lines.push(`  ${pad(STATUS_TEXT[r.status], 6)}  ${pad(r.id, idWidth)}  ${pad(`${r.points}/${r.maxPoints}`, 6)}  ${r.title}`);
    }
    if (options.details !== false) {
      for (const r of run.results.filter((x) => x.status !== 'pass')) {
        lines.push('', `  ${STATUS_TEXT[r.status]} ${r.id}: ${r.title}`);
        if (r.status === 'error') {
          lines.push(`    The check itself failed (not your work): ${r.error ?? ''}`);
          continue;
        }
        lines.push(`    expected: ${r.expected}`, `    found:    ${r.found}`);
        for (const e of r.evidence) lines.push(`    ${e.kind}: ${e.text}${e.source ? `  [${e.source}]` : ''}`);
        lines.push(`    hint (${r.hintLevel}): ${hintText(r)}`);
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function renderJson(reports: ReportInput[]): string {
  return JSON.stringify(reports.map(({ name, run, history }) => ({ name, ...run, ...(history ? { history } : {}) })), null, 2) + '\n';
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** JUnit XML: one <testsuite> per graded attempt, one <testcase> per check. */
export function renderJUnit(reports: ReportInput[]): string {
  const total = reports.reduce((n, r) => n + r.run.results.length, 0);
  const failures = reports.reduce((n, r) => n + r.run.failed, 0);
  const errors = reports.reduce((n, r) => n + r.run.errored, 0);
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="beanstalk-academy" tests="${total}" failures="${failures}" errors="${errors}">`];
  for (const { name, run } of reports) {
    const time = run.results.reduce((s, r) => s + r.durationMs, 0) / 1000;
    out.push(`  <testsuite name="${xml(name)}" tests="${run.results.length}" failures="${run.failed}" errors="${run.errored}" time="${time.toFixed(3)}" timestamp="${xml(run.checkedAt)}">`);
    out.push(`    <properties><property name="lab" value="${xml(run.labId)}"/><property name="score" value="${run.score}"/><property name="maxScore" value="${run.maxScore}"/></properties>`);
    for (const r of run.results) {
      const open = `    <testcase classname="${xml(`${run.labId}`)}" name="${xml(`${r.id}: ${r.title}`)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
      if (r.status === 'pass') {
        out.push(`${open}/>`);
      } else if (r.status === 'error') {
        out.push(`${open}>`, `      <error message="${xml(r.error ?? 'check error')}" type="check-error"/>`, `    </testcase>`);
      } else {
        const body = [`expected: ${r.expected}`, `found: ${r.found}`, ...r.evidence.map((e) => `${e.kind}: ${e.text}${e.source ? ` [${e.source}]` : ''}`), `hint (${r.hintLevel}): ${hintText(r)}`].join('\n');
        out.push(`${open}>`, `      <failure message="${xml(r.found)}" type="${xml(r.reason ?? 'fail')}">${xml(body)}</failure>`, `    </testcase>`);
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
