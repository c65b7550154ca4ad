// The page's side of the lab worker: typed calls answered by promises, and a stream of events
// (command output, file changes, cloud snapshots). Works over any MessagePort-like endpoint.
import type { FromWorker, MethodName, MethodParams, MethodResult, ToWorker, WorkerEvent } from './protocol.ts';

export interface MessageEndpoint {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: Event) => void): void;
}

export class WorkerClient {
  private nextCallId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }>();
  private readonly listeners = new Set<(event: WorkerEvent) => void>();
  /** Why the worker stopped, once it has: later calls fail at once instead of waiting forever. */
  private stopped: string | null = null;

  constructor(private readonly endpoint: MessageEndpoint) {
    endpoint.addEventListener('message', (event: MessageEvent) => this.receive(event.data as FromWorker));
    endpoint.addEventListener('error', (event: Event) => {
      const message = (event as ErrorEvent).message || 'the lab worker stopped unexpectedly';
      this.stopped = message;
      this.failAll(message);
      for (const l of this.listeners) l({ kind: 'fatal', message });
    });
  }

  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    if (this.stopped) return Promise.reject(new Error(`${method}: ${this.stopped}`));
    const callId = this.nextCallId++;
    const message: ToWorker = { kind: 'call', callId, method, params };
    return new Promise<MethodResult<M>>((resolve, reject) => {
      this.pending.set(callId, { resolve: resolve as (v: unknown) => void, reject, method });
      this.endpoint.postMessage(message);
    });
  }

  onEvent(listener: (event: WorkerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(message: FromWorker): void {
    if (message.kind === 'reply') {
      const waiting = this.pending.get(message.callId);
      if (!waiting) return;
      this.pending.delete(message.callId);
      if (message.ok) waiting.resolve(message.value);
      else waiting.reject(new Error(message.error));
      return;
    }
    if (message.kind === 'fatal') this.failAll(message.message);
    for (const l of this.listeners) l(message);
  }

  private failAll(message: string): void {
    for (const [id, waiting] of this.pending) {
      waiting.reject(new Error(`${waiting.method}: ${message}`));
      this.pending.delete(id);
    }
  }
}
