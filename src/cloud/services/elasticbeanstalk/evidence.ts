// Sandbox-only evidence the AWS API does not give: requests to an environment URL answered by its instances
// (through the load balancer and nginx), the steady traffic probe, the per-instance deploy timeline, and the
// CloudWatch-like metrics Auto Scaling triggers read.

import type { EnvironmentEvidence, EnvironmentHttpRequest, EnvironmentHttpResponse } from '../service.ts';
import { answerRequest } from '../../instance/index.ts';
import type { Engine } from './context.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { Environment, EnvironmentEvidenceRecord, Instance, ProbeRequest, RegionState, TrafficRecord } from './model.ts';
import { addEvent } from './events.ts';
import { DEFAULT_LISTENERS, frontDoor, listenerKindOf } from './listeners.ts';

const MAX_TIMELINE = 5_000;
/** Enough for a 30-minute launch-day rehearsal at up to 160 requests a second (the autoscaling lab). */
const MAX_TRAFFIC = 250_000;
const MAX_LATENCIES = 200;
/** Requests a second one instance serves before its CPU reaches 100% (the CPUUtilization model below: 2% + 1.5% per request/s). */
export const SATURATION_RPS = (100 - 2) / 1.5;

/** Seconds of missed probe ticks one late tick makes up for. */
const PROBE_MAX_CATCH_UP_S = 10;

export class Evidence implements EnvironmentEvidence, FaultInjection {
  private lastPoint = new Map<string, string>();

  constructor(
    private readonly engine: Engine,
    private readonly lifecycle: Lifecycle,
  ) {}

  private record(state: RegionState, env: Environment): EnvironmentEvidenceRecord {
    return (state.evidence[env.id] ??= { timeline: [], traffic: [], cursor: 0 });
  }

  clear(): void {
    this.lastPoint.clear();
  }

  recordInstance(state: RegionState, env: Environment, inst: Instance): void {
    const key = [inst.state, inst.versionLabel ?? '', inst.health, inst.batch ?? '', inst.inService, inst.deploymentId, inst.group, inst.restarting ? 1 : 0].join('|');
    const mapKey = `${state.accountId}|${env.id}|${inst.id}`;
    if (this.lastPoint.get(mapKey) === key) return;
    this.lastPoint.set(mapKey, key);
    if (inst.state === 'terminated') this.lastPoint.delete(mapKey);
    const rec = this.record(state, env);
    rec.timeline.push({
      time: this.engine.clock.now(),
      instanceId: inst.id,
      state: inst.state,
      versionLabel: inst.versionLabel,
      health: inst.health,
      batch: inst.batch,
      inService: inst.inService,
      deploymentId: inst.deploymentId,
      group: inst.group,
    });
    if (rec.timeline.length > MAX_TIMELINE) rec.timeline.splice(0, rec.timeline.length - MAX_TIMELINE);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Requests to environment URLs

  private findByHost(accountId: string, host: string): { state: RegionState; env: Environment } | undefined {
    const wanted = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
    for (const state of this.engine.allRegions()) {
      if (state.accountId !== accountId) continue;
      for (const env of Object.values(state.environments)) {
        if (env.status === 'Terminated') continue;
        if (env.cname?.toLowerCase() === wanted || env.endpointUrl?.toLowerCase() === wanted) return { state, env };
      }
    }
    return undefined;
  }

  private findByName(accountId: string, region: string, name: string): { state: RegionState; env: Environment } | undefined {
    const state = this.engine.region(accountId, region);
    const matches = Object.values(state.environments).filter((e) => e.name === name);
    const env = matches.find((e) => e.status !== 'Terminated') ?? matches.sort((a, b) => b.dateCreated - a.dateCreated)[0];
    return env ? { state, env } : undefined;
  }

  async request(accountId: string, req: EnvironmentHttpRequest): Promise<EnvironmentHttpResponse> {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return plain(400, `Malformed URL: ${req.url}`);
    }
    const found = this.findByHost(accountId, url.host);
    if (!found) return plain(404, `Could not resolve host: ${url.hostname}. No running environment has this CNAME or endpoint.`);
    const { state, env } = found;
    const method = req.method || 'GET';
    const path = url.pathname + url.search;
    const { settings } = this.lifecycle.settingsOf(env, state.region);
    const kind = listenerKindOf(settings, env.tier.Name);
    const alb = kind !== undefined && env.resources.loadBalancer;
    const door = frontDoor({
      url,
      headers: req.headers ?? {},
      listeners: alb ? (env.listeners ?? (kind === 'classic' ? DEFAULT_LISTENERS.map((l) => ({ ...l, logicalId: 'AWSEBLoadBalancer' })) : DEFAULT_LISTENERS)) : undefined,
      certificates: this.engine.certificates,
      accountId,
      region: state.region,
      clientIp: '203.0.113.10',
      connectTimeoutMs: 130_000 + (this.engine.clock.now() % 2_000),
    });
    if (door.t === 'no-connection') return door.response;
    if (door.t === 'answer') {
      // The load balancer answered by itself (redirect, fixed response, plain HTTP on an HTTPS port): no instance saw it.
      const rec = this.record(state, env);
      rec.traffic.push({ time: this.engine.clock.now(), method, path, status: door.response.status, latencyMs: 1, source: 'request' });
      return door.response;
    }
    // Every HTTP/1.1 client sends Host; the instance's nginx builds $host (and redirects) from it.
    const sent = req.headers ?? {};
    const host: Record<string, string> = Object.keys(sent).some((k) => k.toLowerCase() === 'host') ? {} : { host: url.host };
    const res = this.route(state, env, method, path, { ...host, ...sent, ...door.headers }, req.body, 'request');
    if (door.tls) res.tls = door.tls;
    this.lifecycle.settle(state, env);
    return res;
  }

