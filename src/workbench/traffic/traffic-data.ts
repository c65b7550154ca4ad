// Requests to an environment bucketed over simulated time for the workbench's traffic chart: per bucket, how
// many answered, which version answered them and how many failed. Normalises /_sandbox/traffic evidence.

/** One request as the sandbox recorded it (only the fields the chart needs). */
export interface TrafficRequest {
  time: number;
  status: number;
  versionLabel?: string;
}

export interface TrafficBucket {
  /** Start of the bucket, simulated epoch ms. */
  start: number;
  requests: number;
  /** 5xx answers and requests nobody answered (status 0). */
  failed: number;
  /** Successful answers per version that answered (x-app-version). */
  byVersion: Record<string, number>;
}

export interface TrafficData {
  environment: string;
  /** Simulated now, epoch ms. */
  now: number;
  bucketMs: number;
  buckets: TrafficBucket[];
  /** Every version seen in the buckets, in order of first appearance (stable colours and patterns). */
  versions: string[];
  /** One line about the last minute, e.g. "Last minute: 120 requests, 0 failed, versions v3 (100%)". */
  summary: string;
}

export const DEFAULT_BUCKET_MS = 10_000;
/** How much simulated time the chart shows: long enough for an all-at-once deploy and what follows. */
export const DEFAULT_WINDOW_MS = 10 * 60_000;

export function isFailure(status: number): boolean {
  return status >= 500 || status <= 0;
}

/** Reads the sandbox's traffic answer; null when the environment is unknown or nothing was sent to it. */
export function parseTrafficRequests(raw: unknown): TrafficRequest[] | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as { found?: unknown; requests?: unknown };
  if (r.found === false || !Array.isArray(r.requests)) return null;
  const out: TrafficRequest[] = [];
  for (const item of r.requests as unknown[]) {
    if (!item || typeof item !== 'object') continue;
    const { time, status, versionLabel } = item as Record<string, unknown>;
    if (typeof time !== 'number' || !Number.isFinite(time)) continue;
    const request: TrafficRequest = { time, status: typeof status === 'number' ? status : 0 };
    if (typeof versionLabel === 'string' && versionLabel) request.versionLabel = versionLabel;
    out.push(request);
  }
  return out;
}

/**
 * Buckets requests in [now - windowMs, now]; buckets are aligned to multiples of bucketMs so a bucket keeps
 * its start as time moves on. Empty buckets between the first request and now are kept (a gap is a fact).
 */
export function bucketTraffic(requests: readonly TrafficRequest[], now: number, bucketMs = DEFAULT_BUCKET_MS, windowMs = DEFAULT_WINDOW_MS): TrafficBucket[] {
  if (!(bucketMs > 0)) throw new Error(`Traffic bucket size must be a positive number of milliseconds, got ${bucketMs}.`);
  const from = now - windowMs;
  const inWindow = requests.filter((r) => r.time >= from && r.time <= now);
  if (inWindow.length === 0) return [];
  const first = Math.floor(Math.min(...inWindow.map((r) => r.time)) / bucketMs) * bucketMs;
  const last = Math.floor(now / bucketMs) * bucketMs;
  const buckets: TrafficBucket[] = [];
  for (let start = first; start <= last; start += bucketMs) buckets.push({ start, requests: 0, failed: 0, byVersion: {} });
  for (const r of inWindow) {
    const bucket = buckets[Math.floor((r.time - first) / bucketMs)];
    if (!bucket) continue;
    bucket.requests++;
    if (isFailure(r.status)) bucket.failed++;
    else {
      const version = r.versionLabel ?? 'unknown version';
      bucket.byVersion[version] = (bucket.byVersion[version] ?? 0) + 1;
    }
  }
  return buckets;
}

/** "Last minute: 120 requests, 0 failed, versions v3 (100%)"; shares are of the successful answers. */
export function lastMinuteSummary(requests: readonly TrafficRequest[], now: number): string {
  const recent = requests.filter((r) => r.time > now - 60_000 && r.time <= now);
  if (recent.length === 0) return 'Last minute: no requests.';
  const byVersion = new Map<string, number>();
  let failed = 0;
  for (const r of recent) {
    if (isFailure(r.status)) failed++;
    else byVersion.set(r.versionLabel ?? 'unknown version', (byVersion.get(r.versionLabel ?? 'unknown version') ?? 0) + 1);
  }
  const answered = recent.length - failed;
  const versions = [...byVersion].sort((a, b) => b[1] - a[1]).map(([v, n]) => `${v} (${Math.round((n / answered) * 100)}%)`);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `Last minute: ${plural(recent.length, 'request')}, ${failed} failed, ${versions.length ? `version${versions.length === 1 ? '' : 's'} ${versions.join(', ')}` : 'no version answered'}`;
}

export function buildTrafficData(environment: string, requests: readonly TrafficRequest[], now: number, bucketMs = DEFAULT_BUCKET_MS, windowMs = DEFAULT_WINDOW_MS): TrafficData {
  const buckets = bucketTraffic(requests, now, bucketMs, windowMs);
  const versions: string[] = [];
  for (const b of buckets) for (const v of Object.keys(b.byVersion)) if (!versions.includes(v)) versions.push(v);
  return { environment, now, bucketMs, buckets, versions, summary: lastMinuteSummary(requests, now) };
}
