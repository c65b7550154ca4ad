import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ManualClock } from '../../clock.ts';
import { AwsError } from '../../protocol/errors.ts';
import type { ObjectStore, QueryParams, QueryValue } from '../service.ts';
import { ElasticBeanstalkService, OPERATION_NAMES } from './index.ts';
import { NODE_STACK, nodeApp } from './test-helpers.ts';

/** A minimal object store: the provider only needs get/put/delete. */
function memoryStore(): ObjectStore {
  const objects = new Map<string, Uint8Array>();
  return {
    getObject: (account, bucket, key) => objects.get(`${account}/${bucket}/${key}`),
    putObject: (account, _region, bucket, key, body) => void objects.set(`${account}/${bucket}/${key}`, body),
    deleteObject: (account, bucket, key) => objects.delete(`${account}/${bucket}/${key}`),
  };
}

const NAMES = [
  'ApplicationName',
  'EnvironmentName',
  'EnvironmentId',
  'VersionLabel',
  'TemplateName',
  'SolutionStackName',
  'PlatformArn',
  'CNAMEPrefix',
  'Description',
  'InfoType',
  'MaxRecords',
  'NextToken',
  'Severity',
  'StartTime',
  'RequestId',
  'Process',
  'IncludeDeleted',
  'TerminateEnvByForce',
  'ResourceArn',
  'ActionId',
  'GroupName',
  'SourceEnvironmentName',
  'DestinationEnvironmentName',
  'OperationsRole',
  'Tier',
  'SourceBundle',
  'OptionSettings',
  'OptionsToRemove',
  'Tags',
  'TagsToAdd',
  'TagsToRemove',
  'EnvironmentNames',
  'VersionLabels',
  'AttributeNames',
  'Filters',
  'ResourceLifecycleConfig',
];

const scalar = fc.oneof(
  fc.constantFrom('app', 'app-env', 'v1', 'e-abcdefghij', NODE_STACK, 'true', 'false', '0', '-1', '1001', 'All', 'tail', 'WARN', 'aws:autoscaling:asg', 'MinSize', ''),
  fc.string({ maxLength: 30 }),
);

const value: fc.Arbitrary<QueryValue> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('struct')),
  list: fc.array(tie('value'), { maxLength: 3 }),
  struct: fc.dictionary(fc.constantFrom('Name', 'Type', 'Namespace', 'OptionName', 'Value', 'Key', 'S3Bucket', 'S3Key', 'member', 'Enabled', 'MaxCount'), tie('value'), { maxKeys: 4 }),
})).value as fc.Arbitrary<QueryValue>;

const params: fc.Arbitrary<QueryParams> = fc.dictionary(fc.constantFrom(...NAMES), value, { maxKeys: 6 });

describe('the provider under random input', () => {
  it('answers every random call with a result or an AwsError, never anything else', async () => {
    const clock = new ManualClock();
    const objects = memoryStore();
    const eb = new ElasticBeanstalkService({ clock, objects });
    const ctx = () => ({ accountId: '000000000000', region: 'us-east-1', requestId: `req-${clock.now()}`, now: clock.now() });
    // A little real state so random calls reach deep code paths.
    objects.putObject('000000000000', 'us-east-1', 'b', 'v1.zip', nodeApp('v1'));
    await eb.handle('CreateApplication', { ApplicationName: 'app' }, ctx());
    await eb.handle('CreateApplicationVersion', { ApplicationName: 'app', VersionLabel: 'v1', SourceBundle: { S3Bucket: 'b', S3Key: 'v1.zip' } }, ctx());
    await eb.handle('CreateEnvironment', { ApplicationName: 'app', EnvironmentName: 'app-env', VersionLabel: 'v1', SolutionStackName: NODE_STACK }, ctx());
    await clock.advance(10 * 60_000);

    const outcomes = { ok: 0, refused: 0, codes: new Set<string>() };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPERATION_NAMES, 'NoSuchAction'), params, async (action, p) => {
        try {
          const out = await eb.handle(action, p, ctx());
          expect(typeof out).toBe('object');
          JSON.stringify(out);
          outcomes.ok++;
        } catch (error) {
          if (!(error instanceof AwsError)) throw error;
          outcomes.refused++;
          outcomes.codes.add(error.code);
          expect(error.status).toBeGreaterThanOrEqual(400);
          expect(error.status).toBeLessThan(500);
          expect(error.message.length).toBeGreaterThan(0);
        }
        await clock.advance(5_000);
      }),
      { numRuns: 3000, seed: 20261123 },
    );
    // The input reaches both answers and a variety of refusals, so the property says something.
    expect(outcomes.ok).toBeGreaterThan(100);
    expect(outcomes.codes.size).toBeGreaterThanOrEqual(4);
    await clock.advance(60 * 60_000);
    // Whatever happened, the state still snapshots and restores.
    const copy = new ElasticBeanstalkService({ clock: new ManualClock(clock.now()), objects });
    copy.restore(JSON.parse(JSON.stringify(eb.snapshot())));
    const events = eb.evidence;
    expect(events).toBeDefined();
    const internal = (await eb.handle('DescribeEvents', { Severity: 'ERROR' }, ctx())) as { Events: { Message: string }[] };
    expect(internal.Events.filter((e) => e.Message.startsWith('Sandbox cloud internal error'))).toEqual([]);
  });
});
