import { describe, expect, it } from 'vitest';
import { ManualClock, ScaledClock } from './clock.ts';

describe('ManualClock', () => {
  it('fires timers in time order, ties in scheduling order, only when advanced', async () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@200'), 200);
    clock.setTimeout(() => fired.push('a@100'), 100);
    clock.setTimeout(() => fired.push('c@200'), 200);
    expect(fired).toEqual([]);
    await clock.advance(150);
    expect(fired).toEqual(['a@100']);
    expect(clock.now()).toBe(150);
    await clock.advance(50);
    expect(fired).toEqual(['a@100', 'b@200', 'c@200']);
  });

  it('runs timers scheduled by timers and by promise callbacks within the same advance', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      void Promise.resolve().then(() => clock.setTimeout(() => fired.push(clock.now()), 10));
    }, 10);
    await clock.advance(100);
    expect(fired).toEqual([10, 20]);
  });

  it('cancels timers and stops runUntilIdle at the bound', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    const id = clock.setTimeout(() => fired.push(1), 10);
    clock.clearTimeout(id);
    const tick = () => clock.setTimeout(tick, 1000);
    tick();
    await clock.runUntilIdle(5000);
    expect(fired).toEqual([]);
    expect(clock.now()).toBe(5000);
  });
});

describe('ScaledClock', () => {
  it('runs virtual time at speed times real time', () => {
    let real = 1000;
    const clock = new ScaledClock(60, 0, () => real);
    real += 1000;
    expect(clock.now()).toBe(60_000);
  });

  it('rejects a speed that is not positive', () => {
    expect(() => new ScaledClock(0)).toThrow(/positive/);
  });
});
