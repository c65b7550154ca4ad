import { describe, it, expect } from 'vitest';
import { loadOnce } from './load-once.ts';

describe('loadOnce', () => {
  it('runs the loader once for every caller, concurrent or later', async () => {
    let calls = 0;
    const get = loadOnce(async () => ++calls);
    expect(await Promise.all([get(), get()])).toEqual([1, 1]);
    expect(await get()).toBe(1);
    expect(calls).toBe(1);
  });

  it('forgets a failed attempt, so the next call loads again', async () => {
    let calls = 0;
    const get = loadOnce(async () => {
      calls++;
      if (calls === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return 'loaded';
    });
    await expect(get()).rejects.toThrow(/Failed to fetch/);
    expect(await get()).toBe('loaded');
    expect(calls).toBe(2);
  });
});
