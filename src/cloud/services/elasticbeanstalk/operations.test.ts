import { describe, expect, it } from 'vitest';
import * as EB from '@aws-sdk/client-elastic-beanstalk';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { strToU8, zipSync } from 'fflate';
import { createCloud, ManualClock } from '../../index.ts';
import { clientsForCloud } from '../../../aws/index.ts';
import { NODE_STACK, nodeApp } from './test-helpers.ts';
import { OPERATION_NAMES } from './index.ts';

async function world() {
  const clock = new ManualClock();
  const cloud = createCloud({ clock, log: () => {} });
  const aws = clientsForCloud(cloud, { region: 'us-east-1' });
  const eb = aws.eb;
  const { S3Bucket } = await eb.send(new EB.CreateStorageLocationCommand({}));
  const put = (key: string, body: Uint8Array) => aws.s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: key, Body: body }));
  return { clock, cloud, aws, eb, bucket: S3Bucket!, put };
}

describe('the 47 operations', () => {
  it('are all answered by the provider, as the SDK names them', () => {
    const sdk = Object.keys(EB)
      .filter((k) => /^[A-Z][A-Za-z]+Command$/.test(k))
      .map((k) => k.slice(0, -'Command'.length))
      .sort();
    expect(sdk).toHaveLength(47);
    expect([...OPERATION_NAMES].sort()).toEqual(sdk);
  });

  it('answer applications, versions, templates and settings with the shapes the SDK reads', async () => {
    const { eb, put, bucket, clock } = await world();
    await eb.send(new EB.CreateApplicationCommand({ ApplicationName: 'shop', Description: 'the shop', Tags: [{ Key: 'team', Value: 'web' }] }));
    await eb.send(new EB.UpdateApplicationCommand({ ApplicationName: 'shop', Description: 'the pet shop' }));
    await put('shop/v1.zip', nodeApp('v1'));
    await eb.send(new EB.CreateApplicationVersionCommand({ ApplicationName: 'shop', VersionLabel: 'v1', SourceBundle: { S3Bucket: bucket, S3Key: 'shop/v1.zip' } }));
    const updated = await eb.send(new EB.UpdateApplicationVersionCommand({ ApplicationName: 'shop', VersionLabel: 'v1', Description: 'first' }));
    expect(updated.ApplicationVersion).toMatchObject({ VersionLabel: 'v1', Description: 'first', Status: 'UNPROCESSED', SourceBundle: { S3Bucket: bucket, S3Key: 'shop/v1.zip' } });
    const apps = await eb.send(new EB.DescribeApplicationsCommand({ ApplicationNames: ['shop'] }));
    expect(apps.Applications![0]).toMatchObject({
      ApplicationName: 'shop',
      Description: 'the pet shop',
      Versions: ['v1'],
      ApplicationArn: 'arn:aws:elasticbeanstalk:us-east-1:000000000000:application/shop',
      ResourceLifecycleConfig: { VersionLifecycleConfig: { MaxCountRule: { Enabled: false, MaxCount: 200 }, MaxAgeRule: { Enabled: false, MaxAgeInDays: 180 } } },
    });
    expect(apps.Applications![0].DateCreated).toBeInstanceOf(Date);

    const template = await eb.send(
      new EB.CreateConfigurationTemplateCommand({
        ApplicationName: 'shop',
        TemplateName: 'two-instances',
        SolutionStackName: NODE_STACK,
        OptionSettings: [{ Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '2' }],
      }),
    );
    expect(template).toMatchObject({ TemplateName: 'two-instances', SolutionStackName: NODE_STACK });
    await eb.send(
      new EB.UpdateConfigurationTemplateCommand({ ApplicationName: 'shop', TemplateName: 'two-instances', OptionSettings: [{ Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '2' }] }),
    );
    const saved = await eb.send(new EB.DescribeConfigurationSettingsCommand({ ApplicationName: 'shop', TemplateName: 'two-instances' }));
    const value = (ns: string, name: string) => saved.ConfigurationSettings![0].OptionSettings!.find((o) => o.Namespace === ns && o.OptionName === name)?.Value;
    expect(value('aws:autoscaling:asg', 'MinSize')).toBe('2');
    expect(value('aws:autoscaling:asg', 'MaxSize')).toBe('2');
    const validation = await eb.send(
      new EB.ValidateConfigurationSettingsCommand({
        ApplicationName: 'shop',
        TemplateName: 'two-instances',
        OptionSettings: [{ Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '0' }],
      }),
    );
    expect(validation.Messages![0]).toMatchObject({ Severity: 'error', Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize' });
    const options = await eb.send(new EB.DescribeConfigurationOptionsCommand({ SolutionStackName: NODE_STACK, Options: [{ Namespace: 'aws:elasticbeanstalk:command' }] }));
    expect(options.Options!.map((o) => o.Name)).toContain('DeploymentPolicy');
    expect(options.Options!.find((o) => o.Name === 'DeploymentPolicy')).toMatchObject({ DefaultValue: 'AllAtOnce', ValueType: 'Scalar' });

    // A template is used by CreateEnvironment and leaves its settings on the environment.
    await eb.send(new EB.CreateEnvironmentCommand({ ApplicationName: 'shop', EnvironmentName: 'shop-prod', TemplateName: 'two-instances', VersionLabel: 'v1' }));
    await clock.advance(10 * 60_000);
    const resources = await eb.send(new EB.DescribeEnvironmentResourcesCommand({ EnvironmentName: 'shop-prod' }));
    expect(resources.EnvironmentResources!.Instances).toHaveLength(2);
    expect(resources.EnvironmentResources!.AutoScalingGroups![0].Name).toMatch(/^awseb-e-[a-z0-9]{10}-stack-AWSEBAutoScalingGroup-[A-Z0-9]{12}$/);

    await eb.send(new EB.DeleteEnvironmentConfigurationCommand({ ApplicationName: 'shop', EnvironmentName: 'shop-prod' }));
    await eb.send(new EB.DeleteConfigurationTemplateCommand({ ApplicationName: 'shop', TemplateName: 'two-instances' }));
    await expect(eb.send(new EB.DeleteApplicationVersionCommand({ ApplicationName: 'shop', VersionLabel: 'v1' }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await eb.send(new EB.RestartAppServerCommand({ EnvironmentName: 'shop-prod' }));
    await clock.advance(60_000);
    const restart = (await eb.send(new EB.DescribeEventsCommand({ EnvironmentName: 'shop-prod', MaxRecords: 5 }))).Events!.map((e) => e.Message);
    expect(restart).toContain('restartAppServer completed successfully.');
    await eb.send(new EB.DeleteApplicationCommand({ ApplicationName: 'shop', TerminateEnvByForce: true }));
    expect((await eb.send(new EB.DescribeApplicationsCommand({}))).Applications).toEqual([]);
    await clock.advance(10 * 60_000);
    const env = (await eb.send(new EB.DescribeEnvironmentsCommand({ EnvironmentNames: ['shop-prod'] }))).Environments![0];
    expect(env.Status).toBe('Terminated');
  });

  it('answer platforms, solution stacks, quotas and managed actions from the dated catalogue', async () => {
    const { eb, clock, put, bucket } = await world();
    const stacks = await eb.send(new EB.ListAvailableSolutionStacksCommand({}));
    expect(stacks.SolutionStacks).toContain(NODE_STACK);
    expect(stacks.SolutionStackDetails!.find((d) => d.SolutionStackName === NODE_STACK)!.PermittedFileTypes).toEqual(['zip']);
    const branches = await eb.send(new EB.ListPlatformBranchesCommand({ Filters: [{ Attribute: 'PlatformName', Operator: '=', Values: ['Python'] }] }));
    expect(branches.PlatformBranchSummaryList!.map((b) => b.BranchName)).toContain('Python 3.13 running on 64bit Amazon Linux 2023');
    const versions = await eb.send(
      new EB.ListPlatformVersionsCommand({ Filters: [{ Type: 'PlatformBranchName', Operator: '=', Values: ['Node.js 22 running on 64bit Amazon Linux 2023'] }], MaxRecords: 2 }),
    );
    expect(versions.PlatformSummaryList).toHaveLength(2);
    expect(versions.NextToken).toBeDefined();
    expect(versions.PlatformSummaryList![0]).toMatchObject({ PlatformOwner: 'AWSElasticBeanstalk', PlatformStatus: 'Ready', PlatformLifecycleState: 'Recommended' });
    const description = await eb.send(new EB.DescribePlatformVersionCommand({ PlatformArn: versions.PlatformSummaryList![0].PlatformArn }));
    expect(description.PlatformDescription).toMatchObject({ PlatformBranchName: 'Node.js 22 running on 64bit Amazon Linux 2023', SolutionStackName: NODE_STACK });
    expect(await eb.send(new EB.DescribeAccountAttributesCommand({}))).toMatchObject({
      ResourceQuotas: { ApplicationQuota: { Maximum: 75 }, ApplicationVersionQuota: { Maximum: 1000 }, EnvironmentQuota: { Maximum: 200 } },
    });

    // An environment on an older platform version has a pending managed platform update.
    await eb.send(new EB.CreateApplicationCommand({ ApplicationName: 'legacy' }));
    await eb.send(new EB.CreateEnvironmentCommand({ ApplicationName: 'legacy', EnvironmentName: 'legacy-env', SolutionStackName: '64bit Amazon Linux 2023 v6.6.4 running Node.js 22' }));
    await clock.advance(10 * 60_000);
    const pending = await eb.send(new EB.DescribeEnvironmentManagedActionsCommand({ EnvironmentName: 'legacy-env' }));
    expect(pending.ManagedActions![0]).toMatchObject({ ActionType: 'PlatformUpdate', Status: 'Pending' });
    const applied = await eb.send(new EB.ApplyEnvironmentManagedActionCommand({ EnvironmentName: 'legacy-env', ActionId: pending.ManagedActions![0].ActionId }));
    expect(applied.Status).toBe('Running');
    await clock.advance(10 * 60_000);
    expect((await eb.send(new EB.DescribeEnvironmentsCommand({ EnvironmentNames: ['legacy-env'] }))).Environments![0].SolutionStackName).toBe(NODE_STACK);
    const history = await eb.send(new EB.DescribeEnvironmentManagedActionHistoryCommand({ EnvironmentName: 'legacy-env' }));
    expect(history.ManagedActionHistoryItems).toHaveLength(1);
    await expect(eb.send(new EB.ApplyEnvironmentManagedActionCommand({ EnvironmentName: 'legacy-env', ActionId: applied.ActionId }))).rejects.toBeInstanceOf(
      EB.ManagedActionInvalidStateException,
    );

    await eb.send(new EB.AssociateEnvironmentOperationsRoleCommand({ EnvironmentName: 'legacy-env', OperationsRole: 'arn:aws:iam::000000000000:role/ops' }));
    expect((await eb.send(new EB.DescribeEnvironmentsCommand({ EnvironmentNames: ['legacy-env'] }))).Environments![0].OperationsRole).toBe('arn:aws:iam::000000000000:role/ops');
    await eb.send(new EB.DisassociateEnvironmentOperationsRoleCommand({ EnvironmentName: 'legacy-env' }));

    // Custom platforms are recorded but cannot be built without Packer and EC2: they end up Failed, with the reason.
    await put('platform/def.zip', zipSync({ 'platform.yaml': strToU8('version: "1.0"\n') }));
    const custom = await eb.send(
      new EB.CreatePlatformVersionCommand({ PlatformName: 'my-platform', PlatformVersion: '1.0.0', PlatformDefinitionBundle: { S3Bucket: bucket, S3Key: 'platform/def.zip' } }),
    );
    expect(custom.PlatformSummary!.PlatformStatus).toBe('Creating');
    await clock.advance(10 * 60_000);
    const built = await eb.send(new EB.DescribePlatformVersionCommand({ PlatformArn: custom.PlatformSummary!.PlatformArn }));
    expect(built.PlatformDescription!.PlatformStatus).toBe('Failed');
    await eb.send(new EB.DeletePlatformVersionCommand({ PlatformArn: custom.PlatformSummary!.PlatformArn }));
  });

  it('compose environments from env.yaml manifests', async () => {
    const { eb, put, bucket, clock } = await world();
    await eb.send(new EB.CreateApplicationCommand({ ApplicationName: 'group' }));
    const bundle = (name: string) =>
      zipSync({
        'package.json': strToU8(JSON.stringify({ name, scripts: { start: 'node app.js' } })),
        'app.js': strToU8("require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT);\n"),
        'env.yaml': strToU8(`AWSConfigurationTemplateVersion: 1.1.0.0\nEnvironmentName: ${name}+\nSolutionStack: ${NODE_STACK}\n`),
      });
    for (const name of ['front', 'api']) {
      await put(`group/${name}.zip`, bundle(name));
      await eb.send(new EB.CreateApplicationVersionCommand({ ApplicationName: 'group', VersionLabel: name, SourceBundle: { S3Bucket: bucket, S3Key: `group/${name}.zip` } }));
    }
    const composed = await eb.send(new EB.ComposeEnvironmentsCommand({ ApplicationName: 'group', GroupName: 'dev', VersionLabels: ['front', 'api'] }));
    expect(composed.Environments!.map((e) => e.EnvironmentName)).toEqual(['front-dev', 'api-dev']);
    await clock.advance(10 * 60_000);
    expect((await eb.send(new EB.DescribeEnvironmentsCommand({ ApplicationName: 'group' }))).Environments!.every((e) => e.Status === 'Ready')).toBe(true);
  });

  it('filter events by severity floor, time window and request, newest first, with paging', async () => {
    const { eb, clock, put, bucket } = await world();
    await eb.send(new EB.CreateApplicationCommand({ ApplicationName: 'ev' }));
    await put('ev/v1.zip', nodeApp('v1', { crash: true }));
    await eb.send(new EB.CreateApplicationVersionCommand({ ApplicationName: 'ev', VersionLabel: 'v1', SourceBundle: { S3Bucket: bucket, S3Key: 'ev/v1.zip' } }));
    const start = clock.now();
    const created = await eb.send(
      new EB.CreateEnvironmentCommand({
        ApplicationName: 'ev',
        EnvironmentName: 'ev-env',
        VersionLabel: 'v1',
        SolutionStackName: NODE_STACK,
        OptionSettings: [{ Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'SystemType', Value: 'enhanced' }],
      }),
    );
    await clock.advance(10 * 60_000);
    const all = (await eb.send(new EB.DescribeEventsCommand({ EnvironmentName: 'ev-env' }))).Events!;
    const times = all.map((e) => e.EventDate!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(all.every((e) => e.RequestId === created.$metadata.requestId)).toBe(true);
    const warnings = (await eb.send(new EB.DescribeEventsCommand({ EnvironmentName: 'ev-env', Severity: 'WARN' }))).Events!;
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((e) => e.Severity === 'WARN' || e.Severity === 'ERROR' || e.Severity === 'FATAL')).toBe(true);
    const first = (await eb.send(new EB.DescribeEventsCommand({ EnvironmentName: 'ev-env', StartTime: new Date(start), EndTime: new Date(start + 1) }))).Events!;
    expect(first.map((e) => e.Message)).toEqual(['createEnvironment is starting.']);
    const page1 = await eb.send(new EB.DescribeEventsCommand({ EnvironmentName: 'ev-env', MaxRecords: 3 }));
    const page2 = await eb.send(new EB.DescribeEventsCommand({ EnvironmentName: 'ev-env', MaxRecords: 3, NextToken: page1.NextToken }));
    expect([...page1.Events!, ...page2.Events!].map((e) => e.Message)).toEqual(all.slice(0, 6).map((e) => e.Message));
    expect((await eb.send(new EB.DescribeEventsCommand({ EnvironmentId: created.EnvironmentId, MaxRecords: 1 }))).Events).toHaveLength(1);
  });

  it('accept the settings `eb create` sends and report enhanced health per instance', async () => {
    const { eb, clock } = await world();
    await eb.send(new EB.CreateApplicationCommand({ ApplicationName: 'cli' }));
    const opt = (Namespace: string, OptionName: string, Value: string) => ({ Namespace, OptionName, Value });
    await eb.send(
      new EB.CreateEnvironmentCommand({
        ApplicationName: 'cli',
        EnvironmentName: 'cli-dev',
        SolutionStackName: NODE_STACK,
        OptionSettings: [
          opt('aws:elasticbeanstalk:healthreporting:system', 'SystemType', 'enhanced'),
          opt('aws:elasticbeanstalk:command', 'BatchSize', '30'),
          opt('aws:elasticbeanstalk:command', 'BatchSizeType', 'Percentage'),
          opt('aws:autoscaling:updatepolicy:rollingupdate', 'RollingUpdateEnabled', 'true'),
          opt('aws:autoscaling:updatepolicy:rollingupdate', 'RollingUpdateType', 'Health'),
          opt('aws:elasticbeanstalk:environment', 'LoadBalancerType', 'application'),
          opt('aws:elasticbeanstalk:environment', 'ServiceRole', 'aws-elasticbeanstalk-service-role'),
          opt('aws:autoscaling:launchconfiguration', 'IamInstanceProfile', 'aws-elasticbeanstalk-ec2-role'),
          opt('aws:autoscaling:launchconfiguration', 'InstanceType', 't3.small'),
        ],
      }),
    );
    await clock.advance(10 * 60_000);
    const env = (await eb.send(new EB.DescribeEnvironmentsCommand({ EnvironmentNames: ['cli-dev'] }))).Environments![0];
    expect(env).toMatchObject({ Status: 'Ready', Health: 'Green', HealthStatus: 'Ok', Tier: { Name: 'WebServer', Type: 'Standard', Version: '1.0' } });
    expect(env.EnvironmentArn).toBe('arn:aws:elasticbeanstalk:us-east-1:000000000000:environment/cli/cli-dev');
    expect(env.EndpointURL).toMatch(/^awseb--AWSEB-[A-Z0-9]{12}-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    const health = await eb.send(new EB.DescribeEnvironmentHealthCommand({ EnvironmentName: 'cli-dev', AttributeNames: ['All'] }));
    expect(health).toMatchObject({ EnvironmentName: 'cli-dev', HealthStatus: 'Ok', Status: 'Green', Color: 'Green', InstancesHealth: { Ok: 1 } });
    const instances = await eb.send(new EB.DescribeInstancesHealthCommand({ EnvironmentName: 'cli-dev', AttributeNames: ['All'] }));
    expect(instances.InstanceHealthList![0]).toMatchObject({ HealthStatus: 'Ok', InstanceType: 't3.small', Deployment: { DeploymentId: 1, Status: 'Deployed' } });
    const only = await eb.send(new EB.DescribeEnvironmentHealthCommand({ EnvironmentName: 'cli-dev' }));
    expect(only).not.toHaveProperty('HealthStatus');
  });

  it('create worker and single-instance environments with their own shapes', async () => {
    const { eb, clock } = await world();
    await eb.send(new EB.CreateApplicationCommand({ ApplicationName: 'tiers' }));
    const worker = await eb.send(
      new EB.CreateEnvironmentCommand({ ApplicationName: 'tiers', EnvironmentName: 'tiers-worker', SolutionStackName: NODE_STACK, Tier: { Name: 'Worker', Type: 'SQS/HTTP' } }),
    );
    expect(worker.CNAME).toBeUndefined();
    expect(worker.Tier).toEqual({ Name: 'Worker', Type: 'SQS/HTTP', Version: '1.0' });
    const single = await eb.send(
      new EB.CreateEnvironmentCommand({
        ApplicationName: 'tiers',
        EnvironmentName: 'tiers-single',
        SolutionStackName: NODE_STACK,
        CNAMEPrefix: 'tiers-single-demo',
        OptionSettings: [{ Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'SingleInstance' }],
      }),
    );
    expect(single.CNAME).toBe('tiers-single-demo.us-east-1.elasticbeanstalk.com');
    expect(single.EndpointURL).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    await clock.advance(10 * 60_000);
    const envs = (await eb.send(new EB.DescribeEnvironmentsCommand({ ApplicationName: 'tiers' }))).Environments!;
    expect(envs.map((e) => e.Status)).toEqual(['Ready', 'Ready']);
    const workerResources = await eb.send(new EB.DescribeEnvironmentResourcesCommand({ EnvironmentName: 'tiers-worker' }));
    expect(workerResources.EnvironmentResources!.Queues![0].URL).toMatch(/^https:\/\/sqs\.us-east-1\.amazonaws\.com\/000000000000\//);
    expect(workerResources.EnvironmentResources!.LoadBalancers).toEqual([]);
  });
});
