// CloudWatch in the sandbox: custom and service metrics, statistics, metric alarms evaluated on the
// virtual clock with their history. One model answers both wire protocols (botocore's Query, the JS SDK's JSON 1.0).
import type { Clock } from '../../clock.ts';
import { AwsError } from '../../protocol/errors.ts';
import type { JsonService } from '../../protocol/json.ts';
import type { QueryParams, QueryService, RequestContext } from '../service.ts';
import {
  ALARM_STATES, COMPARISON_OPERATORS, TREAT_MISSING_DATA, evaluateAlarm,
  type AlarmHistoryItem, type AlarmState, type MetricAlarm,
} from './alarms.ts';
import {
  invalid, missing, oneOf, optionalBoolean, optionalInteger, optionalList, optionalNumber, optionalString, optionalStruct,
  optionalTime, pageStart, pageToken, requiredString, requiredTime, stringList, structAt, type Input,
} from './input.ts';
import {
  PERCENTILE, STANDARD_STATISTICS, UNITS, byPeriod, metricKey, pointFromSample, sameDimensions, sortedDimensions, statisticOf,
  type Dimension, type MetricIdentity, type MetricPoint, type MetricSource,
} from './metrics.ts';

export type { MetricSource, MetricSample, MetricIdentity, Dimension } from './metrics.ts';

export const CLOUDWATCH_VERSION = '2010-08-01';
const DAY_MS = 86_400_000;
/** CloudWatch keeps datapoints for 15 months; the sandbox keeps 15 days (a course never needs more). */
const RETENTION_MS = 15 * DAY_MS;
/** Alarms per account and region (AWS's default quota is far higher; labs create a handful). */
export const MAX_ALARMS = 5000;
/** History items kept per account and region, newest first. */
const MAX_HISTORY = 10_000;
/** After a long idle stretch, evaluations are replayed for at most this long (the outcome is the same). */
const MAX_CATCH_UP_MS = DAY_MS;
const EVALUATION_INTERVAL_MS = 60_000;
/** A Values/Counts pair is kept value by value (for percentiles) only up to this count; larger ones are aggregates. */
const MAX_EXPANDED_COUNT = 100;

interface StoredMetric extends MetricIdentity {
  points: MetricPoint[];
}

interface Scope {
  metrics: Map<string, StoredMetric>;
  alarms: Map<string, MetricAlarm>;
  /** Newest first. */
  history: AlarmHistoryItem[];
}

interface ScopeSnapshot {
  metrics: StoredMetric[];
  alarms: MetricAlarm[];
  history: AlarmHistoryItem[];
}

export interface CloudWatchSnapshot {
  scopes: Record<string, ScopeSnapshot>;
}

export interface CloudWatchOptions {
  clock: Clock;
  /** Services whose metrics CloudWatch reports (Elastic Beanstalk, when it implements MetricSource). */
  sources?: MetricSource[];
}

function dimensionsOf(value: unknown, path: string, requireValues = true): Dimension[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(path, value, 'It must be a list of Name/Value pairs.');
  if (value.length > 30) throw new AwsError('InvalidParameterValue', `The collection ${path} must not have a size greater than 30.`, 400);
  const seen = new Set<string>();
  return value.map((item, i) => {
    const d = structAt(item, `${path}.member.${i + 1}`);
    const Name = requiredString(d, 'Name', `${path}.member.${i + 1}.Name`);
    const Value = requireValues ? requiredString(d, 'Value', `${path}.member.${i + 1}.Value`) : optionalString(d, 'Value', `${path}.member.${i + 1}.Value`);
    if (Name.length > 255) throw invalid(`${path}.member.${i + 1}.Name`, Name, 'Dimension names are at most 255 characters.');
    if (seen.has(Name)) throw new AwsError('InvalidParameterValue', `No metric may have duplicate dimensions: ${Name} appears twice in ${path}.`, 400);
    seen.add(Name);
    return Value === undefined ? ({ Name } as Dimension) : { Name, Value };
  });
}

function metricIdentity(input: Input, path: string): MetricIdentity {
  const prefix = path ? `${path}.` : '';
  return {
    Namespace: requiredString(input, 'Namespace', `${prefix}Namespace`),
    MetricName: requiredString(input, 'MetricName', `${prefix}MetricName`),
    Dimensions: dimensionsOf(input.Dimensions, `${prefix}Dimensions`),
  };
}

function checkPeriod(period: number | undefined, path: string): number {
  if (period === undefined) throw missing(path);
  if (period < 1 || !([1, 5, 10, 30].includes(period) || period % 60 === 0)) {
    throw new AwsError('InvalidParameterValue', `The parameter ${path} must be 1, 5, 10, 30, or a multiple of 60.`, 400);
  }
  return period;
}

function checkUnit(unit: string | undefined, path: string): string | undefined {
  return oneOf(unit, UNITS, path);
}

function checkStatistic(stat: string, path: string): string {
  if ((STANDARD_STATISTICS as readonly string[]).includes(stat)) return stat;
  if (PERCENTILE.exec(stat) && Number(stat.slice(1)) <= 100) return stat;
  throw invalid(path, stat, `Use SampleCount, Average, Sum, Minimum, Maximum, or a percentile such as p99 (the sandbox computes no trimmed means).`);
}

