// `eb health`: the enhanced-health table (environment status, instance totals, per-instance status,
// requests, CPU and deployments) from DescribeEnvironmentHealth and DescribeInstancesHealth.
import {
  DescribeEnvironmentHealthCommand,
  DescribeInstancesHealthCommand,
  type DescribeEnvironmentHealthCommandOutput,
  type SingleInstanceHealth,
} from '@aws-sdk/client-elastic-beanstalk';
import { boolFlag } from '../args.ts';
import type { EbCommand } from '../command.ts';
import { nowMs } from '../context.ts';
import { describeEnvironment, environmentName } from '../environments.ts';
import { InvalidStateError } from '../errors.ts';
import { checkSignal, type Invocation } from '../invocation.ts';
import { age, formatDate, table } from '../output.ts';

function pct(part: number | undefined, total: number | undefined): string {
  if (!total) return '-';
  return `${(((part ?? 0) / total) * 100).toFixed(1)}`;
}

function secs(value: number | undefined): string {
  return value === undefined ? '-' : value.toFixed(3);
}

export function renderHealth(
  envName: string,
  tierName: string,
  platform: string,
  env: DescribeEnvironmentHealthCommandOutput,
  instances: SingleInstanceHealth[],
  now: number,
): string {
  const totals = env.InstancesHealth ?? {};
  const counts = [totals.Ok, totals.Warning, totals.Degraded, totals.Severe, totals.Info, totals.Pending, totals.Unknown].map((n) => n ?? 0);
  const total = counts.reduce((a, b) => a + b, 0) + (totals.NoData ?? 0);
  const lines: string[] = [];
  lines.push(` ${envName.padEnd(40)} ${(env.HealthStatus ?? 'Unknown').padEnd(10)} ${formatDate(env.RefreshedAt)}`);
  lines.push(`${tierName.padEnd(41)} ${platform}`);
  lines.push(table([['total', 'ok', 'warning', 'degraded', 'severe', 'info', 'pending', 'unknown'], [String(total), ...counts.map(String)]], '  '));
  lines.push('');
  const causes = env.Causes ?? [];
  const statusRows = [['instance-id', 'status', 'cause'], ['Overall', env.HealthStatus ?? 'Unknown', causes[0] ?? '']];
  for (const cause of causes.slice(1)) statusRows.push(['', '', cause]);
  for (const i of instances) {
    const [first, ...rest] = i.Causes ?? [];
    statusRows.push([i.InstanceId ?? '', i.HealthStatus ?? 'Unknown', first ?? '']);
    for (const cause of rest) statusRows.push(['', '', cause]);
  }
  lines.push(table(statusRows, '  '));
  lines.push('');
  const requestRow = (id: string, m: SingleInstanceHealth['ApplicationMetrics']) => {
    const codes = m?.StatusCodes;
    const count = m?.RequestCount ?? 0;
    const rate = m?.Duration ? (count / m.Duration).toFixed(1) : '0.0';
    const l = m?.Latency;
    return [id, rate, pct(codes?.Status2xx, count), pct(codes?.Status3xx, count), pct(codes?.Status4xx, count), pct(codes?.Status5xx, count), secs(l?.P99), secs(l?.P90), secs(l?.P75), secs(l?.P50), secs(l?.P10)];
  };
  lines.push(
    table(
      [
        ['instance-id', 'r/sec', '%2xx', '%3xx', '%4xx', '%5xx', 'p99', 'p90', 'p75', 'p50', 'p10'],
        requestRow('Overall', env.ApplicationMetrics),
        ...instances.map((i) => requestRow(i.InstanceId ?? '', i.ApplicationMetrics)),
      ],
      '  ',
    ),
  );
  lines.push('');
  lines.push(
    table(
      [
        ['instance-id', 'type', 'az', 'running', 'load 1', 'load 5', 'user%', 'nice%', 'system%', 'idle%', 'iowait%'],
        ...instances.map((i) => {
          const cpu = i.System?.CPUUtilization;
          const load = i.System?.LoadAverage ?? [];
          const fmt = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(1));
          return [
            i.InstanceId ?? '',
            i.InstanceType ?? '-',
            (i.AvailabilityZone ?? '-').replace(/^[a-z]+-[a-z]+-\d/, ''),
            age(i.LaunchedAt, now),
            fmt(load[0]),
            fmt(load[1]),
            fmt(cpu?.User),
            fmt(cpu?.Nice),
            fmt(cpu?.System),
            fmt(cpu?.Idle),
            fmt(cpu?.IOWait),
          ];
        }),
      ],
      '  ',
    ),
  );
  lines.push('');
  lines.push(
    table(
      [
        ['instance-id', 'status', 'id', 'version', 'ago', 'deployments'],
        ...instances.map((i) => [
          i.InstanceId ?? '',
          i.Deployment?.Status ?? '-',
          i.Deployment?.DeploymentId !== undefined ? String(i.Deployment.DeploymentId) : '-',
          i.Deployment?.VersionLabel ?? '-',
          age(i.Deployment?.DeploymentTime, now),
          '',
        ]),
      ],
      '  ',
    ),
  );
  return lines.join('\n');
}

async function run(inv: Invocation): Promise<number> {
  const project = await inv.project();
  const app = project.applicationName;
  const envName = await environmentName(inv, inv.args.positionals[0]);
  const clients = await inv.clients();
  const description = await describeEnvironment(clients, app, envName);
  const refresh = boolFlag(inv.args, 'refresh');
  for (;;) {
    checkSignal(inv.ctx);
    let env: DescribeEnvironmentHealthCommandOutput;
    try {
      env = await clients.eb.send(new DescribeEnvironmentHealthCommand({ EnvironmentName: envName, AttributeNames: ['All'] }));
    } catch (error) {
      if ((error as Error).name === 'InvalidRequestException') {
        throw new InvalidStateError(
          `Enhanced health is not enabled for "${envName}", so there is no health table. Enable it with "eb config --update" (aws:elasticbeanstalk:healthreporting:system SystemType: enhanced).`,
        );
      }
      throw error;
    }
    const instances = await clients.eb.send(new DescribeInstancesHealthCommand({ EnvironmentName: envName, AttributeNames: ['All'] }));
    const list = instances.InstanceHealthList ?? [];
    inv.out.result(
      renderHealth(envName, description.Tier?.Name ?? 'WebServer', description.PlatformArn?.split('/').slice(-2, -1)[0] ?? description.SolutionStackName ?? '', env, list, nowMs(clients)),
    );
    inv.out.data({ environment: env, instances: list });
    if (!refresh || !inv.ctx.signal) return 0;
    await clients.sleep(10_000);
    if (inv.ctx.signal.aborted) return 0;
    inv.out.line();
  }
}

export const healthCommand: EbCommand = {
  name: 'health',
  summary: 'Shows detailed environment health.',
  usage: '<environment_name> [options ...]',
  positionals: [{ name: 'environment_name', optional: true, description: 'environment name (default: the branch default)' }],
  flags: [
    { name: '--refresh', description: 'refresh every 10 seconds until interrupted (Ctrl-C)' },
    { name: '--mono', description: 'no color (output never uses color)' },
    { name: '--view', value: 'string', metavar: 'VIEW', description: 'accepted for compatibility: split (all tables are shown)' },
  ],
  run,
};
