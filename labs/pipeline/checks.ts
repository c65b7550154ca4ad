// Custom checks for the pipeline lab, read from the cloud (which label each environment runs, and when it got
// it), from the runner's records of the pushed runs (job order, approval), and from the repository's files.
import type { EventDescription } from '@aws-sdk/client-elastic-beanstalk';
import { defineChecks, eventEvidence, fileEvidence, learnerVersions, listEvents, requireEnvironment } from '../../src/checks/index.ts';
import type { CheckContext, CheckOutcome, Evidence } from '../../src/checks/index.ts';
import type { RunRecord, StepRecord } from '../../src/pipeline/runner.ts';
import { joinPath, listFiles } from '../../src/workspace/fs.ts';

const START = /^Environment update is starting\.$/;
const SUCCESS = /^Environment update completed successfully\.$/;

function runsDir(ctx: CheckContext): string {
  return joinPath(ctx.workspaceDir, '.git', 'actions', 'runs');
}

async function runs(ctx: CheckContext): Promise<RunRecord[]> {
  const dir = runsDir(ctx);
  if (!(await ctx.fs.exists(dir))) return [];
  const found: RunRecord[] = [];
  for (const name of await ctx.fs.readdir(dir)) {
    const file = joinPath(dir, name, 'run.json');
    if (await ctx.fs.exists(file)) found.push(JSON.parse(await ctx.fs.readFile(file, 'utf8')) as RunRecord);
  }
  return found.sort((a, b) => a.number - b.number);
}

/** When `label` finished deploying to `environment` (after the preset), from the events. */
async function deployedAt(ctx: CheckContext, environment: string, label: string): Promise<EventDescription | undefined> {
  const events = (await listEvents(ctx, { environment, afterPreset: true })).slice().reverse();
  let current: string | undefined;
  for (const e of events) {
    if (START.test(e.Message ?? '')) current = e.VersionLabel;
    else if (SUCCESS.test(e.Message ?? '') && (e.VersionLabel ?? current) === label) return e;
  }
  return undefined;
}

function stepEvidence(run: RunRecord, job: string, step: StepRecord): Evidence {
  return { kind: 'log', text: `${step.name}: ${step.command.split('\n').filter(Boolean).join(' / ')} (${step.status})`, source: `run #${run.number}, job ${job}, step ${step.seq}` };
}

