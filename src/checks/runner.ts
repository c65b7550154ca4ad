// Runs a lab's checks against a workspace and a cloud: each check's outcome becomes a result with
// points, hints and the hint level reached; an exception inside a check is an `error`, never the learner's fail.
import { DescribeEventsCommand } from '@aws-sdk/client-elastic-beanstalk';
import type { CheckSpec } from '../course/lab-schema.ts';
import type { Lab } from '../course/lab-assembly.ts';
import type { WorkspaceFs } from '../workspace/fs.ts';
import { builtinChecks } from './kinds/index.ts';
import { CheckFailure, type CheckClients, type CheckContext, type CheckOutcome, type CheckResult, type CheckRun, type CustomChecks } from './types.ts';

export interface RunChecksOptions {
  fs: WorkspaceFs;
  /** Absolute workspace directory (default: the lab's, `/home/learner/<lab-id>`). */
  workspaceDir?: string;
  clients: CheckClients;
  /** The lab's checks.ts exports, for `custom` checks. */
  customChecks?: CustomChecks;
  /** When the preset finished (virtual epoch ms); inferred from the cloud's events when omitted. */
  presetFinishedAt?: number;
  /** Only these check ids (default: all). */
  only?: string[];
}

const LAUNCH_DONE = /^(Successfully launched environment:|Launched environment:|Failed to launch environment\.|Create environment operation is complete)/;

/** The virtual time the preset's work ended: its environments' launch outcome events and its versions' creation. */
export async function inferPresetFinishedAt(lab: Lab, clients: CheckClients): Promise<number> {
  let latest = 0;
  for (const env of lab.manifest.preset.environments) {
    const out = await clients.eb.send(new DescribeEventsCommand({ ApplicationName: env.application, EnvironmentName: env.name, MaxRecords: 1000 }));
    // Newest first: the last matching event in the list is the first launch outcome.
    const outcomes = (out.Events ?? []).filter((e) => LAUNCH_DONE.test(e.Message ?? ''));
    const first = outcomes[outcomes.length - 1];
    if (first?.EventDate) latest = Math.max(latest, first.EventDate.getTime() + 1);
  }
  return latest;
}

export function presetVersionLabels(lab: Lab): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const v of lab.manifest.preset.versions) {
    if (!map.has(v.application)) map.set(v.application, new Set());
    map.get(v.application)!.add(v.label);
  }
  return map;
}

async function runOne(check: CheckSpec, ctx: CheckContext, custom: CustomChecks | undefined): Promise<CheckOutcome> {
  if (check.kind === 'custom') {
    const name = String(check.params.name);
    const impl = custom?.[name];
    if (!impl) throw new Error(`The lab's checks.ts has no custom check "${name}" (it exports: ${Object.keys(custom ?? {}).join(', ') || 'nothing'})`);
    return impl(check.params, ctx);
  }
  const impl = builtinChecks[check.kind];
  if (!impl) throw new Error(`Unknown check kind "${check.kind}"; labs are validated by parseLab (src/course/lab-loader.ts), which lists the kinds`);
  // Params arrive validated with their defaults filled (parseLab at build time, or the test helpers), so the
  // runner the browser loads needs no schema library.
  return (impl as (p: unknown, c: CheckContext) => Promise<CheckOutcome>)(check.params, ctx);
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** Runs the lab's checks in order and scores them. */
export async function runChecks(lab: Lab, options: RunChecksOptions): Promise<CheckRun> {
  const ctx: CheckContext = {
    fs: options.fs,
    workspaceDir: options.workspaceDir ?? lab.workspaceDir,
    clients: options.clients,
    lab,
    presetFinishedAt: options.presetFinishedAt ?? (await inferPresetFinishedAt(lab, options.clients).catch(() => 0)),
    presetVersions: presetVersionLabels(lab),
  };
  const results: CheckResult[] = [];
  for (const check of lab.manifest.checks) {
    if (options.only && !options.only.includes(check.id)) continue;
    const started = now();
    let outcome: CheckOutcome | undefined;
    let error: string | undefined;
    try {
      outcome = await runOne(check, ctx, options.customChecks);
    } catch (err) {
      if (err instanceof CheckFailure) outcome = err.outcome;
      else error = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
    }
    const base = { id: check.id, title: check.title, kind: check.kind, maxPoints: check.points, hints: check.hints, durationMs: Math.round((now() - started) * 10) / 10 };
    if (!outcome) {
      results.push({ ...base, status: 'error', points: 0, expected: '', found: '', evidence: [], hintLevel: null, error: error ?? 'unknown error' });
    } else {
      results.push({
        ...base,
        status: outcome.pass ? 'pass' : 'fail',
        points: outcome.pass ? check.points : 0,
        expected: outcome.expected,
        found: outcome.found,
        evidence: outcome.evidence ?? [],
        reason: outcome.pass ? undefined : outcome.reason,
        hintLevel: outcome.pass ? null : (outcome.hintLevel ?? 'nudge'),
      });
    }
  }
  const score = results.reduce((s, r) => s + r.points, 0);
  const maxScore = results.reduce((s, r) => s + r.maxPoints, 0);
  const passed = results.filter((r) => r.status === 'pass').length;
  const errored = results.filter((r) => r.status === 'error').length;
  return {
    labId: lab.id,
    checkedAt: new Date(options.clients.now()).toISOString(),
    results,
    score,
    maxScore,
    passed,
    failed: results.length - passed - errored,
    errored,
    completed: results.length > 0 && passed === results.length,
  };
}

/** Types a lab's checks.ts default export: `export default defineChecks({ 'answer-names-version': async (params, ctx) => ... })`. */
export function defineChecks(checks: CustomChecks): CustomChecks {
  return checks;
}
