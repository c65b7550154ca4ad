// CloudWatch through the real JS SDK (AWS JSON 1.0) on a manual clock: metrics, statistics, alarms that
// change state as time passes, history, errors with AWS's codes, and snapshot/restore.
import { describe, expect, it } from 'vitest';
import {
  DeleteAlarmsCommand, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, DescribeAlarmsForMetricCommand, DisableAlarmActionsCommand,
  EnableAlarmActionsCommand, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricAlarmCommand, PutMetricDataCommand,
  SetAlarmStateCommand, type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { ManualClock, createCloud } from '../../index.ts';
import { clientsForCloud } from '../../../aws/index.ts';

const START = Date.parse('2026-11-23T08:00:00Z');

function setup() {
  const clock = new ManualClock(START);
  const cloud = createCloud({ clock });
  const clients = clientsForCloud(cloud);
  return { clock, cloud, cw: clients.cloudwatch, clients };
}

const env = [{ Name: 'EnvironmentName', Value: 'pettracker-prod' }];

function alarmInput(overrides: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput {
  return {
    AlarmName: 'pettracker-5xx',
    Namespace: 'PetTracker',
    MetricName: 'Errors5xx',
    Dimensions: env,
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 2,
    Threshold: 5,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    ...overrides,
  };
}

describe('CloudWatch metrics', () => {
  it('stores PutMetricData and answers GetMetricStatistics per period, ListMetrics and GetMetricData', async () => {
    const { clock, cw } = setup();
    await cw.send(new PutMetricDataCommand({ Namespace: 'PetTracker', MetricData: [
      { MetricName: 'Latency', Dimensions: env, Value: 100, Unit: 'Milliseconds', Timestamp: new Date(START + 5_000) },
      { MetricName: 'Latency', Dimensions: env, Value: 300, Unit: 'Milliseconds', Timestamp: new Date(START + 10_000) },
      { MetricName: 'Latency', Dimensions: env, Values: [50, 70], Counts: [1, 3], Unit: 'Milliseconds', Timestamp: new Date(START + 65_000) },
    ] }));
    await clock.advance(120_000);
    const stats = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'PetTracker', MetricName: 'Latency', Dimensions: env, StartTime: new Date(START), EndTime: new Date(START + 120_000),
      Period: 60, Statistics: ['Average', 'Maximum', 'SampleCount'], ExtendedStatistics: ['p50'],
    }));
    expect(stats.Label).toBe('Latency');
    expect(stats.Datapoints).toEqual([
      { Timestamp: new Date(START), Average: 200, Maximum: 300, SampleCount: 2, ExtendedStatistics: { p50: 100 }, Unit: 'Milliseconds' },
      { Timestamp: new Date(START + 60_000), Average: 65, Maximum: 70, SampleCount: 4, ExtendedStatistics: { p50: 70 }, Unit: 'Milliseconds' },
    ]);
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'PetTracker' }));
    expect(listed.Metrics).toEqual([{ Namespace: 'PetTracker', MetricName: 'Latency', Dimensions: env }]);
    expect((await cw.send(new ListMetricsCommand({ Dimensions: [{ Name: 'EnvironmentName', Value: 'other' }] }))).Metrics).toEqual([]);
    const data = await cw.send(new GetMetricDataCommand({
      StartTime: new Date(START), EndTime: new Date(START + 120_000), ScanBy: 'TimestampAscending',
      MetricDataQueries: [{ Id: 'latency', MetricStat: { Metric: { Namespace: 'PetTracker', MetricName: 'Latency', Dimensions: env }, Period: 60, Stat: 'Sum' } }],
    }));
    expect(data.MetricDataResults).toEqual([
      { Id: 'latency', Label: 'Latency', Timestamps: [new Date(START), new Date(START + 60_000)], Values: [400, 260], StatusCode: 'Complete' },
    ]);
  });

  it('refuses bad metric data with the codes and messages CloudWatch uses, storing nothing', async () => {
    const { cw } = setup();
    await expect(cw.send(new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData: [{ MetricName: 'CPU', Value: 1 }] }))).rejects.toMatchObject({
      Code: 'InvalidParameterValue', message: expect.stringContaining('The value AWS/EC2 for parameter Namespace is invalid.'), $metadata: { httpStatusCode: 400 },
    });
    await expect(cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Ok', Value: 1 }, { MetricName: 'NoValue' }] }))).rejects.toMatchObject({
      Code: 'MissingParameter', message: expect.stringContaining('MetricData.member.2.Value'),
    });
    expect((await cw.send(new ListMetricsCommand({}))).Metrics).toEqual([]);
    await expect(cw.send(new GetMetricStatisticsCommand({
      Namespace: 'App', MetricName: 'Ok', StartTime: new Date(START), EndTime: new Date(START + 2 * 86_400_000), Period: 60, Statistics: ['Sum'],
    }))).rejects.toMatchObject({ Code: 'InvalidParameterCombination', message: expect.stringContaining('exceeds the limit of 1,440') });
    await expect(cw.send(new GetMetricStatisticsCommand({
      Namespace: 'App', MetricName: 'Ok', StartTime: new Date(START), EndTime: new Date(START + 60_000), Period: 45, Statistics: ['Sum'],
    }))).rejects.toMatchObject({ Code: 'InvalidParameterValue', message: 'The parameter Period must be 1, 5, 10, 30, or a multiple of 60.' });
  });
});