  /** Sends one request through the environment's load balancer (or straight to its single instance). */
  route(
    state: RegionState,
    env: Environment,
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    source: 'probe' | 'request',
    /** Whether the environment is load balanced, when the caller already knows (the probe sends many requests at once). */
    loadBalancedKnown?: boolean,
  ): EnvironmentHttpResponse {
    const now = this.engine.clock.now();
    const rec = this.record(state, env);
    const loadBalanced = loadBalancedKnown ?? this.isLoadBalanced(state, env);
    const alive = env.instances.filter((i) => i.state === 'running' || i.state === 'deploying');
    let pool = loadBalanced ? alive.filter((i) => i.inService) : alive.filter((i) => i.group === 'main').slice(0, 1);
    if (loadBalanced) {
      // The load balancer sends traffic to healthy targets only, and to all of them when none is healthy (fail open).
      // An instance unhealthy only because its app answers 5xx still passes the target group's health check.
      const healthy = pool.filter((i) => (i.health !== 'Severe' && i.health !== 'Degraded') || i.failingRequests);
      if (healthy.length > 0) pool = healthy;
    }
    const split = env.operation?.data.split as number | undefined;
    if (split !== undefined) {
      // Traffic splitting: the listener forwards NewVersionPercent of requests to the new fleet.
      const fresh = pool.filter((i) => i.group === 'temporary');
      const old = pool.filter((i) => i.group === 'main');
      if (fresh.length && old.length) pool = (rec.cursor % 100) < split ? fresh : old;
    }
    let res: EnvironmentHttpResponse;
    let latency: number;
    let inst: Instance | undefined;
    if (pool.length === 0) {
      res = loadBalanced
        ? html(503, '503 Service Temporarily Unavailable')
        : html(502, '502 Bad Gateway');
      latency = 1;
    } else {
      inst = pool[rec.cursor % pool.length];
      const share = env.probeRps / pool.length;
      if (source === 'probe' && share > SATURATION_RPS && (rec.cursor % 1000) / 1000 < 1 - SATURATION_RPS / share) {
        // Past saturation the instance's CPU is at 100%: the share above what it can serve times out at the load balancer.
        res = html(504, '504 Gateway Time-out');
        latency = 60_000;
      } else if (inst.restarting || (inst.state === 'deploying' && !inst.process)) {
        res = html(502, '502 Bad Gateway');
        latency = 2;
      } else {
        const answer = answerRequest(inst.process, { method, path, headers, body, now });
        res = { status: answer.status, headers: answer.headers, body: answer.body };
        const lines = inst.logs;
        for (const line of answer.logs) {
          const list = (lines[line.file] ??= []);
          list.push(line.text);
          if (list.length > 400) list.splice(0, list.length - 400);
        }
        latency = 4 + Math.round(this.engine.ids.next() * 12) + Math.max(0, Math.round((env.probeRps / Math.max(1, pool.length) - 50) / 5));
      }
      res.instanceId = inst.id;
      res.versionLabel = inst.process?.versionLabel ?? inst.versionLabel;
      if (res.versionLabel && !res.headers['x-app-version']) res.headers['x-app-version'] = res.versionLabel;
      const stats = inst.requests;
      stats.count++;
      if (res.status < 300) stats.s2xx++;
      else if (res.status < 400) stats.s3xx++;
      else if (res.status < 500) stats.s4xx++;
      else stats.s5xx++;
      stats.latencies.push(latency);
      if (stats.latencies.length > MAX_LATENCIES) stats.latencies.shift();
    }
    rec.cursor = (rec.cursor + 1) % 1_000_000;
    const traffic: TrafficRecord = {
      time: now,
      method,
      path,
      status: res.status,
      latencyMs: latency,
      source,
    };
    if (inst) traffic.instanceId = inst.id;
    if (res.versionLabel) traffic.versionLabel = res.versionLabel;
    rec.traffic.push(traffic);
    // Trimmed in slices, so a long load run does not shift a quarter-million entries per request.
    if (rec.traffic.length > MAX_TRAFFIC * 1.1) rec.traffic.splice(0, rec.traffic.length - MAX_TRAFFIC);
    return res;
  }

