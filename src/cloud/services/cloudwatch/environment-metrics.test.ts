// Elastic Beanstalk metrics in CloudWatch: EnvironmentHealth, the custom metrics a ConfigDocument enables
// (ApplicationRequests*, latency percentiles, Instances*) per EnvironmentName, AWS/EC2 per instance and
// AWS/ApplicationELB per load balancer, listed, read and usable by alarms.
import { describe, expect, it } from 'vitest';
import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateApplicationCommand,
  CreateApplicationVersionCommand,
  CreateEnvironmentCommand,
  CreateStorageLocationCommand,
  DescribeEnvironmentResourcesCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  UpdateEnvironmentCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { strFromU8, unzipSync } from 'fflate';
import { ManualClock, createCloud } from '../../index.ts';
import { clientsForCloud } from '../../../aws/index.ts';
import { NODE_STACK, nodeApp, zip } from '../elasticbeanstalk/test-helpers.ts';
import { cpuUtilization, ElasticBeanstalkMetrics, ENVIRONMENT_HEALTH_VALUES, loadBalancerDimension } from './environment-metrics.ts';
import type { EnvironmentView } from './environment-metrics.ts';

const unzipText = (bundle: Uint8Array): Record<string, string> => Object.fromEntries(Object.entries(unzipSync(bundle)).map(([path, bytes]) => [path, strFromU8(bytes)]));

/** An Express app whose health check passes and whose / answers 500 (a deploy that fails requests) or 200. */
function expressApp(rootStatus: number): Uint8Array {
  return zip({
    'package.json': JSON.stringify({ name: 'pettracker', scripts: { start: 'node app.js' }, dependencies: { express: '^4.19.2' } }),
    'app.js': [
      "const express = require('express');",
      'const app = express();',
      "app.get('/health', (req, res) => res.send('ok'));",
      `app.get('/', (req, res) => res.status(${rootStatus}).send('PetTracker'));`,
      'app.listen(process.env.PORT || 8080);',
      '',
    ].join('\n'),
  });
}

const ENHANCED = { Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'SystemType', Value: 'enhanced' };

/** AWS's documented .ebextensions form: the ConfigDocument as YAML under the healthreporting namespace. */
const METRICS_CONFIG = [
  'option_settings:',
  '  aws:elasticbeanstalk:healthreporting:system:',
  '    ConfigDocument:',
  '      Version: 1',
  '      CloudWatchMetrics:',
  '        Environment:',
  '          ApplicationRequestsTotal: 60',
  '          ApplicationRequests2xx: 60',
  '          ApplicationRequests5xx: 60',
  '          ApplicationLatencyP99: 60',
  '          InstancesOk: null',
  '',
].join('\n');

