import { describe, it, expect } from 'vitest';
import { WorkerClient, type MessageEndpoint } from './worker-client.ts';
import type { ToWorker } from './protocol.ts';

/** A worker stand-in: records what the page posts and lets the test answer or fail. */
class FakeWorker implements MessageEndpoint {
  private readonly target = new EventTarget();
  readonly posted: ToWorker[] = [];
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: Event) => void): void;
  addEventListener(type: 'message' | 'error', listener: (event: MessageEvent) => void): void {
    this.target.addEventListener(type, listener as EventListener);
  }
  private dispatchEvent(event: Event): void {
    this.target.dispatchEvent(event);
  }
  postMessage(message: unknown): void {
    this.posted.push(message as ToWorker);
  }
  reply(callId: number, value: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data: { kind: 'reply', callId, ok: true, value } }));
  }
  fail(message: string): void {
    const event = new Event('error') as Event & { message: string };
    event.message = message;
    this.dispatchEvent(event);
  }
}

describe('WorkerClient', () => {
  it('answers calls with the worker’s replies', async () => {
    const worker = new FakeWorker();
    const client = new WorkerClient(worker);
    const answer = client.call('inputState', { text: 'eb status' });
    expect(worker.posted[0]).toMatchObject({ kind: 'call', method: 'inputState', params: { text: 'eb status' } });
    worker.reply(worker.posted[0].callId, 'complete');
    await expect(answer).resolves.toBe('complete');
  });

  it('fails waiting calls when the worker stops, and every later call at once (a boot after a failed load never hangs)', async () => {
    const worker = new FakeWorker();
    const client = new WorkerClient(worker);
    const fatal: string[] = [];
    client.onEvent((event) => event.kind === 'fatal' && fatal.push(event.message));
    const waiting = client.call('runChecks', {});
    worker.fail('Failed to fetch a dynamically imported module');
    await expect(waiting).rejects.toThrow('runChecks: Failed to fetch a dynamically imported module');
    expect(fatal).toEqual(['Failed to fetch a dynamically imported module']);
    await expect(client.call('inputState', { text: 'ls' })).rejects.toThrow('inputState: Failed to fetch');
    expect(worker.posted).toHaveLength(1);
  });
});
