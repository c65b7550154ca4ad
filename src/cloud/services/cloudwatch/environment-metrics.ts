// Elastic Beanstalk's metrics in CloudWatch, computed from what the sandbox recorded of each environment: AWS/EC2
// per instance, AWS/ApplicationELB or AWS/ELB per load balancer, AWS/ElasticBeanstalk per environment (requests, health).
import type { Dimension, MetricIdentity, MetricSample, MetricSource } from './metrics.ts';
import { customMetricsOf } from './health-config-document.ts';

export const EB_NAMESPACE = 'AWS/ElasticBeanstalk';
export const EC2_NAMESPACE = 'AWS/EC2';
export const ALB_NAMESPACE = 'AWS/ApplicationELB';
export const CLB_NAMESPACE = 'AWS/ELB';

const MINUTE = 60_000;

/** Each recorded request counts 1 towards the total and 1 (or 0) towards its status class, as EB's per-request counters sum. */
const REQUEST_METRICS: Record<string, (status: number) => number> = {
  ApplicationRequestsTotal: () => 1,
  ApplicationRequests2xx: (s) => (s >= 200 && s < 300 ? 1 : 0),
  ApplicationRequests3xx: (s) => (s >= 300 && s < 400 ? 1 : 0),
  ApplicationRequests4xx: (s) => (s >= 400 && s < 500 ? 1 : 0),
  ApplicationRequests5xx: (s) => (s >= 500 ? 1 : 0),
};

/**
 * EnvironmentHealth as AWS documents it (health-enhanced-cloudwatch): 0 OK, 1 Info, 5 Unknown, 10 No data,
 * 15 Warning, 20 Degraded, 25 Severe. Pending (a new environment) and Suspended have no value of their own
 * there; the sandbox reports them as Unknown and No data.
 */
export const ENVIRONMENT_HEALTH_VALUES: Record<string, number> = {
  Ok: 0,
  Info: 1,
  Unknown: 5,
  Pending: 5,
  NoData: 10,
  Suspended: 10,
  Warning: 15,
  Degraded: 20,
  Severe: 25,
};

/** ApplicationLatencyP10 ... P99.9: the percentile of the latencies of the requests instances answered in a minute. */
const LATENCY_PERCENTILES: Record<string, number> = {
  ApplicationLatencyP10: 10,
  ApplicationLatencyP50: 50,
  ApplicationLatencyP75: 75,
  ApplicationLatencyP85: 85,
  ApplicationLatencyP90: 90,
  ApplicationLatencyP95: 95,
  ApplicationLatencyP99: 99,
  'ApplicationLatencyP99.9': 99.9,
};

/** InstancesOk ... InstancesSevere: how many instances had each enhanced health status at the end of a minute. */
const INSTANCE_HEALTH_METRICS: Record<string, string> = {
  InstancesOk: 'Ok',
  InstancesPending: 'Pending',
  InstancesInfo: 'Info',
  InstancesUnknown: 'Unknown',
  InstancesNoData: 'NoData',
  InstancesWarning: 'Warning',
  InstancesDegraded: 'Degraded',
  InstancesSevere: 'Severe',
};

/** The instance CPU model Auto Scaling triggers read (elasticbeanstalk/evidence.ts): 2% idle plus 1.5% per request a second, at most 100%. */
export function cpuUtilization(requestsPerSecond: number): number {
  return Math.min(100, 2 + requestsPerSecond * 1.5);
}

/** Bytes a request moves, as the trigger model counts them. */
const BYTES_OUT_PER_REQUEST = 1_200;
const BYTES_IN_PER_REQUEST = 400;

const EC2_METRICS: Record<string, { unit: string; perMinute: (requests: number) => number }> = {
  CPUUtilization: { unit: 'Percent', perMinute: (n) => cpuUtilization(n / 60) },
  NetworkIn: { unit: 'Bytes', perMinute: (n) => n * BYTES_IN_PER_REQUEST },
  NetworkOut: { unit: 'Bytes', perMinute: (n) => n * BYTES_OUT_PER_REQUEST },
};

export interface RecordedRequest {
  time: number;
  status: number;
  latencyMs: number;
  instanceId?: string;
}

