// The virtual clock that drives everything asynchronous in the sandbox cloud (launches, batches,
// health, scaling). Tests use a ManualClock and step it; the workbench and `academy cloud` use a
// ScaledClock that runs real time times a speed, so a 5-minute launch plays out in a few seconds.

export type TimerId = number;

export interface Clock {
  /** Virtual time, epoch milliseconds. */
  now(): number;
  /** Runs `fn` once virtual time has advanced by `delayMs`. */
  setTimeout(fn: () => void, delayMs: number): TimerId;
  clearTimeout(id: TimerId): void;
  /** Resolves after `ms` of virtual time. On a ManualClock this advances the clock itself. */
  sleep(ms: number): Promise<void>;
  /** Simulated milliseconds per real millisecond (Infinity for a manual clock). */
  readonly speed: number;
}

interface Timer {
  id: TimerId;
  at: number;
  seq: number;
  fn: () => void;
}

/** A clock that only moves when told to. Timers fire in time order, ties in scheduling order. */
export class ManualClock implements Clock {
  readonly speed = Number.POSITIVE_INFINITY;
  private current: number;
  private timers: Timer[] = [];
  private nextId = 1;
  private seq = 0;

  constructor(start: number | Date = Date.UTC(2026, 10, 23, 9, 0, 0)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, delayMs: number): TimerId {
    const id = this.nextId++;
    this.timers.push({ id, at: this.current + Math.max(0, delayMs), seq: this.seq++, fn });
    return id;
  }

  clearTimeout(id: TimerId): void {
    this.timers = this.timers.filter((t) => t.id !== id);
  }

  /** Moves time forward by `ms`, firing due timers in order and letting promise callbacks settle between them. */
  async advance(ms: number): Promise<void> {
    const target = this.current + Math.max(0, ms);
    for (;;) {
      await settle();
      const next = this.earliest();
      if (!next || next.at > target) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = Math.max(this.current, next.at);
      next.fn();
    }
    this.current = target;
    await settle();
  }

  /** Advances until no timer is pending (bounded, so a self-rescheduling timer cannot hang a test). */
  async runUntilIdle(maxMs = 24 * 3600_000): Promise<void> {
    const limit = this.current + maxMs;
    for (;;) {
      await settle();
      const next = this.earliest();
      if (!next || next.at > limit) return;
      await this.advance(next.at - this.current);
    }
  }

  sleep(ms: number): Promise<void> {
    return this.advance(ms);
  }

  /** Number of timers not yet fired. */
  pending(): number {
    return this.timers.length;
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

/** Real time multiplied by `speed` (1 = real time; 60 = a minute a second). */
export class ScaledClock implements Clock {
  private readonly realStart: number;
  private readonly virtualStart: number;
  private handles = new Map<TimerId, ReturnType<typeof globalThis.setTimeout>>();
  private nextId = 1;

  constructor(
    readonly speed: number = 60,
    start: number = Date.now(),
    private readonly realNow: () => number = () => Date.now(),
  ) {
    if (!(speed > 0)) throw new RangeError(`Clock speed must be a positive number, got ${speed}`);
    this.realStart = realNow();
    this.virtualStart = start;
  }

  now(): number {
    return Math.round(this.virtualStart + (this.realNow() - this.realStart) * this.speed);
  }

  setTimeout(fn: () => void, delayMs: number): TimerId {
    const id = this.nextId++;
    const handle = globalThis.setTimeout(() => {
      this.handles.delete(id);
      fn();
    }, Math.max(0, delayMs) / this.speed);
    this.handles.set(id, handle);
    return id;
  }

  clearTimeout(id: TimerId): void {
    const handle = this.handles.get(id);
    if (handle !== undefined) globalThis.clearTimeout(handle);
    this.handles.delete(id);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** Stops every pending timer (a host shutting down). */
  dispose(): void {
    for (const handle of this.handles.values()) globalThis.clearTimeout(handle);
    this.handles.clear();
  }
}

/** Lets queued promise callbacks run: several macrotask-free turns of the microtask queue. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
