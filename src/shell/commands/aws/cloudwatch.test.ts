import { describe, it, expect } from 'vitest';
import { labShell, labWithEnvironment } from '../../test/lab.ts';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('aws cloudwatch', () => {
  it('publishes a custom metric with the CLI shortcuts, lists it and reads its statistics', async () => {
    const { shell, clients } = await labShell();
    const start = Math.floor(clients.now() / 60_000) * 60_000;
    for (const value of [3, 5]) {
      const put = await shell.exec(`aws cloudwatch put-metric-data --namespace PetTracker --metric-name Signups --value ${value} --unit Count --dimensions Environment=prod,Team=web`);
      expect(put.exitCode).toBe(0);
      expect(put.stdout).toBe('');
    }
    const listed = await shell.exec('aws cloudwatch list-metrics --namespace PetTracker');
    expect(JSON.parse(listed.stdout)).toEqual({
      Metrics: [{ Namespace: 'PetTracker', MetricName: 'Signups', Dimensions: [{ Name: 'Environment', Value: 'prod' }, { Name: 'Team', Value: 'web' }] }],
    });
    await clients.sleep(60_000);
    const stats = await shell.exec(
      `aws cloudwatch get-metric-statistics --namespace PetTracker --metric-name Signups --dimensions Name=Environment,Value=prod Name=Team,Value=web --start-time ${iso(start)} --end-time ${iso(start + 120_000)} --period 60 --statistics Sum Maximum SampleCount`,
    );
    expect(stats.exitCode).toBe(0);
    const parsed = JSON.parse(stats.stdout);
    expect(parsed.Label).toBe('Signups');
    expect(parsed.Datapoints).toEqual([{ Timestamp: new Date(start).toISOString().replace('.000Z', '+00:00'), Sum: 8, Maximum: 5, SampleCount: 2, Unit: 'Count' }]);
    const text = await shell.exec(
      `aws cloudwatch get-metric-statistics --namespace PetTracker --metric-name Signups --dimensions Name=Environment,Value=prod Name=Team,Value=web --start-time ${iso(start)} --end-time ${iso(start + 120_000)} --period 60 --statistics Sum --query 'Datapoints[0].Sum' --output text`,
    );
    expect(text.stdout).toBe('8.0\n');
    // Doubles print as Python floats, as the AWS CLI does; SampleCount too, counts of the API model stay integers.
    expect(stats.stdout).toContain('"Sum": 8.0,');
    expect(stats.stdout).toContain('"SampleCount": 2.0,');
    const filtered = await shell.exec(
      `aws cloudwatch get-metric-statistics --namespace PetTracker --metric-name Signups --dimensions Name=Environment,Value=prod Name=Team,Value=web --start-time ${iso(start)} --end-time ${iso(start + 120_000)} --period 60 --statistics Sum --query 'Datapoints[?Sum > \`7\`].Sum'`,
    );
    expect(filtered.stdout).toBe('[\n    8.0\n]\n');
    const yaml = await shell.exec(
      `aws cloudwatch get-metric-statistics --namespace PetTracker --metric-name Signups --dimensions Name=Environment,Value=prod Name=Team,Value=web --start-time ${iso(start)} --end-time ${iso(start + 120_000)} --period 60 --statistics Sum --query 'Datapoints[0].Sum' --output yaml`,
    );
    expect(yaml.stdout).toBe('8.0\n');
  });

  it('takes --metric-data in shorthand and JSON, and refuses mixing it with --value', async () => {
    const { shell } = await labShell();
    const shorthand = await shell.exec('aws cloudwatch put-metric-data --namespace PetTracker --metric-data MetricName=Latency,Value=120,Unit=Milliseconds');
    expect(shorthand.exitCode).toBe(0);
    const json = await shell.exec(`aws cloudwatch put-metric-data --namespace PetTracker --metric-data '[{"MetricName":"Errors","Value":2}]'`);
    expect(json.exitCode).toBe(0);
    const names = await shell.exec("aws cloudwatch list-metrics --namespace PetTracker --query 'Metrics[].MetricName' --output text");
    expect(names.stdout.trim().split('\t').sort()).toEqual(['Errors', 'Latency']);
    const mixed = await shell.exec('aws cloudwatch put-metric-data --namespace PetTracker --metric-data MetricName=X,Value=1 --value 2');
    expect(mixed.exitCode).toBe(252);
    expect(mixed.stderr).toContain('--metric-data cannot be combined with --value');
    const noValue = await shell.exec('aws cloudwatch put-metric-data --namespace PetTracker --metric-name X');
    expect(noValue.stderr).toContain('--metric-name X needs a --value');
    const reserved = await shell.exec('aws cloudwatch put-metric-data --namespace AWS/EC2 --metric-name CPUUtilization --value 1');
    expect(reserved.exitCode).toBe(254);
    expect(reserved.stderr).toMatch(/An error occurred \(InvalidParameterValue\) when calling the PutMetricData operation: .*reserved/);
    expect(reserved.stderr).not.toContain('Exception');
  });

  it('creates an alarm that goes to ALARM on breaching data, with history, set-alarm-state and delete', async () => {
    const { shell, clients } = await labShell();
    const create = await shell.exec(
      'aws cloudwatch put-metric-alarm --alarm-name signup-errors --alarm-description "Too many errors" --namespace PetTracker --metric-name Errors --dimensions Name=Environment,Value=prod --statistic Sum --period 60 --evaluation-periods 1 --threshold 10 --comparison-operator GreaterThanThreshold --treat-missing-data notBreaching',
    );
    expect(create.exitCode).toBe(0);
    expect(create.stdout).toBe('');
    const described = JSON.parse((await shell.exec('aws cloudwatch describe-alarms --alarm-names signup-errors')).stdout);
    expect(described.MetricAlarms[0]).toMatchObject({
      AlarmName: 'signup-errors',
      AlarmDescription: 'Too many errors',
      Namespace: 'PetTracker',
      Threshold: 10,
      Period: 60,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'Environment', Value: 'prod' }],
      StateValue: 'INSUFFICIENT_DATA',
    });
    expect((await shell.exec('aws cloudwatch describe-alarms --alarm-names signup-errors')).stdout).toMatch(/"Threshold": 10\.0,\n {12}"ComparisonOperator"|"Threshold": 10\.0,/);
    expect(described.MetricAlarms[0].AlarmArn).toMatch(/^arn:aws:cloudwatch:us-east-1:\d{12}:alarm:signup-errors$/);
    await shell.exec('aws cloudwatch put-metric-data --namespace PetTracker --metric-name Errors --value 12 --dimensions Environment=prod');
    await clients.sleep(60_000);
    const state = await shell.exec("aws cloudwatch describe-alarms --alarm-names signup-errors --query 'MetricAlarms[0].[StateValue,StateReason]' --output text");
    expect(state.stdout).toMatch(/^ALARM\tThreshold Crossed: 1 out of the last 1 datapoints \[12\.0 \(\d\d\/\d\d\/\d\d \d\d:\d\d:00\)\] was greater than the threshold \(10\.0\)/);
    const history = JSON.parse((await shell.exec('aws cloudwatch describe-alarm-history --alarm-name signup-errors --history-item-type StateUpdate')).stdout);
    expect(history.AlarmHistoryItems.map((h: { HistorySummary: string }) => h.HistorySummary)).toContain('Alarm updated from INSUFFICIENT_DATA to ALARM');
    const set = await shell.exec('aws cloudwatch set-alarm-state --alarm-name signup-errors --state-value OK --state-reason "checked by hand"');
    expect(set.exitCode).toBe(0);
    expect((await shell.exec("aws cloudwatch describe-alarms --query 'MetricAlarms[0].StateValue' --output text")).stdout).toBe('OK\n');
    const table = await shell.exec("aws cloudwatch describe-alarms --query 'MetricAlarms[].{Name:AlarmName,State:StateValue}' --output table");
    expect(table.stdout).toMatch(/\|\s+signup-errors\s+\|\s+OK\s+\|/);
    expect((await shell.exec('aws cloudwatch delete-alarms --alarm-names signup-errors')).stdout).toBe('');
    expect((await shell.exec("aws cloudwatch describe-alarms --query 'length(MetricAlarms)'")).stdout).toBe('0\n');
  });

  it('pages through describe-alarms as the CLI does, with --max-items and --starting-token', async () => {
    const { shell } = await labShell();
    const created = await shell.exec(
      'for i in $(seq 1 55); do aws cloudwatch put-metric-alarm --alarm-name "a-$i" --namespace PetTracker --metric-name Errors --statistic Sum --period 60 --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanThreshold || echo failed; done',
    );
    expect(created.stdout).toBe('');
    expect((await shell.exec("aws cloudwatch describe-alarms --query 'length(MetricAlarms)'")).stdout).toBe('55\n');
    expect((await shell.exec("aws cloudwatch describe-alarms --page-size 7 --query 'length(MetricAlarms)'")).stdout).toBe('55\n');
    const first = JSON.parse((await shell.exec('aws cloudwatch describe-alarms --max-items 52 --page-size 10')).stdout);
    expect(first.MetricAlarms).toHaveLength(52);
    expect(typeof first.NextToken).toBe('string');
    const rest = JSON.parse((await shell.exec(`aws cloudwatch describe-alarms --starting-token ${first.NextToken}`)).stdout);
    expect(rest.MetricAlarms).toHaveLength(3);
    expect(rest.NextToken).toBeUndefined();
    const names = [...first.MetricAlarms, ...rest.MetricAlarms].map((a: { AlarmName: string }) => a.AlarmName);
    expect(new Set(names).size).toBe(55);
    const onePage = JSON.parse((await shell.exec('aws cloudwatch describe-alarms --max-records 5')).stdout);
    expect(onePage.MetricAlarms).toHaveLength(5);
    expect(typeof onePage.NextToken).toBe('string');
  });

  it('reports missing and unknown options and bad numbers like the CLI', async () => {
    const { shell } = await labShell();
    const missing = await shell.exec('aws cloudwatch put-metric-alarm --evaluation-periods 1 --comparison-operator GreaterThanThreshold');
    expect(missing.exitCode).toBe(252);
    expect(missing.stderr).toContain('aws: error: the following arguments are required: --alarm-name');
    const unknown = await shell.exec('aws cloudwatch describe-alarms --alarm-nam x');
    expect(unknown.stderr).toContain('Unknown options: --alarm-nam, x');
    const threshold = await shell.exec('aws cloudwatch put-metric-alarm --alarm-name x --evaluation-periods 1 --comparison-operator GreaterThanThreshold --threshold ten');
    expect(threshold.exitCode).toBe(252);
    expect(threshold.stderr).toContain("could not convert string to float: 'ten'");
    const badOp = await shell.exec('aws cloudwatch describe-alarm');
    expect(badOp.stderr).toMatch(/Invalid choice.*describe-alarms/s);
    const serviceError = await shell.exec(
      'aws cloudwatch put-metric-alarm --alarm-name x --namespace PetTracker --metric-name Errors --statistic Sum --period 60 --evaluation-periods 1 --threshold 1 --comparison-operator Above',
    );
    expect(serviceError.exitCode).toBe(254);
    expect(serviceError.stderr).toMatch(/^\nAn error occurred \(\w+\) when calling the PutMetricAlarm operation: .*ComparisonOperator/);
  });

  it('explains each operation with --help and completes its options', async () => {
    const { shell } = await labShell();
    const help = await shell.exec('aws cloudwatch put-metric-alarm --help');
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('--alarm-name <string>  (required)');
    expect(help.stdout).toContain('--threshold <number>');
    expect(help.stdout).toContain('Example:');
    expect((await shell.exec('aws cloudwatch help')).stdout).toContain('  put-metric-data');
    expect((await shell.complete('aws cloudwatch describe-al', 26)).candidates).toEqual(['describe-alarm-history', 'describe-alarms', 'describe-alarms-for-metric']);
    expect((await shell.complete('aws cloudwatch describe-alarms --max-i', 37)).candidates).toEqual(['--max-items']);
  });
});