/** One environment as these metrics need it (the EB service's evidence provides it; records oldest first). */
export interface EnvironmentView {
  name: string;
  createdAt: number;
  enhancedHealth: boolean;
  /** The effective healthreporting:system ConfigDocument: the custom metrics Elastic Beanstalk publishes. */
  healthConfigDocument?: string;
  /** When its configuration last changed (DateUpdated): a ConfigDocument seen for the first time took effect then. */
  updatedAt?: number;
  /** The ARN of its Application Load Balancer, when it has one. */
  applicationLoadBalancer?: string;
  /** The name of its Classic Load Balancer, when it has one. */
  classicLoadBalancer?: string;
  autoScalingGroup?: string;
  /** Requests recorded with startMs <= time < endMs. */
  requests(startMs: number, endMs: number): readonly RecordedRequest[];
  /** Each instance's state and health whenever they changed. */
  instancePoints(): readonly { time: number; instanceId: string; state: string; health: string }[];
  /** Enhanced health transitions (the status each one moved to). */
  healthChanges(): readonly { time: number; status: string }[];
}

export interface EnvironmentDirectory {
  /** Environments that exist (not terminated) in an account and region. */
  environments(accountId: string, region: string): EnvironmentView[];
  /** The cloud's time: a minute's datapoint is published once the minute is over. */
  now(): number;
}

/** `app/awseb--AWSEB-.../<id>`: the LoadBalancer dimension CloudWatch uses for an ALB, from its ARN. */
export function loadBalancerDimension(arn: string): string {
  const at = arn.indexOf(':loadbalancer/');
  return at < 0 ? arn : arn.slice(at + ':loadbalancer/'.length);
}

/** No target answered: no healthy target (503), a listener's own answer, or the target timed out (504 after 60 s). */
const answeredByLoadBalancer = (r: RecordedRequest) => !r.instanceId || (r.status === 504 && r.latencyMs >= 60_000);

/** Which ALB metric a request counts towards: answered by a target, or by the load balancer itself. */
function albCodeMetric(r: RecordedRequest): string | undefined {
  const klass = Math.floor(r.status / 100);
  if (klass < 2 || klass > 5) return undefined;
  if (answeredByLoadBalancer(r)) return klass >= 3 ? `HTTPCode_ELB_${klass}XX_Count` : undefined;
  return `HTTPCode_Target_${klass}XX_Count`;
}

/** The same for a Classic Load Balancer (AWS/ELB): HTTPCode_Backend_* from instances, HTTPCode_ELB_4XX/5XX of its own. */
function clbCodeMetric(r: RecordedRequest): string | undefined {
  const klass = Math.floor(r.status / 100);
  if (klass < 2 || klass > 5) return undefined;
  if (answeredByLoadBalancer(r)) return klass >= 4 ? `HTTPCode_ELB_${klass}XX` : undefined;
  return `HTTPCode_Backend_${klass}XX`;
}

const CLB_COUNT_METRICS = ['RequestCount', 'HTTPCode_Backend_2XX', 'HTTPCode_Backend_3XX', 'HTTPCode_Backend_4XX', 'HTTPCode_Backend_5XX', 'HTTPCode_ELB_4XX', 'HTTPCode_ELB_5XX'];

/**
 * Per-minute counts. RequestCount counts only requests for which the load balancer chose a target (requests it
 * rejects or answers itself are not in it); HTTP_Redirect_Count the redirects its listener rules answered.
 */
const ALB_COUNT_METRICS = [
  'RequestCount',
  'HTTP_Redirect_Count',
  'HTTPCode_Target_2XX_Count',
  'HTTPCode_Target_3XX_Count',
  'HTTPCode_Target_4XX_Count',
  'HTTPCode_Target_5XX_Count',
  'HTTPCode_ELB_3XX_Count',
  'HTTPCode_ELB_4XX_Count',
  'HTTPCode_ELB_5XX_Count',
];

interface Lifetime {
  launched: number;
  terminated?: number;
}

function instanceLifetimes(view: EnvironmentView): Map<string, Lifetime> {
  const lifetimes = new Map<string, Lifetime>();
  for (const p of view.instancePoints()) {
    const life = lifetimes.get(p.instanceId);
    if (!life) lifetimes.set(p.instanceId, { launched: p.time, ...(p.state === 'terminated' ? { terminated: p.time } : {}) });
    else if (p.state === 'terminated' && life.terminated === undefined) life.terminated = p.time;
  }
  return lifetimes;
}

/** Minute starts m with startMs <= m < endMs whose minute is over by `now`. */
function minutes(startMs: number, endMs: number, now: number): number[] {
  const out: number[] = [];
  const last = Math.min(endMs, Math.floor(now / MINUTE) * MINUTE - MINUTE + 1);
  for (let m = Math.ceil(startMs / MINUTE) * MINUTE; m < last; m += MINUTE) out.push(m);
  return out;
}

