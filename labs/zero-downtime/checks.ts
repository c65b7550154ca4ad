// Custom checks for the zero-downtime lab: each deployment of a given version is found in the events, and graded
// on the sandbox's traffic record during it (failed requests, automatic rollback), and the blue/green CNAME swap.
import type { EventDescription } from '@aws-sdk/client-elastic-beanstalk';
import { DescribeEnvironmentsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { defineChecks, eventEvidence, listEvents, requireEnvironment } from '../../src/checks/index.ts';
import type { CheckContext, CheckOutcome, Evidence } from '../../src/checks/index.ts';

const START = /^Environment update is starting\.$/;
const SUCCESS = /^Environment update completed successfully\.$/;
const FAILURE = /^(Failed to deploy application\.|Update environment operation is complete, but with errors\.)/;
const ROLLBACK = /^Rolling back: terminating the new instance/;
const POLICY_EVENTS: [RegExp, string][] = [
  [/^Immutable deployment policy enabled\./, 'Immutable'],
  [/^Rolling with additional batch deployment policy enabled\./, 'RollingWithAdditionalBatch'],
  [/^Deploying new version to instance\(s\)\.$/, 'AllAtOnce'],
  [/^Batch \d+: Starting application deployment/, 'Rolling'],
  [/^Traffic-splitting deployment policy enabled\./, 'TrafficSplitting'],
];

interface Deployment {
  label: string | undefined;
  from: number;
  to: number;
  policy: string | undefined;
  outcome: 'succeeded' | 'failed' | 'in-progress';
  rolledBack: boolean;
  events: EventDescription[];
}

/** The environment's deployments since the preset, oldest first, from its events. */
async function deployments(ctx: CheckContext, environment: string): Promise<Deployment[]> {
  const events = (await listEvents(ctx, { environment, afterPreset: true })).slice().reverse();
  const found: Deployment[] = [];
  let current: Deployment | undefined;
  for (const e of events) {
    const message = e.Message ?? '';
    const at = e.EventDate?.getTime() ?? 0;
    if (START.test(message)) {
      current = { label: e.VersionLabel, from: at, to: ctx.clients.now(), policy: undefined, outcome: 'in-progress', rolledBack: false, events: [e] };
      found.push(current);
      continue;
    }
    if (!current || current.outcome !== 'in-progress') continue;
    current.events.push(e);
    if (!current.policy) current.policy = POLICY_EVENTS.find(([re]) => re.test(message))?.[1];
    if (ROLLBACK.test(message)) current.rolledBack = true;
    if (SUCCESS.test(message) || FAILURE.test(message)) {
      current.outcome = SUCCESS.test(message) ? 'succeeded' : 'failed';
      current.to = at;
    }
  }
  // A configuration-only update (no policy event, no new label) is not a deployment of a version.
  return found.filter((d) => d.policy !== undefined);
}

interface Request {
  time: number;
  status: number;
  versionLabel?: string;
  instanceId?: string;
}

async function requestsBetween(ctx: CheckContext, environment: string, from: number, to: number): Promise<Request[]> {
  if (!ctx.clients.sandbox) throw new Error('This check needs traffic evidence, which only the built-in sandbox or `academy cloud` records');
  const raw = (await ctx.clients.sandbox.traffic(environment, { region: ctx.clients.region, since: from })) as { requests?: Request[] } | Request[];
  const list = Array.isArray(raw) ? raw : raw.requests;
  if (!Array.isArray(list)) throw new Error('The sandbox traffic evidence has an unexpected shape (expected a list of requests)');
  return list.filter((r) => r.time >= from && r.time <= to);
}

interface Lane {
  instanceId: string;
  points: { time: number; state: string; inService: boolean }[];
}

/** The fewest instances running and in service at any moment of [from, to], from the sandbox's timeline. */
async function minimumInService(ctx: CheckContext, environment: string, from: number, to: number): Promise<number> {
  const raw = (await ctx.clients.sandbox!.timeline(environment, { region: ctx.clients.region })) as { lanes?: Lane[] };
  if (!Array.isArray(raw?.lanes)) throw new Error('The sandbox timeline evidence has an unexpected shape (expected lanes of instance states)');
  const lanes = raw.lanes;
  const times = [...new Set([from, ...lanes.flatMap((l) => l.points.map((p) => p.time)).filter((t) => t >= from && t <= to)])].sort((a, b) => a - b);
  let fewest = Number.POSITIVE_INFINITY;
  for (const t of times) {
    let serving = 0;
    for (const lane of lanes) {
      const last = lane.points.filter((p) => p.time <= t).at(-1);
      if (last && last.inService && last.state === 'running') serving++;
    }
    fewest = Math.min(fewest, serving);
  }
  return Number.isFinite(fewest) ? fewest : 0;
}

const failedOf = (rs: Request[]) => rs.filter((r) => r.status >= 500 || r.status === 0);

function trafficEvidence(rs: Request[]): Evidence[] {
  return rs.slice(0, 3).map((r) => ({
    kind: 'traffic',
    text: `${r.status || 'no answer'}${r.versionLabel ? ` from ${r.versionLabel}` : ''}${r.instanceId ? ` on ${r.instanceId}` : ''}`,
    source: new Date(r.time).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ''),
  }));
}

