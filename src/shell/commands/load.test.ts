import { describe, it, expect } from 'vitest';
import { labShell, labWithEnvironment } from '../test/lab.ts';
import { createLabShell } from '../index.ts';
import { parseLoadArgs, rateAt } from './load.ts';

describe('load arguments and shapes', () => {
  it('reads rate, duration and shape, and names the option at fault', () => {
    expect(parseLoadArgs(['--rate', '200', '--duration=10m', '--shape', 'spike', 'http://x.elasticbeanstalk.com/'])).toEqual({
      rate: 200,
      durationMs: 600_000,
      shape: 'spike',
      url: 'http://x.elasticbeanstalk.com/',
    });
    expect(() => parseLoadArgs(['--rate', 'fast', 'u'])).toThrow(/--rate must be requests per second between 1 and 1000, got 'fast'/);
    expect(() => parseLoadArgs(['--rate', '5000', 'u'])).toThrow(/got '5000'/);
    expect(() => parseLoadArgs(['--duration', '10 minutes', 'u'])).toThrow(/--duration must be a number with s, m or h/);
    expect(() => parseLoadArgs(['--duration', '7h', 'u'])).toThrow(/between 10s and 6h/);
    expect(() => parseLoadArgs(['--shape', 'wave', 'u'])).toThrow(/--shape must be steady, spike or ramp, got 'wave'/);
    expect(() => parseLoadArgs(['--rate', '5'])).toThrow(/which environment URL\?/);
    expect(() => parseLoadArgs(['--burst', 'u'])).toThrow(/unknown option --burst/);
  });

  it('spike is quiet, climbs, holds the full rate, then drops back; ramp climbs from a tenth', () => {
    expect(rateAt('spike', 200, 0.05)).toBe(20);
    expect(rateAt('spike', 200, 0.25)).toBe(110);
    expect(rateAt('spike', 200, 0.5)).toBe(200);
    expect(rateAt('spike', 200, 0.8)).toBe(20);
    expect(rateAt('ramp', 200, 0)).toBe(20);
    expect(rateAt('ramp', 200, 0.5)).toBe(110);
    expect(rateAt('steady', 200, 0.9)).toBe(200);
  });
});

describe('load against the sandbox', () => {
  it('runs in cloud time, prints a line a minute and a summary, and stops its traffic at the end', async () => {
    const lab = await labWithEnvironment();
    const start = lab.clients.now();
    const run = await lab.shell.exec(`load --rate 20 --duration 3m http://${lab.cname}/`);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(lab.clients.now() - start).toBeGreaterThanOrEqual(180_000);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('Sending steady traffic to pettracker-web-staging at up to 20 requests/s for 3m (cloud time).');
    const rows = lines.filter((l) => /^\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+$/.test(l)).map((l) => l.trim().split(/\s+/).map(Number));
    expect(rows).toHaveLength(3);
    for (const [, rate, requests, failed, , inService] of rows) {
      expect(rate).toBe(20);
      expect(requests).toBe(1200);
      expect(failed).toBe(0);
      expect(inService).toBeGreaterThanOrEqual(1);
    }
    expect(run.stdout).toMatch(/requests\s+3600\n\s+failed \(5xx\)\s+0 \(0\.00%\)/);
    const traffic = (await lab.clients.sandbox!.traffic('pettracker-web-staging')) as { probeRps: number };
    expect(traffic.probeRps).toBe(0);
  });

  it('shows failed requests when one instance gets more than its CPU can serve', async () => {
    const lab = await labWithEnvironment();
    const run = await lab.shell.exec(`load --rate 130 --duration 1m http://${lab.cname}/`);
    expect(run.exitCode).toBe(0);
    const row = run.stdout.split('\n').find((l) => /^\s+1\s+130\s/.test(l))!.trim().split(/\s+/).map(Number);
    expect(row[2]).toBe(7800);
    // About half of 130 requests a second exceed what one instance serves (about 65).
    expect(row[3]).toBeGreaterThan(3000);
    expect(row[3]).toBeLessThan(4800);
  });

  it('refuses hosts that are not environments, unknown environments, and clouds without the sandbox API', async () => {
    const lab = await labShell();
    const outside = await lab.shell.exec('load https://example.com/');
    expect(outside.exitCode).toBe(1);
    expect(outside.stderr).toMatch(/load: example\.com is not an Elastic Beanstalk environment URL\. The lab is offline/);
    const unknown = await lab.shell.exec('load http://nope.eba-abc.us-east-1.elasticbeanstalk.com/');
    expect(unknown.stderr).toMatch(/no running environment in us-east-1 has the URL nope\.eba-abc\.us-east-1\.elasticbeanstalk\.com/);
    const usage = await lab.shell.exec('load --shape wave http://x.elasticbeanstalk.com/');
    expect(usage.exitCode).toBe(2);
    const noSandbox = createLabShell({ fs: lab.fs, clients: { ...lab.clients, sandbox: null }, cwd: '/home/learner/lab' });
    const refused = await noSandbox.exec('load http://x.elasticbeanstalk.com/');
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/without the sandbox control API/);
  });
});
