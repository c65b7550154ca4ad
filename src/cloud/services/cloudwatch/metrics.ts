// CloudWatch metrics: identities, stored datapoints (from PutMetricData), datapoints fed by other sandbox
// services through a MetricSource, and the statistics CloudWatch computes per period.

export interface Dimension {
  Name: string;
  Value: string;
}

export interface MetricIdentity {
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
}

/** One aggregated observation: a single value is count 1 with min = max = sum = value. */
export interface MetricPoint {
  /** Epoch ms. */
  t: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  unit?: string;
  /** Individual values when known, for percentiles. */
  values?: number[];
}

export interface MetricSample {
  /** Epoch ms. */
  timestamp: number;
  value: number;
  unit?: string;
}

/**
 * Metrics produced by another sandbox service (Elastic Beanstalk, environment-metrics.ts: AWS/EC2
 * CPUUtilization / NetworkIn / NetworkOut per InstanceId and AutoScalingGroupName, AWS/ApplicationELB
 * RequestCount / HTTPCode_Target_*_Count / HTTPCode_ELB_*_Count / TargetResponseTime per LoadBalancer, AWS/ELB
 * (a Classic Load Balancer) per LoadBalancerName, AWS/ElasticBeanstalk ApplicationRequests*, EnvironmentHealth and Instances* per EnvironmentName). CloudWatch
 * asks it when a metric is listed, read or evaluated by an alarm; it never stores what a source returns.
 */
export interface MetricSource {
  /** Every metric the source can answer for in this account and region. */
  listMetrics(accountId: string, region: string): MetricIdentity[];
  /** Samples of one metric (dimensions match exactly) with startMs <= timestamp < endMs. */
  samples(accountId: string, region: string, metric: MetricIdentity, startMs: number, endMs: number): MetricSample[];
}

export const STANDARD_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type StandardStatistic = (typeof STANDARD_STATISTICS)[number];

export const UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits',
  'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second',
  'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second',
  'Terabits/Second', 'Count/Second', 'None',
] as const;

/** `p99`, `p99.9`, `p0` ... `p100`: the percentiles this sandbox computes (trimmed means and ranks it does not). */
export const PERCENTILE = /^p(\d{1,2}(\.\d{1,10})?|100)$/;

export function sortedDimensions(dimensions: Dimension[]): Dimension[] {
  return [...dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

export function metricKey(metric: MetricIdentity): string {
  return JSON.stringify([metric.Namespace, metric.MetricName, sortedDimensions(metric.Dimensions).map((d) => [d.Name, d.Value])]);
}

export function sameDimensions(a: Dimension[], b: Dimension[]): boolean {
  if (a.length !== b.length) return false;
  const sa = sortedDimensions(a);
  const sb = sortedDimensions(b);
  return sa.every((d, i) => d.Name === sb[i].Name && d.Value === sb[i].Value);
}

/** Merges the points of one period into one aggregate. */
export function aggregate(points: MetricPoint[]): MetricPoint | undefined {
  if (points.length === 0) return undefined;
  const out: MetricPoint = { t: points[0].t, count: 0, sum: 0, min: Infinity, max: -Infinity, unit: points[0].unit, values: [] };
  for (const p of points) {
    out.count += p.count;
    out.sum += p.sum;
    out.min = Math.min(out.min, p.min);
    out.max = Math.max(out.max, p.max);
    if (p.values && out.values) out.values.push(...p.values);
    else out.values = undefined;
  }
  return out;
}

export function standardStatistic(point: MetricPoint, statistic: StandardStatistic): number {
  switch (statistic) {
    case 'SampleCount':
      return point.count;
    case 'Sum':
      return point.sum;
    case 'Minimum':
      return point.min;
    case 'Maximum':
      return point.max;
    case 'Average':
      return point.count === 0 ? 0 : point.sum / point.count;
  }
}

/** Nearest-rank percentile of the individual values; undefined when only pre-aggregated sets were sent. */
export function percentile(point: MetricPoint, stat: string): number | undefined {
  const match = PERCENTILE.exec(stat);
  if (!match || !point.values || point.values.length === 0) return undefined;
  const p = Number(stat.slice(1));
  const sorted = [...point.values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/** One statistic (standard or percentile) of an aggregate. */
export function statisticOf(point: MetricPoint, stat: string): number | undefined {
  return (STANDARD_STATISTICS as readonly string[]).includes(stat) ? standardStatistic(point, stat as StandardStatistic) : percentile(point, stat);
}

export function pointFromSample(sample: MetricSample): MetricPoint {
  return { t: sample.timestamp, count: 1, sum: sample.value, min: sample.value, max: sample.value, unit: sample.unit, values: [sample.value] };
}

/** Groups points into periods aligned to multiples of `periodMs` since the epoch. */
export function byPeriod(points: MetricPoint[], periodMs: number): Map<number, MetricPoint> {
  const groups = new Map<number, MetricPoint[]>();
  for (const p of points) {
    const start = Math.floor(p.t / periodMs) * periodMs;
    const group = groups.get(start);
    if (group) group.push(p);
    else groups.set(start, [p]);
  }
  const out = new Map<number, MetricPoint>();
  for (const [start, group] of groups) {
    const merged = aggregate(group);
    if (merged) out.set(start, { ...merged, t: start });
  }
  return out;
}