  private isLoadBalanced(state: RegionState, env: Environment): boolean {
    return this.lifecycle.settingsOf(env, state.region).settings.context.environmentType === 'LoadBalanced';
  }

  probeTick(state: RegionState, env: Environment, requestId: string, dueAt: number = this.engine.clock.now()): void {
    if (env.probeRps <= 0 || env.status === 'Terminated' || env.status === 'Terminating') return;
    const now = this.engine.clock.now();
    // A busy host (a browser tab running the sandbox at 40x) fires timers late. The probe then also sends the
    // seconds it fell behind, so the offered load per simulated second, and the CPU it causes, stay what the
    // learner asked for; a backlog older than PROBE_MAX_CATCH_UP_S is dropped rather than replayed.
    const behind = Math.min(PROBE_MAX_CATCH_UP_S, Math.floor(Math.max(0, now - dueAt) / 1000));
    const n = Math.max(1, Math.round(env.probeRps * (1 + behind)));
    const mix = env.probeRequests?.length ? env.probeRequests : [{ method: 'GET', path: '/' }];
    const rec = this.record(state, env);
    // Settings cannot change while the tick's requests go out: resolve them once, not per request.
    const loadBalanced = this.isLoadBalanced(state, env);
    for (let i = 0; i < n; i++) {
      const next = mix[(rec.probeCursor ?? 0) % mix.length];
      rec.probeCursor = ((rec.probeCursor ?? 0) + 1) % 1_000_000;
      this.route(state, env, next.method, next.path, { 'user-agent': 'sandbox-probe' }, undefined, 'probe', loadBalanced);
    }
    const next = Math.max(dueAt + (1 + behind) * 1_000, now + 1_000 - PROBE_MAX_CATCH_UP_S * 1_000);
    this.lifecycle.enqueue(state, env, next, requestId, { t: 'probe' }, false);
  }