export class CloudWatchService {
  private scopes = new Map<string, Scope>();
  private readonly clock: Clock;
  private readonly sources: MetricSource[];

  constructor(options: CloudWatchOptions) {
    this.clock = options.clock;
    this.sources = options.sources ?? [];
  }

  /** The Query face (AWS CLI, botocore, the EB CLI). */
  readonly query: QueryService = {
    signingName: 'monitoring',
    xmlNamespace: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
    handle: (action: string, params: QueryParams, ctx: RequestContext) => this.handle(action, params, ctx, 'query'),
  };

  /** The AWS JSON 1.0 face (the JS SDK v3), query-compatible: errors also carry the Query code. */
  readonly json: JsonService = {
    signingName: 'monitoring',
    targetPrefix: 'GraniteServiceVersion20100801',
    queryCompatible: true,
    handle: (operation: string, input: Record<string, unknown>, ctx: RequestContext) => this.handle(operation, input, ctx, 'json'),
  };

  async handle(operation: string, input: Input, ctx: RequestContext, protocol: 'query' | 'json' = 'json'): Promise<Record<string, unknown>> {
    const scope = this.scope(ctx);
    this.evaluate(scope, ctx);
    switch (operation) {
      case 'PutMetricData':
        return this.putMetricData(scope, input, ctx);
      case 'GetMetricStatistics':
        return this.getMetricStatistics(scope, input, ctx, protocol);
      case 'GetMetricData':
        return this.getMetricData(scope, input, ctx);
      case 'ListMetrics':
        return this.listMetrics(scope, input, ctx);
      case 'PutMetricAlarm':
        return this.putMetricAlarm(scope, input, ctx);
      case 'DescribeAlarms':
        return this.describeAlarms(scope, input);
      case 'DescribeAlarmsForMetric':
        return this.describeAlarmsForMetric(scope, input);
      case 'DeleteAlarms':
        return this.deleteAlarms(scope, input);
      case 'SetAlarmState':
        return this.setAlarmState(scope, input, ctx);
      case 'DescribeAlarmHistory':
        return this.describeAlarmHistory(scope, input);
      case 'EnableAlarmActions':
      case 'DisableAlarmActions':
        return this.setActionsEnabled(scope, input, operation === 'EnableAlarmActions');
      default:
        throw new AwsError(
          protocol === 'query' ? 'InvalidAction' : 'UnknownOperationException',
          `Could not find operation ${operation.slice(0, 100)} for version ${CLOUDWATCH_VERSION} (the sandbox's CloudWatch answers metrics and metric alarms).`,
          400,
        );
    }
  }

  private scope(ctx: { accountId: string; region: string }): Scope {
    const key = `${ctx.accountId}/${ctx.region}`;
    let scope = this.scopes.get(key);
    if (!scope) {
      scope = { metrics: new Map(), alarms: new Map(), history: [] };
      this.scopes.set(key, scope);
    }
    return scope;
  }

  /** Runs every alarm evaluation due since the last one (once a minute on the virtual clock) in all accounts and regions. */
  evaluateAll(): void {
    for (const [key, scope] of this.scopes) {
      const [accountId, region] = key.split('/');
      this.evaluate(scope, { accountId, region, now: this.clock.now() });
    }
  }

  private evaluate(scope: Scope, ctx: { accountId: string; region: string; now?: number }): void {
    const now = ctx.now ?? this.clock.now();
    for (const alarm of scope.alarms.values()) {
      let at = Math.floor(alarm.evaluatedAt / EVALUATION_INTERVAL_MS) * EVALUATION_INTERVAL_MS + EVALUATION_INTERVAL_MS;
      const earliest = Math.floor((now - MAX_CATCH_UP_MS) / EVALUATION_INTERVAL_MS) * EVALUATION_INTERVAL_MS;
      if (at < earliest) at = earliest;
      if (at > now) continue;
      // One read covers every evaluation due, however long the clock jumped.
      const stat = alarm.Statistic ?? alarm.ExtendedStatistic ?? 'Average';
      const periodMs = alarm.Period * 1000;
      const from = Math.floor(at / periodMs) * periodMs - alarm.EvaluationPeriods * periodMs;
      const periods = byPeriod(this.points(scope, ctx, alarm, from, now, alarm.Unit), periodMs);
      for (; at <= now; at += EVALUATION_INTERVAL_MS) {
        alarm.evaluatedAt = at;
        const result = evaluateAlarm(alarm, at, (start) => {
          const point = periods.get(start);
          return point ? statisticOf(point, stat) : undefined;
        });
        if (result && result.state !== alarm.StateValue) this.transition(scope, alarm, result.state, result.reason, result.reasonData, at);
      }
    }
  }

