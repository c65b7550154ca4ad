// The Query protocol against the SDK itself: what the SDK serialises parses back to the input, and
// what we serialise the SDK reads (results, dates, lists, errors with their two odd wire codes).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CreateEnvironmentCommand,
  DescribeApplicationsCommand,
  DeleteApplicationCommand,
  ElasticBeanstalkClient,
  ElasticBeanstalkServiceException,
  OperationInProgressException,
  SourceBundleDeletionException,
  UpdateEnvironmentCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { CloudRequestHandler } from '../../aws/cloud-request-handler.ts';
import type { CloudRequest, CloudResponse } from '../http.ts';
import { AwsError } from './errors.ts';
import { decodeQueryParams, parseFormPairs, parseQueryRequest, serializeQueryError, serializeQueryResult } from './query.ts';

const EB_NS = 'http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/';

/** An EB client whose requests are captured and answered by `answer`. */
function capturingClient(answer: (req: CloudRequest) => CloudResponse) {
  const seen: CloudRequest[] = [];
  const client = new ElasticBeanstalkClient({
    region: 'us-east-1',
    endpoint: 'http://sandbox.localhost',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: new CloudRequestHandler({
      handle: async (req) => {
        seen.push(req);
        return answer(req);
      },
    }),
  });
  return { client, seen };
}

function xmlResponse(body: string, status = 200, requestId = 'req-1'): CloudResponse {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: new TextEncoder().encode(body) };
}