const dimension = (metric: MetricIdentity, name: string): string | undefined =>
  metric.Dimensions.length === 1 && metric.Dimensions[0].Name === name ? metric.Dimensions[0].Value : undefined;

/** A stretch of time a custom metric was enabled: since <= t < until. */
interface PublishedSpan {
  since: number;
  until?: number;
}

const inSpans = (spans: readonly PublishedSpan[] | undefined, t: number) => !!spans?.some((s) => t >= s.since && (s.until === undefined || t < s.until));

export class ElasticBeanstalkMetrics implements MetricSource {
  /** Per environment, when each of its environment-level custom metrics was enabled by its ConfigDocument. */
  private readonly published = new Map<string, Map<string, PublishedSpan[]>>();

  constructor(private readonly directory: EnvironmentDirectory) {}

  /**
   * The custom metrics (everything in AWS/ElasticBeanstalk but EnvironmentHealth) an environment publishes and
   * since when: Elastic Beanstalk publishes only those its ConfigDocument lists with a 60-second period, from the
   * update that listed them. A change is dated by the environment's DateUpdated when it is first seen.
   */
  private customMetricSpans(accountId: string, region: string, view: EnvironmentView): Map<string, PublishedSpan[]> {
    const key = `${accountId}|${region}|${view.name}|${view.createdAt}`;
    let spans = this.published.get(key);
    if (!spans) this.published.set(key, (spans = new Map()));
    const enabled = view.enhancedHealth ? customMetricsOf(view.healthConfigDocument).environment : [];
    const changedAt = Math.max(view.createdAt, view.updatedAt ?? view.createdAt);
    for (const name of enabled) {
      const list = spans.get(name) ?? [];
      const last = list[list.length - 1];
      if (!last || last.until !== undefined) list.push({ since: Math.max(changedAt, last?.until ?? changedAt) });
      spans.set(name, list);
    }
    for (const [name, list] of spans) {
      const last = list[list.length - 1];
      if (!enabled.includes(name) && last && last.until === undefined) last.until = Math.max(last.since, changedAt);
    }
    return spans;
  }

  listMetrics(accountId: string, region: string): MetricIdentity[] {
    const out: MetricIdentity[] = [];
    const add = (Namespace: string, MetricName: string, Dimensions: Dimension[]) => out.push({ Namespace, MetricName, Dimensions });
    for (const view of this.directory.environments(accountId, region)) {
      const byEnvironment = [{ Name: 'EnvironmentName', Value: view.name }];
      if (view.enhancedHealth) add(EB_NAMESPACE, 'EnvironmentHealth', byEnvironment);
      for (const [name, spans] of this.customMetricSpans(accountId, region, view)) {
        // A span closed where it opened (a restored snapshot undid the change) published nothing.
        if (spans.some((s) => s.until === undefined || s.until > s.since)) add(EB_NAMESPACE, name, byEnvironment);
      }
      for (const instanceId of instanceLifetimes(view).keys()) {
        for (const name of Object.keys(EC2_METRICS)) add(EC2_NAMESPACE, name, [{ Name: 'InstanceId', Value: instanceId }]);
      }
      if (view.autoScalingGroup) {
        for (const name of Object.keys(EC2_METRICS)) add(EC2_NAMESPACE, name, [{ Name: 'AutoScalingGroupName', Value: view.autoScalingGroup }]);
      }
      if (view.applicationLoadBalancer) {
        const byLoadBalancer = [{ Name: 'LoadBalancer', Value: loadBalancerDimension(view.applicationLoadBalancer) }];
        for (const name of [...ALB_COUNT_METRICS, 'TargetResponseTime']) add(ALB_NAMESPACE, name, byLoadBalancer);
      }
      if (view.classicLoadBalancer) {
        for (const name of [...CLB_COUNT_METRICS, 'Latency']) add(CLB_NAMESPACE, name, [{ Name: 'LoadBalancerName', Value: view.classicLoadBalancer }]);
      }
    }
    return out;
  }

  samples(accountId: string, region: string, metric: MetricIdentity, startMs: number, endMs: number): MetricSample[] {
    switch (metric.Namespace) {
      case EB_NAMESPACE:
        return this.environmentSamples(accountId, region, metric, startMs, endMs);
      case EC2_NAMESPACE:
        return this.instanceSamples(accountId, region, metric, startMs, endMs);
      case ALB_NAMESPACE:
        return this.loadBalancerSamples(accountId, region, metric, startMs, endMs);
      case CLB_NAMESPACE:
        return this.classicLoadBalancerSamples(accountId, region, metric, startMs, endMs);
      default:
        return [];
    }
  }

