// `academy verify [lab-id...] [--json]`: proves every lab works. Per lab, in a fresh sandbox on a stepped
// clock: apply the preset once and snapshot it; then the starter must fail a check, solve.sh on the solution
// must pass every check, and each wrong answer must fail its declared check at its declared hint level.
import { basename, dirname, join, resolve } from 'node:path';
import { InMemoryFs } from 'just-bash';
import { joinPath } from '../workspace/fs.ts';
import { wrongAnswerWorkspace, LabFormatError, type Lab, type LabFiles } from '../course/lab-loader.ts';
import { importLabChecks, listLabIds, loadLabFromDir } from '../course/lab-loader-node.ts';
import { applyPreset, runChecks, type CheckRun, type CustomChecks } from '../checks/index.ts';
import { createSandbox } from './sandbox.ts';
import { runSolveScript, type ScriptRun } from './solve-script.ts';
import { parseArgs, UsageError, type ToolIo } from './io.ts';

export interface ScenarioReport {
  /** `starter`, `solution` or `wrong/<name>`. */
  name: string;
  ok: boolean;
  problems: string[];
  run?: CheckRun;
  script?: ScriptRun;
  durationMs: number;
  /** Time spent in runChecks alone. */
  checksMs: number;
  /** For a wrong answer: the check that must catch it. */
  expectedCheck?: string;
}

export interface LabVerifyReport {
  id: string;
  ok: boolean;
  /** Problems with the lab as a whole (format, preset). */
  problems: string[];
  scenarios: ScenarioReport[];
  presetMs: number;
  durationMs: number;
  /** CPU time this process spent on the lab (user + system), steadier than wall time on a busy machine. */
  cpuMs: number;
}

export interface VerifyReport {
  ok: boolean;
  labs: LabVerifyReport[];
  durationMs: number;
  cpuMs: number;
}

function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export interface VerifyOptions {
  customChecks?: CustomChecks;
  /** Simulated time to let the cloud settle after solve.sh, as a learner pausing before "Check my work". */
  settleMs?: number;
  /** Only these scenarios (default all): `starter`, `solution`, `wrong` (every wrong answer). */
  scenarios?: ('starter' | 'solution' | 'wrong')[];
}

const clockMs = () => performance.now();
const round = (ms: number) => Math.round(ms);