function windowEvidence(d: Deployment): Evidence[] {
  const first = d.events[0];
  const last = d.events[d.events.length - 1];
  return [eventEvidence(first), ...(last !== first ? [eventEvidence(last)] : [])];
}

export default defineChecks({
  /**
   * A deployment of `label` to `environment` happened with one of `policies`, and its traffic shows what the lab
   * teaches: `expect: outage` (some requests failed), `no-failures`, or `rolled-back` (failed, undone, no failed request).
   */
  'deployment-traffic': async (params, ctx): Promise<CheckOutcome> => {
    const environment = String(params.environment);
    const label = String(params.label);
    const policies = (params.policies as string[] | undefined) ?? [];
    const want = String(params.expect) as 'outage' | 'no-failures' | 'rolled-back';
    const policyText = policies.length ? ` with ${policies.join(' or ')}` : '';
    const expected = {
      outage: `You deployed ${label} to ${environment}${policyText}, and the traffic record shows the requests that failed meanwhile.`,
      'no-failures': `You deployed ${label} to ${environment}${policyText}, and no request failed during the deployment.`,
      'rolled-back': `You deployed ${label} to ${environment}${policyText}; it failed its health checks, was rolled back by itself, and no request failed.`,
    }[want];
    await requireEnvironment(ctx, environment, expected);
    const all = (await deployments(ctx, environment)).filter((d) => d.label === label);
    if (all.length === 0) {
      return { pass: false, expected, found: `You have not deployed ${label} to ${environment} yet.`, reason: 'not-deployed', hintLevel: 'nudge' };
    }
    const withPolicy = policies.length ? all.filter((d) => d.policy && policies.includes(d.policy)) : all;
    const d = withPolicy[withPolicy.length - 1];
    if (!d) {
      const last = all[all.length - 1];
      return {
        pass: false,
        expected,
        found: `You deployed ${label} with ${last.policy}, not ${policies.join(' or ')}.`,
        reason: 'wrong-policy',
        hintLevel: 'concept',
        evidence: windowEvidence(last),
      };
    }
    if (d.outcome === 'in-progress') {
      return { pass: false, expected, found: `The deployment of ${label} is still in progress.`, reason: 'in-progress', hintLevel: 'nudge', evidence: windowEvidence(d) };
    }
    const requests = await requestsBetween(ctx, environment, d.from, d.to);
    const failed = failedOf(requests);
    const evidence = [...trafficEvidence(failed), ...windowEvidence(d)];
    const summary = `${requests.length} request(s) during the ${d.policy} deployment of ${label}, ${failed.length} failed`;
    if (requests.length === 0) {
      return { pass: false, expected, found: `No request reached ${environment} during the deployment of ${label}.`, reason: 'too-few-requests', hintLevel: 'nudge', evidence };
    }
    if (want === 'outage') {
      return failed.length > 0
        ? { pass: true, expected, found: `${summary}: the outage of an all-at-once deployment.`, evidence }
        : { pass: false, expected, found: `${summary}.`, reason: 'no-outage', hintLevel: 'concept', evidence };
    }
    if (failed.length > 0) {
      return { pass: false, expected, found: `${summary}.`, reason: 'failed-requests', hintLevel: 'concept', evidence };
    }
    if (want === 'rolled-back' && !(d.outcome === 'failed' && d.rolledBack)) {
      return {
        pass: false,
        expected,
        found: d.outcome === 'succeeded' ? `The deployment of ${label} succeeded, so there was nothing to roll back.` : `The deployment of ${label} failed without rolling itself back (${d.policy}).`,
        reason: 'not-rolled-back',
        hintLevel: 'concept',
        evidence,
      };
    }
    if (want === 'no-failures' && d.outcome !== 'succeeded') {
      return { pass: false, expected, found: `The deployment of ${label} failed.`, reason: 'deploy-failed', hintLevel: 'concept', evidence };
    }
    if (params.minInService !== undefined) {
      // Full capacity, not only luck with the request stream: the timeline shows how many instances served.
      const wanted = Number(params.minInService);
      const fewest = await minimumInService(ctx, environment, d.from, d.to);
      evidence.push({ kind: 'timeline', text: `at least ${fewest} instance(s) in service throughout the deployment of ${label}`, source: 'sandbox timeline' });
      if (fewest < wanted) {
        return { pass: false, expected, found: `${summary}, but only ${fewest} instance(s) were in service at one point (fewer than ${wanted}).`, reason: 'capacity-dropped', hintLevel: 'concept', evidence };
      }
    }
    return { pass: true, expected, found: `${summary}${want === 'rolled-back' ? '; the new instances were terminated and the original ones kept serving' : ''}.`, evidence };
  },

  /** The production URL (the CNAME `environment` had when the lab started) is served by another environment running `label`. */
  'cname-swapped': async (params, ctx): Promise<CheckOutcome> => {
    const blue = String(params.blue);
    const application = String(params.application);
    const label = params.label === undefined ? undefined : String(params.label);
    const expected = `Production's URL (${blue}'s CNAME when the lab started) now reaches a second environment${label ? ` that runs ${label}` : ''}, with ${blue} kept running.`;
    const out = await ctx.clients.eb.send(new DescribeEnvironmentsCommand({ ApplicationName: application, IncludeDeleted: false }));
    const live = (out.Environments ?? []).filter((e) => e.Status !== 'Terminated');
    const blueEnv = live.find((e) => e.EnvironmentName === blue);
    if (!blueEnv) {
      return { pass: false, expected, found: `${blue} is not running any more; keep the old environment until DNS caches have expired.`, reason: 'blue-terminated', hintLevel: 'concept' };
    }
    const prefix = `${blue}.`;
    const serving = live.find((e) => (e.CNAME ?? '').toLowerCase().startsWith(prefix.toLowerCase()));
    const evidence: Evidence[] = live.map((e) => ({ kind: 'setting', text: `${e.EnvironmentName}: ${e.CNAME ?? '(no CNAME)'} runs ${e.VersionLabel ?? 'the sample application'}`, source: 'DescribeEnvironments' }));
    if (!serving || serving.EnvironmentName === blue) {
      return {
        pass: false,
        expected,
        found: live.length > 1 ? `${blue} still has production's CNAME; the environments have not been swapped.` : `${application} has only one environment, ${blue}.`,
        reason: live.length > 1 ? 'not-swapped' : 'no-green',
        hintLevel: live.length > 1 ? 'fix' : 'nudge',
        evidence,
      };
    }
    if (label && serving.VersionLabel !== label) {
      return { pass: false, expected, found: `${serving.EnvironmentName} has production's CNAME but runs ${serving.VersionLabel ?? 'the sample application'}.`, reason: 'wrong-version', hintLevel: 'concept', evidence };
    }
    return { pass: true, expected, found: `${serving.EnvironmentName} (${serving.VersionLabel}) answers at ${serving.CNAME}; ${blue} is still running.`, evidence };
  },
});
