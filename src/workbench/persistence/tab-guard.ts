// Makes sure two tabs on the same lab never overwrite each other's saved work silently: one tab holds the
// lab's Web Lock and saves; another tab is told, works read-only, and may take over (the first tab then stops saving).

export interface TabGuardEvents {
  /** This tab owns the lab now (at start, or after taking over); reload saved state before saving. */
  owned(takenOver: boolean): void;
  /** Another tab has the lab (at start) or took it from this one. */
  lost(reason: 'open-elsewhere' | 'taken-over'): void;
}

type GuardMessage = { type: 'take-over'; from: string } | { type: 'released'; from: string };

export class TabGuard {
  private readonly id = Math.random().toString(36).slice(2);
  private readonly channel: BroadcastChannel | null;
  private release: (() => void) | null = null;
  private owner = false;

  constructor(
    private readonly labId: string,
    private readonly events: TabGuardEvents,
    private readonly locks: LockManager | undefined = globalThis.navigator?.locks,
  ) {
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`beanstalk-academy:lab:${labId}`) : null;
    this.channel?.addEventListener('message', (event: MessageEvent<GuardMessage>) => this.onMessage(event.data));
  }

  get isOwner(): boolean {
    return this.owner;
  }

  private get lockName(): string {
    return `beanstalk-academy:lab:${this.labId}`;
  }

  /** Tries to own the lab; resolves true when this tab may save. */
  async claim(): Promise<boolean> {
    if (!this.locks) {
      // Without Web Locks (very old browsers) there is no safe way to tell; assume a single tab.
      this.owner = true;
      this.events.owned(false);
      return true;
    }
    const got = await this.hold({ ifAvailable: true });
    if (got) this.events.owned(false);
    else this.events.lost('open-elsewhere');
    return got;
  }

  /** Asks the other tab to let go, then waits for the lock. */
  async takeOver(): Promise<void> {
    if (this.owner) return;
    this.channel?.postMessage({ type: 'take-over', from: this.id } satisfies GuardMessage);
    if (!this.locks) {
      this.owner = true;
      this.events.owned(true);
      return;
    }
    await this.hold({});
    this.events.owned(true);
  }

  private hold(options: { ifAvailable?: boolean }): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      void this.locks!.request(this.lockName, options, (lock) => {
        if (!lock) {
          resolve(false);
          return undefined;
        }
        this.owner = true;
        resolve(true);
        // Held until released: the lock lives as long as this promise is pending (or the tab lives).
        return new Promise<void>((release) => (this.release = release));
      });
    });
  }

  private onMessage(message: GuardMessage): void {
    if (message?.type === 'take-over' && message.from !== this.id && this.owner) {
      this.owner = false;
      this.release?.();
      this.release = null;
      this.events.lost('taken-over');
    }
  }

  dispose(): void {
    this.release?.();
    this.channel?.close();
  }
}