describe('CloudWatch alarms', () => {
  it('moves INSUFFICIENT_DATA -> ALARM -> OK as data arrives on the virtual clock, and records each transition', async () => {
    const { clock, cw } = setup();
    await cw.send(new PutMetricAlarmCommand(alarmInput({ AlarmActions: ['arn:aws:sns:us-east-1:000000000000:ops'] })));
    let [alarm] = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['pettracker-5xx'] }))).MetricAlarms ?? [];
    expect(alarm).toMatchObject({ StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation', ActionsEnabled: true, AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:pettracker-5xx' });
    // A burst of 5xx in the first minute: the only datapoint there is breaches (missing ones are not judged).
    await cw.send(new PutMetricDataCommand({ Namespace: 'PetTracker', MetricData: [{ MetricName: 'Errors5xx', Dimensions: env, Value: 6, Unit: 'Count' }] }));
    await clock.advance(59_000);
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms?.[0].StateValue).toBe('INSUFFICIENT_DATA');
    await clock.advance(1_000);
    [alarm] = (await cw.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }))).MetricAlarms ?? [];
    expect(alarm.AlarmName).toBe('pettracker-5xx');
    expect(alarm.StateReason).toBe('Threshold Crossed: 1 out of the last 1 datapoints [6.0 (23/11/26 08:00:00)] was greater than or equal to the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition).');
    expect(alarm.StateTransitionedTimestamp).toEqual(new Date(START + 60_000));
    await cw.send(new PutMetricDataCommand({ Namespace: 'PetTracker', MetricData: [{ MetricName: 'Errors5xx', Dimensions: env, Value: 6, Unit: 'Count' }] }));
    await clock.advance(60_000);
    // Quiet minutes: 0 errors reported, the alarm returns to OK.
    for (let minute = 0; minute < 2; minute++) {
      await cw.send(new PutMetricDataCommand({ Namespace: 'PetTracker', MetricData: [{ MetricName: 'Errors5xx', Dimensions: env, Value: 0, Unit: 'Count' }] }));
      await clock.advance(60_000);
    }
    [alarm] = (await cw.send(new DescribeAlarmsForMetricCommand({ Namespace: 'PetTracker', MetricName: 'Errors5xx', Dimensions: env }))).MetricAlarms ?? [];
    expect(alarm.StateValue).toBe('OK');
    const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'pettracker-5xx', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }));
    expect(history.AlarmHistoryItems?.map((h) => h.HistorySummary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to ALARM', 'Alarm updated from ALARM to OK']);
    expect(JSON.parse(history.AlarmHistoryItems?.[0].HistoryData ?? '{}')).toMatchObject({ oldState: { stateValue: 'INSUFFICIENT_DATA' }, newState: { stateValue: 'ALARM' } });
  });

  it('applies DatapointsToAlarm and TreatMissingData', async () => {
    const { clock, cw } = setup();
    await cw.send(new PutMetricAlarmCommand(alarmInput({ AlarmName: 'm-of-n', EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching' })));
    await cw.send(new PutMetricAlarmCommand(alarmInput({ AlarmName: 'missing-breaches', EvaluationPeriods: 1, TreatMissingData: 'breaching', MetricName: 'Heartbeat', ComparisonOperator: 'LessThanThreshold', Threshold: 1 })));
    await cw.send(new PutMetricAlarmCommand(alarmInput({ AlarmName: 'missing-unknown', EvaluationPeriods: 1, MetricName: 'Heartbeat', ComparisonOperator: 'LessThanThreshold', Threshold: 1 })));
    await cw.send(new PutMetricDataCommand({ Namespace: 'PetTracker', MetricData: [{ MetricName: 'Errors5xx', Dimensions: env, Value: 9 }] }));
    await clock.advance(61_000);
    const states = async () =>
      Object.fromEntries(((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).map((a) => [a.AlarmName, a.StateValue]));
    expect(await states()).toEqual({ 'm-of-n': 'OK', 'missing-breaches': 'ALARM', 'missing-unknown': 'INSUFFICIENT_DATA' });
    await cw.send(new PutMetricDataCommand({ Namespace: 'PetTracker', MetricData: [{ MetricName: 'Errors5xx', Dimensions: env, Value: 7 }] }));
    await clock.advance(60_000);
    expect((await states())['m-of-n']).toBe('ALARM');
  });

  it('SetAlarmState changes the state until the next evaluation; actions can be disabled; delete removes', async () => {
    const { clock, cw } = setup();
    await cw.send(new PutMetricAlarmCommand(alarmInput({ TreatMissingData: 'notBreaching' })));
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'pettracker-5xx', StateValue: 'ALARM', StateReason: 'Testing the pager' }));
    let [alarm] = (await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'pettracker' }))).MetricAlarms ?? [];
    expect(alarm).toMatchObject({ StateValue: 'ALARM', StateReason: 'Testing the pager' });
    await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['pettracker-5xx'] }));
    await clock.advance(60_000);
    [alarm] = (await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];
    expect(alarm).toMatchObject({ StateValue: 'OK', ActionsEnabled: false });
    await cw.send(new EnableAlarmActionsCommand({ AlarmNames: ['pettracker-5xx'] }));
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms?.[0].ActionsEnabled).toBe(true);
    await expect(cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' }))).rejects.toMatchObject({ Code: 'ResourceNotFound', $metadata: { httpStatusCode: 404 } });
    await expect(cw.send(new DeleteAlarmsCommand({ AlarmNames: ['pettracker-5xx', 'ghost'] }))).rejects.toMatchObject({ Code: 'ResourceNotFound', message: 'The following alarms do not exist: [ghost]' });
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['pettracker-5xx'] }));
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
  });

  it('refuses bad alarms with precise errors', async () => {
    const { cw } = setup();
    await expect(cw.send(new PutMetricAlarmCommand(alarmInput({ ComparisonOperator: 'Bigger' as never })))).rejects.toMatchObject({
      Code: 'InvalidParameterValue', message: expect.stringContaining('The value Bigger for parameter ComparisonOperator is invalid.'),
    });
    await expect(cw.send(new PutMetricAlarmCommand(alarmInput({ Threshold: undefined })))).rejects.toMatchObject({ Code: 'MissingParameter', message: 'The parameter Threshold is required.' });
    await expect(cw.send(new PutMetricAlarmCommand(alarmInput({ DatapointsToAlarm: 3 })))).rejects.toMatchObject({ Code: 'InvalidParameterValue' });
    await expect(cw.send(new PutMetricAlarmCommand(alarmInput({ Statistic: undefined })))).rejects.toMatchObject({ Code: 'MissingParameter' });
    await expect(cw.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' }))).rejects.toMatchObject({ Code: 'InvalidParameterCombination' });
    await expect(cw.send(new DescribeAlarmsCommand({ NextToken: 'forged' }))).rejects.toMatchObject({ Code: 'InvalidNextToken' });
  });

  it('keeps metrics, alarms and history through snapshot and restore, and older snapshots restore as empty', async () => {
    const { clock, cloud, cw } = setup();
    await cw.send(new PutMetricAlarmCommand(alarmInput()));
    await cw.send(new PutMetricDataCommand({ Namespace: 'PetTracker', MetricData: [{ MetricName: 'Errors5xx', Dimensions: env, Value: 50 }] }));
    const snapshot = JSON.parse(JSON.stringify(cloud.snapshot()));
    cloud.reset();
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
    cloud.restore(snapshot);
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms?.map((a) => a.AlarmName)).toEqual(['pettracker-5xx']);
    expect((await cw.send(new ListMetricsCommand({}))).Metrics).toHaveLength(1);
    await clock.advance(120_000);
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms?.[0].StateValue).toBe('ALARM');
    expect(() => cloud.restore({ ...snapshot, services: { ...snapshot.services, cloudwatch: { scopes: { bad: {} } } } })).toThrow(/services\.cloudwatch\.scopes has a bad key 'bad'/);
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms).toHaveLength(1);
    const { cloudwatch: _omitted, ...olderServices } = snapshot.services;
    cloud.restore({ ...snapshot, services: olderServices });
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
  });
});
