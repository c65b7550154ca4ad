// The healthreporting ConfigDocument: which custom metrics it enables, and the reasons a document is refused.
import { describe, expect, it } from 'vitest';
import { customMetricsOf, healthConfigDocumentProblem } from './health-config-document.ts';

describe('healthConfigDocumentProblem', () => {
  it('accepts AWS documented forms: periods of 60 or null, Rules, Version 1', () => {
    expect(healthConfigDocumentProblem({ Version: 1, CloudWatchMetrics: { Environment: { ApplicationRequests5xx: 60, 'ApplicationLatencyP99.9': null }, Instance: { CPUUser: 60 } } })).toBeUndefined();
    expect(healthConfigDocumentProblem({ Rules: { Environment: { Application: { ApplicationRequests4xx: { Enabled: false } } } }, Version: 1 })).toBeUndefined();
    expect(healthConfigDocumentProblem({})).toBeUndefined();
  });

  it('names the key, metric or period that is wrong', () => {
    expect(healthConfigDocumentProblem([1])).toMatch(/must be a JSON object/);
    expect(healthConfigDocumentProblem({ CloudwatchMetrics: {} })).toBe("Unknown key 'CloudwatchMetrics' in the ConfigDocument; allowed keys are Version, CloudWatchMetrics, Rules.");
    expect(healthConfigDocumentProblem({ Version: 2 })).toBe('ConfigDocument Version must be 1, not 2.');
    expect(healthConfigDocumentProblem({ CloudWatchMetrics: { Environments: {} } })).toMatch(/^Unknown key 'Environments' in CloudWatchMetrics/);
    expect(healthConfigDocumentProblem({ CloudWatchMetrics: { Environment: ['ApplicationRequests5xx'] } })).toMatch(/^CloudWatchMetrics.Environment must be a JSON object/);
    expect(healthConfigDocumentProblem({ CloudWatchMetrics: { Environment: { ApplicationRequests5xx: '60' } } })).toMatch(/is "60"; the period must be 60/);
    expect(healthConfigDocumentProblem({ CloudWatchMetrics: { Instance: { InstancesOk: 60 } } })).toBe('InstancesOk is not an Instance metric in CloudWatchMetrics; list it under Environment.');
  });
});

describe('customMetricsOf', () => {
  it('lists the metrics with a 60-second period and none for a missing or refused document', () => {
    expect(customMetricsOf(JSON.stringify({ CloudWatchMetrics: { Environment: { ApplicationRequests5xx: 60, InstancesOk: null }, Instance: { CPUIdle: 60 } } }))).toEqual({
      environment: ['ApplicationRequests5xx'],
      instance: ['CPUIdle'],
    });
    expect(customMetricsOf(undefined)).toEqual({ environment: [], instance: [] });
    expect(customMetricsOf('{not json')).toEqual({ environment: [], instance: [] });
    expect(customMetricsOf('{"CloudWatchMetrics":{"Environment":{"ApplicationRequests5xx":30}}}')).toEqual({ environment: [], instance: [] });
  });
});