  private environmentSamples(accountId: string, region: string, metric: MetricIdentity, startMs: number, endMs: number): MetricSample[] {
    const name = dimension(metric, 'EnvironmentName');
    const view = name === undefined ? undefined : this.directory.environments(accountId, region).find((e) => e.name === name);
    if (!view) return [];
    if (metric.MetricName !== 'EnvironmentHealth') {
      const spans = this.customMetricSpans(accountId, region, view).get(metric.MetricName);
      if (!spans) return [];
      return this.customMetricSamples(view, metric.MetricName, startMs, endMs).filter((s) => inSpans(spans, s.timestamp));
    }
    if (!view.enhancedHealth) return [];
    const published = minutes(Math.max(startMs, view.createdAt), endMs, this.directory.now());
    const changes = view.healthChanges();
    let i = 0;
    let status = 'Pending';
    return published.map((m) => {
      while (i < changes.length && changes[i].time < m + MINUTE) status = changes[i++].status;
      return { timestamp: m, value: ENVIRONMENT_HEALTH_VALUES[status] ?? ENVIRONMENT_HEALTH_VALUES.Unknown };
    });
  }

  /** A custom metric's datapoints as if it had always been published (the caller keeps those of its enabled spans). */
  private customMetricSamples(view: EnvironmentView, metricName: string, startMs: number, endMs: number): MetricSample[] {
    const count = REQUEST_METRICS[metricName];
    const published = minutes(Math.max(startMs, view.createdAt), endMs, this.directory.now());
    if (count) {
      // The health agent reports its counters every interval, traffic or not: a quiet minute is a 0, not a gap
      // (a gap would leave an alarm on the 5xx count in INSUFFICIENT_DATA whenever nobody calls the app).
      const samples: MetricSample[] = view.requests(startMs, endMs).map((r) => ({ timestamp: r.time, value: count(r.status), unit: 'Count' }));
      const busy = new Set(samples.map((r) => Math.floor(r.timestamp / MINUTE) * MINUTE));
      for (const m of published) if (!busy.has(m)) samples.push({ timestamp: m, value: 0, unit: 'Count' });
      return samples;
    }
    const percentile = LATENCY_PERCENTILES[metricName];
    if (percentile !== undefined) {
      if (published.length === 0) return [];
      const perMinute = new Map<number, number[]>();
      for (const r of view.requests(published[0], published[published.length - 1] + MINUTE)) {
        if (!r.instanceId) continue;
        const m = Math.floor(r.time / MINUTE) * MINUTE;
        perMinute.set(m, [...(perMinute.get(m) ?? []), r.latencyMs / 1000]);
      }
      return [...perMinute].map(([m, latencies]) => {
        latencies.sort((a, b) => a - b);
        // Nearest rank: the smallest latency at or above the percentile's share of requests.
        const rank = Math.max(1, Math.ceil((percentile / 100) * latencies.length));
        return { timestamp: m, value: latencies[rank - 1], unit: 'Seconds' };
      });
    }
    const wanted = INSTANCE_HEALTH_METRICS[metricName];
    if (!wanted) return [];
    const points = view.instancePoints();
    const current = new Map<string, string>();
    let i = 0;
    return published.map((m) => {
      for (; i < points.length && points[i].time < m + MINUTE; i++) {
        const p = points[i];
        if (p.state === 'terminated' || p.state === 'terminating') current.delete(p.instanceId);
        else current.set(p.instanceId, p.health);
      }
      let n = 0;
      for (const health of current.values()) if (health === wanted) n++;
      return { timestamp: m, value: n, unit: 'Count' };
    });
  }