describe('AWS/ElasticBeanstalk custom metrics', () => {
  it('publishes only EnvironmentHealth until a deploy lists metrics in the ConfigDocument, and those only from then on', async () => {
    const clock = new ManualClock(Date.parse('2026-11-23T08:00:00Z'));
    const cloud = createCloud({ clock, log: () => {} });
    const aws = clientsForCloud(cloud);
    const { S3Bucket } = await aws.eb.send(new CreateStorageLocationCommand({}));
    await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));
    const bundles: [string, Uint8Array][] = [
      ['v1', expressApp(200)],
      ['v2', zip({ '.ebextensions/cloudwatch-metrics.config': METRICS_CONFIG, ...unzipText(expressApp(200)) })],
    ];
    for (const [label, body] of bundles) {
      await aws.s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: `pettracker/${label}.zip`, Body: body }));
      await aws.eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'pettracker', VersionLabel: label, SourceBundle: { S3Bucket, S3Key: `pettracker/${label}.zip` } }));
    }
    await aws.eb.send(new CreateEnvironmentCommand({ ApplicationName: 'pettracker', EnvironmentName: 'pettracker-prod', VersionLabel: 'v1', SolutionStackName: NODE_STACK, OptionSettings: [ENHANCED] }));
    await clock.advance(10 * 60_000);
    const [env] = (await aws.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-prod'] }))).Environments ?? [];
    expect(env.Status).toBe('Ready');
    const dims = [{ Name: 'EnvironmentName', Value: 'pettracker-prod' }];
    const listedNames = async () =>
      ((await aws.cloudwatch.send(new ListMetricsCommand({ Namespace: 'AWS/ElasticBeanstalk', Dimensions: dims }))).Metrics ?? []).map((m) => m.MetricName).sort();
    const sum = async (MetricName: string, at: number) =>
      (await aws.cloudwatch.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/ElasticBeanstalk', MetricName, Dimensions: dims, StartTime: new Date(at), EndTime: new Date(at + 60_000), Period: 60, Statistics: ['Sum'] }))).Datapoints?.map((d) => d.Sum);
    const send8 = async () => {
      for (let i = 0; i < 8; i++) {
        const res = await cloud.evidence.request('000000000000', { url: `http://${env.CNAME}/`, method: 'GET', headers: {} });
        expect(res.status).toBe(200);
        await clock.advance(5_000);
      }
      await clock.advance(60_000 - 40_000);
    };

    expect(await listedNames()).toEqual(['EnvironmentHealth']);
    const beforeMinute = clock.now() - (clock.now() % 60_000) + 60_000;
    await clock.advance(beforeMinute - clock.now());
    await send8();
    expect(await sum('ApplicationRequests2xx', beforeMinute)).toEqual([]);

    await aws.eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'pettracker-prod', VersionLabel: 'v2' }));
    await clock.advance(5 * 60_000);
    expect((await aws.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-prod'] }))).Environments?.[0]).toMatchObject({ Status: 'Ready', VersionLabel: 'v2' });
    // null publishes nothing; InstancesOk stays unlisted.
    expect(await listedNames()).toEqual(['ApplicationLatencyP99', 'ApplicationRequests2xx', 'ApplicationRequests5xx', 'ApplicationRequestsTotal', 'EnvironmentHealth']);

    await aws.cloudwatch.send(new PutMetricAlarmCommand({
      AlarmName: 'pettracker-busy', Namespace: 'AWS/ElasticBeanstalk', MetricName: 'ApplicationRequestsTotal', Dimensions: dims,
      Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
    }));
    const afterMinute = clock.now() - (clock.now() % 60_000) + 60_000;
    await clock.advance(afterMinute - clock.now());
    await send8();
    expect(await sum('ApplicationRequests2xx', afterMinute)).toEqual([8]);
    // Enabling a metric publishes nothing for the minutes before it: the requests of the first minute stay uncounted.
    expect(await sum('ApplicationRequests2xx', beforeMinute)).toEqual([]);
    const p99 = (await aws.cloudwatch.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/ElasticBeanstalk', MetricName: 'ApplicationLatencyP99', Dimensions: dims, StartTime: new Date(afterMinute), EndTime: new Date(afterMinute + 60_000), Period: 60, Statistics: ['Maximum'] }))).Datapoints?.[0];
    expect(p99?.Maximum).toBeGreaterThan(0);
    expect(p99?.Maximum).toBeLessThan(1);
    const { MetricAlarms } = await aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['pettracker-busy'] }));
    expect(MetricAlarms?.[0].StateValue).toBe('ALARM');

    // A minute nobody calls the app is a 0 from the health agent, not a gap: an alarm on the 5xx count turns OK.
    await aws.cloudwatch.send(new PutMetricAlarmCommand({
      AlarmName: 'pettracker-5xx', Namespace: 'AWS/ElasticBeanstalk', MetricName: 'ApplicationRequests5xx', Dimensions: dims,
      Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }));
    const quietMinute = clock.now() - (clock.now() % 60_000) + 60_000;
    await clock.advance(quietMinute + 2 * 60_000 - clock.now());
    expect(await sum('ApplicationRequests5xx', quietMinute)).toEqual([0]);
    const quiet = (await aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['pettracker-5xx'] }))).MetricAlarms?.[0];
    expect(quiet?.StateValue).toBe('OK');
    cloud.dispose();
  });

  it('rejects a malformed ConfigDocument: synchronously from the API, with an ERROR event from .ebextensions', async () => {
    const clock = new ManualClock(Date.parse('2026-11-23T08:00:00Z'));
    const cloud = createCloud({ clock, log: () => {} });
    const aws = clientsForCloud(cloud);
    const { S3Bucket } = await aws.eb.send(new CreateStorageLocationCommand({}));
    await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));
    const badConfig = METRICS_CONFIG.replace('ApplicationRequests5xx: 60', 'ApplicationRequests5xx: 30');
    for (const [label, body] of [['v1', expressApp(200)], ['v2', zip({ '.ebextensions/cloudwatch-metrics.config': badConfig, ...unzipText(expressApp(200)) })]] as const) {
      await aws.s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: `pettracker/${label}.zip`, Body: body }));
      await aws.eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'pettracker', VersionLabel: label, SourceBundle: { S3Bucket, S3Key: `pettracker/${label}.zip` } }));
    }
    await aws.eb.send(new CreateEnvironmentCommand({ ApplicationName: 'pettracker', EnvironmentName: 'pettracker-prod', VersionLabel: 'v1', SolutionStackName: NODE_STACK, OptionSettings: [ENHANCED] }));
    await clock.advance(10 * 60_000);
    const configDocument = (value: string) => ({ Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'ConfigDocument', Value: value });
    for (const [value, reason] of [
      ['{"CloudWatchMetrics": {"Environment": {"ApplicationRequests5xx": 60}', 'Value is not valid JSON.'],
      ['{"CloudWatchMetrics": {"Environment": {"ApplicationRequests5xx": 30}}}', 'CloudWatchMetrics.Environment.ApplicationRequests5xx is 30; the period must be 60'],
      ['{"CloudWatchMetrics": {"Environment": {"ApplicationRequests500": 60}}}', "Unknown metric 'ApplicationRequests500' in CloudWatchMetrics.Environment"],
      ['{"CloudWatchMetrics": {"Environment": {"CPUUser": 60}}}', 'CPUUser is not an Environment metric in CloudWatchMetrics; list it under Instance.'],
    ]) {
      const error = await aws.eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'pettracker-prod', OptionSettings: [configDocument(value)] })).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('ConfigurationValidationException');
      expect((error as Error).message).toContain("OptionName: 'ConfigDocument'");
      expect((error as Error).message).toContain(reason);
    }

    await aws.eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'pettracker-prod', VersionLabel: 'v2' }));
    await clock.advance(5 * 60_000);
    const { Events } = await aws.eb.send(new DescribeEventsCommand({ EnvironmentName: 'pettracker-prod', Severity: 'ERROR' }));
    expect(Events?.map((e) => e.Message).join('\n')).toContain('CloudWatchMetrics.Environment.ApplicationRequests5xx is 30');
    const listed = await aws.cloudwatch.send(new ListMetricsCommand({ Namespace: 'AWS/ElasticBeanstalk' }));
    expect(listed.Metrics?.map((m) => m.MetricName)).toEqual(['EnvironmentHealth']);
    cloud.dispose();
  });
});