  /** A CloudWatch-like statistic over the last period, from the recorded traffic (read from the period's start on, not scanned). */
  metric(state: RegionState, env: Environment, measure: string, statistic: string, periodMs: number): number {
    const now = this.engine.clock.now();
    const traffic = this.record(state, env).traffic;
    const from = firstIndexWhere(traffic, (t) => t.time > now - periodMs);
    const instances = Math.max(1, env.instances.filter((i) => i.group === 'main' && i.state === 'running').length);
    const seconds = periodMs / 1000;
    const count = traffic.length - from;
    const bytesOut = count * 1_200;
    const perInstance = (total: number) => (statistic === 'Sum' ? total : statistic === 'Maximum' ? total / Math.max(1, instances - 1 || 1) : total / instances);
    switch (measure) {
      case 'RequestCount':
        return statistic === 'Average' ? count / instances : count;
      case 'NetworkOut':
        return perInstance(bytesOut);
      case 'NetworkIn':
        return perInstance(count * 400);
      case 'CPUUtilization':
        return Math.min(100, 2 + (count / seconds / instances) * 1.5);
      case 'Latency':
      case 'TargetResponseTime': {
        if (count === 0) return 0;
        let sum = 0;
        let max = -Infinity;
        for (let i = from; i < traffic.length; i++) {
          sum += traffic[i].latencyMs;
          if (traffic[i].latencyMs > max) max = traffic[i].latencyMs;
        }
        return statistic === 'Maximum' ? max / 1000 : sum / count / 1000;
      }
      case 'HealthyHostCount':
        return env.instances.filter((i) => i.inService && (i.health === 'Ok' || i.health === 'Info')).length;
      case 'UnhealthyHostCount':
        return env.instances.filter((i) => i.inService && (i.health === 'Severe' || i.health === 'Degraded')).length;
      default:
        return 0;
    }
  }

