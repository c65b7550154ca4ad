// `academy grade <attempt.json>... [--json|--junit]`: grades exported attempts headlessly. Each attempt's
// cloud snapshot is restored into a fresh sandbox, its files into a workspace, and the lab's checks re-run.
import { readFile } from 'node:fs/promises';
import { join, resolve, basename } from 'node:path';
import { InMemoryFs } from 'just-bash';
import { joinPath } from '../workspace/fs.ts';
import { attemptFiles, parseAttempt, AttemptFormatError } from '../course/attempt.ts';
import { importLabChecks, listLabIds, loadLabFromDir } from '../course/lab-loader-node.ts';
import { renderHuman, renderJson, renderJUnit, runChecks, type CheckRun, type CustomChecks, type ReportInput } from '../checks/index.ts';
import type { Lab } from '../course/lab-loader.ts';
import { createSandbox } from './sandbox.ts';
import { InputError, parseArgs, UsageError, type ToolIo } from './io.ts';

export interface GradeOutcome {
  file: string;
  run?: CheckRun;
  /** Why the attempt could not be graded. */
  error?: string;
}

/** Grades one attempt file's text against the labs under `root`. */
export async function gradeAttempt(
  text: string,
  file: string,
  root: string,
  labCache = new Map<string, { lab: Lab; customChecks?: CustomChecks }>(),
): Promise<{ run: CheckRun; history: string[] }> {
  const attempt = parseAttempt(text, file);
  let loaded = labCache.get(attempt.labId);
  if (!loaded) {
    const ids = await listLabIds(root);
    if (!ids.includes(attempt.labId)) throw new InputError(`${file} is an attempt at lab "${attempt.labId}", which is not in ${root} (labs: ${ids.join(', ') || 'none'})`);
    const dir = join(root, attempt.labId);
    loaded = { lab: await loadLabFromDir(dir), customChecks: (await importLabChecks(dir)) as CustomChecks | undefined };
    labCache.set(attempt.labId, loaded);
  }
  const { lab, customChecks } = loaded;
  let sandbox;
  try {
    sandbox = createSandbox({ region: lab.manifest.region, snapshot: attempt.cloud });
  } catch (err) {
    throw new AttemptFormatError(`${file} has a cloud snapshot the sandbox cannot restore: ${(err as Error).message}`);
  }
  try {
    const fs = new InMemoryFs();
    await fs.mkdir(lab.workspaceDir, { recursive: true });
    for (const [path, content] of Object.entries(attemptFiles(attempt))) await fs.writeFile(joinPath(lab.workspaceDir, path), content);
    const run = await runChecks(lab, { fs, workspaceDir: lab.workspaceDir, clients: sandbox.clients, customChecks, presetFinishedAt: attempt.presetFinishedAt });
    return { run, history: attempt.history };
  } finally {
    sandbox.dispose();
  }
}

export const GRADE_HELP = `usage: academy grade <attempt.json>... [--json | --junit] [--labs-dir <dir>]

Grades attempts exported from a lab page (Export attempt): restores each attempt's cloud snapshot
into a fresh sandbox and its files into a workspace, re-runs the lab's checks, and prints a table.

  --json            one JSON report per attempt
  --junit           JUnit XML (a testsuite per attempt, a testcase per check)
  --labs-dir <dir>  where the labs are (default: ./labs)

Exit status: 0 when every attempt was graded (whatever its score), 1 when an attempt could not be graded.
`;

export async function runGrade(argv: string[], io: ToolIo): Promise<number> {
  const args = parseArgs(argv, { boolean: ['json', 'junit', 'help'], value: ['labs-dir'] }, 'grade');
  if (args.flags.has('help')) {
    io.stdout(GRADE_HELP);
    return 0;
  }
  if (args.flags.has('json') && args.flags.has('junit')) throw new UsageError('academy grade: choose one of --json and --junit');
  if (args.positionals.length === 0) throw new UsageError('academy grade: name at least one attempt file, e.g. academy grade procfile-attempt.json');
  const root = resolve(io.cwd, String(args.flags.get('labs-dir') ?? 'labs'));
  const cache = new Map<string, { lab: Lab; customChecks?: CustomChecks }>();
  const graded: ReportInput[] = [];
  let failures = 0;
  for (const file of args.positionals) {
    const name = basename(file);
    try {
      let text: string;
      try {
        text = await readFile(resolve(io.cwd, file), 'utf8');
      } catch (err) {
        throw new InputError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
      }
      graded.push({ name, ...(await gradeAttempt(text, name, root, cache)) });
    } catch (err) {
      if (!(err instanceof InputError || err instanceof AttemptFormatError || (err as Error).name === 'LabFormatError')) throw err;
      failures++;
      io.stderr(`academy grade: ${(err as Error).message}\n`);
    }
  }
  if (args.flags.has('json')) io.stdout(renderJson(graded));
  else if (args.flags.has('junit')) io.stdout(renderJUnit(graded));
  else if (graded.length) io.stdout(renderHuman(graded));
  return failures > 0 ? 1 : 0;
}