async function workspaceFs(dir: string, files: LabFiles): Promise<InMemoryFs> {
  const fs = new InMemoryFs();
  await fs.mkdir(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const target = joinPath(dir, path);
    await fs.writeFile(target, content);
    // Scripts and hooks stay executable, as they are in the lab folder.
    if (/\.sh$|^\.platform\/hooks\//.test(path)) await fs.chmod(target, 0o755);
  }
  return fs;
}

function tail(text: string, lines = 15): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

async function runScenario(
  lab: Lab,
  name: string,
  files: LabFiles,
  script: string | undefined,
  ctx: { snapshot: unknown; presetFinishedAt: number; options: VerifyOptions },
): Promise<{ run: CheckRun; script?: ScriptRun; checksMs: number; internalErrors: string[] }> {
  const sandbox = createSandbox({ region: lab.manifest.region, snapshot: ctx.snapshot });
  try {
    const fs = await workspaceFs(lab.workspaceDir, files);
    let scriptRun: ScriptRun | undefined;
    if (script !== undefined) {
      scriptRun = await runSolveScript({ fs, clients: sandbox.clients, cwd: lab.workspaceDir, script, labId: lab.id });
      await sandbox.clients.sleep(ctx.options.settleMs ?? 60_000);
    }
    const started = clockMs();
    const run = await runChecks(lab, { fs, workspaceDir: lab.workspaceDir, clients: sandbox.clients, customChecks: ctx.options.customChecks, presetFinishedAt: ctx.presetFinishedAt });
    return { run, script: scriptRun, checksMs: clockMs() - started, internalErrors: sandbox.internalErrors };
  } finally {
    sandbox.dispose();
  }
}

function describeResults(run: CheckRun): string {
  return run.results.map((r) => `${r.id}=${r.status}${r.hintLevel ? `(${r.hintLevel}${r.reason ? `/${r.reason}` : ''})` : ''}`).join(', ');
}

/** Verifies one loaded lab. Never throws for a broken lab: problems are in the report. */
export async function verifyLab(lab: Lab, options: VerifyOptions = {}): Promise<LabVerifyReport> {
  const labStarted = clockMs();
  const cpuStarted = cpuNow();
  const report: LabVerifyReport = { id: lab.id, ok: false, problems: [], scenarios: [], presetMs: 0, durationMs: 0, cpuMs: 0 };
  let snapshot: unknown;
  let presetFinishedAt = 0;
  const presetStarted = clockMs();
  const base = createSandbox({ region: lab.manifest.region });
  try {
    presetFinishedAt = (await applyPreset(lab, base.clients)).finishedAt;
    snapshot = base.cloud.snapshot();
  } catch (err) {
    report.problems.push(`The preset could not be applied: ${(err as Error).message}`);
  } finally {
    base.dispose();
  }
  report.presetMs = round(clockMs() - presetStarted);
  if (base.internalErrors.length) report.problems.push(...base.internalErrors.map((e) => `Sandbox internal failure during the preset: ${e.split('\n')[0]}`));
  if (report.problems.length > 0) {
    report.durationMs = round(clockMs() - labStarted);
    report.cpuMs = round(cpuNow() - cpuStarted);
    return report;
  }

  const scenario = async (name: string, files: LabFiles, script: string | undefined, judge: (run: CheckRun, script?: ScriptRun) => string[], expectedCheck?: string) => {
    const started = clockMs();
    const s: ScenarioReport = { name, ok: false, problems: [], durationMs: 0, checksMs: 0, ...(expectedCheck ? { expectedCheck } : {}) };
    try {
      const out = await runScenario(lab, name, files, script, { snapshot, presetFinishedAt, options });
      s.run = out.run;
      s.script = out.script;
      s.checksMs = round(out.checksMs);
      s.problems.push(...judge(out.run, out.script));
      const errored = out.run.results.filter((r) => r.status === 'error');
      for (const r of errored) s.problems.push(`check ${r.id} raised an error instead of grading: ${r.error}`);
      for (const e of out.internalErrors) s.problems.push(`sandbox internal failure: ${e.split('\n')[0]}`);
    } catch (err) {
      s.problems.push(`could not run: ${(err as Error).stack ?? (err as Error).message}`);
    }
    s.ok = s.problems.length === 0;
    s.durationMs = round(clockMs() - started);
    report.scenarios.push(s);
  };

  const wanted = (kind: 'starter' | 'solution' | 'wrong') => !options.scenarios || options.scenarios.includes(kind);

  if (wanted('starter')) await scenario('starter', lab.starter, undefined, (run) =>
    run.results.some((r) => r.status === 'fail') ? [] : [`the starter must fail at least one check, but it passes them all (${describeResults(run)})`],
  );

  if (wanted('solution')) await scenario('solution', { ...lab.starter, ...lab.solution }, lab.solveScript, (run, script) => {
    const problems: string[] = [];
    if (script && script.exitCode !== 0) problems.push(`solve.sh exited with ${script.exitCode}${script.failedLine ? ` at: ${script.failedLine}` : ''}\n${tail(script.output)}`);
    const failing = run.results.filter((r) => r.status === 'fail');
    for (const r of failing) problems.push(`the solution fails ${r.id}: expected ${r.expected} found ${r.found}`);
    return problems;
  });

  for (const wrong of wanted('wrong') ? lab.wrongAnswers : []) {
    const { check, hintLevel, reason } = wrong.manifest.expect;
    await scenario(`wrong/${wrong.name}`, wrongAnswerWorkspace(lab, wrong), wrong.solveScript ?? lab.solveScript, (run) => {
      const result = run.results.find((r) => r.id === check);
      if (!result) return [`check ${check} did not run`];
      if (result.status === 'pass') return [`expected ${check} to fail at hint level ${hintLevel}, but it passed (${describeResults(run)})`];
      if (result.status === 'fail' && result.hintLevel !== hintLevel) return [`expected ${check} to fail at hint level ${hintLevel}, but it reached ${result.hintLevel} (${result.reason}: ${result.found})`];
      if (result.status === 'fail' && reason && result.reason !== reason) return [`expected ${check} to fail for reason ${reason}, but the reason was ${result.reason} (${result.found})`];
      return [];
    }, check);
  }

  report.ok = report.scenarios.every((s) => s.ok);
  report.durationMs = round(clockMs() - labStarted);
  report.cpuMs = round(cpuNow() - cpuStarted);
  return report;
}

/** Loads and verifies labs by id from a labs root (all labs when `ids` is empty). */
export async function verifyLabs(root: string, ids: string[]): Promise<VerifyReport> {
  const started = clockMs();
  const cpuStarted = cpuNow();
  const known = await listLabIds(root);
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length) throw new UsageError(`academy verify: no lab ${unknown.map((u) => `"${u}"`).join(', ')} in ${root}; labs: ${known.join(', ') || 'none'}`);
  const labs: LabVerifyReport[] = [];
  for (const id of ids.length ? ids : known) {
    const dir = join(root, id);
    let lab: Lab;
    let customChecks: CustomChecks | undefined;
    try {
      lab = await loadLabFromDir(dir);
      customChecks = (await importLabChecks(dir)) as CustomChecks | undefined;
    } catch (err) {
      const problems = err instanceof LabFormatError ? err.message.split('\n').slice(1).map((l) => l.trim()) : [(err as Error).message];
      labs.push({ id, ok: false, problems, scenarios: [], presetMs: 0, durationMs: 0, cpuMs: 0 });
      continue;
    }
    labs.push(await verifyLab(lab, { customChecks }));
  }
  return { ok: labs.length > 0 && labs.every((l) => l.ok), labs, durationMs: round(clockMs() - started), cpuMs: round(cpuNow() - cpuStarted) };
}