describe('aws cloudwatch with an Elastic Beanstalk environment', () => {
  it('lists and reads the environment’s metrics and alarms on its 5xx count', async () => {
    const lab = await labWithEnvironment();
    const { shell, clients, cname } = lab;
    // Elastic Beanstalk publishes the request and instance counts only when the ConfigDocument lists them.
    const configDocument = JSON.stringify({ Version: 1, CloudWatchMetrics: { Environment: { ApplicationRequestsTotal: 60, ApplicationRequests5xx: 60, InstancesOk: 60 } } });
    await shell.exec(`printf '%s' '${JSON.stringify([{ Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'ConfigDocument', Value: configDocument }])}' > metrics.json`);
    expect((await shell.exec('aws elasticbeanstalk update-environment --environment-name pettracker-web-staging --option-settings file://metrics.json')).exitCode).toBe(0);
    expect((await shell.exec('aws elasticbeanstalk wait environment-updated --environment-names pettracker-web-staging')).exitCode).toBe(0);
    const names = await shell.exec("aws cloudwatch list-metrics --namespace AWS/ElasticBeanstalk --dimensions Name=EnvironmentName,Value=pettracker-web-staging --query 'Metrics[].MetricName' --output text");
    expect(names.stdout.trim().split('\t')).toEqual(expect.arrayContaining(['EnvironmentHealth', 'ApplicationRequests5xx', 'InstancesOk']));
    const cpu = await shell.exec("aws cloudwatch list-metrics --namespace AWS/EC2 --metric-name CPUUtilization --query 'Metrics[].Dimensions[0].Name' --output text");
    expect(cpu.stdout).toMatch(/InstanceId/);
    const alarm = await shell.exec(
      'aws cloudwatch put-metric-alarm --alarm-name web-5xx --namespace AWS/ElasticBeanstalk --metric-name ApplicationRequests5xx --dimensions Name=EnvironmentName,Value=pettracker-web-staging --statistic Sum --period 60 --evaluation-periods 1 --threshold 0 --comparison-operator GreaterThanThreshold --treat-missing-data notBreaching',
    );
    expect(alarm.exitCode).toBe(0);
    for (let i = 0; i < 3; i++) expect((await shell.exec(`curl -s http://${cname}/`)).stdout).toBe('PetTracker');
    await clients.sleep(2 * 60_000);
    const now = clients.now();
    const start = new Date(now - 10 * 60_000).toISOString();
    const end = new Date(now).toISOString();
    const lastMinute = Math.floor(now / 60_000) * 60_000 - 60_000;
    const health = await shell.exec(
      `aws cloudwatch get-metric-statistics --namespace AWS/ElasticBeanstalk --metric-name EnvironmentHealth --dimensions Name=EnvironmentName,Value=pettracker-web-staging --start-time ${new Date(lastMinute).toISOString()} --end-time ${end} --period 60 --statistics Maximum --query 'Datapoints[0].Maximum' --output text`,
    );
    expect(health.stdout).toBe('0.0\n');
    // Ten minutes back reach the launch, when health was Pending (reported as 5, Unknown).
    const launch = await shell.exec(
      `aws cloudwatch get-metric-statistics --namespace AWS/ElasticBeanstalk --metric-name EnvironmentHealth --dimensions Name=EnvironmentName,Value=pettracker-web-staging --start-time ${start} --end-time ${end} --period 600 --statistics Maximum Minimum --query 'Datapoints[0].[Maximum,Minimum]' --output text`,
    );
    expect(launch.stdout).toBe('5.0\t0.0\n');
    const requests = await shell.exec(
      `aws cloudwatch get-metric-statistics --namespace AWS/ElasticBeanstalk --metric-name ApplicationRequestsTotal --dimensions Name=EnvironmentName,Value=pettracker-web-staging --start-time ${start} --end-time ${end} --period 600 --statistics Sum --query 'Datapoints[0].Sum' --output text`,
    );
    expect(requests.stdout).toBe('3.0\n');
    expect((await shell.exec("aws cloudwatch describe-alarms --alarm-names web-5xx --query 'MetricAlarms[0].StateValue' --output text")).stdout).toBe('OK\n');
  });
});
