import { describe, expect, it } from 'vitest';
import {
  CreateApplicationCommand,
  CreateApplicationVersionCommand,
  CreateConfigurationTemplateCommand,
  CreateEnvironmentCommand,
  CreateStorageLocationCommand,
  DeleteApplicationCommand,
  DescribeEnvironmentHealthCommand,
  DescribeInstancesHealthCommand,
  ElasticBeanstalkServiceException,
  InvalidRequestException,
  ListTagsForResourceCommand,
  OperationInProgressException,
  TerminateEnvironmentCommand,
  TooManyApplicationsException,
  UpdateEnvironmentCommand,
  UpdateTagsForResourceCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createCloud, ManualClock } from '../../index.ts';
import { clientsForCloud } from '../../../aws/index.ts';
import { NODE_STACK, nodeApp } from './test-helpers.ts';

async function setup() {
  const clock = new ManualClock();
  const cloud = createCloud({ clock, log: () => {} });
  const aws = clientsForCloud(cloud, { region: 'us-east-1' });
  const { S3Bucket } = await aws.eb.send(new CreateStorageLocationCommand({}));
  await aws.s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: 'app/v1.zip', Body: nodeApp('v1') }));
  await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'app' }));
  await aws.eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'app', VersionLabel: 'v1', SourceBundle: { S3Bucket, S3Key: 'app/v1.zip' } }));
  return { clock, eb: aws.eb, bucket: S3Bucket! };
}

