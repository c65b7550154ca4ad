import { describe, it, expect } from 'vitest';
import { bucketTraffic, buildTrafficData, lastMinuteSummary, parseTrafficRequests, type TrafficRequest } from './traffic-data.ts';

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

/** One request a second from `from` for `seconds`, answered by `answer(second)`. */
function steady(from: number, seconds: number, answer: (s: number) => Omit<TrafficRequest, 'time'>): TrafficRequest[] {
  return Array.from({ length: seconds }, (_, s) => ({ time: from + s * 1000, ...answer(s) }));
}

describe('bucketTraffic', () => {
  it('counts requests per 10 simulated seconds, by version, with failures apart', () => {
    const requests = [
      ...steady(T0, 10, () => ({ status: 200, versionLabel: 'v1' })),
      ...steady(T0 + 10_000, 10, (s) => (s < 4 ? { status: 503 } : { status: 200, versionLabel: 'v2' })),
    ];
    const buckets = bucketTraffic(requests, T0 + 19_500);
    expect(buckets).toEqual([
      { start: T0, requests: 10, failed: 0, byVersion: { v1: 10 } },
      { start: T0 + 10_000, requests: 10, failed: 4, byVersion: { v2: 6 } },
    ]);
  });

  it('counts unanswered requests (status 0) and 504 timeouts as failures', () => {
    const buckets = bucketTraffic([{ time: T0, status: 0 }, { time: T0 + 1, status: 504, versionLabel: 'v1' }, { time: T0 + 2, status: 404, versionLabel: 'v1' }], T0 + 5000);
    expect(buckets[0]).toMatchObject({ requests: 3, failed: 2, byVersion: { v1: 1 } });
  });

  it('keeps empty buckets up to now and drops requests older than the window', () => {
    const buckets = bucketTraffic([{ time: T0 - 20 * 60_000, status: 200 }, { time: T0, status: 200, versionLabel: 'v1' }], T0 + 35_000);
    expect(buckets.map((b) => b.start - T0)).toEqual([0, 10_000, 20_000, 30_000]);
    expect(buckets.map((b) => b.requests)).toEqual([1, 0, 0, 0]);
  });

  it('answers nothing without requests, and refuses a bucket size that is not positive', () => {
    expect(bucketTraffic([], T0)).toEqual([]);
    expect(() => bucketTraffic([{ time: T0, status: 200 }], T0, 0)).toThrow(/bucket size must be a positive/);
  });
});

describe('lastMinuteSummary', () => {
  it('says the requests, failures and version shares of the last simulated minute', () => {
    const requests = steady(T0, 120, (s) => ({ status: 200, versionLabel: s < 90 ? 'v2' : 'v3' }));
    expect(lastMinuteSummary(requests, T0 + 119_000)).toBe('Last minute: 60 requests, 0 failed, versions v2 (50%), v3 (50%)');
    expect(lastMinuteSummary(steady(T0, 60, () => ({ status: 200, versionLabel: 'v3' })), T0 + 59_000)).toBe('Last minute: 60 requests, 0 failed, version v3 (100%)');
  });

  it('names an outage', () => {
    expect(lastMinuteSummary(steady(T0, 3, () => ({ status: 503 })), T0 + 2000)).toBe('Last minute: 3 requests, 3 failed, no version answered');
    expect(lastMinuteSummary([], T0)).toBe('Last minute: no requests.');
  });
});

describe('parseTrafficRequests and buildTrafficData', () => {
  it('reads the sandbox evidence, skipping malformed entries, and lists versions in order of appearance', () => {
    const raw = { found: true, requests: [{ time: T0, status: 200, versionLabel: 'v1', path: '/' }, { time: 'x' }, null, { time: T0 + 12_000, status: 200, versionLabel: 'v2' }] };
    const requests = parseTrafficRequests(raw);
    expect(requests).toEqual([{ time: T0, status: 200, versionLabel: 'v1' }, { time: T0 + 12_000, status: 200, versionLabel: 'v2' }]);
    const data = buildTrafficData('prod', requests!, T0 + 15_000);
    expect(data.versions).toEqual(['v1', 'v2']);
    expect(data.buckets).toHaveLength(2);
    expect(parseTrafficRequests({ found: false, requests: [] })).toBeNull();
    expect(parseTrafficRequests('nonsense')).toBeNull();
  });
});