  private transition(scope: Scope, alarm: MetricAlarm, state: AlarmState, reason: string, reasonData: string | undefined, at: number): void {
    const parsed = (data: string | undefined) => {
      try {
        return data ? { stateReasonData: JSON.parse(data) as unknown } : {};
      } catch {
        return {};
      }
    };
    const old = { stateValue: alarm.StateValue, stateReason: alarm.StateReason, ...parsed(alarm.StateReasonData) };
    alarm.StateValue = state;
    alarm.StateReason = reason;
    alarm.StateReasonData = reasonData;
    alarm.StateUpdatedTimestamp = at;
    alarm.StateTransitionedTimestamp = at;
    this.record(scope, {
      AlarmName: alarm.AlarmName,
      AlarmType: 'MetricAlarm',
      Timestamp: at,
      HistoryItemType: 'StateUpdate',
      HistorySummary: `Alarm updated from ${old.stateValue} to ${state}`,
      HistoryData: JSON.stringify({
        version: '1.0',
        oldState: old,
        newState: { stateValue: state, stateReason: reason, ...parsed(reasonData) },
      }),
    });
  }

  private record(scope: Scope, item: AlarmHistoryItem): void {
    scope.history.unshift(item);
    if (scope.history.length > MAX_HISTORY) scope.history.length = MAX_HISTORY;
  }

  /** Stored and source points of one metric (dimensions exact), within [from, to), optionally of one unit. */
  private points(scope: Scope, ctx: { accountId: string; region: string }, metric: MetricIdentity, from: number, to: number, unit?: string): MetricPoint[] {
    const stored = scope.metrics.get(metricKey(metric))?.points ?? [];
    const out = stored.filter((p) => p.t >= from && p.t < to);
    for (const source of this.sources) {
      for (const sample of source.samples(ctx.accountId, ctx.region, metric, from, to)) {
        if (sample.timestamp >= from && sample.timestamp < to && Number.isFinite(sample.value)) out.push(pointFromSample(sample));
      }
    }
    return unit === undefined ? out : out.filter((p) => (p.unit ?? 'None') === unit);
  }

  private putMetricData(scope: Scope, input: Input, ctx: RequestContext): Record<string, unknown> {
    const namespace = requiredString(input, 'Namespace');
    if (namespace.startsWith('AWS/')) throw invalid('Namespace', namespace, 'Namespaces starting with AWS/ are reserved for AWS services.');
    if (namespace.length > 255) throw invalid('Namespace', namespace, 'Namespaces are at most 255 characters.');
    const data = optionalList(input, 'MetricData');
    if (!data || data.length === 0) throw missing('MetricData');
    if (data.length > 1000) throw new AwsError('InvalidParameterValue', 'The collection MetricData must not have a size greater than 1000.', 400);
    const prepared: Array<{ metric: MetricIdentity; points: MetricPoint[] }> = [];
    data.forEach((item, i) => {
      const path = `MetricData.member.${i + 1}`;
      const datum = structAt(item, path);
      const MetricName = requiredString(datum, 'MetricName', `${path}.MetricName`);
      if (MetricName.length > 255) throw invalid(`${path}.MetricName`, MetricName, 'Metric names are at most 255 characters.');
      const metric: MetricIdentity = { Namespace: namespace, MetricName, Dimensions: dimensionsOf(datum.Dimensions, `${path}.Dimensions`) };
      const t = optionalTime(datum, 'Timestamp', `${path}.Timestamp`) ?? ctx.now;
      if (t < ctx.now - 14 * DAY_MS) throw invalid(`${path}.Timestamp`, new Date(t).toISOString(), 'The timestamp must specify a time no more than two weeks in the past.');
      if (t > ctx.now + 2 * 3600_000) throw invalid(`${path}.Timestamp`, new Date(t).toISOString(), 'The timestamp must specify a time no more than two hours in the future.');
      const unit = checkUnit(optionalString(datum, 'Unit', `${path}.Unit`), `${path}.Unit`);
      const value = optionalNumber(datum, 'Value', `${path}.Value`);
      const values = optionalList(datum, 'Values', `${path}.Values`);
      const stats = optionalStruct(datum, 'StatisticValues', `${path}.StatisticValues`);
      const given = [value !== undefined, values !== undefined, stats !== undefined].filter(Boolean).length;
      if (given === 0) throw new AwsError('MissingParameter', `The parameter ${path}.Value, ${path}.Values or ${path}.StatisticValues is required.`, 400);
      if (given > 1) throw new AwsError('InvalidParameterCombination', `The parameters ${path}.Value, ${path}.Values and ${path}.StatisticValues are mutually exclusive.`, 400);
      const points: MetricPoint[] = [];
      if (value !== undefined) {
        points.push({ t, count: 1, sum: value, min: value, max: value, unit, values: [value] });
      } else if (values) {
        const counts = optionalList(datum, 'Counts', `${path}.Counts`);
        if (counts && counts.length !== values.length) {
          throw new AwsError('InvalidParameterValue', `The parameters ${path}.Values and ${path}.Counts must be arrays of the same length.`, 400);
        }
        if (values.length > 150) throw new AwsError('InvalidParameterValue', `The collection ${path}.Values must not have a size greater than 150.`, 400);
        values.forEach((raw, j) => {
          const v = optionalNumber({ v: raw }, 'v', `${path}.Values.member.${j + 1}`);
          const c = counts ? optionalNumber({ c: counts[j] }, 'c', `${path}.Counts.member.${j + 1}`) ?? 1 : 1;
          if (v === undefined) throw missing(`${path}.Values.member.${j + 1}`);
          if (c <= 0) throw invalid(`${path}.Counts.member.${j + 1}`, c, 'Counts must be positive.');
          points.push({ t, count: c, sum: v * c, min: v, max: v, unit, values: Number.isInteger(c) && c <= MAX_EXPANDED_COUNT ? Array<number>(c).fill(v) : undefined });
        });
      } else if (stats) {
        const field = (name: string) => {
          const n = optionalNumber(stats, name, `${path}.StatisticValues.${name}`);
          if (n === undefined) throw missing(`${path}.StatisticValues.${name}`);
          return n;
        };
        const count = field('SampleCount');
        const sum = field('Sum');
        const min = field('Minimum');
        const max = field('Maximum');
        if (count <= 0) throw invalid(`${path}.StatisticValues.SampleCount`, count, 'SampleCount must be positive.');
        if (min > max) throw new AwsError('InvalidParameterValue', `The parameter ${path}.StatisticValues.Minimum must not be greater than ${path}.StatisticValues.Maximum.`, 400);
        points.push({ t, count, sum, min, max, unit });
      }
      prepared.push({ metric, points });
    });
    // All datums are checked before any is stored: a rejected request changes nothing.
    for (const { metric, points } of prepared) {
      const key = metricKey(metric);
      let stored = scope.metrics.get(key);
      if (!stored) {
        stored = { ...metric, Dimensions: sortedDimensions(metric.Dimensions), points: [] };
        scope.metrics.set(key, stored);
      }
      stored.points.push(...points);
      const cutoff = ctx.now - RETENTION_MS;
      if (stored.points.length > 0 && stored.points[0].t < cutoff) stored.points = stored.points.filter((p) => p.t >= cutoff);
    }
    return {};
  }

