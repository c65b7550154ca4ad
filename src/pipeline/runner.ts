// Runs a push's workflows job by job (needs order), steps through a shell the host provides, pausing jobs
// whose environment needs a reviewer; each run's record and job logs are kept on the workspace for checks.
import { joinPath, type WorkspaceFs } from '../workspace/fs.ts';
import { evaluate, grantsIdToken, jobOrder, parseWorkflow, type Workflow, type WorkflowJob, type WorkflowStep } from './workflow.ts';

export type JobStatus = 'queued' | 'in_progress' | 'waiting' | 'success' | 'failure' | 'skipped';

export interface StepRecord {
  name: string;
  /** The shell text of a run: step (expressions substituted), or the action. */
  command: string;
  status: 'success' | 'failure' | 'skipped';
  /** Position among all steps of the run, in the order they ran. */
  seq: number;
  exitCode?: number;
}

export interface JobRecord {
  id: string;
  name: string;
  environment?: string;
  status: JobStatus;
  steps: StepRecord[];
  approvedBy?: string;
}

export interface RunRecord {
  number: number;
  workflowFile: string;
  workflowName: string;
  sha: string;
  branch: string;
  repository: string;
  status: 'in_progress' | 'waiting' | 'success' | 'failure';
  createdAt: string;
  jobs: JobRecord[];
  nextSeq: number;
}

export interface StepRunOptions {
  cwd: string;
  env: Record<string, string>;
  output(text: string): void;
}

/** What the runner needs from its host (the lab shell): a shell, the pushed tree, and where to write. */
export interface RunnerHost {
  fs: WorkspaceFs;
  /** Where run records live, e.g. /home/learner/pettracker-ml/.git/actions/runs. */
  runsDir: string;
  /** Runs a `run:` step's script as bash -e would; returns its exit code. */
  runScript(script: string, options: StepRunOptions): Promise<number>;
  /** Writes the files of commit `sha` into `dir` (actions/checkout). */
  checkout(sha: string, dir: string): Promise<number>;
  /** Repository secrets (`${{ secrets.NAME }}`). */
  secrets(): Promise<Record<string, string>>;
  /** Job log lines as they happen (the terminal). */
  output(text: string): void;
  /** Environments whose jobs wait for a reviewer (default: production). */
  protectedEnvironments?: string[];
}

const RUN_FILE = 'run.json';
const WORKFLOW_FILE = 'workflow.yml';

function runDir(host: RunnerHost, number: number): string {
  return joinPath(host.runsDir, String(number));
}

export async function listRuns(host: Pick<RunnerHost, 'fs' | 'runsDir'>): Promise<RunRecord[]> {
  if (!(await host.fs.exists(host.runsDir))) return [];
  const runs: RunRecord[] = [];
  for (const name of await host.fs.readdir(host.runsDir)) {
    const file = joinPath(host.runsDir, name, RUN_FILE);
    if (/^\d+$/.test(name) && (await host.fs.exists(file))) runs.push(JSON.parse(await host.fs.readFile(file, 'utf8')) as RunRecord);
  }
  return runs.sort((a, b) => a.number - b.number);
}

export async function readJobLog(host: Pick<RunnerHost, 'fs' | 'runsDir'>, run: number, job: string): Promise<string> {
  const file = joinPath(host.runsDir, String(run), `${job}.log`);
  return (await host.fs.exists(file)) ? host.fs.readFile(file, 'utf8') : '';
}

async function save(host: RunnerHost, run: RunRecord): Promise<void> {
  await host.fs.writeFile(joinPath(runDir(host, run.number), RUN_FILE), `${JSON.stringify(run, null, 2)}\n`);
}

async function appendLog(host: RunnerHost, run: RunRecord, job: JobRecord, text: string): Promise<void> {
  const file = joinPath(runDir(host, run.number), `${job.id}.log`);
  const before = (await host.fs.exists(file)) ? await host.fs.readFile(file, 'utf8') : '';
  await host.fs.writeFile(file, before + text);
}