/** The error a call fails with, as the SDK surfaces it: name (the code or class), message, HTTP status. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number; error: unknown }> {
  try {
    await promise;
  } catch (error) {
    const e = error as ElasticBeanstalkServiceException;
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode, error };
  }
  throw new Error('expected the call to fail');
}

describe('Elastic Beanstalk errors (reference §1.3)', () => {
  it('answers every documented situation with the exact code, status and message', async () => {
    const { eb, clock } = await setup();
    const env = { ApplicationName: 'app', EnvironmentName: 'app-env', SolutionStackName: NODE_STACK, VersionLabel: 'v1', CNAMEPrefix: 'pettracker-live' };

    expect(await failure(eb.send(new CreateApplicationCommand({ ApplicationName: 'app' })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Application app already exists.',
      status: 400,
    });
    expect(await failure(eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'nope', VersionLabel: 'v1' })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: "No Application named 'nope' found.",
    });
    expect(await failure(eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'app', VersionLabel: 'v1' })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Application Version v1 already exists.',
    });
    expect(await failure(eb.send(new CreateEnvironmentCommand({ ...env, VersionLabel: 'v9' })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: "No Application Version named 'v9' found.",
    });
    expect(await failure(eb.send(new CreateEnvironmentCommand({ ...env, SolutionStackName: '64bit Amazon Linux 2023 v6.10.0 running Cobol 85' })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: "No Solution Stack named '64bit Amazon Linux 2023 v6.10.0 running Cobol 85' found.",
    });
    expect(await failure(eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'ghost-env' })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: "No Environment found for EnvironmentName = 'ghost-env'.",
    });
    expect(await failure(eb.send(new TerminateEnvironmentCommand({ EnvironmentId: 'e-abcdefghij' })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: "No Environment found for EnvironmentId = 'e-abcdefghij'.",
    });

    await eb.send(new CreateEnvironmentCommand(env));
    expect(await failure(eb.send(new CreateEnvironmentCommand(env)))).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Environment app-env already exists.',
    });
    expect(await failure(eb.send(new CreateEnvironmentCommand({ ...env, EnvironmentName: 'app-env-2' })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'DNS name (pettracker-live.us-east-1.elasticbeanstalk.com) is not available.',
    });
    expect(await failure(eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'app-env', VersionLabel: 'v1' })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Environment named app-env is in an invalid state for this operation. Must be Ready.',
    });
    const busy = await failure(eb.send(new DeleteApplicationCommand({ ApplicationName: 'app' })));
    expect(busy.error).toBeInstanceOf(OperationInProgressException);
    expect(busy.status).toBe(400);

    await clock.advance(10 * 60_000);
    const basic = await failure(eb.send(new DescribeEnvironmentHealthCommand({ EnvironmentName: 'app-env', AttributeNames: ['All'] })));
    expect(basic.error).toBeInstanceOf(InvalidRequestException);
    expect(basic).toMatchObject({ name: 'InvalidRequestException', message: 'DescribeEnvironmentHealth is not supported.', status: 400 });
    expect(await failure(eb.send(new DescribeInstancesHealthCommand({ EnvironmentName: 'app-env' })))).toMatchObject({
      name: 'InvalidRequestException',
      message: 'DescribeInstancesHealth is not supported.',
    });

    expect(
      await failure(eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'app-env', OptionSettings: [{ Namespace: 'aws:autoscaling:asg', OptionName: 'MinSizes', Value: '2' }] }))),
    ).toMatchObject({
      name: 'ConfigurationValidationException',
      message: "Configuration validation exception: Invalid option specification (Namespace: 'aws:autoscaling:asg', OptionName: 'MinSizes'): Unknown configuration setting.",
      status: 400,
    });
    const badValue = await failure(
      eb.send(
        new UpdateEnvironmentCommand({
          EnvironmentName: 'app-env',
          OptionSettings: [{ Namespace: 'aws:elasticbeanstalk:environment:process:default', OptionName: 'MatcherHTTPCode', Value: '2xx' }],
        }),
      ),
    );
    expect(badValue.name).toBe('ConfigurationValidationException');
    expect(badValue.message).toMatch(
      /^Configuration validation exception: Invalid option value: '2xx' \(Namespace: 'aws:elasticbeanstalk:environment:process:default', OptionName: 'MatcherHTTPCode'\): /,
    );

    await eb.send(new CreateConfigurationTemplateCommand({ ApplicationName: 'app', TemplateName: 'baseline', SolutionStackName: NODE_STACK }));
    expect(await failure(eb.send(new CreateConfigurationTemplateCommand({ ApplicationName: 'app', TemplateName: 'baseline', SolutionStackName: NODE_STACK })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Configuration Template baseline already exists.',
    });
  });

  it('enforces quotas, validation bounds and tag rules', async () => {
    const { eb } = await setup();
    for (let i = 1; i < 75; i++) await eb.send(new CreateApplicationCommand({ ApplicationName: `app-${i}` }));
    const quota = await failure(eb.send(new CreateApplicationCommand({ ApplicationName: 'one-too-many' })));
    expect(quota.error).toBeInstanceOf(TooManyApplicationsException);

    expect(await failure(eb.send(new CreateEnvironmentCommand({ ApplicationName: 'app', EnvironmentName: 'abc', SolutionStackName: NODE_STACK })))).toMatchObject({
      name: 'ValidationError',
      message: "1 validation error detected: Value 'abc' at 'environmentName' failed to satisfy constraint: Member must have length greater than or equal to 4",
    });
    expect(await failure(eb.send(new CreateEnvironmentCommand({ ApplicationName: 'app', EnvironmentName: '-bad-name', SolutionStackName: NODE_STACK })))).toMatchObject({
      name: 'InvalidParameterValue',
    });
    const arn = 'arn:aws:elasticbeanstalk:us-east-1:000000000000:application/app';
    expect(await failure(eb.send(new UpdateTagsForResourceCommand({ ResourceArn: arn, TagsToAdd: [{ Key: 'aws:owner', Value: 'x' }] })))).toMatchObject({
      name: 'InvalidParameterValue',
    });
    expect(
      await failure(eb.send(new ListTagsForResourceCommand({ ResourceArn: 'arn:aws:elasticbeanstalk:us-east-1:000000000000:application/ghost' }))),
    ).toMatchObject({ name: 'ResourceNotFoundException' });
    await eb.send(new UpdateTagsForResourceCommand({ ResourceArn: arn, TagsToAdd: [{ Key: 'team', Value: 'pets' }] }));
    expect((await eb.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).ResourceTags).toEqual([{ Key: 'team', Value: 'pets' }]);
  });

  it('refuses an S3 location that does not exist', async () => {
    const { eb, bucket } = await setup();
    expect(
      await failure(eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'app', VersionLabel: 'v2', SourceBundle: { S3Bucket: bucket, S3Key: 'app/missing.zip' } }))),
    ).toMatchObject({
      name: 'InvalidParameterCombination',
      message: `Unable to download from S3 location (Bucket: ${bucket} Key: app/missing.zip). Reason: Not Found`,
    });
  });
});
