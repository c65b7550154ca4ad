// Elastic Beanstalk's enhanced-health request metrics (AWS/ElasticBeanstalk, per EnvironmentName) computed
// from the requests the sandbox recorded against each environment, so learners can alarm on their 5xx.
import type { EnvironmentEvidence } from '../service.ts';
import type { MetricIdentity, MetricSample, MetricSource } from './metrics.ts';

export const EB_NAMESPACE = 'AWS/ElasticBeanstalk';

/** Each recorded request counts 1 towards the total and 1 (or 0) towards its status class, as EB's per-request counters sum. */
const REQUEST_METRICS: Record<string, (status: number) => number> = {
  ApplicationRequestsTotal: () => 1,
  ApplicationRequests2xx: (s) => (s >= 200 && s < 300 ? 1 : 0),
  ApplicationRequests3xx: (s) => (s >= 300 && s < 400 ? 1 : 0),
  ApplicationRequests4xx: (s) => (s >= 400 && s < 500 ? 1 : 0),
  ApplicationRequests5xx: (s) => (s >= 500 ? 1 : 0),
};

interface RecordedRequest {
  time: number;
  status: number;
}

export interface EnvironmentDirectory {
  evidence: EnvironmentEvidence;
  /** Names of the environments that exist (not terminated) in an account and region. */
  environmentNames(accountId: string, region: string): string[];
}

export class EnvironmentRequestMetrics implements MetricSource {
  constructor(private readonly environments: EnvironmentDirectory) {}

  listMetrics(accountId: string, region: string): MetricIdentity[] {
    return this.environments.environmentNames(accountId, region).flatMap((name) =>
      Object.keys(REQUEST_METRICS).map((MetricName) => ({ Namespace: EB_NAMESPACE, MetricName, Dimensions: [{ Name: 'EnvironmentName', Value: name }] })),
    );
  }

  samples(accountId: string, region: string, metric: MetricIdentity, startMs: number, endMs: number): MetricSample[] {
    const count = REQUEST_METRICS[metric.MetricName];
    if (metric.Namespace !== EB_NAMESPACE || !count || metric.Dimensions.length !== 1 || metric.Dimensions[0].Name !== 'EnvironmentName') return [];
    const traffic = this.environments.evidence.traffic(accountId, region, metric.Dimensions[0].Value, startMs) as { requests?: RecordedRequest[] };
    return (traffic.requests ?? [])
      .filter((r) => r.time >= startMs && r.time < endMs)
      .map((r) => ({ timestamp: r.time, value: count(r.status), unit: 'Count' }));
  }
}