  /** Share of 5xx answers from the given instances since a time (traffic splitting evaluation). */
  errorRate(state: RegionState, env: Environment, instanceIds: string[], since: number): number {
    const ids = new Set(instanceIds);
    const traffic = this.record(state, env).traffic;
    let seen = 0;
    let failed = 0;
    for (let i = firstIndexWhere(traffic, (t) => t.time >= since); i < traffic.length; i++) {
      const t = traffic[i];
      if (!t.instanceId || !ids.has(t.instanceId)) continue;
      seen++;
      if (t.status >= 500) failed++;
    }
    return seen === 0 ? 0 : failed / seen;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Read-only views for CloudWatch's Elastic Beanstalk metric sources (wired in src/cloud/index.ts)

  /** The environments of a region that are not terminated, with what their AWS/EC2, ApplicationELB and ElasticBeanstalk metrics derive from. */
  meteredEnvironments(accountId: string, region: string): MeteredEnvironment[] {
    const state = this.engine.region(accountId, region);
    return Object.values(state.environments)
      .filter((env) => env.status !== 'Terminated')
      .map((env) => {
        let enhancedHealth = false;
        let healthConfigDocument: string | undefined;
        let applicationLoadBalancer: string | undefined;
        let classicLoadBalancer: string | undefined;
        try {
          const { settings } = this.lifecycle.settingsOf(env, region);
          enhancedHealth = settings.get('aws:elasticbeanstalk:healthreporting:system', 'SystemType') === 'enhanced';
          healthConfigDocument = settings.get('aws:elasticbeanstalk:healthreporting:system', 'ConfigDocument');
          const balanced = env.tier.Name !== 'Worker' && settings.context.environmentType === 'LoadBalanced';
          if (balanced && settings.context.loadBalancerType === 'application') applicationLoadBalancer = env.resources.loadBalancer;
          if (balanced && settings.context.loadBalancerType === 'classic') classicLoadBalancer = env.resources.loadBalancer;
        } catch {
          // An environment whose platform or settings no longer resolve publishes only what needs neither.
        }
        const rec = this.record(state, env);
        return {
          name: env.name,
          createdAt: env.dateCreated,
          enhancedHealth,
          healthConfigDocument,
          updatedAt: env.dateUpdated,
          applicationLoadBalancer,
          classicLoadBalancer,
          autoScalingGroup: env.resources.autoScalingGroup,
          requests: (startMs: number, endMs: number) =>
            rec.traffic.slice(firstIndexWhere(rec.traffic, (t) => t.time >= startMs), firstIndexWhere(rec.traffic, (t) => t.time >= endMs)),
          instancePoints: () => rec.timeline,
          healthChanges: () => {
            const changes: { time: number; status: string }[] = [];
            for (const e of state.events) {
              if (e.environmentName !== env.name || e.date < env.dateCreated) continue;
              const m = /^Environment health has transitioned from \w+ to (\w+)\./.exec(e.message);
              if (m) changes.push({ time: e.date, status: m[1] });
            }
            return changes;
          },
        };
      });
  }

  // ------------------------------------------------------------------------------------------------------------
  // EnvironmentEvidence (served by /_sandbox/*)

  timeline(accountId: string, region: string, environmentName: string, since = 0): unknown {
    const found = this.findByName(accountId, region, environmentName);
    if (!found) return { environmentName, found: false, lanes: [], events: [] };
    const { state, env } = found;
    const rec = this.record(state, env);
    const lanes = new Map<string, unknown[]>();
    for (const p of rec.timeline) {
      if (p.time < since) continue;
      const lane = lanes.get(p.instanceId) ?? [];
      lane.push(p);
      lanes.set(p.instanceId, lane);
    }
    return {
      environmentName: env.name,
      environmentId: env.id,
      found: true,
      now: this.engine.clock.now(),
      status: env.status,
      health: env.health,
      healthStatus: env.healthStatus,
      versionLabel: env.versionLabel ?? null,
      lanes: [...lanes].map(([instanceId, points]) => ({ instanceId, points })),
      events: state.events
        .filter((e) => e.environmentName === env.name && e.date >= since && e.date >= env.dateCreated)
        .map((e) => ({ time: e.date, severity: e.severity, message: e.message, requestId: e.requestId ?? null })),
    };
  }

  traffic(accountId: string, region: string, environmentName: string, since = 0): unknown {
    const found = this.findByName(accountId, region, environmentName);
    if (!found) return { environmentName, found: false, requests: [], summary: summarise([]) };
    const rec = this.record(found.state, found.env);
    const requests = rec.traffic.slice(firstIndexWhere(rec.traffic, (t) => t.time >= since));
    return {
      environmentName: found.env.name,
      found: true,
      now: this.engine.clock.now(),
      probeRps: found.env.probeRps,
      requests,
      summary: summarise(requests),
    };
  }

  failInstance(accountId: string, region: string, environmentName: string, instanceId?: string): string {
    const found = this.findByName(accountId, region, environmentName);
    if (!found || found.env.status === 'Terminated' || found.env.status === 'Terminating') {
      throw new Error(`No running environment named ${environmentName} in ${region}.`);
    }
    const { state, env } = found;
    const candidates = env.instances.filter((i) => i.state === 'running' || i.state === 'failed');
    const inst = instanceId ? candidates.find((i) => i.id === instanceId) : candidates[0];
    if (!inst) throw new Error(instanceId ? `Instance ${instanceId} is not running in ${environmentName}.` : `${environmentName} has no running instance.`);
    this.lifecycle.replaceInstance(state, env, inst);
    return inst.id;
  }

  setProbe(accountId: string, region: string, environmentName: string, rps: number, requests?: ProbeRequest[]): void {
    const found = this.findByName(accountId, region, environmentName);
    if (!found || found.env.status === 'Terminated') {
      throw new Error(`No running environment named ${environmentName} in ${region}.`);
    }
    if (!Number.isFinite(rps) || rps < 0 || rps > 1000) throw new Error(`Probe rate must be between 0 and 1000 requests per second, got ${rps}.`);
    if (requests !== undefined) {
      for (const r of requests) {
        if (!/^[A-Z]+$/.test(r.method) || !r.path.startsWith('/')) throw new Error(`Probe request "${r.method} ${r.path}" must be a method in capitals and a path starting with /, e.g. POST /predict.`);
      }
      found.env.probeRequests = requests.length ? requests.map((r) => ({ method: r.method, path: r.path })) : undefined;
    }
    this.lifecycle.setProbe(found.state, found.env, rps);
    addEvent(found.state, {
      date: this.engine.clock.now(),
      severity: 'DEBUG',
      message:
        rps > 0
          ? `Sandbox traffic probe started at ${rps} requests per second${found.env.probeRequests ? ` (${found.env.probeRequests.map((r) => `${r.method} ${r.path}`).join(', ')})` : ''}.`
          : 'Sandbox traffic probe stopped.',
      applicationName: found.env.applicationName,
      environmentName: found.env.name,
    });
  }
}

/** One environment as CloudWatch's metric sources see it; records are oldest first. */
export interface MeteredEnvironment {
  name: string;
  createdAt: number;
  enhancedHealth: boolean;
  /** The effective aws:elasticbeanstalk:healthreporting:system ConfigDocument (which custom metrics to publish). */
  healthConfigDocument?: string;
  /** When the environment's configuration or version last changed (DateUpdated). */
  updatedAt: number;
  /** The ARN of its Application Load Balancer, when it has one. */
  applicationLoadBalancer?: string;
  /** The name of its Classic Load Balancer, when it has one. */
  classicLoadBalancer?: string;
  autoScalingGroup?: string;
  /** Requests recorded with startMs <= time < endMs. */
  requests(startMs: number, endMs: number): readonly TrafficRecord[];
  /** Instance lane points: each instance's state and health whenever they changed. */
  instancePoints(): readonly { time: number; instanceId: string; state: string; health: string }[];
  /** Enhanced health transitions (the status each one moved to), from the environment's events. */
  healthChanges(): readonly { time: number; status: string }[];
}

/** Sandbox fault injection for incident labs (not part of the AWS API). */
export interface FaultInjection {
  /** An EC2 instance of the environment fails its status checks; the Auto Scaling group replaces it. Returns its id. */
  failInstance(accountId: string, region: string, environmentName: string, instanceId?: string): string;
}

/**
 * The first index whose record satisfies `reached` (a condition on time that, once true, stays true), or
 * the length. Traffic is appended with the cloud's clock, which never goes back, so it is in time order and
 * a window is found by binary search instead of a scan of up to MAX_TRAFFIC records.
 */
function firstIndexWhere<T extends { time: number }>(records: readonly T[], reached: (record: T) => boolean): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (reached(records[mid])) high = mid;
    else low = mid + 1;
  }
  return low;
}

function summarise(requests: TrafficRecord[]): Record<string, unknown> {
  const byVersion: Record<string, number> = {};
  let errors = 0;
  for (const r of requests) {
    const v = r.versionLabel ?? 'none';
    byVersion[v] = (byVersion[v] ?? 0) + 1;
    if (r.status >= 500) errors++;
  }
  return { total: requests.length, errors5xx: errors, byVersion };
}

function plain(status: number, body: string): EnvironmentHttpResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

function html(status: number, title: string): EnvironmentHttpResponse {
  return {
    status,
    headers: { 'content-type': 'text/html', server: status === 503 ? 'awselb/2.0' : 'nginx' },
    body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
  };
}