describe('Query request parsing', () => {
  it('parses what the SDK sends back into the structure that was sent', async () => {
    const { client, seen } = capturingClient((req) => xmlResponse(serializeQueryResult('CreateEnvironment', EB_NS, { EnvironmentName: 'x' }, 'r')));
    await client.send(
      new CreateEnvironmentCommand({
        ApplicationName: 'pet tracker',
        EnvironmentName: 'pettracker-web',
        Tier: { Name: 'WebServer', Type: 'Standard' },
        Tags: [{ Key: 'team', Value: 'a&b=c d' }, { Key: 'empty', Value: '' }],
        OptionSettings: [
          { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '2' },
          { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'GREETING', Value: 'héllo + wörld/100%' },
        ],
        OptionsToRemove: [],
        SolutionStackName: '64bit Amazon Linux 2023 v6.6.0 running Node.js 22',
      }),
    );
    const req = seen[0];
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const parsed = parseQueryRequest(new TextDecoder().decode(req.body), req.query);
    expect(parsed.action).toBe('CreateEnvironment');
    expect(parsed.version).toBe('2010-12-01');
    expect(parsed.params).toEqual({
      ApplicationName: 'pet tracker',
      EnvironmentName: 'pettracker-web',
      Tier: { Name: 'WebServer', Type: 'Standard' },
      Tags: [{ Key: 'team', Value: 'a&b=c d' }, { Key: 'empty', Value: '' }],
      OptionSettings: [
        { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '2' },
        { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'GREETING', Value: 'héllo + wörld/100%' },
      ],
      OptionsToRemove: [],
      SolutionStackName: '64bit Amazon Linux 2023 v6.6.0 running Node.js 22',
    });
  });

  it('round-trips 150 random requests through the SDK serialiser (any text, any list length)', async () => {
    const { client, seen } = capturingClient(() => xmlResponse(serializeQueryResult('UpdateEnvironment', EB_NS, {}, 'r')));
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.option(fc.string({ unit: 'grapheme', maxLength: 30 }), { nil: undefined }),
        fc.array(fc.record({ Namespace: text, OptionName: text, Value: fc.string({ unit: 'grapheme', maxLength: 20 }) }), { maxLength: 12 }),
        fc.array(fc.record({ Namespace: text, OptionName: text }), { minLength: 1, maxLength: 3 }),
        async (EnvironmentName, Description, OptionSettings, OptionsToRemove) => {
          seen.length = 0;
          await client.send(new UpdateEnvironmentCommand({ EnvironmentName, Description, OptionSettings, OptionsToRemove }));
          const parsed = parseQueryRequest(new TextDecoder().decode(seen[0].body), seen[0].query);
          const expected: Record<string, unknown> = { EnvironmentName, OptionSettings, OptionsToRemove };
          // The SDK leaves out undefined members; an empty string is sent as `Description=`.
          if (Description !== undefined) expected.Description = Description === '' ? [] : Description;
          expect(parsed.params).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('decodes + and %20 as spaces, orders members by index, keeps unknown parameters', () => {
    const params = decodeQueryParams(
      parseFormPairs('A=one+two&B=one%20two&L.member.2=second&L.member.1=first&TemplateSpecification.TemplateSource.EnvironmentName=src&Unknown=1'),
    );
    expect(params).toEqual({
      A: 'one two',
      B: 'one two',
      L: ['first', 'second'],
      TemplateSpecification: { TemplateSource: { EnvironmentName: 'src' } },
      Unknown: '1',
    });
  });

  it('treats Name= as an empty list and later members as the list', () => {
    expect(decodeQueryParams(parseFormPairs('OptionSettings=&OptionsToRemove='))).toEqual({ OptionSettings: [], OptionsToRemove: [] });
    expect(decodeQueryParams(parseFormPairs('X=&X.member.1=a'))).toEqual({ X: ['a'] });
  });

  it('accepts the botocore content type and Action in a GET query string', () => {
    expect(parseQueryRequest('', 'Action=DescribeApplications&Version=2010-12-01').action).toBe('DescribeApplications');
  });

  it('refuses prototype keys, bad escapes and missing actions precisely', () => {
    const polluted = decodeQueryParams(parseFormPairs('__proto__.polluted=1&a.constructor.x=2'));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(polluted)).toEqual(['a']);
    expect(() => parseFormPairs('A=%E0%A4%A')).toThrow(AwsError);
    try {
      parseQueryRequest('Version=2010-12-01', '');
    } catch (err) {
      expect((err as AwsError).code).toBe('MissingAction');
    }
  });
});

describe('Query responses read by the SDK', () => {
  it('serialises lists, nested structures, dates, booleans and numbers', async () => {
    const created = new Date('2026-11-23T09:00:00.123Z');
    const { client } = capturingClient(() =>
      xmlResponse(
        serializeQueryResult(
          'DescribeApplications',
          EB_NS,
          {
            Applications: [
              {
                ApplicationName: 'PetTracker <&> "quoted"',
                DateCreated: created,
                Versions: ['v1', 'v2'],
                ConfigurationTemplates: [],
                ResourceLifecycleConfig: { VersionLifecycleConfig: { MaxCountRule: { Enabled: true, MaxCount: 200, DeleteSourceFromS3: false } } },
              },
            ],
          },
          'req-42',
        ),
        200,
        'req-42',
      ),
    );
    const out = await client.send(new DescribeApplicationsCommand({}));
    expect(out.$metadata.requestId).toBe('req-42');
    expect(out.Applications).toEqual([
      {
        ApplicationName: 'PetTracker <&> "quoted"',
        DateCreated: created,
        Versions: ['v1', 'v2'],
        ConfigurationTemplates: [],
        ResourceLifecycleConfig: { VersionLifecycleConfig: { MaxCountRule: { Enabled: true, MaxCount: 200, DeleteSourceFromS3: false } } },
      },
    ]);
  });

  it('omits the Result element for operations without output', () => {
    const xml = serializeQueryResult('DeleteApplication', EB_NS, {}, 'r-1');
    expect(xml).not.toContain('DeleteApplicationResult');
    expect(xml).toContain('<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>');
  });

  it('keeps carriage returns and replaces characters XML cannot carry', async () => {
    const { client } = capturingClient(() =>
      xmlResponse(serializeQueryResult('DescribeApplications', EB_NS, { Applications: [{ Description: 'line1\r\nline2\u0001end' }] }, 'r')),
    );
    const out = await client.send(new DescribeApplicationsCommand({}));
    expect(out.Applications?.[0].Description).toBe('line1\r\nline2\uFFFDend');
  });
});

describe('Query error envelopes', () => {
  const failWith = (error: AwsError) => capturingClient(() => xmlResponse(serializeQueryError(error, EB_NS, 'err-1'), error.status, 'err-1')).client;

  it('maps OperationInProgressException to the OperationInProgressFailure wire code the SDK expects', async () => {
    const client = failWith(new AwsError('OperationInProgressException', 'Environment pettracker-web is being updated.', 400));
    const err = await client.send(new DeleteApplicationCommand({ ApplicationName: 'a' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationInProgressException);
    expect((err as Error).message).toBe('Environment pettracker-web is being updated.');
    expect((err as OperationInProgressException).$metadata.httpStatusCode).toBe(400);
    expect((err as OperationInProgressException).$metadata.requestId).toBe('err-1');
    expect(serializeQueryError(new AwsError('SourceBundleDeletionException', 'm'), EB_NS, 'x')).toContain('<Code>SourceBundleDeletionFailure</Code>');
    const bundle = await failWith(new AwsError('SourceBundleDeletionFailure', 'Unable to delete the source bundle.'))
      .send(new DeleteApplicationCommand({ ApplicationName: 'a' }))
      .catch((e: unknown) => e);
    expect(bundle).toBeInstanceOf(SourceBundleDeletionException);
  });

  it('gives unmodelled codes as the error name with message, status and fault', async () => {
    const client = failWith(new AwsError('InvalidParameterValue', "No Application named 'x' found."));
    const err = (await client.send(new UpdateEnvironmentCommand({ EnvironmentName: 'e' })).catch((e: unknown) => e)) as ElasticBeanstalkServiceException & { Type?: string };
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toBe("No Application named 'x' found.");
    expect(err.$fault).toBe('client');
    const insufficient = failWith(new AwsError('InsufficientPrivilegesException', 'denied', 403));
    const denied = (await insufficient.send(new DeleteApplicationCommand({ ApplicationName: 'a' })).catch((e: unknown) => e)) as ElasticBeanstalkServiceException;
    expect(denied.name).toBe('InsufficientPrivilegesException');
    expect(denied.$metadata.httpStatusCode).toBe(403);
  });

  it('writes the exact ErrorResponse shape of the reference', () => {
    expect(serializeQueryError(new AwsError('InternalFailure', 'boom', 500), EB_NS, 'abc-123')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<ErrorResponse xmlns="${EB_NS}"><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>boom</Message></Error><RequestId>abc-123</RequestId></ErrorResponse>`,
    );
  });
});
