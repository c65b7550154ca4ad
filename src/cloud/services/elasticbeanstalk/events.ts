// The event log and DescribeEvents: newest first, filters (including RequestId, which the EB CLI waits
// on), the Severity floor, StartTime inclusive / EndTime exclusive, and MaxRecords/NextToken paging.

import type { EventSeverity } from '@aws-sdk/client-elastic-beanstalk';
import type { EbEvent, RegionState } from './model.ts';
import { invalidParameter } from './errors.ts';

export const SEVERITIES: readonly EventSeverity[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** Events older than this are dropped (EB keeps six weeks). */
const RETENTION_MS = 42 * 24 * 3600_000;
/** Cap per region so a workbench left running for days cannot grow without bound. */
const MAX_EVENTS = 20_000;

export function addEvent(state: RegionState, event: EbEvent): void {
  const events = state.events;
  // Events are kept in time order; background work never runs backwards in time.
  events.push(event);
  if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS);
  if (events.length > 0 && events[0].date < event.date - RETENTION_MS) {
    const cut = events.findIndex((e) => e.date >= event.date - RETENTION_MS);
    events.splice(0, cut < 0 ? events.length : cut);
  }
}

export interface EventQuery {
  applicationName?: string;
  versionLabel?: string;
  templateName?: string;
  environmentId?: string;
  environmentName?: string;
  platformArn?: string;
  requestId?: string;
  severity?: EventSeverity;
  startTime?: number;
  endTime?: number;
  maxRecords?: number;
  nextToken?: string;
}

/** Environment name lookups for EnvironmentId filters (an id may belong to a terminated environment). */
export function describeEvents(
  state: RegionState,
  q: EventQuery,
  environmentNameForId: (id: string) => string | undefined,
): { events: EbEvent[]; nextToken?: string } {
  let envName = q.environmentName;
  if (q.environmentId) {
    const byId = environmentNameForId(q.environmentId);
    if (!byId || (envName && envName !== byId)) return { events: [] };
    envName = byId;
  }
  const floor = q.severity ? SEVERITIES.indexOf(q.severity) : 0;
  let start = 0;
  if (q.nextToken) {
    const decoded = decodeToken(q.nextToken);
    if (decoded === undefined) throw invalidParameter(`Invalid NextToken: '${q.nextToken}'.`);
    start = decoded;
  }
  const max = q.maxRecords ?? 1000;
  const out: EbEvent[] = [];
  let skipped = 0;
  const events = state.events;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (q.applicationName && e.applicationName !== q.applicationName) continue;
    if (envName && e.environmentName !== envName) continue;
    if (q.versionLabel && e.versionLabel !== q.versionLabel) continue;
    if (q.templateName && e.templateName !== q.templateName) continue;
    if (q.platformArn && e.platformArn !== q.platformArn) continue;
    if (q.requestId && e.requestId !== q.requestId) continue;
    if (floor > 0 && SEVERITIES.indexOf(e.severity) < floor) continue;
    if (q.startTime !== undefined && e.date < q.startTime) continue;
    if (q.endTime !== undefined && e.date >= q.endTime) continue;
    if (skipped < start) {
      skipped++;
      continue;
    }
    if (out.length === max) return { events: out, nextToken: encodeToken(start + max) };
    out.push(e);
  }
  return { events: out };
}

function encodeToken(offset: number): string {
  return `events-${offset.toString(36)}`;
}

function decodeToken(token: string): number | undefined {
  const m = /^events-([0-9a-z]+)$/.exec(token);
  return m ? parseInt(m[1], 36) : undefined;
}

export function eventToWire(e: EbEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { EventDate: new Date(e.date), Message: e.message };
  if (e.applicationName !== undefined) out.ApplicationName = e.applicationName;
  if (e.versionLabel !== undefined) out.VersionLabel = e.versionLabel;
  if (e.templateName !== undefined) out.TemplateName = e.templateName;
  if (e.environmentName !== undefined) out.EnvironmentName = e.environmentName;
  if (e.platformArn !== undefined) out.PlatformArn = e.platformArn;
  if (e.requestId !== undefined) out.RequestId = e.requestId;
  out.Severity = e.severity;
  return out;
}