export default defineChecks({
  'same-version-staging-then-production': async (params, ctx): Promise<CheckOutcome> => {
    const stagingName = String(params.staging);
    const productionName = String(params.production);
    const expected = `${productionName} runs a version you created, the same label ${stagingName} ran first.`;
    const staging = await requireEnvironment(ctx, stagingName, expected);
    const production = await requireEnvironment(ctx, productionName, expected);
    const mine = new Set((await learnerVersions(ctx, production.ApplicationName ?? '')).map((v) => v.VersionLabel));
    const evidence: Evidence[] = [
      { kind: 'setting', text: `${stagingName} runs ${staging.VersionLabel ?? 'nothing'}`, source: 'DescribeEnvironments' },
      { kind: 'setting', text: `${productionName} runs ${production.VersionLabel ?? 'nothing'}`, source: 'DescribeEnvironments' },
    ];
    if (!staging.VersionLabel || !mine.has(staging.VersionLabel)) {
      // Point at the step that stopped the newest run, when one failed: that is where the learner looks next.
      const latest = (await runs(ctx)).pop();
      const failedJob = latest?.jobs.find((j) => j.status === 'failure');
      const failedStep = failedJob?.steps.find((st) => st.status === 'failure');
      const why = latest && failedJob && failedStep ? ` Run #${latest.number} failed in job ${failedJob.id} at "${failedStep.name}" (pipeline logs ${latest.number} ${failedJob.id}).` : '';
      if (latest && failedJob && failedStep) evidence.push(stepEvidence(latest, failedJob.id, failedStep));
      return { pass: false, expected, found: `${stagingName} still runs ${staging.VersionLabel ?? 'no version'}, not one your pipeline created.${why}`, evidence, reason: 'not-deployed', hintLevel: 'nudge' };
    }
    if (!production.VersionLabel || !mine.has(production.VersionLabel))
      return { pass: false, expected, found: `${productionName} still runs ${production.VersionLabel ?? 'no version'}, not one your pipeline created.`, evidence, reason: 'not-deployed', hintLevel: 'nudge' };
    if (production.VersionLabel !== staging.VersionLabel)
      return {
        pass: false,
        expected,
        found: `Production runs ${production.VersionLabel} but staging tested ${staging.VersionLabel}: production got a new build, not the tested one.`,
        evidence,
        reason: 'different-labels',
        hintLevel: 'concept',
      };
    const label = production.VersionLabel;
    const toStaging = await deployedAt(ctx, stagingName, label);
    const toProduction = await deployedAt(ctx, productionName, label);
    if (toStaging) evidence.push(eventEvidence(toStaging));
    if (toProduction) evidence.push(eventEvidence(toProduction));
    if (!toStaging || !toProduction || (toStaging.EventDate?.getTime() ?? 0) > (toProduction.EventDate?.getTime() ?? 0))
      return { pass: false, expected, found: `${label} reached production ${toStaging ? 'before' : 'without'} a deployment to staging.`, evidence, reason: 'production-first', hintLevel: 'fix' };
    return { pass: true, expected, found: `${label} deployed to ${stagingName}, then to ${productionName}.`, evidence };
  },

  'label-from-commit': async (params, ctx): Promise<CheckOutcome> => {
    const environmentName = String(params.environment);
    const expected = `The label ${environmentName} runs contains the pushed commit's short SHA.`;
    const environment = await requireEnvironment(ctx, environmentName, expected);
    const label = environment.VersionLabel ?? '';
    const pushed = (await runs(ctx)).map((r) => r.sha);
    if (pushed.length === 0) return { pass: false, expected, found: 'No pipeline run yet: nothing was pushed.', reason: 'no-runs', hintLevel: 'nudge' };
    const commit = pushed.find((sha) => label.includes(sha.slice(0, 7)));
    const evidence: Evidence[] = [{ kind: 'setting', text: `${environmentName} runs ${label || 'nothing'}`, source: 'DescribeEnvironments' }];
    if (!commit) return { pass: false, expected, found: `${label || 'No label'} names none of the pushed commits (${pushed.map((s) => s.slice(0, 7)).join(', ')}).`, evidence, reason: 'no-commit-in-label', hintLevel: 'concept' };
    return { pass: true, expected, found: `${label} was built from commit ${commit.slice(0, 7)}.`, evidence };
  },

  'tests-before-deploy': async (params, ctx): Promise<CheckOutcome> => {
    const tests = new RegExp(String(params.tests));
    const deploy = new RegExp(String(params.deploy));
    const expected = 'In the run that deployed, the checks ran and passed before the first deploy step.';
    const deployed = (await runs(ctx)).filter((run) => run.jobs.some((j) => j.steps.some((s) => deploy.test(s.command) && s.status !== 'skipped')));
    const run = deployed.at(-1);
    if (!run) return { pass: false, expected, found: 'No pipeline run has deployed anything yet.', reason: 'no-runs', hintLevel: 'nudge' };
    const steps = run.jobs.flatMap((j) => j.steps.map((s) => ({ job: j.id, step: s }))).sort((a, b) => a.step.seq - b.step.seq);
    const firstDeploy = steps.find((s) => deploy.test(s.step.command) && s.step.status !== 'skipped')!;
    const test = steps.find((s) => tests.test(s.step.command));
    const evidence = [firstDeploy, test].filter((s) => s !== undefined).map((s) => stepEvidence(run, s.job, s.step));
    if (!test || test.step.status === 'skipped')
      return { pass: false, expected, found: `Run #${run.number} deployed without running the checks (${String(params.tests)}).`, evidence, reason: 'no-tests', hintLevel: 'concept' };
    if (test.step.seq > firstDeploy.step.seq)
      return { pass: false, expected, found: `Run #${run.number} deployed (step ${firstDeploy.step.seq}) before the checks ran (step ${test.step.seq}).`, evidence, reason: 'tests-after-deploy', hintLevel: 'fix' };
    if (test.step.status !== 'success')
      return { pass: false, expected, found: `Run #${run.number} deployed although the checks failed.`, evidence, reason: 'tests-failed', hintLevel: 'fix' };
    return { pass: true, expected, found: `Run #${run.number}: the checks passed (step ${test.step.seq}) before the first deploy (step ${firstDeploy.step.seq}).`, evidence };
  },

  'production-approved': async (params, ctx): Promise<CheckOutcome> => {
    const environment = String(params.environment);
    const expected = `Every job that deployed to production ran in environment: ${environment}, after a reviewer approved it.`;
    const all = await runs(ctx);
    if (all.length === 0) return { pass: false, expected, found: 'No pipeline run yet: nothing was pushed.', reason: 'no-runs', hintLevel: 'nudge' };
    const touchesProduction = (job: RunRecord['jobs'][number]) => job.steps.some((s) => /pettracker-ml-prod\b/.test(s.command) && s.status !== 'skipped');
    for (const run of all)
      for (const job of run.jobs)
        if (touchesProduction(job) && (job.environment !== environment || !job.approvedBy))
          return {
            pass: false,
            expected,
            found: `Run #${run.number}'s job ${job.id} changed production ${job.environment ? `in environment ${job.environment}` : 'with no environment'}, without an approval.`,
            evidence: job.steps.filter((s) => /pettracker-ml-prod\b/.test(s.command)).map((s) => stepEvidence(run, job.id, s)),
            reason: 'not-approved',
            hintLevel: 'concept',
          };
    const approved = all.flatMap((run) => run.jobs.filter((j) => j.approvedBy && touchesProduction(j)).map((j) => ({ run, j })));
    if (approved.length === 0) return { pass: false, expected, found: 'No run has deployed to production yet (is one waiting for your approval? see pipeline runs).', reason: 'waiting', hintLevel: 'nudge' };
    const { run, j } = approved.at(-1)!;
    return { pass: true, expected, found: `Run #${run.number}'s ${j.id} job deployed after ${j.approvedBy} approved it.` };
  },

  'no-aws-keys-in-repository': async (_params, ctx): Promise<CheckOutcome> => {
    const expected = 'No AWS access key or secret key in any file of the repository.';
    const patterns: [RegExp, string][] = [
      [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key ID'],
      [/aws[_-]?secret[_-]?access[_-]?key\s*[:=]\s*["']?(?!\$\{\{)[A-Za-z0-9/+=]{40}\b/i, 'an AWS secret access key'],
    ];
    const hits: Evidence[] = [];
    for (const path of await listFiles(ctx.fs, ctx.workspaceDir)) {
      if (path.startsWith('.git/')) continue;
      const text = await ctx.fs.readFile(joinPath(ctx.workspaceDir, path), 'utf8');
      for (const [re, what] of patterns) {
        const match = re.exec(text);
        if (match) hits.push({ ...fileEvidence(path, text, match.index), text: `${what}: ${match[0].slice(0, 24)}…` });
      }
    }
    if (hits.length > 0)
      return { pass: false, expected, found: `${hits[0].source} holds ${hits[0].text.split(':')[0]}.`, evidence: hits, reason: 'secret-committed', hintLevel: 'fix' };
    return { pass: true, expected, found: 'No AWS keys in the repository.' };
  },
});
