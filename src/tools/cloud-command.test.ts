// `academy cloud` in-process: it listens, answers, saves its state file on stop, and reports bad options.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCloudCommand } from './cloud-command.ts';
import type { CloudServer } from '../cloud/server.ts';

function io(signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  let server: CloudServer | undefined;
  return {
    out,
    err,
    server: () => server,
    io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), signal, onListening: (s: CloudServer) => (server = s) },
  };
}

describe('academy cloud', () => {
  it('serves until stopped and saves the state file on exit', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'academy-cloud-')), 'cloud.json');
    const stop = new AbortController();
    const run = io(stop.signal);
    const done = runCloudCommand(['--port', '0', '--speed=120', '--state-file', stateFile, '--quiet'], run.io);
    while (!run.server()) await new Promise((r) => setTimeout(r, 10));
    const health = await (await fetch(`${run.server()!.url}/_localstack/health`)).json();
    expect(health.services.s3).toBe('running');
    expect(run.out.join('')).toContain(`Sandbox cloud listening on ${run.server()!.url} (speed 120x, state file ${stateFile})`);
    stop.abort();
    expect(await done).toBe(0);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).format).toBe('beanstalk-academy-cloud');
    expect(run.out.join('')).toContain('state saved to');
  });

  it('names bad options and exits 2, prints help with 0', async () => {
    for (const [args, message] of [
      [['--port', 'abc'], "--port must be a number from 0 to 65535, got 'abc'"],
      [['--speed', '0'], '--speed must be a positive number'],
      [['--allow-origin', 'nope'], '--allow-origin must be an origin'],
      [['--bogus'], "Unknown option '--bogus'"],
      [['--state-file'], '--state-file needs a value'],
    ] as const) {
      const run = io();
      expect(await runCloudCommand([...args], run.io)).toBe(2);
      expect(run.err.join('')).toContain(message);
    }
    const help = io();
    expect(await runCloudCommand(['--help'], help.io)).toBe(0);
    expect(help.out.join('')).toContain('Usage: academy cloud');
  });

  it('reports a port in use with exit code 1', async () => {
    const stop = new AbortController();
    const first = io(stop.signal);
    const done = runCloudCommand(['--port', '0', '--quiet'], first.io);
    while (!first.server()) await new Promise((r) => setTimeout(r, 10));
    const second = io();
    expect(await runCloudCommand(['--port', String(first.server()!.port)], second.io)).toBe(1);
    expect(second.err.join('')).toContain('already in use');
    stop.abort();
    await done;
  });
});