export function renderVerifyHuman(report: VerifyReport): string {
  const lines: string[] = [];
  for (const lab of report.labs) {
    lines.push(`${lab.ok ? 'PASS' : 'FAIL'}  ${lab.id}  (${(lab.durationMs / 1000).toFixed(2)}s, ${(lab.cpuMs / 1000).toFixed(2)}s CPU; preset ${(lab.presetMs / 1000).toFixed(2)}s)`);
    for (const p of lab.problems) lines.push(`      ${p}`);
    for (const s of lab.scenarios) {
      const caught = s.expectedCheck ? s.run?.results.find((r) => r.id === s.expectedCheck) : undefined;
      const how = caught && caught.status === 'fail' ? `; caught by ${caught.id} at ${caught.hintLevel} (${caught.reason ?? 'fail'})` : '';
      const summary = s.run ? `${s.run.passed}/${s.run.results.length} checks pass${how}, checks took ${s.checksMs} ms` : 'not run';
      lines.push(`  ${s.ok ? 'ok  ' : 'FAIL'}  ${s.name}: ${summary}`);
      for (const p of s.problems) lines.push(...p.split('\n').map((l) => `        ${l}`));
    }
  }
  const failed = report.labs.filter((l) => !l.ok).length;
  lines.push('', `${report.labs.length - failed} of ${report.labs.length} labs verified in ${(report.durationMs / 1000).toFixed(2)}s (${(report.cpuMs / 1000).toFixed(2)}s CPU)${failed ? `; ${failed} failed` : ''}`);
  return lines.join('\n') + '\n';
}

export function renderVerifyJson(report: VerifyReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

export const VERIFY_HELP = `usage: academy verify [lab-id...] [--json] [--labs-dir <dir>]

Proves each lab (all labs when none is named) in a fresh sandbox on a stepped clock:
  the preset is applied, the starter must fail at least one check, solution/solve.sh must make every
  check pass, and each wrong/<name>/ must fail its declared check at its declared hint level.

  --json            machine-readable report
  --labs-dir <dir>  where the labs are (default: ./labs)
`;

export async function runVerify(argv: string[], io: ToolIo): Promise<number> {
  const args = parseArgs(argv, { boolean: ['json', 'help'], value: ['labs-dir'] }, 'verify');
  if (args.flags.has('help')) {
    io.stdout(VERIFY_HELP);
    return 0;
  }
  const root = resolve(io.cwd, String(args.flags.get('labs-dir') ?? 'labs'));
  // A lab may be named by its folder too (`academy verify labs/production`), as long as it is in the labs root.
  const ids = args.positionals.map((given) => {
    const path = resolve(io.cwd, given);
    return given.includes('/') && dirname(path) === root ? basename(path) : given;
  });
  const report = await verifyLabs(root, ids);
  io.stdout(args.flags.has('json') ? renderVerifyJson(report) : renderVerifyHuman(report));
  return report.ok ? 0 : 1;
}
