// The deployment timeline as the workbench draws it: one lane per instance made of state segments, plus
// the environment's events. Normalises the sandbox's /_sandbox/timeline evidence into that shape.

export interface TimelineSegment {
  from: number;
  to: number;
  version?: string;
  /** Enhanced health status: Ok, Info, Warning, Degraded, Severe, Pending, Unknown, NoData. */
  health?: string;
  /** Instance life: pending, running, terminated (as the sandbox reports it). */
  state?: string;
  batch?: number;
  inService?: boolean;
  deploymentId?: number;
}

export interface TimelineLane {
  instanceId: string;
  segments: TimelineSegment[];
}

export interface TimelineEvent {
  at: number;
  severity: string;
  message: string;
}

export interface TimelineData {
  environment: string;
  /** The environment's status and health colour now, when the evidence says. */
  status?: string;
  health?: string;
  start: number;
  end: number;
  lanes: TimelineLane[];
  events: TimelineEvent[];
}

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function time(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  if (value instanceof Date) return value.getTime();
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

function pick(source: Loose, ...names: string[]): unknown {
  for (const name of names) if (source[name] !== undefined) return source[name];
  return undefined;
}

function segmentFrom(raw: Loose, fallbackEnd: number): TimelineSegment | null {
  const from = time(pick(raw, 'from', 'start', 'since', 'at', 'time'));
  if (from === undefined) return null;
  const to = time(pick(raw, 'to', 'end', 'until')) ?? fallbackEnd;
  const inService = pick(raw, 'inService', 'InService');
  const serviceText = text(pick(raw, 'service', 'elbState', 'lbState'));
  const batch = pick(raw, 'batch', 'batchNumber');
  const deploymentId = pick(raw, 'deploymentId', 'DeploymentId');
  return {
    from,
    to: Math.max(from, to),
    version: text(pick(raw, 'version', 'versionLabel', 'VersionLabel')),
    health: text(pick(raw, 'healthStatus', 'HealthStatus', 'health')),
    state: text(pick(raw, 'state', 'lifecycle', 'instanceState')),
    batch: typeof batch === 'number' ? batch : undefined,
    inService: typeof inService === 'boolean' ? inService : serviceText ? /^inservice$/i.test(serviceText.replace(/\s/g, '')) : undefined,
    deploymentId: typeof deploymentId === 'number' ? deploymentId : undefined,
  };
}

/**
 * Reads timeline evidence into TimelineData. Accepts lanes with segment lists, or instances with
 * point-in-time samples (consecutive samples become segments). Returns null when there is nothing to draw.
 */
export function normaliseTimeline(raw: unknown, environment: string, now: number): TimelineData | null {
  if (!isObject(raw)) return null;
  const rawLanes = pick(raw, 'lanes', 'instances', 'Instances');
  const lanes: TimelineLane[] = [];
  const end0 = time(pick(raw, 'end', 'now', 'until')) ?? now;
  if (Array.isArray(rawLanes)) {
    for (const lane of rawLanes) {
      if (!isObject(lane)) continue;
      const instanceId = text(pick(lane, 'instanceId', 'InstanceId', 'id'));
      if (!instanceId) continue;
      const parts = pick(lane, 'segments', 'points', 'states', 'samples', 'history');
      const segments: TimelineSegment[] = [];
      if (Array.isArray(parts)) {
        const objects = parts.filter(isObject);
        objects.forEach((part, i) => {
          const nextStart = i + 1 < objects.length ? time(pick(objects[i + 1], 'from', 'start', 'since', 'at', 'time')) : undefined;
          const segment = segmentFrom(part, nextStart ?? end0);
          // A terminated sample ends the lane: the instance is gone from then on.
          if (segment && !/^terminat/i.test(segment.state ?? '')) segments.push(segment);
        });
      }
      segments.sort((a, b) => a.from - b.from);
      lanes.push({ instanceId, segments });
    }
  }
  const events: TimelineEvent[] = [];
  const rawEvents = pick(raw, 'events', 'Events');
  if (Array.isArray(rawEvents)) {
    for (const event of rawEvents) {
      if (!isObject(event)) continue;
      const at = time(pick(event, 'at', 'time', 'EventDate', 'date'));
      const message = text(pick(event, 'message', 'Message'));
      if (at === undefined || !message) continue;
      events.push({ at, message, severity: text(pick(event, 'severity', 'Severity')) ?? 'INFO' });
    }
  }
  events.sort((a, b) => a.at - b.at);
  if (lanes.length === 0 && events.length === 0) return null;
  const starts = [...lanes.flatMap((l) => l.segments.map((s) => s.from)), ...events.map((e) => e.at)];
  const ends = [...lanes.flatMap((l) => l.segments.map((s) => s.to)), ...events.map((e) => e.at), end0];
  const start = time(pick(raw, 'start', 'since')) ?? Math.min(...starts);
  const status = text(pick(raw, 'status', 'Status'));
  const health = text(pick(raw, 'health', 'Health'));
  return {
    environment: text(pick(raw, 'environment', 'environmentName', 'EnvironmentName')) ?? environment,
    ...(status ? { status } : {}),
    ...(health ? { health } : {}),
    start,
    end: Math.max(...ends),
    lanes,
    events,
  };
}

/** The state of every lane at one moment (for the replay cursor and the table). */
export function stateAt(data: TimelineData, at: number): Array<{ instanceId: string; segment: TimelineSegment | undefined }> {
  return data.lanes.map((lane) => ({
    instanceId: lane.instanceId,
    segment: lane.segments.find((s) => s.from <= at && at < s.to) ?? (lane.segments.at(-1)?.to === at ? lane.segments.at(-1) : undefined),
  }));
}