  private timeRange(input: Input, ctx: RequestContext): { start: number; end: number } {
    const start = requiredTime(input, 'StartTime');
    const end = requiredTime(input, 'EndTime');
    if (start >= end) throw new AwsError('InvalidParameterValue', 'The parameter StartTime must be less than the parameter EndTime.', 400);
    void ctx;
    return { start, end };
  }

  private getMetricStatistics(scope: Scope, input: Input, ctx: RequestContext, protocol: 'query' | 'json'): Record<string, unknown> {
    const metric = metricIdentity(input, '');
    const { start, end } = this.timeRange(input, ctx);
    const period = checkPeriod(optionalInteger(input, 'Period'), 'Period');
    const statistics = stringList(input, 'Statistics');
    const extended = stringList(input, 'ExtendedStatistics');
    if (statistics.length === 0 && extended.length === 0) throw new AwsError('MissingParameter', 'The parameter Statistics or ExtendedStatistics must be specified.', 400);
    if (statistics.length > 5) throw new AwsError('InvalidParameterValue', 'The collection Statistics must not have a size greater than 5.', 400);
    if (extended.length > 10) throw new AwsError('InvalidParameterValue', 'The collection ExtendedStatistics must not have a size greater than 10.', 400);
    statistics.forEach((s, i) => oneOf(s, STANDARD_STATISTICS, `Statistics.member.${i + 1}`));
    extended.forEach((s, i) => {
      if (!PERCENTILE.test(s)) throw invalid(`ExtendedStatistics.member.${i + 1}`, s, 'Use a percentile such as p99 (the sandbox computes no trimmed means).');
    });
    if (protocol === 'query' && extended.length > 0) {
      throw new AwsError('InvalidParameterValue', 'The sandbox answers ExtendedStatistics only over the JSON protocol (the AWS SDK for JavaScript); use GetMetricData with a pNN Stat instead.', 400);
    }
    const unit = checkUnit(optionalString(input, 'Unit'), 'Unit');
    const periodMs = period * 1000;
    const count = Math.ceil((end - start) / periodMs);
    if (count > 1440) {
      throw new AwsError(
        'InvalidParameterCombination',
        `You have requested up to ${count.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
        400,
      );
    }
    const periods = byPeriod(this.points(scope, ctx, metric, start, end, unit), periodMs);
    const datapoints = [...periods.values()]
      .sort((a, b) => a.t - b.t)
      .map((p) => {
        const dp: Record<string, unknown> = { Timestamp: new Date(p.t) };
        for (const s of statistics) dp[s] = statisticOf(p, s);
        if (extended.length > 0) {
          const ext: Record<string, number> = {};
          for (const s of extended) {
            const v = statisticOf(p, s);
            if (v !== undefined) ext[s] = v;
          }
          dp.ExtendedStatistics = ext;
        }
        dp.Unit = unit ?? p.unit ?? 'None';
        return dp;
      });
    return { Label: metric.MetricName, Datapoints: datapoints };
  }

  private getMetricData(scope: Scope, input: Input, ctx: RequestContext): Record<string, unknown> {
    const queries = optionalList(input, 'MetricDataQueries');
    if (!queries || queries.length === 0) throw missing('MetricDataQueries');
    if (queries.length > 500) throw new AwsError('InvalidParameterValue', 'The collection MetricDataQueries must not have a size greater than 500.', 400);
    const { start, end } = this.timeRange(input, ctx);
    const scanBy = oneOf(optionalString(input, 'ScanBy'), ['TimestampDescending', 'TimestampAscending'] as const, 'ScanBy') ?? 'TimestampDescending';
    const maxDatapoints = optionalInteger(input, 'MaxDatapoints') ?? 100_800;
    const ids = new Set<string>();
    const parsed = queries.map((raw, i) => {
      const path = `MetricDataQueries.member.${i + 1}`;
      const q = structAt(raw, path);
      const Id = requiredString(q, 'Id', `${path}.Id`);
      if (!/^[a-z][a-zA-Z0-9_]*$/.test(Id) || Id.length > 255) throw invalid(`${path}.Id`, Id, 'The Id must start with a lowercase letter and contain only letters, digits and underscores.');
      if (ids.has(Id)) throw new AwsError('InvalidParameterValue', `The value ${Id} for parameter ${path}.Id is not unique.`, 400);
      ids.add(Id);
      if (optionalString(q, 'Expression', `${path}.Expression`) !== undefined) {
        throw new AwsError('InvalidParameterValue', `${path}.Expression: the sandbox does not evaluate metric math; use MetricStat queries.`, 400);
      }
      const stat = optionalStruct(q, 'MetricStat', `${path}.MetricStat`);
      if (!stat) throw new AwsError('MissingParameter', `The parameter ${path}.MetricStat is required (or an Expression, which the sandbox does not evaluate).`, 400);
      const metric = metricIdentity(structAt(stat.Metric ?? {}, `${path}.MetricStat.Metric`), `${path}.MetricStat.Metric`);
      const period = checkPeriod(optionalInteger(stat, 'Period', `${path}.MetricStat.Period`), `${path}.MetricStat.Period`);
      const Stat = checkStatistic(requiredString(stat, 'Stat', `${path}.MetricStat.Stat`), `${path}.MetricStat.Stat`);
      const unit = checkUnit(optionalString(stat, 'Unit', `${path}.MetricStat.Unit`), `${path}.MetricStat.Unit`);
      const returnData = optionalBoolean(q, 'ReturnData', `${path}.ReturnData`) ?? true;
      return { Id, Label: optionalString(q, 'Label', `${path}.Label`) ?? metric.MetricName, metric, period, Stat, unit, returnData };
    });
    const results = parsed
      .filter((q) => q.returnData)
      .map((q) => {
        const periods = [...byPeriod(this.points(scope, ctx, q.metric, start, end, q.unit), q.period * 1000).values()]
          .map((p) => ({ t: p.t, v: statisticOf(p, q.Stat) }))
          .filter((p): p is { t: number; v: number } => p.v !== undefined)
          .sort((a, b) => (scanBy === 'TimestampAscending' ? a.t - b.t : b.t - a.t))
          .slice(0, maxDatapoints);
        return { Id: q.Id, Label: q.Label, Timestamps: periods.map((p) => new Date(p.t)), Values: periods.map((p) => p.v), StatusCode: 'Complete' };
      });
    return { MetricDataResults: results, Messages: [] };
  }

  private listMetrics(scope: Scope, input: Input, ctx: RequestContext): Record<string, unknown> {
    const namespace = optionalString(input, 'Namespace');
    const name = optionalString(input, 'MetricName');
    const filters = dimensionsOf(input.Dimensions, 'Dimensions', false);
    const recently = optionalString(input, 'RecentlyActive');
    if (recently !== undefined && recently !== 'PT3H') throw invalid('RecentlyActive', recently, 'The only valid value is PT3H.');
    const since = recently ? ctx.now - 3 * 3600_000 : ctx.now - RETENTION_MS;
    const all = new Map<string, MetricIdentity>();
    for (const [key, m] of scope.metrics) {
      if (m.points.some((p) => p.t >= since)) all.set(key, { Namespace: m.Namespace, MetricName: m.MetricName, Dimensions: m.Dimensions });
    }
    for (const source of this.sources) {
      for (const m of source.listMetrics(ctx.accountId, ctx.region)) all.set(metricKey(m), { ...m, Dimensions: sortedDimensions(m.Dimensions) });
    }
    const matches = [...all.values()]
      .filter((m) => (namespace === undefined || m.Namespace === namespace) && (name === undefined || m.MetricName === name))
      .filter((m) => filters.every((f) => m.Dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value))))
      .sort((a, b) => metricKey(a).localeCompare(metricKey(b)));
    const from = pageStart(optionalString(input, 'NextToken'));
    const page = matches.slice(from, from + 500);
    return { Metrics: page, NextToken: pageToken(from + 500, matches.length) };
  }

  private putMetricAlarm(scope: Scope, input: Input, ctx: RequestContext): Record<string, unknown> {
    const name = requiredString(input, 'AlarmName');
    if (name.length > 255) throw invalid('AlarmName', name, 'Alarm names are at most 255 characters.');
    if (input.Metrics !== undefined && input.Metrics !== null && !(Array.isArray(input.Metrics) && input.Metrics.length === 0)) {
      throw new AwsError('InvalidParameterValue', 'Metrics: the sandbox does not evaluate metric math alarms; give MetricName, Namespace, Statistic and Period.', 400);
    }
    const metric = metricIdentity(input, '');
    const statistic = optionalString(input, 'Statistic');
    const extended = optionalString(input, 'ExtendedStatistic');
    if (statistic === undefined && extended === undefined) throw new AwsError('MissingParameter', 'The parameter Statistic or ExtendedStatistic must be specified.', 400);
    if (statistic !== undefined && extended !== undefined) throw new AwsError('InvalidParameterCombination', 'Exactly one of Statistic and ExtendedStatistic must be specified, not both.', 400);
    oneOf(statistic, STANDARD_STATISTICS, 'Statistic');
    if (extended !== undefined && !PERCENTILE.test(extended)) throw invalid('ExtendedStatistic', extended, 'Use a percentile such as p99.');
    const period = checkPeriod(optionalInteger(input, 'Period'), 'Period');
    if (period < 60 && period !== 10 && period !== 30) throw new AwsError('InvalidParameterValue', 'The parameter Period must be 10, 30, or a multiple of 60 for an alarm.', 400);
    const evaluationPeriods = optionalInteger(input, 'EvaluationPeriods');
    if (evaluationPeriods === undefined) throw missing('EvaluationPeriods');
    if (evaluationPeriods < 1) throw invalid('EvaluationPeriods', evaluationPeriods, 'It must be at least 1.');
    if (period * evaluationPeriods > DAY_MS / 1000) {
      throw new AwsError('InvalidParameterCombination', 'Period * EvaluationPeriods must not exceed 86400 seconds (1 day) for an alarm on a period of 60 seconds or more.', 400);
    }
    const datapointsToAlarm = optionalInteger(input, 'DatapointsToAlarm');
    if (datapointsToAlarm !== undefined && (datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods)) {
      throw new AwsError('InvalidParameterValue', `DatapointsToAlarm (${datapointsToAlarm}) must be between 1 and EvaluationPeriods (${evaluationPeriods}).`, 400);
    }
    const threshold = optionalNumber(input, 'Threshold');
    if (threshold === undefined) throw missing('Threshold');
    const operatorText = optionalString(input, 'ComparisonOperator');
    if (operatorText === undefined) throw missing('ComparisonOperator');
    if (/Band/.test(operatorText)) throw new AwsError('InvalidParameterValue', `ComparisonOperator ${operatorText} needs an anomaly detection band, which the sandbox does not model.`, 400);
    const operator = oneOf(operatorText, COMPARISON_OPERATORS, 'ComparisonOperator')!;
    const treat = oneOf(optionalString(input, 'TreatMissingData'), TREAT_MISSING_DATA, 'TreatMissingData');
    const unit = checkUnit(optionalString(input, 'Unit'), 'Unit');
    const actions = (field: string) => {
      const list = stringList(input, field);
      if (list.length > 5) throw new AwsError('InvalidParameterValue', `The collection ${field} must not have a size greater than 5.`, 400);
      list.forEach((arn, i) => {
        if (!/^arn:aws[a-z-]*:[a-z0-9-]+:/.test(arn)) throw invalid(`${field}.member.${i + 1}`, arn, 'Actions are ARNs such as arn:aws:sns:us-east-1:123456789012:ops-alerts.');
      });
      return list;
    };
    const existing = scope.alarms.get(name);
    if (!existing && scope.alarms.size >= MAX_ALARMS) throw new AwsError('LimitExceeded', `The maximum number of alarms (${MAX_ALARMS}) in this account and region has been reached.`, 400);
    const now = ctx.now;
    const alarm: MetricAlarm = {
      AlarmName: name,
      AlarmArn: `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${name}`,
      AlarmDescription: optionalString(input, 'AlarmDescription'),
      AlarmConfigurationUpdatedTimestamp: now,
      ActionsEnabled: optionalBoolean(input, 'ActionsEnabled') ?? true,
      OKActions: actions('OKActions'),
      AlarmActions: actions('AlarmActions'),
      InsufficientDataActions: actions('InsufficientDataActions'),
      StateValue: existing?.StateValue ?? 'INSUFFICIENT_DATA',
      StateReason: existing?.StateReason ?? 'Unchecked: Initial alarm creation',
      StateReasonData: existing?.StateReasonData,
      StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? now,
      StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? now,
      MetricName: metric.MetricName,
      Namespace: metric.Namespace,
      Statistic: statistic,
      ExtendedStatistic: extended,
      Dimensions: metric.Dimensions,
      Period: period,
      Unit: unit,
      EvaluationPeriods: evaluationPeriods,
      DatapointsToAlarm: datapointsToAlarm,
      Threshold: threshold,
      ComparisonOperator: operator,
      TreatMissingData: treat,
      evaluatedAt: now,
    };
    scope.alarms.set(name, alarm);
    this.record(scope, {
      AlarmName: name,
      AlarmType: 'MetricAlarm',
      Timestamp: now,
      HistoryItemType: 'ConfigurationUpdate',
      HistorySummary: `Alarm "${name}" ${existing ? 'updated' : 'created'}`,
      HistoryData: JSON.stringify({ version: '1.0', type: existing ? 'Update' : 'Create', [existing ? 'updatedAlarm' : 'createdAlarm']: this.wire(alarm) }),
    });
    return {};
  }

  /** An alarm as the API returns it (Dates serialise per protocol). */
  private wire(alarm: MetricAlarm): Record<string, unknown> {
    const { evaluatedAt: _evaluatedAt, ...rest } = alarm;
    return {
      ...rest,
      AlarmConfigurationUpdatedTimestamp: new Date(alarm.AlarmConfigurationUpdatedTimestamp),
      StateUpdatedTimestamp: new Date(alarm.StateUpdatedTimestamp),
      StateTransitionedTimestamp: new Date(alarm.StateTransitionedTimestamp),
    };
  }

  private describeAlarms(scope: Scope, input: Input): Record<string, unknown> {
    const names = stringList(input, 'AlarmNames');
    const prefix = optionalString(input, 'AlarmNamePrefix');
    if (names.length > 0 && prefix !== undefined) throw new AwsError('InvalidParameterCombination', 'AlarmNames and AlarmNamePrefix cannot be specified together.', 400);
    if (names.length > 100) throw new AwsError('InvalidParameterValue', 'The collection AlarmNames must not have a size greater than 100.', 400);
    const state = oneOf(optionalString(input, 'StateValue'), ALARM_STATES, 'StateValue');
    const actionPrefix = optionalString(input, 'ActionPrefix');
    const types = stringList(input, 'AlarmTypes');
    types.forEach((t, i) => oneOf(t, ['CompositeAlarm', 'MetricAlarm'] as const, `AlarmTypes.member.${i + 1}`));
    const maxRecords = optionalInteger(input, 'MaxRecords') ?? 50;
    if (maxRecords < 1 || maxRecords > 100) throw invalid('MaxRecords', maxRecords, 'It must be between 1 and 100.');
    const wantMetric = types.length === 0 || types.includes('MetricAlarm');
    const matches = wantMetric
      ? [...scope.alarms.values()]
          .filter((a) => (names.length === 0 || names.includes(a.AlarmName)) && (prefix === undefined || a.AlarmName.startsWith(prefix)))
          .filter((a) => state === undefined || a.StateValue === state)
          .filter((a) => actionPrefix === undefined || [...a.AlarmActions, ...a.OKActions, ...a.InsufficientDataActions].some((x) => x.startsWith(actionPrefix)))
          .sort((a, b) => (a.AlarmName < b.AlarmName ? -1 : a.AlarmName > b.AlarmName ? 1 : 0))
      : [];
    const from = pageStart(optionalString(input, 'NextToken'));
    const page = matches.slice(from, from + maxRecords);
    const result: Record<string, unknown> = { MetricAlarms: page.map((a) => this.wire(a)), CompositeAlarms: [] };
    const next = pageToken(from + maxRecords, matches.length);
    if (next) result.NextToken = next;
    return result;
  }

  private describeAlarmsForMetric(scope: Scope, input: Input): Record<string, unknown> {
    const namespace = requiredString(input, 'Namespace');
    const name = requiredString(input, 'MetricName');
    const dims = input.Dimensions === undefined ? undefined : dimensionsOf(input.Dimensions, 'Dimensions');
    const statistic = oneOf(optionalString(input, 'Statistic'), STANDARD_STATISTICS, 'Statistic');
    const extended = optionalString(input, 'ExtendedStatistic');
    const period = optionalInteger(input, 'Period');
    const unit = checkUnit(optionalString(input, 'Unit'), 'Unit');
    const alarms = [...scope.alarms.values()]
      .filter((a) => a.Namespace === namespace && a.MetricName === name)
      .filter((a) => dims === undefined || sameDimensions(a.Dimensions, dims))
      .filter((a) => (statistic === undefined || a.Statistic === statistic) && (extended === undefined || a.ExtendedStatistic === extended))
      .filter((a) => (period === undefined || a.Period === period) && (unit === undefined || a.Unit === unit))
      .sort((a, b) => (a.AlarmName < b.AlarmName ? -1 : 1));
    return { MetricAlarms: alarms.map((a) => this.wire(a)) };
  }

  private deleteAlarms(scope: Scope, input: Input): Record<string, unknown> {
    const names = stringList(input, 'AlarmNames');
    if (names.length === 0) throw missing('AlarmNames');
    if (names.length > 100) throw new AwsError('InvalidParameterValue', 'The collection AlarmNames must not have a size greater than 100.', 400);
    const unknown = names.filter((n) => !scope.alarms.has(n));
    if (unknown.length > 0) throw new AwsError('ResourceNotFound', `The following alarms do not exist: [${unknown.join(', ')}]`, 404);
    for (const name of names) {
      scope.alarms.delete(name);
      this.record(scope, {
        AlarmName: name,
        AlarmType: 'MetricAlarm',
        Timestamp: this.clock.now(),
        HistoryItemType: 'ConfigurationUpdate',
        HistorySummary: `Alarm "${name}" deleted`,
        HistoryData: JSON.stringify({ version: '1.0', type: 'Delete' }),
      });
    }
    return {};
  }

  private setAlarmState(scope: Scope, input: Input, ctx: RequestContext): Record<string, unknown> {
    const name = requiredString(input, 'AlarmName');
    const state = oneOf(requiredString(input, 'StateValue'), ALARM_STATES, 'StateValue')!;
    const reason = requiredString(input, 'StateReason');
    if (reason.length > 1023) throw invalid('StateReason', reason, 'It is at most 1023 characters.');
    const reasonData = optionalString(input, 'StateReasonData');
    if (reasonData !== undefined) {
      try {
        JSON.parse(reasonData);
      } catch {
        throw new AwsError('InvalidFormat', 'StateReasonData must be valid JSON.', 400);
      }
    }
    const alarm = scope.alarms.get(name);
    if (!alarm) throw new AwsError('ResourceNotFound', `Alarm ${name} not found`, 404);
    if (alarm.StateValue === state) {
      alarm.StateReason = reason;
      alarm.StateReasonData = reasonData;
      alarm.StateUpdatedTimestamp = ctx.now;
    } else {
      this.transition(scope, alarm, state, reason, reasonData, ctx.now);
    }
    return {};
  }

  private describeAlarmHistory(scope: Scope, input: Input): Record<string, unknown> {
    const name = optionalString(input, 'AlarmName');
    const type = oneOf(optionalString(input, 'HistoryItemType'), ['ConfigurationUpdate', 'StateUpdate', 'Action'] as const, 'HistoryItemType');
    const types = stringList(input, 'AlarmTypes');
    types.forEach((t, i) => oneOf(t, ['CompositeAlarm', 'MetricAlarm'] as const, `AlarmTypes.member.${i + 1}`));
    const start = optionalTime(input, 'StartDate');
    const end = optionalTime(input, 'EndDate');
    const maxRecords = optionalInteger(input, 'MaxRecords') ?? 100;
    if (maxRecords < 1 || maxRecords > 100) throw invalid('MaxRecords', maxRecords, 'It must be between 1 and 100.');
    const scanBy = oneOf(optionalString(input, 'ScanBy'), ['TimestampDescending', 'TimestampAscending'] as const, 'ScanBy') ?? 'TimestampDescending';
    let items = scope.history
      .filter((h) => (name === undefined || h.AlarmName === name) && (type === undefined || h.HistoryItemType === type))
      .filter((h) => (types.length === 0 || types.includes('MetricAlarm')) && (start === undefined || h.Timestamp >= start) && (end === undefined || h.Timestamp <= end));
    if (scanBy === 'TimestampAscending') items = [...items].reverse();
    const from = pageStart(optionalString(input, 'NextToken'));
    const result: Record<string, unknown> = {
      AlarmHistoryItems: items.slice(from, from + maxRecords).map((h) => ({ ...h, Timestamp: new Date(h.Timestamp) })),
    };
    const next = pageToken(from + maxRecords, items.length);
    if (next) result.NextToken = next;
    return result;
  }

  private setActionsEnabled(scope: Scope, input: Input, enabled: boolean): Record<string, unknown> {
    const names = stringList(input, 'AlarmNames');
    if (names.length === 0) throw missing('AlarmNames');
    if (names.length > 100) throw new AwsError('InvalidParameterValue', 'The collection AlarmNames must not have a size greater than 100.', 400);
    // Like AWS, names that match no alarm are ignored.
    for (const name of names) {
      const alarm = scope.alarms.get(name);
      if (alarm) alarm.ActionsEnabled = enabled;
    }
    return {};
  }

  snapshot(): CloudWatchSnapshot {
    const scopes: Record<string, ScopeSnapshot> = {};
    for (const [key, scope] of this.scopes) {
      scopes[key] = { metrics: [...scope.metrics.values()], alarms: [...scope.alarms.values()], history: scope.history };
    }
    return structuredClone({ scopes });
  }

  /** Replaces all state; undefined (a snapshot from before CloudWatch existed) means empty. Corrupt data is refused, nothing changes. */
  restore(data: unknown): void {
    const next = new Map<string, Scope>();
    if (data !== undefined) {
      if (typeof data !== 'object' || data === null || typeof (data as CloudWatchSnapshot).scopes !== 'object' || (data as CloudWatchSnapshot).scopes === null) {
        throw new Error('Cloud snapshot field services.cloudwatch must be an object with scopes.');
      }
      for (const [key, raw] of Object.entries(structuredClone((data as CloudWatchSnapshot).scopes))) {
        if (!/^\d{12}\/[a-z0-9-]+$/.test(key)) throw new Error(`Cloud snapshot services.cloudwatch.scopes has a bad key '${key.slice(0, 60)}' (expected <account>/<region>).`);
        if (!raw || !Array.isArray(raw.metrics) || !Array.isArray(raw.alarms) || !Array.isArray(raw.history)) {
          throw new Error(`Cloud snapshot services.cloudwatch.scopes['${key}'] must have metrics, alarms and history lists.`);
        }
        for (const m of raw.metrics) {
          if (typeof m?.Namespace !== 'string' || typeof m.MetricName !== 'string' || !Array.isArray(m.Dimensions) || !Array.isArray(m.points)) {
            throw new Error(`Cloud snapshot services.cloudwatch.scopes['${key}'] has a corrupt metric.`);
          }
        }
        for (const a of raw.alarms) {
          if (typeof a?.AlarmName !== 'string' || typeof a.Period !== 'number' || typeof a.evaluatedAt !== 'number' || !ALARM_STATES.includes(a.StateValue)) {
            throw new Error(`Cloud snapshot services.cloudwatch.scopes['${key}'] has a corrupt alarm.`);
          }
        }
        next.set(key, {
          metrics: new Map(raw.metrics.map((m) => [metricKey(m), m])),
          alarms: new Map(raw.alarms.map((a) => [a.AlarmName, a])),
          history: raw.history,
        });
      }
    }
    this.scopes = next;
  }

  reset(): void {
    this.scopes = new Map();
  }
}
