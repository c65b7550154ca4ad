// `load`: drives traffic against an environment URL at a chosen rate and shape in the cloud's time, through
// the sandbox's traffic probe, and reports requests, failures, p95 latency and instances in service.
import { DescribeEnvironmentsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { CommandUsageError, type LabCommand, type LabCommandContext } from '../command.ts';

const USAGE = `Usage: load [--rate <rps>] [--duration <time>] [--shape steady|spike|ramp] <environment-url>
  --rate <rps>        peak requests per second (1 to 1000, default 50)
  --duration <time>   how long, in the cloud's time: 90s, 10m, 1h (default 10m, at most 6h)
  --shape <shape>     steady: the rate throughout
                      spike:  10% of the rate for the first tenth, a climb to the full rate over
                              the next three tenths, the full rate for a fifth, then back to 10%
                      ramp:   from 10% to the full rate over the whole duration
Sends traffic to an environment URL in the sandbox (find it with eb status) and prints a line a minute.
`;

export type LoadShape = 'steady' | 'spike' | 'ramp';

export interface LoadPlan {
  rate: number;
  durationMs: number;
  shape: LoadShape;
  url: string;
}

/** The rate (requests per second) a shape asks for at a point in the run (0 ≤ progress < 1). */
export function rateAt(shape: LoadShape, rate: number, progress: number): number {
  const base = rate * 0.1;
  if (shape === 'steady') return rate;
  if (shape === 'ramp') return Math.round(base + (rate - base) * progress);
  // A launch-day spike: quiet, a climb over three tenths of the run, a plateau, then the crowd leaves.
  if (progress < 0.1) return Math.round(base);
  if (progress < 0.4) return Math.round(base + (rate - base) * ((progress - 0.1) / 0.3));
  if (progress < 0.6) return rate;
  return Math.round(base);
}

export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m) throw new CommandUsageError(`--duration must be a number with s, m or h (e.g. 90s, 10m, 1h), got '${text}'.`);
  const ms = Number(m[1]) * (m[2] === 'h' ? 3_600_000 : m[2] === 's' ? 1_000 : 60_000);
  if (ms < 10_000 || ms > 6 * 3_600_000) throw new CommandUsageError(`--duration must be between 10s and 6h, got '${text}'.`);
  return ms;
}

export function parseLoadArgs(args: string[]): LoadPlan {
  let rate = 50;
  let durationMs = 600_000;
  let shape: LoadShape = 'steady';
  let url: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith('--') && args[i].includes('=') ? [args[i].slice(0, args[i].indexOf('=')), args[i].slice(args[i].indexOf('=') + 1)] : [args[i], undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new CommandUsageError(`${flag} needs a value.\n${USAGE}`);
      return v;
    };
    if (flag === '--rate' || flag === '-r') {
      const v = value();
      rate = Number(v);
      if (!/^\d+(\.\d+)?$/.test(v) || rate < 1 || rate > 1000) throw new CommandUsageError(`--rate must be requests per second between 1 and 1000, got '${v}'.`);
    } else if (flag === '--duration' || flag === '-d') durationMs = parseDuration(value());
    else if (flag === '--shape' || flag === '-s') {
      const v = value();
      if (v !== 'steady' && v !== 'spike' && v !== 'ramp') throw new CommandUsageError(`--shape must be steady, spike or ramp, got '${v}'.`);
      shape = v;
    } else if (flag.startsWith('-')) throw new CommandUsageError(`unknown option ${flag}.\n${USAGE}`);
    else if (url !== undefined) throw new CommandUsageError(`one environment URL only, got '${url}' and '${flag}'.`);
    else url = flag;
  }
  if (url === undefined) throw new CommandUsageError(`which environment URL? Find it with eb status (CNAME).\n${USAGE}`);
  return { rate, durationMs, shape, url };
}

/** Hosts the sandbox answers: environment CNAMEs and load balancer names. */
const ENVIRONMENT_HOST = /(^|\.)elasticbeanstalk\.com$|\.elb\.amazonaws\.com$/i;

