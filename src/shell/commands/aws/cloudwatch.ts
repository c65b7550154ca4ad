// `aws cloudwatch <operation>`: alarms, metrics and statistics through the lab's CloudWatch client, with the
// AWS CLI's option names, its put-metric-data shortcuts (--metric-name/--value/--dimensions Name=Value) and paging.
import type { ServiceOperation } from './elasticbeanstalk.ts';
import { AwsUsageError, parseNumber, parseShorthand, S, I, D, B, L, LS, ST, T } from './params.ts';


/** Members the CloudWatch API types as numbers; shorthand gives strings, so they are converted before sending. */
const NUMERIC_MEMBERS = new Set(['Value', 'Values', 'Counts', 'Sum', 'Minimum', 'Maximum', 'SampleCount', 'StorageResolution', 'Period', 'Threshold']);

function numbersIn(value: unknown, option: string, member = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => numbersIn(v, option, member));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, numbersIn(v, option, k)]));
  }
  return typeof value === 'string' && NUMERIC_MEMBERS.has(member) ? parseNumber(value, option) : value;
}

/**
 * put-metric-data as the AWS CLI customizes it: either --metric-data, or one datum from --metric-name with
 * --value or --statistic-values, --dimensions Name=Value,Name=Value, --timestamp, --unit, --storage-resolution.
 */
function preparePutMetricData(input: Record<string, unknown>): Record<string, unknown> {
  const scalar = ['MetricName', 'Value', 'StatisticValues', 'Dimensions', 'Timestamp', 'Unit', 'StorageResolution'].filter((k) => input[k] !== undefined);
  const { Namespace } = input;
  if (input.MetricData !== undefined) {
    if (scalar.length) {
      throw new AwsUsageError(`--metric-data cannot be combined with ${scalar.map((k) => `--${kebab(k)}`).join(', ')}: give the data either as --metric-data or as --metric-name with --value`);
    }
    return { Namespace, MetricData: numbersIn(input.MetricData, 'metric-data') };
  }
  if (input.MetricName === undefined) {
    throw new AwsUsageError('the following arguments are required: --metric-data or --metric-name (with --value or --statistic-values)');
  }
  if (input.Value === undefined && input.StatisticValues === undefined) {
    throw new AwsUsageError(`--metric-name ${String(input.MetricName)} needs a --value (e.g. --value 1) or --statistic-values Sum=..,Minimum=..,Maximum=..,SampleCount=..`);
  }
  const datum: Record<string, unknown> = { MetricName: input.MetricName };
  if (input.Value !== undefined) datum.Value = input.Value;
  if (input.StatisticValues !== undefined) datum.StatisticValues = numbersIn(input.StatisticValues, 'statistic-values');
  if (input.Dimensions !== undefined) {
    datum.Dimensions = Object.entries(parseShorthand(String(input.Dimensions), 'dimensions')).map(([Name, Value]) => ({ Name, Value: String(Value) }));
  }
  if (input.Timestamp !== undefined) datum.Timestamp = input.Timestamp;
  if (input.Unit !== undefined) datum.Unit = input.Unit;
  if (input.StorageResolution !== undefined) datum.StorageResolution = input.StorageResolution;
  return { Namespace, MetricData: [datum] };
}

function kebab(member: string): string {
  return member.replace(/[A-Z]/g, (c, i) => `${i ? '-' : ''}${c.toLowerCase()}`);
}

const withNumbers =
  (...options: string[]) =>
  (input: Record<string, unknown>) => {
    const out = { ...input };
    for (const option of options) {
      const member = option.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
      if (out[member] !== undefined) out[member] = numbersIn(out[member], option);
    }
    return out;
  };

const alarmPaging = { inputToken: 'NextToken', outputToken: 'NextToken', limitKey: 'MaxRecords' };

