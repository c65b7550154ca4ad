// Check kinds that read what happened over time: events (DescribeEvents, any backend) and requests
// to the environment (sandbox traffic evidence, which only the built-in sandbox and `academy cloud` record).
import type { CheckParams } from '../../course/lab-schema.ts';
import { eventEvidence, listEvents, requireEnvironment } from '../helpers.ts';
import type { CheckContext, CheckOutcome, Evidence } from '../types.ts';

const SEVERITY_ORDER = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

export async function eventSeen(p: CheckParams<'event-seen'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = `An event${p.severity ? ` of severity ${p.severity} or higher` : ''} matching /${p.pattern}/${p.environment ? ` for ${p.environment}` : ''}.`;
  const events = await listEvents(ctx, { environment: p.environment, application: p.application, afterPreset: p.afterPreset });
  const floor = p.severity ? SEVERITY_ORDER.indexOf(p.severity) : 0;
  const re = new RegExp(p.pattern);
  const hit = events.find((e) => re.test(e.Message ?? '') && SEVERITY_ORDER.indexOf(e.Severity ?? 'INFO') >= floor);
  if (hit) return { pass: true, expected, found: hit.Message ?? '', evidence: [eventEvidence(hit)] };
  return {
    pass: false,
    expected,
    found: events.length ? `No such event among ${events.length} event(s); the latest is "${events[0].Message ?? ''}".` : 'No events yet.',
    reason: 'not-seen',
    hintLevel: 'concept',
    evidence: events.slice(0, 3).map(eventEvidence),
  };
}

interface TrafficRecord {
  time: number;
  status: number;
  versionLabel?: string;
  instanceId?: string;
  path?: string;
}

/** Accepts the sandbox's traffic answer as an array or `{ requests: [...] }`, reading only the fields checks need. */
export function trafficRecords(raw: unknown): TrafficRecord[] {
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' && Array.isArray((raw as { requests?: unknown }).requests) ? (raw as { requests: unknown[] }).requests : null;
  if (!list) throw new Error('The sandbox traffic evidence has an unexpected shape (expected a list of requests)');
  return list.map((r) => {
    const rec = r as Record<string, unknown>;
    const time = typeof rec.time === 'number' ? rec.time : Date.parse(String(rec.time ?? rec.at ?? ''));
    return { time, status: Number(rec.status ?? 0), versionLabel: rec.versionLabel as string | undefined, instanceId: rec.instanceId as string | undefined, path: rec.path as string | undefined };
  });
}

const DEPLOY_START = /^Environment update is starting\.$/;
const DEPLOY_END = /^(Environment update completed successfully\.|Failed to deploy application\.|Update environment operation is complete, but with errors\.|The environment was reverted to the previous configuration setting\.)/;

/** The latest deployment after the preset: from its "is starting" event to its outcome (or now, while it runs). */
async function lastDeployWindow(ctx: CheckContext, environment: string): Promise<{ from: number; to: number; evidence: Evidence[] } | undefined> {
  const events = await listEvents(ctx, { environment, afterPreset: true });
  const start = events.find((e) => DEPLOY_START.test(e.Message ?? ''));
  if (!start?.EventDate) return undefined;
  const from = start.EventDate.getTime();
  // Newest first: the outcome is the oldest end event that is not older than the start.
  const ends = events.filter((e) => DEPLOY_END.test(e.Message ?? '') && (e.EventDate?.getTime() ?? 0) >= from);
  const end = ends[ends.length - 1];
  return { from, to: end?.EventDate?.getTime() ?? ctx.clients.now(), evidence: [eventEvidence(start), ...(end ? [eventEvidence(end)] : [])] };
}

export async function noFailedRequests(p: CheckParams<'no-failed-requests'>, ctx: CheckContext): Promise<CheckOutcome> {
  const during = p.window === 'last-deploy' ? ' during your last deployment' : '';
  const expected = `At least ${p.minRequests} request(s) to ${p.environment}${during}, none failed (no 5xx, no dropped request).`;
  await requireEnvironment(ctx, p.environment, expected);
  if (!ctx.clients.sandbox) throw new Error('This check needs traffic evidence, which only the built-in sandbox or `academy cloud` records');
  let from = ctx.presetFinishedAt;
  let to = Number.POSITIVE_INFINITY;
  const windowEvidence: Evidence[] = [];
  if (p.window === 'last-deploy') {
    const window = await lastDeployWindow(ctx, p.environment);
    if (!window) return { pass: false, expected, found: `You have not deployed to ${p.environment} since the lab started.`, reason: 'no-deploy', hintLevel: 'nudge' };
    ({ from, to } = window);
    windowEvidence.push(...window.evidence);
  }
  const records = trafficRecords(await ctx.clients.sandbox.traffic(p.environment, { region: ctx.clients.region, since: from })).filter((r) => r.time >= from && r.time <= to);
  if (records.length < p.minRequests) {
    return {
      pass: false,
      expected,
      found: `Only ${records.length} request(s) reached ${p.environment}${during || ' since the lab started'}.`,
      reason: 'too-few-requests',
      hintLevel: 'nudge',
      evidence: windowEvidence,
    };
  }
  const failed = records.filter((r) => r.status >= 500 || r.status === 0);
  if (failed.length === 0) return { pass: true, expected, found: `${records.length} request(s)${during}, all answered.`, evidence: windowEvidence };
  const evidence: Evidence[] = failed.slice(0, 3).map((r) => ({
    kind: 'traffic',
    text: `${r.status || 'no answer'}${r.path ? ` ${r.path}` : ''}${r.versionLabel ? ` from ${r.versionLabel}` : ''}${r.instanceId ? ` on ${r.instanceId}` : ''}`,
    source: new Date(r.time).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ''),
  }));
  return { pass: false, expected, found: `${failed.length} of ${records.length} request(s)${during} failed.`, reason: 'failed-requests', hintLevel: 'concept', evidence: [...evidence, ...windowEvidence] };
}