async function environmentFor(ctx: LabCommandContext, url: string): Promise<string> {
  let host: string;
  try {
    host = new URL(/^[a-z]+:\/\//i.test(url) ? url : `http://${url}`).hostname.toLowerCase();
  } catch {
    throw new CommandUsageError(`'${url}' is not a URL. Use the environment's URL from eb status, e.g. http://pettracker-ml-prod.eba-abc123.us-east-1.elasticbeanstalk.com/`);
  }
  if (!ENVIRONMENT_HOST.test(host)) {
    throw new CommandUsageError(`${host} is not an Elastic Beanstalk environment URL. The lab is offline: load can only send traffic to environments in the sandbox (*.elasticbeanstalk.com, *.elb.amazonaws.com).`, 1);
  }
  const described = await ctx.clients.eb.send(new DescribeEnvironmentsCommand({ IncludeDeleted: false }));
  const env = (described.Environments ?? []).find(
    (e) => e.Status !== 'Terminated' && (e.CNAME?.toLowerCase() === host || e.EndpointURL?.toLowerCase() === host),
  );
  if (!env?.EnvironmentName) throw new CommandUsageError(`no running environment in ${ctx.clients.region} has the URL ${host}. Check it with eb status.`, 1);
  return env.EnvironmentName;
}

interface TrafficAnswer {
  probeRps?: number;
  requests?: Array<{ time: number; status: number; latencyMs: number; source?: string }>;
}

interface TimelineAnswer {
  lanes?: Array<{ instanceId: string; points: Array<{ state: string; inService: boolean }> }>;
}

interface Minute {
  minute: number;
  rate: number;
  requests: number;
  failures: number;
  p95: number;
  inService: number;
}

function p95(latencies: number[]): number {
  if (latencies.length === 0) return 0;
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
}

async function inService(ctx: LabCommandContext, environment: string): Promise<number> {
  const timeline = (await ctx.clients.sandbox!.timeline(environment)) as TimelineAnswer;
  return (timeline.lanes ?? []).filter((lane) => {
    const last = lane.points[lane.points.length - 1];
    return last && last.inService && (last.state === 'running' || last.state === 'deploying');
  }).length;
}

const STEP_MS = 10_000;

export const loadCommand: LabCommand = {
  name: 'load',
  summary: 'drive traffic at an environment URL (rate, duration, shape) and report failures, p95 and instances',
  complete(args, word) {
    const prev = args[args.length - 1];
    if (prev === '--shape' || prev === '-s') return ['steady', 'spike', 'ramp'];
    if (word.startsWith('-')) return ['--rate', '--duration', '--shape'];
    return undefined;
  },
  async run(args, ctx) {
    if (args.includes('--help') || args.includes('-h')) {
      ctx.stdout(USAGE);
      return 0;
    }
    const plan = parseLoadArgs(args);
    const sandbox = ctx.clients.sandbox;
    if (!sandbox) {
      ctx.stderr('load: this terminal talks to an endpoint without the sandbox control API (/_sandbox/*), so it cannot send simulated traffic. Use the built-in sandbox or academy cloud.\n');
      return 1;
    }
    const environment = await environmentFor(ctx, plan.url);
    const before = (await sandbox.traffic(environment, { since: ctx.clients.now() })) as TrafficAnswer;
    const previousRps = before.probeRps ?? 0;
    const minutes: Minute[] = [];
    const totalMinutes = Math.ceil(plan.durationMs / 60_000);
    ctx.stdout(`Sending ${plan.shape} traffic to ${environment} at up to ${plan.rate} requests/s for ${formatDuration(plan.durationMs)} (cloud time).\n`);
    ctx.stdout(`${'minute'.padStart(6)} ${'rate/s'.padStart(7)} ${'requests'.padStart(9)} ${'failed'.padStart(7)} ${'p95 ms'.padStart(7)} ${'in service'.padStart(10)}\n`);
    const start = ctx.clients.now();
    let current = -1;
    let aborted = false;
    try {
      for (let m = 0; m < totalMinutes; m++) {
        const minuteStart = ctx.clients.now();
        const minuteEnd = Math.min(start + plan.durationMs, start + (m + 1) * 60_000);
        // One rate a minute (the shape at the minute's middle): a staircase a learner can read in the table.
        const rps = Math.max(1, rateAt(plan.shape, plan.rate, (minuteStart + (minuteEnd - minuteStart) / 2 - start) / plan.durationMs));
        if (rps !== current) {
          await sandbox.probe(environment, rps);
          current = rps;
        }
        while (ctx.clients.now() < minuteEnd) {
          if (ctx.signal.aborted) {
            aborted = true;
            break;
          }
          await ctx.clients.sleep(Math.min(STEP_MS, minuteEnd - ctx.clients.now()));
        }
        // The probe sends each second's requests at its end, so a minute is (start, end].
        const seen = ((await sandbox.traffic(environment, { since: minuteStart + 1 })) as TrafficAnswer).requests ?? [];
        const probe = seen.filter((r) => r.source === 'probe' && r.time <= minuteEnd);
        const row: Minute = {
          minute: m + 1,
          rate: rps,
          requests: probe.length,
          failures: probe.filter((r) => r.status >= 500).length,
          p95: p95(probe.map((r) => r.latencyMs)),
          inService: await inService(ctx, environment),
        };
        minutes.push(row);
        ctx.stdout(`${String(row.minute).padStart(6)} ${String(row.rate).padStart(7)} ${String(row.requests).padStart(9)} ${String(row.failures).padStart(7)} ${String(row.p95).padStart(7)} ${String(row.inService).padStart(10)}\n`);
        if (aborted) break;
      }
    } finally {
      await sandbox.probe(environment, previousRps);
    }
    const requests = minutes.reduce((s, r) => s + r.requests, 0);
    const failures = minutes.reduce((s, r) => s + r.failures, 0);
    const counts = minutes.map((r) => r.inService);
    ctx.stdout('\nSummary\n');
    const table: Array<[string, string]> = [
      ['requests', String(requests)],
      ['failed (5xx)', `${failures}${requests ? ` (${((failures / requests) * 100).toFixed(2)}%)` : ''}`],
      ['worst minute p95', `${Math.max(0, ...minutes.map((r) => r.p95))} ms`],
      ['instances in service', counts.length ? `${counts[0]} at the start, ${Math.max(...counts)} at most, ${counts[counts.length - 1]} at the end` : 'n/a'],
    ];
    for (const [k, v] of table) ctx.stdout(`  ${k.padEnd(22)} ${v}\n`);
    return aborted ? 130 : 0;
  },
};

function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}
