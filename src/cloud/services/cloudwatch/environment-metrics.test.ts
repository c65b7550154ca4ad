// Elastic Beanstalk request metrics in CloudWatch: requests to a running environment show up as
// AWS/ElasticBeanstalk ApplicationRequests* per EnvironmentName, listed and usable by alarms.
import { describe, expect, it } from 'vitest';
import { DescribeAlarmsCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateApplicationCommand, CreateApplicationVersionCommand, CreateEnvironmentCommand, CreateStorageLocationCommand, DescribeEnvironmentsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ManualClock, createCloud } from '../../index.ts';
import { clientsForCloud } from '../../../aws/index.ts';
import { NODE_STACK, nodeApp } from '../elasticbeanstalk/test-helpers.ts';

describe('AWS/ElasticBeanstalk request metrics', () => {
  it('counts requests to the environment per minute and lets an alarm fire on them', async () => {
    const clock = new ManualClock(Date.parse('2026-11-23T08:00:00Z'));
    const cloud = createCloud({ clock, log: () => {} });
    const aws = clientsForCloud(cloud);
    const { S3Bucket } = await aws.eb.send(new CreateStorageLocationCommand({}));
    await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));
    await aws.s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: 'pettracker/v1.zip', Body: nodeApp('v1') }));
    await aws.eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'pettracker', VersionLabel: 'v1', SourceBundle: { S3Bucket, S3Key: 'pettracker/v1.zip' } }));
    await aws.eb.send(new CreateEnvironmentCommand({ ApplicationName: 'pettracker', EnvironmentName: 'pettracker-prod', VersionLabel: 'v1', SolutionStackName: NODE_STACK }));
    await clock.advance(10 * 60_000);
    const [env] = (await aws.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-prod'] }))).Environments ?? [];
    expect(env.Status).toBe('Ready');

    const listed = await aws.cloudwatch.send(new ListMetricsCommand({ Namespace: 'AWS/ElasticBeanstalk', Dimensions: [{ Name: 'EnvironmentName', Value: 'pettracker-prod' }] }));
    expect(listed.Metrics?.map((m) => m.MetricName).sort()).toEqual(['ApplicationRequests2xx', 'ApplicationRequests3xx', 'ApplicationRequests4xx', 'ApplicationRequests5xx', 'ApplicationRequestsTotal']);

    const dims = [{ Name: 'EnvironmentName', Value: 'pettracker-prod' }];
    await aws.cloudwatch.send(new PutMetricAlarmCommand({
      AlarmName: 'pettracker-busy', Namespace: 'AWS/ElasticBeanstalk', MetricName: 'ApplicationRequestsTotal', Dimensions: dims,
      Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
    }));
    const minuteStart = clock.now() - (clock.now() % 60_000) + 60_000;
    await clock.advance(minuteStart - clock.now());
    for (let i = 0; i < 8; i++) {
      const res = await cloud.evidence.request('000000000000', { url: `http://${env.CNAME}/`, method: 'GET', headers: {} });
      expect(res.status).toBe(200);
      await clock.advance(5_000);
    }
    await clock.advance(60_000 - 40_000);
    const stats = await aws.cloudwatch.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/ElasticBeanstalk', MetricName: 'ApplicationRequests2xx', Dimensions: dims, StartTime: new Date(minuteStart), EndTime: new Date(minuteStart + 60_000), Period: 60, Statistics: ['Sum'],
    }));
    expect(stats.Datapoints?.map((d) => d.Sum)).toEqual([8]);
    const { MetricAlarms } = await aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['pettracker-busy'] }));
    expect(MetricAlarms?.[0].StateValue).toBe('ALARM');
    cloud.dispose();
  });
});