  /** Per-instance datapoints each minute the instance ran; per Auto Scaling group, one datapoint per instance. */
  private instanceSamples(accountId: string, region: string, metric: MetricIdentity, startMs: number, endMs: number): MetricSample[] {
    const model = EC2_METRICS[metric.MetricName];
    if (!model) return [];
    const instanceId = dimension(metric, 'InstanceId');
    const group = dimension(metric, 'AutoScalingGroupName');
    if (instanceId === undefined && group === undefined) return [];
    for (const view of this.directory.environments(accountId, region)) {
      if (group !== undefined && view.autoScalingGroup !== group) continue;
      const lifetimes = instanceLifetimes(view);
      if (instanceId !== undefined && !lifetimes.has(instanceId)) continue;
      const wanted = instanceId !== undefined ? [instanceId] : [...lifetimes.keys()];
      const published = minutes(startMs, endMs, this.directory.now());
      if (published.length === 0) return [];
      const perMinute = new Map<string, number>();
      for (const r of view.requests(published[0], published[published.length - 1] + MINUTE)) {
        if (!r.instanceId) continue;
        const key = `${r.instanceId}|${Math.floor(r.time / MINUTE) * MINUTE}`;
        perMinute.set(key, (perMinute.get(key) ?? 0) + 1);
      }
      const out: MetricSample[] = [];
      for (const m of published) {
        for (const id of wanted) {
          const life = lifetimes.get(id);
          if (!life || life.launched >= m + MINUTE || (life.terminated !== undefined && life.terminated <= m)) continue;
          out.push({ timestamp: m, value: model.perMinute(perMinute.get(`${id}|${m}`) ?? 0), unit: model.unit });
        }
      }
      return out;
    }
    return [];
  }

  /** Counts per minute that has any (ALB publishes no zeros); TargetResponseTime per request answered by a target. */
  private loadBalancerSamples(accountId: string, region: string, metric: MetricIdentity, startMs: number, endMs: number): MetricSample[] {
    const lb = dimension(metric, 'LoadBalancer');
    if (lb === undefined) return [];
    const view = this.directory.environments(accountId, region).find((e) => e.applicationLoadBalancer && loadBalancerDimension(e.applicationLoadBalancer) === lb);
    if (!view) return [];
    const published = minutes(startMs, endMs, this.directory.now());
    if (published.length === 0) return [];
    const requests = view.requests(published[0], published[published.length - 1] + MINUTE);
    if (metric.MetricName === 'TargetResponseTime') {
      return requests.filter((r) => r.instanceId && albCodeMetric(r)?.startsWith('HTTPCode_Target_')).map((r) => ({ timestamp: r.time, value: r.latencyMs / 1000, unit: 'Seconds' }));
    }
    if (!ALB_COUNT_METRICS.includes(metric.MetricName)) return [];
    const perMinute = new Map<number, number>();
    const counts: (r: RecordedRequest) => boolean =
      metric.MetricName === 'RequestCount'
        ? (r) => r.instanceId !== undefined
        : metric.MetricName === 'HTTP_Redirect_Count'
          ? (r) => r.instanceId === undefined && r.status >= 300 && r.status < 400
          : (r) => albCodeMetric(r) === metric.MetricName;
    for (const r of requests) {
      if (!counts(r)) continue;
      const m = Math.floor(r.time / MINUTE) * MINUTE;
      perMinute.set(m, (perMinute.get(m) ?? 0) + 1);
    }
    return [...perMinute].map(([m, n]) => ({ timestamp: m, value: n, unit: 'Count' }));
  }

  /** AWS/ELB per LoadBalancerName: counts per minute that has any, Latency per request an instance answered. */
  private classicLoadBalancerSamples(accountId: string, region: string, metric: MetricIdentity, startMs: number, endMs: number): MetricSample[] {
    const name = dimension(metric, 'LoadBalancerName');
    const view = name === undefined ? undefined : this.directory.environments(accountId, region).find((e) => e.classicLoadBalancer === name);
    if (!view) return [];
    const published = minutes(startMs, endMs, this.directory.now());
    if (published.length === 0) return [];
    const requests = view.requests(published[0], published[published.length - 1] + MINUTE);
    if (metric.MetricName === 'Latency') {
      return requests.filter((r) => !answeredByLoadBalancer(r)).map((r) => ({ timestamp: r.time, value: r.latencyMs / 1000, unit: 'Seconds' }));
    }
    if (!CLB_COUNT_METRICS.includes(metric.MetricName)) return [];
    const counts = metric.MetricName === 'RequestCount' ? (r: RecordedRequest) => r.instanceId !== undefined : (r: RecordedRequest) => clbCodeMetric(r) === metric.MetricName;
    const perMinute = new Map<number, number>();
    for (const r of requests) {
      if (!counts(r)) continue;
      const m = Math.floor(r.time / MINUTE) * MINUTE;
      perMinute.set(m, (perMinute.get(m) ?? 0) + 1);
    }
    return [...perMinute].map(([m, n]) => ({ timestamp: m, value: n, unit: 'Count' }));
  }
}