describe('Elastic Beanstalk metrics of an enhanced-health, load-balanced environment', () => {
  it('publishes EC2, ALB and EB metrics, and an ApplicationRequests5xx alarm goes to ALARM after a deploy that fails requests', async () => {
    const clock = new ManualClock(Date.parse('2026-11-23T10:00:00Z'));
    const cloud = createCloud({ clock, log: () => {} });
    const aws = clientsForCloud(cloud);
    const { S3Bucket } = await aws.eb.send(new CreateStorageLocationCommand({}));
    await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));
    for (const [label, status] of [['v1', 200], ['v2', 500]] as const) {
      await aws.s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: `pettracker/${label}.zip`, Body: expressApp(status) }));
      await aws.eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'pettracker', VersionLabel: label, SourceBundle: { S3Bucket, S3Key: `pettracker/${label}.zip` } }));
    }
    await aws.eb.send(
      new CreateEnvironmentCommand({
        ApplicationName: 'pettracker',
        EnvironmentName: 'pettracker-prod',
        VersionLabel: 'v1',
        SolutionStackName: NODE_STACK,
        OptionSettings: [
          ENHANCED,
          {
            Namespace: 'aws:elasticbeanstalk:healthreporting:system',
            OptionName: 'ConfigDocument',
            Value: JSON.stringify({ Version: 1, CloudWatchMetrics: { Environment: { ApplicationRequests5xx: 60, InstancesOk: 60, InstancesSevere: 60 } } }),
          },
          { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'LoadBalancerType', Value: 'application' },
          { Namespace: 'aws:elasticbeanstalk:environment:process:default', OptionName: 'HealthCheckPath', Value: '/health' },
          { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '2' },
        ],
      }),
    );
    await clock.advance(10 * 60_000);
    const [env] = (await aws.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-prod'] }))).Environments ?? [];
    expect(env).toMatchObject({ Status: 'Ready', HealthStatus: 'Ok' });
    const resources = (await aws.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: 'pettracker-prod' }))).EnvironmentResources;
    const instanceIds = (resources?.Instances ?? []).map((i) => i.Id!).sort();
    expect(instanceIds).toHaveLength(2);
    const lbArn = resources?.LoadBalancers?.[0]?.Name ?? '';
    const lb = loadBalancerDimension(lbArn);
    expect(lb).toMatch(/^app\/awseb-[\w-]+\/[0-9a-f]{16}$/);

    cloud.evidence.setProbe('000000000000', 'us-east-1', 'pettracker-prod', 6);
    const dims = [{ Name: 'EnvironmentName', Value: 'pettracker-prod' }];
    await aws.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'pettracker-5xx',
        Namespace: 'AWS/ElasticBeanstalk',
        MetricName: 'ApplicationRequests5xx',
        Dimensions: dims,
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 10,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    await clock.advance(3 * 60_000);
    const healthyAt = Math.floor(clock.now() / 60_000) * 60_000 - 60_000;
    expect((await aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['pettracker-5xx'] }))).MetricAlarms?.[0].StateValue).toBe('OK');

    const listed = await aws.cloudwatch.send(new ListMetricsCommand({}));
    const names = (namespace: string, dimension: string) =>
      (listed.Metrics ?? [])
        .filter((m) => m.Namespace === namespace && m.Dimensions?.[0]?.Name === dimension && m.Dimensions.length === 1)
        .map((m) => `${m.MetricName} ${m.Dimensions?.[0].Value}`);
    expect(names('AWS/EC2', 'InstanceId')).toEqual(expect.arrayContaining(instanceIds.map((id) => `CPUUtilization ${id}`)));
    expect(names('AWS/ApplicationELB', 'LoadBalancer')).toEqual(
      expect.arrayContaining([`RequestCount ${lb}`, `HTTPCode_Target_5XX_Count ${lb}`, `HTTPCode_ELB_5XX_Count ${lb}`, `TargetResponseTime ${lb}`]),
    );
    expect(names('AWS/ElasticBeanstalk', 'EnvironmentName')).toEqual(expect.arrayContaining(['EnvironmentHealth pettracker-prod', 'InstancesOk pettracker-prod']));

    await aws.eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'pettracker-prod', VersionLabel: 'v2' }));
    await clock.advance(6 * 60_000);
    const failingAt = Math.floor(clock.now() / 60_000) * 60_000 - 60_000;
    const [alarm] = (await aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['pettracker-5xx'] }))).MetricAlarms ?? [];
    expect(alarm.StateValue).toBe('ALARM');
    expect(alarm.StateReason).toMatch(
      /^Threshold Crossed: 1 out of the last 1 datapoints \[\d+\.0 \(23\/11\/26 10:\d\d:00\)\] was greater than the threshold \(10\.0\) \(minimum 1 datapoint for OK -> ALARM transition\)\.$/,
    );
    const history = await aws.cloudwatch.send(new DescribeAlarmHistoryCommand({ AlarmName: 'pettracker-5xx', HistoryItemType: 'StateUpdate' }));
    expect(history.AlarmHistoryItems?.map((h) => h.HistorySummary)).toContain('Alarm updated from OK to ALARM');

    const stat = async (Namespace: string, MetricName: string, Dimensions: { Name: string; Value: string }[], at: number, Statistics: ('Sum' | 'Average' | 'Maximum' | 'SampleCount')[]) => {
      const { Datapoints } = await aws.cloudwatch.send(
        new GetMetricStatisticsCommand({ Namespace, MetricName, Dimensions, StartTime: new Date(at), EndTime: new Date(at + 60_000), Period: 60, Statistics }),
      );
      return Datapoints?.[0];
    };
    const byLb = [{ Name: 'LoadBalancer', Value: lb }];
    // 6 probe requests a second: 360 a minute through the load balancer, all answered 500 by v2's targets.
    expect((await stat('AWS/ApplicationELB', 'RequestCount', byLb, failingAt, ['Sum']))?.Sum).toBe(360);
    expect((await stat('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', byLb, failingAt, ['Sum']))?.Sum).toBe(360);
    expect(await stat('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', byLb, healthyAt, ['Sum'])).toBeUndefined();
    expect((await stat('AWS/ApplicationELB', 'HTTPCode_Target_2XX_Count', byLb, healthyAt, ['Sum']))?.Sum).toBe(360);
    const latency = await stat('AWS/ApplicationELB', 'TargetResponseTime', byLb, healthyAt, ['Average', 'SampleCount']);
    expect(latency?.SampleCount).toBe(360);
    expect(latency?.Average).toBeGreaterThan(0.003);
    expect(latency?.Average).toBeLessThan(0.1);
    expect((await stat('AWS/ElasticBeanstalk', 'EnvironmentHealth', dims, healthyAt, ['Maximum']))?.Maximum).toBe(ENVIRONMENT_HEALTH_VALUES.Ok);
    expect((await stat('AWS/ElasticBeanstalk', 'EnvironmentHealth', dims, failingAt, ['Maximum']))?.Maximum).toBe(25);
    expect((await stat('AWS/ElasticBeanstalk', 'InstancesOk', dims, healthyAt, ['Maximum']))?.Maximum).toBe(2);
    expect((await stat('AWS/ElasticBeanstalk', 'InstancesSevere', dims, failingAt, ['Maximum']))?.Maximum).toBe(2);

    // Each instance answers half the probe: 3 requests a second.
    const cpu = await stat('AWS/EC2', 'CPUUtilization', [{ Name: 'InstanceId', Value: instanceIds[0] }], healthyAt, ['Average', 'SampleCount']);
    expect(cpu).toMatchObject({ SampleCount: 1, Average: cpuUtilization(3), Unit: 'Percent' });
    const group = await stat('AWS/EC2', 'CPUUtilization', [{ Name: 'AutoScalingGroupName', Value: resources?.AutoScalingGroups?.[0]?.Name ?? '' }], healthyAt, ['Average', 'SampleCount']);
    expect(group).toMatchObject({ SampleCount: 2, Average: cpuUtilization(3) });

    const data = await aws.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(healthyAt),
        EndTime: new Date(failingAt + 60_000),
        MetricDataQueries: [
          { Id: 'errors', MetricStat: { Metric: { Namespace: 'AWS/ElasticBeanstalk', MetricName: 'ApplicationRequests5xx', Dimensions: dims }, Period: 60, Stat: 'Sum' } },
        ],
      }),
    );
    const errors = data.MetricDataResults?.[0];
    expect(errors?.Values?.[0]).toBe(360);
    expect(errors?.Values?.[errors.Values.length - 1]).toBe(0);
    cloud.dispose();
  });
});

