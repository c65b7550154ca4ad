// CloudWatch over HTTP: the JS SDK (JSON 1.0) and the AWS CLI (botocore's Query protocol) against one
// server, seeing the same metrics and alarms. CLI cases are skipped when `aws` is not installed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { DescribeAlarmsCommand, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ManualClock, createCloud, type Cloud } from '../../index.ts';
import { startCloudServer, type CloudServer } from '../../server.ts';
import { clientsForEndpoint } from '../../../aws/index.ts';

const START = Date.now();
const awsCli = await new Promise<boolean>((resolve) => execFile('aws', ['--version'], (error) => resolve(!error)));

function cli(server: CloudServer, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
  return new Promise((resolve) =>
    execFile('aws', ['--endpoint-url', server.url, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    ),
  );
}

describe('CloudWatch over HTTP', () => {
  let cloud: Cloud;
  let clock: ManualClock;
  let server: CloudServer;
  beforeAll(async () => {
    clock = new ManualClock(START);
    cloud = createCloud({ clock });
    server = await startCloudServer({ cloud, port: 0 });
  });
  afterAll(async () => {
    await server.close();
    cloud.dispose();
  });

  it('serves the JS SDK over JSON 1.0 and evaluates the alarm on the server clock', async () => {
    const { cloudwatch } = clientsForEndpoint({ endpoint: server.url, region: 'us-east-1' });
    await cloudwatch.send(new PutMetricAlarmCommand({
      AlarmName: 'pettracker-high-cpu', Namespace: 'PetTracker', MetricName: 'CPU', Dimensions: [{ Name: 'EnvironmentName', Value: 'pettracker-prod' }],
      Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 80, ComparisonOperator: 'GreaterThanThreshold', AlarmDescription: 'CPU above 80% for a minute',
    }));
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: 'PetTracker', MetricData: [{ MetricName: 'CPU', Dimensions: [{ Name: 'EnvironmentName', Value: 'pettracker-prod' }], Value: 97, Unit: 'Percent' }] }));
    await clock.advance(60_000);
    const { MetricAlarms } = await cloudwatch.send(new DescribeAlarmsCommand({}));
    expect(MetricAlarms?.map((a) => [a.AlarmName, a.StateValue])).toEqual([['pettracker-high-cpu', 'ALARM']]);
  });

  it.skipIf(!awsCli)('answers the AWS CLI over Query: describe-alarms, put-metric-data, get-metric-statistics, errors', async () => {
    const described = await cli(server, 'cloudwatch', 'describe-alarms', '--state-value', 'ALARM', '--output', 'json');
    expect(described.stderr).toBe('');
    const alarms = JSON.parse(described.stdout).MetricAlarms;
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ AlarmName: 'pettracker-high-cpu', StateValue: 'ALARM', Threshold: 80, Dimensions: [{ Name: 'EnvironmentName', Value: 'pettracker-prod' }], AlarmDescription: 'CPU above 80% for a minute' });
    const put = await cli(server, 'cloudwatch', 'put-metric-data', '--namespace', 'PetTracker', '--metric-name', 'Signups', '--value', '3', '--unit', 'Count', '--timestamp', new Date(START).toISOString());
    expect(put.stderr).toBe('');
    const stats = await cli(server, 'cloudwatch', 'get-metric-statistics', '--namespace', 'PetTracker', '--metric-name', 'Signups', '--statistics', 'Sum', 'SampleCount',
      '--start-time', new Date(START - 60_000).toISOString(), '--end-time', new Date(START + 120_000).toISOString(), '--period', '60', '--output', 'json');
    expect(JSON.parse(stats.stdout)).toMatchObject({ Label: 'Signups', Datapoints: [{ Sum: 3, SampleCount: 1, Unit: 'Count' }] });
    const bad = await cli(server, 'cloudwatch', 'delete-alarms', '--alarm-names', 'no-such-alarm');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('An error occurred (ResourceNotFound) when calling the DeleteAlarms operation: The following alarms do not exist: [no-such-alarm]');
  });
});