/** CLI operation name → spec. */
export const cloudwatchOperations: Record<string, ServiceOperation> = {
  'put-metric-alarm': {
    operation: 'PutMetricAlarm',
    summary: 'Creates or replaces an alarm on one metric (or a metric math expression with --metrics).',
    example:
      'aws cloudwatch put-metric-alarm --alarm-name web-5xx --namespace AWS/ElasticBeanstalk --metric-name ApplicationRequests5xx --dimensions Name=EnvironmentName,Value=pettracker-web-prod --statistic Sum --period 60 --evaluation-periods 1 --threshold 10 --comparison-operator GreaterThanThreshold --treat-missing-data notBreaching',
    params: {
      'alarm-name': S,
      'alarm-description': S,
      'actions-enabled': B,
      'ok-actions': L,
      'alarm-actions': L,
      'insufficient-data-actions': L,
      'metric-name': S,
      namespace: S,
      statistic: S,
      'extended-statistic': S,
      dimensions: LS,
      period: I,
      unit: S,
      'evaluation-periods': I,
      'datapoints-to-alarm': I,
      threshold: D,
      'comparison-operator': S,
      'treat-missing-data': S,
      'evaluate-low-sample-count-percentile': S,
      metrics: LS,
      tags: LS,
      'threshold-metric-id': S,
    },
    required: ['alarm-name', 'evaluation-periods', 'comparison-operator'],
    rename: { 'ok-actions': 'OKActions' },
    prepare: withNumbers('metrics'),
  },
  'describe-alarms': {
    operation: 'DescribeAlarms',
    summary: 'Lists alarms with their state, reason and configuration.',
    example: 'aws cloudwatch describe-alarms --alarm-names web-5xx --query "MetricAlarms[].[AlarmName,StateValue]" --output text',
    params: {
      'alarm-names': L,
      'alarm-name-prefix': S,
      'alarm-types': L,
      'children-of-alarm-name': S,
      'parents-of-alarm-name': S,
      'state-value': S,
      'action-prefix': S,
      'max-records': I,
      'next-token': S,
    },
    paginate: { ...alarmPaging, resultKeys: ['MetricAlarms', 'CompositeAlarms'] },
  },
  'describe-alarms-for-metric': {
    operation: 'DescribeAlarmsForMetric',
    summary: 'Lists the alarms on one metric.',
    params: { 'metric-name': S, namespace: S, statistic: S, 'extended-statistic': S, dimensions: LS, period: I, unit: S },
    required: ['metric-name', 'namespace'],
  },
  'delete-alarms': {
    operation: 'DeleteAlarms',
    summary: 'Deletes alarms (names that do not exist fail the whole call).',
    example: 'aws cloudwatch delete-alarms --alarm-names web-5xx',
    params: { 'alarm-names': L },
    required: ['alarm-names'],
  },
  'describe-alarm-history': {
    operation: 'DescribeAlarmHistory',
    summary: 'Shows configuration changes and state changes of alarms, newest first.',
    example: 'aws cloudwatch describe-alarm-history --alarm-name web-5xx --history-item-type StateUpdate',
    params: {
      'alarm-name': S,
      'alarm-types': L,
      'history-item-type': S,
      'start-date': T,
      'end-date': T,
      'max-records': I,
      'next-token': S,
      'scan-by': S,
    },
    paginate: { ...alarmPaging, resultKeys: ['AlarmHistoryItems'] },
  },
  'enable-alarm-actions': { operation: 'EnableAlarmActions', summary: 'Turns the actions of alarms on.', params: { 'alarm-names': L }, required: ['alarm-names'] },
  'disable-alarm-actions': { operation: 'DisableAlarmActions', summary: 'Turns the actions of alarms off.', params: { 'alarm-names': L }, required: ['alarm-names'] },
  'set-alarm-state': {
    operation: 'SetAlarmState',
    summary: 'Sets an alarm’s state until its next evaluation (to test what the alarm triggers).',
    example: 'aws cloudwatch set-alarm-state --alarm-name web-5xx --state-value ALARM --state-reason "testing the alarm"',
    params: { 'alarm-name': S, 'state-value': S, 'state-reason': S, 'state-reason-data': S },
    required: ['alarm-name', 'state-value', 'state-reason'],
  },
  'get-metric-statistics': {
    operation: 'GetMetricStatistics',
    summary: 'Statistics of one metric per period between two times.',
    example:
      'aws cloudwatch get-metric-statistics --namespace AWS/ElasticBeanstalk --metric-name ApplicationRequests5xx --dimensions Name=EnvironmentName,Value=pettracker-web-prod --start-time 2026-11-23T10:00:00Z --end-time 2026-11-23T11:00:00Z --period 60 --statistics Sum',
    params: {
      namespace: S,
      'metric-name': S,
      dimensions: LS,
      'start-time': T,
      'end-time': T,
      period: I,
      statistics: L,
      'extended-statistics': L,
      unit: S,
    },
    required: ['namespace', 'metric-name', 'start-time', 'end-time', 'period'],
  },
  'get-metric-data': {
    operation: 'GetMetricData',
    summary: 'Values of several metrics or metric math expressions at once (--metric-data-queries as JSON or file://).',
    example: 'aws cloudwatch get-metric-data --metric-data-queries file://queries.json --start-time 2026-11-23T10:00:00Z --end-time 2026-11-23T11:00:00Z',
    params: { 'metric-data-queries': LS, 'start-time': T, 'end-time': T, 'next-token': S, 'scan-by': S, 'max-datapoints': I, 'label-options': ST },
    required: ['metric-data-queries', 'start-time', 'end-time'],
    paginate: { inputToken: 'NextToken', outputToken: 'NextToken', limitKey: 'MaxDatapoints', resultKeys: ['MetricDataResults', 'Messages'] },
    prepare: withNumbers('metric-data-queries'),
  },
  'list-metrics': {
    operation: 'ListMetrics',
    summary: 'Lists metrics (namespace, name, dimensions) that have data, including Elastic Beanstalk’s.',
    example: 'aws cloudwatch list-metrics --namespace AWS/ElasticBeanstalk --dimensions Name=EnvironmentName,Value=pettracker-web-prod',
    params: {
      namespace: S,
      'metric-name': S,
      dimensions: LS,
      'next-token': S,
      'recently-active': S,
      'include-linked-accounts': B,
      'owning-account': S,
    },
    paginate: { inputToken: 'NextToken', outputToken: 'NextToken', resultKeys: ['Metrics', 'OwningAccounts'] },
  },
  'put-metric-data': {
    operation: 'PutMetricData',
    summary: 'Publishes datapoints of a custom metric.',
    example: 'aws cloudwatch put-metric-data --namespace PetTracker --metric-name Signups --value 1 --dimensions Environment=prod',
    params: {
      namespace: S,
      'metric-data': LS,
      'metric-name': S,
      value: D,
      'statistic-values': ST,
      dimensions: S,
      timestamp: T,
      unit: S,
      'storage-resolution': I,
    },
    required: ['namespace'],
    prepare: preparePutMetricData,
  },
};