describe('Elastic Beanstalk metrics past saturation', () => {
  it('counts the load balancer’s 504 timeouts as HTTPCode_ELB_5XX_Count, and CPUUtilization reaches 100%', async () => {
    const clock = new ManualClock(Date.parse('2026-11-23T12:00:00Z'));
    const cloud = createCloud({ clock, log: () => {} });
    const aws = clientsForCloud(cloud);
    const { S3Bucket } = await aws.eb.send(new CreateStorageLocationCommand({}));
    await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));
    await aws.s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: 'pettracker/v1.zip', Body: expressApp(200) }));
    await aws.eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'pettracker', VersionLabel: 'v1', SourceBundle: { S3Bucket, S3Key: 'pettracker/v1.zip' } }));
    await aws.eb.send(
      new CreateEnvironmentCommand({
        ApplicationName: 'pettracker',
        EnvironmentName: 'pettracker-busy',
        VersionLabel: 'v1',
        SolutionStackName: NODE_STACK,
        OptionSettings: [
          { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'LoadBalancerType', Value: 'application' },
          { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '1' },
          { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '1' },
        ],
      }),
    );
    await clock.advance(10 * 60_000);
    const resources = (await aws.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: 'pettracker-busy' }))).EnvironmentResources;
    const lb = loadBalancerDimension(resources?.LoadBalancers?.[0]?.Name ?? '');
    const instanceId = resources?.Instances?.[0]?.Id ?? '';
    cloud.evidence.setProbe('000000000000', 'us-east-1', 'pettracker-busy', 100);
    await clock.advance(3 * 60_000);
    const minute = Math.floor(clock.now() / 60_000) * 60_000 - 60_000;
    const sum = async (Namespace: string, MetricName: string, Dimensions: { Name: string; Value: string }[], statistic: 'Sum' | 'Maximum' = 'Sum') => {
      const { Datapoints } = await aws.cloudwatch.send(
        new GetMetricStatisticsCommand({ Namespace, MetricName, Dimensions, StartTime: new Date(minute), EndTime: new Date(minute + 60_000), Period: 60, Statistics: [statistic] }),
      );
      return Datapoints?.[0]?.[statistic];
    };
    const byLb = [{ Name: 'LoadBalancer', Value: lb }];
    const requests = await sum('AWS/ApplicationELB', 'RequestCount', byLb);
    const answered = await sum('AWS/ApplicationELB', 'HTTPCode_Target_2XX_Count', byLb);
    const timedOut = await sum('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', byLb);
    expect(requests).toBe(6000);
    // One instance serves about 65 requests a second; the rest of the 100 time out at the load balancer.
    expect(timedOut).toBeGreaterThan(6000 * 0.3);
    expect(timedOut).toBeLessThan(6000 * 0.4);
    expect((answered ?? 0) + (timedOut ?? 0)).toBe(6000);
    expect(await sum('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', byLb)).toBeUndefined();
    expect(await sum('AWS/EC2', 'CPUUtilization', [{ Name: 'InstanceId', Value: instanceId }], 'Maximum')).toBe(100);
    // Basic health (the API's default): no EnvironmentHealth datapoints.
    expect(await sum('AWS/ElasticBeanstalk', 'EnvironmentHealth', [{ Name: 'EnvironmentName', Value: 'pettracker-busy' }], 'Maximum')).toBeUndefined();
    cloud.dispose();
  });
});

