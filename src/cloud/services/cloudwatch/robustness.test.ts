// Random and mutated inputs to CloudWatch (JSON 1.0 and Query) and ACM (JSON 1.1): every answer is an AWS
// success or a 4xx error with a code and message, never an internal failure.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ManualClock, createCloud } from '../../index.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function signed(service: string): Record<string, string> {
  return { authorization: `AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0` };
}

const CW_OPS = ['PutMetricData', 'GetMetricStatistics', 'GetMetricData', 'ListMetrics', 'PutMetricAlarm', 'DescribeAlarms', 'DescribeAlarmsForMetric', 'DeleteAlarms', 'SetAlarmState', 'DescribeAlarmHistory', 'EnableAlarmActions', 'DisableAlarmActions'];
const ACM_OPS = ['RequestCertificate', 'ImportCertificate', 'DescribeCertificate', 'ListCertificates', 'GetCertificate', 'DeleteCertificate', 'AddTagsToCertificate', 'RemoveTagsFromCertificate', 'ListTagsForCertificate'];
const FIELDS = [
  'Namespace', 'MetricName', 'Dimensions', 'MetricData', 'Value', 'Values', 'Counts', 'StatisticValues', 'Timestamp', 'StartTime', 'EndTime', 'Period', 'Statistics',
  'ExtendedStatistics', 'MetricDataQueries', 'MetricStat', 'Metric', 'Stat', 'Id', 'AlarmName', 'AlarmNames', 'Threshold', 'ComparisonOperator', 'EvaluationPeriods',
  'DatapointsToAlarm', 'TreatMissingData', 'Statistic', 'StateValue', 'StateReason', 'StateReasonData', 'NextToken', 'MaxRecords', 'Name', 'Unit', 'AlarmActions',
  'DomainName', 'SubjectAlternativeNames', 'CertificateArn', 'Certificate', 'PrivateKey', 'CertificateChain', 'Tags', 'Key', 'Includes', 'keyTypes', 'MaxItems',
  'CertificateStatuses', 'IdempotencyToken', 'KeyAlgorithm', 'Options', 'ValidationMethod',
];

const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('Sum', 'p99', 'ALARM', 'GreaterThanThreshold', 'a.example', 'arn:aws:acm:us-east-1:000000000000:certificate/x', 'LS0tLS1CRUdJTg==', '2026-11-23T08:00:00Z', 'AWS/EC2', 'NaN'),
  fc.double(),
  fc.integer({ min: -5, max: 100_000 }),
  fc.boolean(),
  fc.constant(null),
);
const { value: jsonValue } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom(...FIELDS), tie('value'), { maxKeys: 5 })),
}));
const input = fc.dictionary(fc.constantFrom(...FIELDS), jsonValue, { maxKeys: 8 });

describe('CloudWatch and ACM robustness', () => {
  it('answer random JSON inputs with AWS errors, never internal failures', async () => {
    const clock = new ManualClock(Date.parse('2026-11-23T08:00:00Z'));
    const logged: string[] = [];
    const cloud = createCloud({ clock, log: (m) => logged.push(m) });
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.nat(), input, async (isAcm, pick, body) => {
        const ops = isAcm ? ACM_OPS : CW_OPS;
        const op = ops[pick % ops.length];
        const res = await cloud.handle({
          method: 'POST', path: '/', query: '',
          headers: { ...signed(isAcm ? 'acm' : 'monitoring'), 'content-type': isAcm ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0', 'x-amz-target': `${isAcm ? 'CertificateManager' : 'GraniteServiceVersion20100801'}.${op}` },
          body: encoder.encode(JSON.stringify(body)),
        });
        expect(res.status, decoder.decode(res.body)).toBeLessThan(500);
        if (res.status >= 400) expect(JSON.parse(decoder.decode(res.body))).toMatchObject({ __type: expect.any(String), message: expect.any(String) });
        await clock.advance(30_000);
      }),
      { numRuns: 800 },
    );
    expect(logged).toEqual([]);
  });

  it('answers random Query forms with AWS errors, never internal failures', async () => {
    const cloud = createCloud({ clock: new ManualClock(Date.parse('2026-11-23T08:00:00Z')), log: () => {} });
    const name = fc.array(fc.constantFrom(...FIELDS, 'member', '1', '2', 'entry'), { minLength: 1, maxLength: 5 }).map((parts) => parts.join('.'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CW_OPS), fc.array(fc.tuple(name, fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('1', '-1', '60', 'Sum', 'true', '1e309'))), { maxLength: 10 }), async (op, pairs) => {
        const form = [`Action=${op}`, 'Version=2010-08-01', ...pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)].join('&');
        const res = await cloud.handle({ method: 'POST', path: '/', query: '', headers: { ...signed('monitoring'), 'content-type': 'application/x-www-form-urlencoded' }, body: encoder.encode(form) });
        expect(res.status, decoder.decode(res.body)).toBeLessThan(500);
      }),
      { numRuns: 800 },
    );
  });
});