/** Starts a run of `workflow` for a push of `sha` to `branch`; returns the record when it stops (done or waiting). */
export async function startRun(host: RunnerHost, workflow: Workflow, source: string, push: { sha: string; branch: string; repository: string; now: Date }): Promise<RunRecord> {
  const runs = await listRuns(host);
  const number = (runs.at(-1)?.number ?? 0) + 1;
  const run: RunRecord = {
    number,
    workflowFile: workflow.file,
    workflowName: workflow.name,
    sha: push.sha,
    branch: push.branch,
    repository: push.repository,
    status: 'in_progress',
    createdAt: push.now.toISOString(),
    jobs: jobOrder(workflow).map((job) => ({ id: job.id, name: job.name, environment: job.environment, status: 'queued', steps: [] })),
    nextSeq: 1,
  };
  await host.fs.mkdir(runDir(host, number), { recursive: true });
  await host.fs.writeFile(joinPath(runDir(host, number), WORKFLOW_FILE), source);
  await save(host, run);
  host.output(`Run #${number} of ${workflow.name} (${workflow.file}) for ${push.sha.slice(0, 7)} on ${push.branch}\n`);
  return advance(host, run, workflow);
}

/** Approves the waiting deployment of run `number` and carries on; the record says what happened. */
export async function approveRun(host: RunnerHost, number: number, reviewer: string): Promise<RunRecord> {
  const file = joinPath(runDir(host, number), RUN_FILE);
  if (!(await host.fs.exists(file))) throw new Error(`there is no run #${number}`);
  const run = JSON.parse(await host.fs.readFile(file, 'utf8')) as RunRecord;
  const waiting = run.jobs.filter((j) => j.status === 'waiting');
  if (waiting.length === 0) throw new Error(`run #${number} is not waiting for a review (it is ${run.status})`);
  for (const job of waiting) {
    job.status = 'queued';
    job.approvedBy = reviewer;
  }
  run.status = 'in_progress';
  const workflow = parseWorkflow(run.workflowFile, await host.fs.readFile(joinPath(runDir(host, number), WORKFLOW_FILE), 'utf8'));
  host.output(`Run #${number}: ${reviewer} approved the deployment to ${waiting.map((j) => j.environment).join(', ')}\n`);
  return advance(host, run, workflow);
}

async function advance(host: RunnerHost, run: RunRecord, workflow: Workflow): Promise<RunRecord> {
  const protectedEnvironments = host.protectedEnvironments ?? ['production'];
  for (const record of run.jobs) {
    if (record.status !== 'queued') continue;
    const job = workflow.jobs.find((j) => j.id === record.id)!;
    const needs = job.needs.map((n) => run.jobs.find((j) => j.id === n)!);
    if (needs.some((n) => n.status === 'failure' || n.status === 'skipped')) {
      record.status = 'skipped';
      host.output(`[${job.id}] skipped: a job it needs did not succeed\n`);
      continue;
    }
    if (needs.some((n) => n.status === 'waiting')) continue;
    if (job.environment && protectedEnvironments.includes(job.environment) && !record.approvedBy) {
      record.status = 'waiting';
      host.output(`[${job.id}] waiting for a review to deploy to ${job.environment}: approve it with  pipeline approve ${run.number}\n`);
      continue;
    }
    record.status = await runJob(host, run, workflow, job, record);
    await save(host, run);
  }
  const statuses = run.jobs.map((j) => j.status);
  run.status = statuses.includes('waiting') || statuses.includes('queued') ? 'waiting' : statuses.includes('failure') ? 'failure' : 'success';
  await save(host, run);
  host.output(`Run #${run.number}: ${run.status === 'waiting' ? 'waiting for review' : run.status}\n`);
  return run;
}