describe('Elastic Beanstalk metrics of a Classic Load Balancer', () => {
  it('publishes AWS/ELB metrics per LoadBalancerName instead of AWS/ApplicationELB', async () => {
    const clock = new ManualClock(Date.parse('2026-11-23T14:00:00Z'));
    const cloud = createCloud({ clock, log: () => {} });
    const aws = clientsForCloud(cloud);
    const { S3Bucket } = await aws.eb.send(new CreateStorageLocationCommand({}));
    await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));
    await aws.s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: 'pettracker/v1.zip', Body: expressApp(200) }));
    await aws.eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'pettracker', VersionLabel: 'v1', SourceBundle: { S3Bucket, S3Key: 'pettracker/v1.zip' } }));
    await aws.eb.send(
      new CreateEnvironmentCommand({
        ApplicationName: 'pettracker',
        EnvironmentName: 'pettracker-classic',
        VersionLabel: 'v1',
        SolutionStackName: NODE_STACK,
        OptionSettings: [{ Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'LoadBalancerType', Value: 'classic' }],
      }),
    );
    await clock.advance(10 * 60_000);
    const resources = (await aws.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: 'pettracker-classic' }))).EnvironmentResources;
    const name = resources?.LoadBalancers?.[0]?.Name ?? '';
    expect(name).toMatch(/^awseb-/);
    cloud.evidence.setProbe('000000000000', 'us-east-1', 'pettracker-classic', 5);
    await clock.advance(2 * 60_000);
    const minute = Math.floor(clock.now() / 60_000) * 60_000 - 60_000;
    const listed = await aws.cloudwatch.send(new ListMetricsCommand({ Namespace: 'AWS/ELB', Dimensions: [{ Name: 'LoadBalancerName', Value: name }] }));
    expect(listed.Metrics?.map((m) => m.MetricName)).toEqual(expect.arrayContaining(['RequestCount', 'HTTPCode_Backend_5XX', 'HTTPCode_ELB_5XX', 'Latency']));
    expect((await aws.cloudwatch.send(new ListMetricsCommand({ Namespace: 'AWS/ApplicationELB' }))).Metrics).toEqual([]);
    const read = async (MetricName: string, statistic: 'Sum' | 'Average') => {
      const { Datapoints } = await aws.cloudwatch.send(
        new GetMetricStatisticsCommand({ Namespace: 'AWS/ELB', MetricName, Dimensions: [{ Name: 'LoadBalancerName', Value: name }], StartTime: new Date(minute), EndTime: new Date(minute + 60_000), Period: 60, Statistics: [statistic] }),
      );
      return Datapoints?.[0]?.[statistic];
    };
    expect(await read('RequestCount', 'Sum')).toBe(300);
    expect(await read('HTTPCode_Backend_2XX', 'Sum')).toBe(300);
    expect(await read('HTTPCode_ELB_5XX', 'Sum')).toBeUndefined();
    expect(await read('Latency', 'Average')).toBeGreaterThan(0.003);
    cloud.dispose();
  });
});

