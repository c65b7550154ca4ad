// Reads the sandbox's traffic evidence for the workbench's traffic chart, incrementally (a load run records
// hundreds of requests a simulated second, so each poll fetches only what is new), and picks the environment.
import { DescribeEnvironmentsCommand } from '@aws-sdk/client-elastic-beanstalk';
import type { AwsClients } from '../../aws/index.ts';
import { buildTrafficData, parseTrafficRequests, DEFAULT_WINDOW_MS, type TrafficData, type TrafficRequest } from './traffic-data.ts';

interface Seen {
  requests: TrafficRequest[];
  probeRps: number;
}

export class TrafficSource {
  private readonly seen = new Map<string, Seen>();
  private lastKey = '';

  constructor(private readonly windowMs = DEFAULT_WINDOW_MS) {}

  /** Forgets what was read (the cloud was replaced: reset, import, another cloud). */
  clear(): void {
    this.seen.clear();
    this.lastKey = '';
  }

  /**
   * The chart's data for `environment`, or for the environment that receives traffic (the one with the probe,
   * else the one with the most recent requests); null when none does, 'unchanged' when it is the last answer.
   */
  async read(clients: AwsClients, region: string, environment?: string): Promise<TrafficData | null | 'unchanged'> {
    const sandbox = clients.sandbox;
    if (!sandbox) return null;
    const now = clients.now();
    let names: string[];
    if (environment) names = [environment];
    else {
      const out = await clients.eb.send(new DescribeEnvironmentsCommand({ IncludeDeleted: false }));
      names = (out.Environments ?? []).filter((e) => e.Status !== 'Terminated' && e.EnvironmentName).map((e) => e.EnvironmentName!);
    }
    let best: { name: string; seen: Seen } | null = null;
    for (const name of names) {
      const seen = await this.update(clients, region, name, now);
      if (!seen || seen.requests.length === 0) continue;
      const score = (s: Seen) => (s.probeRps > 0 ? 1e12 : 0) + s.requests[s.requests.length - 1]!.time;
      if (!best || score(seen) > score(best.seen)) best = { name, seen };
    }
    const data = best ? buildTrafficData(best.name, best.seen.requests, now, undefined, this.windowMs) : null;
    const key = JSON.stringify(data && { ...data, now: 0 });
    if (key === this.lastKey) return 'unchanged';
    this.lastKey = key;
    return data;
  }

  private async update(clients: AwsClients, region: string, name: string, now: number): Promise<Seen | null> {
    const from = now - this.windowMs;
    let known = this.seen.get(name);
    // A replaced cloud (reset, imported attempt) may start earlier than what was read.
    if (known && (known.requests[known.requests.length - 1]?.time ?? 0) > now) known = undefined;
    // Requests at the newest known instant may still be arriving, so that instant is read again.
    const newest = known?.requests[known.requests.length - 1]?.time;
    const since = newest !== undefined && newest >= from ? newest : from;
    const raw = await clients.sandbox!.traffic(name, { region, since });
    const fresh = parseTrafficRequests(raw);
    if (!fresh) {
      this.seen.delete(name);
      return null;
    }
    const kept = (known?.requests ?? []).filter((r) => r.time >= from && r.time < since);
    const probeRps = typeof (raw as { probeRps?: unknown }).probeRps === 'number' ? (raw as { probeRps: number }).probeRps : 0;
    const seen = { requests: kept.concat(fresh), probeRps };
    this.seen.set(name, seen);
    return seen;
  }
}