async function runJob(host: RunnerHost, run: RunRecord, workflow: Workflow, job: WorkflowJob, record: JobRecord): Promise<JobStatus> {
  const workspace = `/home/runner/work/${run.repository}/${run.repository}`;
  await host.fs.rm(`/home/runner/work/${run.repository}`, { recursive: true, force: true });
  await host.fs.mkdir(workspace, { recursive: true });
  const github: Record<string, string> = {
    sha: run.sha,
    ref: `refs/heads/${run.branch}`,
    ref_name: run.branch,
    repository: `pettracker/${run.repository}`,
    run_number: String(run.number),
    run_id: String(run.number),
    actor: 'alex',
    event_name: 'push',
    workspace,
  };
  const secrets = await host.secrets();
  const defaults: Record<string, string> = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_SHA: run.sha,
    GITHUB_REF: github.ref,
    GITHUB_REF_NAME: run.branch,
    GITHUB_REPOSITORY: github.repository,
    GITHUB_RUN_NUMBER: github.run_number,
    GITHUB_WORKSPACE: workspace,
    GITHUB_JOB: job.id,
  };
  const expand = (values: Record<string, string>, env: Record<string, string>) =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, evaluate(v, { secrets, env, vars: {}, github })]));
  let jobEnv = { ...defaults };
  jobEnv = { ...jobEnv, ...expand(workflow.env, jobEnv) };
  jobEnv = { ...jobEnv, ...expand(job.env, jobEnv) };
  const print = async (text: string) => {
    host.output(text.replace(/^(?=.)/gm, `[${job.id}] `));
    await appendLog(host, run, record, text);
  };
  await print(`Job ${job.name}${job.environment ? ` (environment: ${job.environment})` : ''}${record.approvedBy ? `, approved by ${record.approvedBy}` : ''}\n`);
  let failed = false;
  for (const step of job.steps) {
    if (failed) {
      record.steps.push({ name: step.name, command: describe(step), status: 'skipped', seq: run.nextSeq++ });
      continue;
    }
    const stepEnv = { ...jobEnv, ...expand(step.env, jobEnv) };
    const withValues = expand(step.with, stepEnv);
    const command = step.run !== undefined ? evaluate(step.run, { secrets, env: stepEnv, vars: {}, github }) : describe(step);
    await print(`> ${step.name}\n`);
    let exitCode = 0;
    if (step.uses === 'checkout') {
      const count = await host.checkout(run.sha, workspace);
      await print(`Checked out ${run.sha.slice(0, 7)} (${count} files) into ${workspace}\n`);
    } else if (step.uses === 'configure-aws-credentials') {
      const outcome = configureCredentials(withValues, grantsIdToken(workflow, job));
      await print(outcome.message);
      if (outcome.env) jobEnv = { ...jobEnv, ...outcome.env };
      else exitCode = 1;
    } else {
      let buffered = '';
      exitCode = await host.runScript(command, {
        cwd: workspace,
        env: stepEnv,
        output: (text) => {
          buffered += text;
          host.output(text.replace(/^(?=.)/gm, `[${job.id}] `));
        },
      });
      await appendLog(host, run, record, buffered);
      if (exitCode !== 0) await print(`Error: Process completed with exit code ${exitCode}.\n`);
    }
    record.steps.push({ name: step.name, command, status: exitCode === 0 ? 'success' : 'failure', seq: run.nextSeq++, exitCode });
    if (exitCode !== 0) failed = true;
  }
  await print(`Job ${job.name}: ${failed ? 'failure' : 'success'}\n`);
  return failed ? 'failure' : 'success';
}

function describe(step: WorkflowStep): string {
  // The parser sets usesText with uses: the action as the workflow names it.
  return step.uses ? `uses: ${step.usesText ?? step.uses}` : (step.run ?? '');
}

/** The stand-in for aws-actions/configure-aws-credentials: OIDC role or access keys, and a region. */
function configureCredentials(withValues: Record<string, string>, idToken: boolean): { message: string; env?: Record<string, string> } {
  const region = withValues['aws-region'];
  if (!region) return { message: 'Error: Input required and not supplied: aws-region\n' };
  const role = withValues['role-to-assume'];
  const keyId = withValues['aws-access-key-id'];
  const secret = withValues['aws-secret-access-key'];
  if (role) {
    if (!/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(role)) return { message: `Error: role-to-assume is not a role ARN: ${role}\n` };
    // Without id-token: write the job cannot request its OIDC token; the action's own words (v4), then its failure.
    if (!idToken && !keyId) {
      return {
        message:
          'It looks like you might be trying to authenticate with OIDC. Did you mean to set the `id-token` permission? If you are not trying to authenticate with OIDC and the action is working successfully, you can ignore this message.\n' +
          'Error: Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers\n',
      };
    }
    return {
      message: `Assuming role ${role} with the workflow's OIDC token (region ${region})\n`,
      env: { AWS_REGION: region, AWS_DEFAULT_REGION: region, AWS_ROLE_ARN: role },
    };
  }
  if (!keyId || !secret)
    return { message: 'Error: Credentials could not be loaded, please check your action inputs: set role-to-assume (OIDC), or aws-access-key-id and aws-secret-access-key from secrets\n' };
  return {
    message: `Using access key ${keyId.slice(0, 4)}**************** (region ${region})\n`,
    env: { AWS_REGION: region, AWS_DEFAULT_REGION: region, AWS_ACCESS_KEY_ID: keyId, AWS_SECRET_ACCESS_KEY: secret },
  };
}