describe('custom metrics switched on and off by ConfigDocument updates', () => {
  it('publishes a metric only while the ConfigDocument lists it, and keeps listing it after', () => {
    const T0 = Date.parse('2026-11-23T10:00:00Z');
    const minute = 60_000;
    let now = T0;
    const requests = Array.from({ length: 30 }, (_, i) => ({ time: T0 + i * minute + 1_000, status: 500, latencyMs: 20, instanceId: 'i-1' }));
    const view: EnvironmentView = {
      name: 'pettracker-prod',
      createdAt: T0,
      enhancedHealth: true,
      updatedAt: T0,
      requests: (start, end) => requests.filter((r) => r.time >= start && r.time < end),
      instancePoints: () => [],
      healthChanges: () => [],
    };
    const source = new ElasticBeanstalkMetrics({ environments: () => [view], now: () => now });
    const metric = { Namespace: 'AWS/ElasticBeanstalk', MetricName: 'ApplicationRequests5xx', Dimensions: [{ Name: 'EnvironmentName', Value: 'pettracker-prod' }] };
    const names = () => source.listMetrics('000000000000', 'us-east-1').map((m) => m.MetricName);
    const minutesWithData = () => source.samples('000000000000', 'us-east-1', metric, T0, T0 + 30 * minute).map((s) => (s.timestamp - T0 - 1_000) / minute);

    now = T0 + 5 * minute;
    expect(names()).toEqual(['EnvironmentHealth']);
    // Enabled by the update of 10:05, disabled by the one of 10:12.
    Object.assign(view, { updatedAt: T0 + 5 * minute, healthConfigDocument: '{"CloudWatchMetrics":{"Environment":{"ApplicationRequests5xx":60}}}' });
    now = T0 + 8 * minute;
    expect(names()).toEqual(['EnvironmentHealth', 'ApplicationRequests5xx']);
    Object.assign(view, { updatedAt: T0 + 12 * minute, healthConfigDocument: '{"CloudWatchMetrics":{"Environment":{"ApplicationRequests5xx":null}}}' });
    now = T0 + 20 * minute;
    expect(minutesWithData()).toEqual([5, 6, 7, 8, 9, 10, 11]);
    expect(names()).toEqual(['EnvironmentHealth', 'ApplicationRequests5xx']);
  });
});
