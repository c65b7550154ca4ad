// The SDK command of each `aws cloudwatch` operation; imported when such an operation first runs, so the
// CloudWatch SDK package is downloaded only by labs that use it.
import {
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand,
  EnableAlarmActionsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';

export type CommandClass = new (input: never) => unknown;

/** The SDK command of each CloudWatch operation the lab's aws offers. */
export const cloudwatchCommands: Record<string, CommandClass> = {
  DeleteAlarms: DeleteAlarmsCommand,
  DescribeAlarmHistory: DescribeAlarmHistoryCommand,
  DescribeAlarms: DescribeAlarmsCommand,
  DescribeAlarmsForMetric: DescribeAlarmsForMetricCommand,
  DisableAlarmActions: DisableAlarmActionsCommand,
  EnableAlarmActions: EnableAlarmActionsCommand,
  GetMetricData: GetMetricDataCommand,
  GetMetricStatistics: GetMetricStatisticsCommand,
  ListMetrics: ListMetricsCommand,
  PutMetricAlarm: PutMetricAlarmCommand,
  PutMetricData: PutMetricDataCommand,
  SetAlarmState: SetAlarmStateCommand,
};

