// Metric alarms: their configuration as CloudWatch stores it, and one evaluation (the last
// EvaluationPeriods periods against the threshold, DatapointsToAlarm of them, TreatMissingData).
import type { Dimension } from './metrics.ts';

export const COMPARISON_OPERATORS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
export const TREAT_MISSING_DATA = ['breaching', 'notBreaching', 'ignore', 'missing'] as const;
export type TreatMissingData = (typeof TREAT_MISSING_DATA)[number];
export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export interface MetricAlarm {
  AlarmName: string;
  AlarmArn: string;
  AlarmDescription?: string;
  AlarmConfigurationUpdatedTimestamp: number;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  StateValue: AlarmState;
  StateReason: string;
  StateReasonData?: string;
  StateUpdatedTimestamp: number;
  StateTransitionedTimestamp: number;
  MetricName: string;
  Namespace: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions: Dimension[];
  Period: number;
  Unit?: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: ComparisonOperator;
  TreatMissingData?: TreatMissingData;
  /** Sandbox bookkeeping: the last evaluation time (epoch ms). */
  evaluatedAt: number;
}

export interface AlarmHistoryItem {
  AlarmName: string;
  AlarmType: 'MetricAlarm';
  Timestamp: number;
  HistoryItemType: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  HistorySummary: string;
  HistoryData: string;
}

export interface Evaluation {
  state: AlarmState;
  reason: string;
  reasonData: string;
}

const SYMBOL: Record<ComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

export function breaches(value: number, operator: ComparisonOperator, threshold: number): boolean {
  switch (operator) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}

/** `dd/MM/yy HH:mm:ss`, as CloudWatch writes datapoint times in state reasons. */
function reasonTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/**
 * Evaluates an alarm at `at` over its last EvaluationPeriods complete periods. `valueAt(periodStart)` is the
 * alarm's statistic for that period, or undefined when it has no data. Undefined result: keep the state
 * (TreatMissingData `ignore` with no data at all).
 */
export function evaluateAlarm(alarm: MetricAlarm, at: number, valueAt: (periodStart: number) => number | undefined): Evaluation | undefined {
  const periodMs = alarm.Period * 1000;
  const lastEnd = Math.floor(at / periodMs) * periodMs;
  const periods: Array<{ start: number; value: number | undefined }> = [];
  for (let i = alarm.EvaluationPeriods; i >= 1; i--) {
    const start = lastEnd - i * periodMs;
    periods.push({ start, value: valueAt(start) });
  }
  const present = periods.filter((p): p is { start: number; value: number } => p.value !== undefined);
  const treat = alarm.TreatMissingData ?? 'missing';
  const configuredNeeded = alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods;
  const recent = [...present].reverse();
  const reasonData = JSON.stringify({
    version: '1.0',
    queryDate: new Date(at).toISOString().replace('Z', '+0000'),
    startDate: new Date(lastEnd - alarm.EvaluationPeriods * periodMs).toISOString().replace('Z', '+0000'),
    statistic: alarm.Statistic ?? alarm.ExtendedStatistic,
    period: alarm.Period,
    recentDatapoints: recent.map((p) => p.value),
    threshold: alarm.Threshold,
    evaluatedDatapoints: recent.map((p) => ({ timestamp: new Date(p.start).toISOString().replace('Z', '+0000'), value: p.value })),
  });
  if (present.length === 0) {
    if (treat === 'ignore') return undefined;
    if (treat === 'missing') {
      return { state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${alarm.EvaluationPeriods} datapoint${alarm.EvaluationPeriods === 1 ? ' was' : 's were'} unknown.`, reasonData };
    }
  }
  const missingCount = periods.length - present.length;
  // `missing` and `ignore` judge only the datapoints there are (AWS's table: "- X -" is ALARM, "0 X -" OK).
  const judgesPresentOnly = treat === 'missing' || treat === 'ignore';
  const needed = judgesPresentOnly ? Math.min(configuredNeeded, present.length) : configuredNeeded;
  const evaluated = judgesPresentOnly ? present.length : periods.length;
  const breaching = present.filter((p) => breaches(p.value, alarm.ComparisonOperator, alarm.Threshold));
  const breachCount = breaching.length + (treat === 'breaching' ? missingCount : 0);
  const comparison = SYMBOL[alarm.ComparisonOperator];
  const list = (points: Array<{ start: number; value: number }>) =>
    points
      .slice(-5)
      .reverse()
      .map((p) => `${formatNumber(p.value)} (${reasonTime(p.start)})`)
      .join(', ');
  if (breachCount >= needed) {
    const shown = breaching.length > 0 ? ` [${list(breaching)}]` : '';
    const what = breaching.length > 0 ? `${breachCount} out of the last ${evaluated} datapoints${shown} ${breachCount === 1 ? 'was' : 'were'} ${comparison} the threshold (${formatNumber(alarm.Threshold)})` : `${breachCount} missing datapoints were treated as [Breaching]`;
    return { state: 'ALARM', reason: `Threshold Crossed: ${what} (minimum ${configuredNeeded} datapoint${configuredNeeded === 1 ? '' : 's'} for OK -> ALARM transition).`, reasonData };
  }
  const notBreaching = present.filter((p) => !breaches(p.value, alarm.ComparisonOperator, alarm.Threshold));
  return {
    state: 'OK',
    reason: `Threshold Crossed: ${notBreaching.length} out of the last ${evaluated} datapoints [${list(notBreaching)}] ${notBreaching.length === 1 ? 'was' : 'were'} not ${comparison} the threshold (${formatNumber(alarm.Threshold)}) (minimum ${configuredNeeded} datapoint${configuredNeeded === 1 ? '' : 's'} for ALARM -> OK transition).`,
    reasonData,
  };
}
