// The ConfigDocument of aws:elasticbeanstalk:healthreporting:system: which enhanced health metrics Elastic Beanstalk
// publishes to CloudWatch as custom metrics (CloudWatchMetrics), checked as EB checks it when the option is set.

/** Environment-level metrics a ConfigDocument may list (health-enhanced-cloudwatch). */
export const ENVIRONMENT_CUSTOM_METRICS: readonly string[] = [
  'ApplicationRequestsTotal',
  'ApplicationRequests2xx',
  'ApplicationRequests3xx',
  'ApplicationRequests4xx',
  'ApplicationRequests5xx',
  'ApplicationLatencyP10',
  'ApplicationLatencyP50',
  'ApplicationLatencyP75',
  'ApplicationLatencyP85',
  'ApplicationLatencyP90',
  'ApplicationLatencyP95',
  'ApplicationLatencyP99',
  'ApplicationLatencyP99.9',
  'InstancesOk',
  'InstancesPending',
  'InstancesInfo',
  'InstancesUnknown',
  'InstancesNoData',
  'InstancesWarning',
  'InstancesDegraded',
  'InstancesSevere',
];

/** Instance-level metrics (dimensions EnvironmentName and InstanceId). The sandbox validates them but does not publish them. */
export const INSTANCE_CUSTOM_METRICS: readonly string[] = [
  ...ENVIRONMENT_CUSTOM_METRICS.filter((m) => !m.startsWith('Instances')),
  'InstanceHealth',
  'LoadAverage1min',
  'LoadAverage5min',
  'RootFilesystemUtil',
  'CPUIrq',
  'CPUUser',
  'CPUIdle',
  'CPUSystem',
  'CPUSoftirq',
  'CPUIowait',
  'CPUNice',
];

/** Elastic Beanstalk publishes custom health metrics once a minute; `null` (or leaving a metric out) publishes nothing. */
export const CUSTOM_METRIC_PERIOD = 60;

export interface CustomMetricSelection {
  /** Environment-level metric names published every 60 s. */
  environment: string[];
  /** Instance-level metric names published every 60 s. */
  instance: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const TOP_LEVEL_KEYS = ['Version', 'CloudWatchMetrics', 'Rules'];

/** Why a parsed ConfigDocument is not one Elastic Beanstalk accepts, or undefined when it is fine. */
export function healthConfigDocumentProblem(document: unknown): string | undefined {
  if (!isObject(document)) return 'The ConfigDocument must be a JSON object such as {"Version":1,"CloudWatchMetrics":{"Environment":{"ApplicationRequests5xx":60}}}.';
  for (const key of Object.keys(document)) {
    if (!TOP_LEVEL_KEYS.includes(key)) return `Unknown key '${key}' in the ConfigDocument; allowed keys are ${TOP_LEVEL_KEYS.join(', ')}.`;
  }
  if ('Version' in document && document.Version !== 1) return `ConfigDocument Version must be 1, not ${JSON.stringify(document.Version)}.`;
  if ('Rules' in document && !isObject(document.Rules)) return 'ConfigDocument Rules must be a JSON object.';
  if (!('CloudWatchMetrics' in document)) return undefined;
  const metrics = document.CloudWatchMetrics;
  if (!isObject(metrics)) return 'ConfigDocument CloudWatchMetrics must be a JSON object with Environment and/or Instance.';
  for (const [level, value] of Object.entries(metrics)) {
    const allowed = level === 'Environment' ? ENVIRONMENT_CUSTOM_METRICS : level === 'Instance' ? INSTANCE_CUSTOM_METRICS : undefined;
    if (!allowed) return `Unknown key '${level}' in CloudWatchMetrics; allowed keys are Environment and Instance.`;
    if (!isObject(value)) return `CloudWatchMetrics.${level} must be a JSON object of metric names and periods, such as {"ApplicationRequests5xx":60}.`;
    for (const [name, period] of Object.entries(value)) {
      if (!allowed.includes(name)) {
        const otherLevel = level === 'Environment' ? INSTANCE_CUSTOM_METRICS.includes(name) && 'Instance' : ENVIRONMENT_CUSTOM_METRICS.includes(name) && 'Environment';
        return otherLevel
          ? `${name} is not an ${level} metric in CloudWatchMetrics; list it under ${otherLevel}.`
          : `Unknown metric '${name}' in CloudWatchMetrics.${level}; ${level} metrics are ${allowed.join(', ')}.`;
      }
      if (period !== null && period !== CUSTOM_METRIC_PERIOD) {
        return `CloudWatchMetrics.${level}.${name} is ${JSON.stringify(period)}; the period must be ${CUSTOM_METRIC_PERIOD} (seconds) to publish the metric, or null not to.`;
      }
    }
  }
  return undefined;
}

/**
 * The metrics a ConfigDocument value (the option's JSON string) enables. A missing, empty or invalid document
 * enables none: invalid values never reach an environment's settings, because validation rejects them first.
 */
export function customMetricsOf(configDocument: string | undefined): CustomMetricSelection {
  const none: CustomMetricSelection = { environment: [], instance: [] };
  if (!configDocument) return none;
  let document: unknown;
  try {
    document = JSON.parse(configDocument);
  } catch {
    return none;
  }
  if (healthConfigDocumentProblem(document) !== undefined || !isObject(document) || !isObject(document.CloudWatchMetrics)) return none;
  const enabled = (level: unknown) => (isObject(level) ? Object.keys(level).filter((name) => level[name] === CUSTOM_METRIC_PERIOD) : []);
  return { environment: enabled(document.CloudWatchMetrics.Environment), instance: enabled(document.CloudWatchMetrics.Instance) };
}
