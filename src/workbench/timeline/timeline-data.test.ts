import { describe, it, expect } from 'vitest';
import { normaliseTimeline, stateAt } from './timeline-data.ts';

// The shape the sandbox's /_sandbox/timeline returns: point samples per instance, events with times.
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const evidence = {
  environmentName: 'pettracker-web-staging',
  found: true,
  now: T0 + 300_000,
  status: 'Ready',
  health: 'Green',
  lanes: [
    {
      instanceId: 'i-0aaa',
      points: [
        { time: T0, instanceId: 'i-0aaa', state: 'launching', versionLabel: 'v1', health: 'Pending', inService: false, deploymentId: 1 },
        { time: T0 + 60_000, instanceId: 'i-0aaa', state: 'running', versionLabel: 'v1', health: 'Ok', inService: true, deploymentId: 1 },
        { time: T0 + 200_000, instanceId: 'i-0aaa', state: 'deploying', versionLabel: 'v1', health: 'Info', batch: 1, inService: false, deploymentId: 2 },
        { time: T0 + 240_000, instanceId: 'i-0aaa', state: 'running', versionLabel: 'v2', health: 'Ok', batch: 1, inService: true, deploymentId: 2 },
      ],
    },
    {
      instanceId: 'i-0bbb',
      points: [
        { time: T0 + 10_000, instanceId: 'i-0bbb', state: 'running', versionLabel: 'v1', health: 'Severe', inService: true },
        { time: T0 + 90_000, instanceId: 'i-0bbb', state: 'terminated', versionLabel: 'v1', health: 'NoData', inService: false },
      ],
    },
  ],
  events: [
    { time: T0 + 240_500, severity: 'INFO', message: 'Batch 1: Completed application deployment.' },
    { time: T0, severity: 'INFO', message: 'createEnvironment is starting.' },
  ],
};

describe('normaliseTimeline', () => {
  it('turns instance samples into consecutive segments that end at the next sample or now', () => {
    const data = normaliseTimeline(evidence, 'fallback', 0)!;
    expect(data.environment).toBe('pettracker-web-staging');
    expect(data.status).toBe('Ready');
    const a = data.lanes.find((l) => l.instanceId === 'i-0aaa')!;
    expect(a.segments.map((s) => [s.from - T0, s.to - T0, s.version, s.health, s.inService])).toEqual([
      [0, 60_000, 'v1', 'Pending', false],
      [60_000, 200_000, 'v1', 'Ok', true],
      [200_000, 240_000, 'v1', 'Info', false],
      [240_000, 300_000, 'v2', 'Ok', true],
    ]);
    expect(a.segments[2].batch).toBe(1);
  });

  it('ends a lane when its instance is terminated', () => {
    const data = normaliseTimeline(evidence, 'x', 0)!;
    const b = data.lanes.find((l) => l.instanceId === 'i-0bbb')!;
    expect(b.segments).toHaveLength(1);
    expect(b.segments[0].to - T0).toBe(90_000);
  });

  it('sorts events by time and spans the whole deployment', () => {
    const data = normaliseTimeline(evidence, 'x', 0)!;
    expect(data.events.map((e) => e.message)).toEqual(['createEnvironment is starting.', 'Batch 1: Completed application deployment.']);
    expect(data.start).toBe(T0);
    expect(data.end).toBe(T0 + 300_000);
  });

  it('answers the state of every instance at a moment (replay and table)', () => {
    const data = normaliseTimeline(evidence, 'x', 0)!;
    expect(stateAt(data, T0 + 220_000).map((l) => [l.instanceId, l.segment?.health])).toEqual([
      ['i-0aaa', 'Info'],
      ['i-0bbb', undefined],
    ]);
  });

  it('returns null for an unknown environment or junk', () => {
    expect(normaliseTimeline({ environmentName: 'x', found: false, lanes: [], events: [] }, 'x', 0)).toBeNull();
    expect(normaliseTimeline('nope', 'x', 0)).toBeNull();
    expect(normaliseTimeline({ lanes: [{ points: [{ time: 'not a time' }] }] }, 'x', 0)).toBeNull();
  });
});
