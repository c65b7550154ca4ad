// DescribeEnvironmentHealth and DescribeInstancesHealth: enhanced health only (basic health is refused as EB
// does), with causes, per-instance status, deployments and application metrics from the recorded traffic.

import type { Ctx } from './context.ts';
import type { QueryParams } from '../service.ts';
import type { Environment, Instance } from './model.ts';
import { invalidRequest } from './errors.ts';
import { findEnvironment } from './environments.ts';
import { oneOf, stringList, str } from './params.ts';
import { activeInstances, colourOf, environmentHealth } from './health.ts';

const ENV_ATTRIBUTES = ['Status', 'Color', 'Causes', 'ApplicationMetrics', 'InstancesHealth', 'All', 'HealthStatus', 'RefreshedAt'] as const;
const INSTANCE_ATTRIBUTES = ['HealthStatus', 'Color', 'Causes', 'ApplicationMetrics', 'RefreshedAt', 'LaunchedAt', 'System', 'Deployment', 'AvailabilityZone', 'InstanceType', 'All'] as const;
/** Enhanced health reports metrics over the last 10 seconds. */
const WINDOW_MS = 10_000;

function requireEnhanced(ctx: Ctx, env: Environment, operation: string): void {
  const { settings } = ctx.engine.lifecycle.settingsOf(env, ctx.state.region);
  if (settings.get('aws:elasticbeanstalk:healthreporting:system', 'SystemType') !== 'enhanced') {
    throw invalidRequest(`${operation} is not supported.`);
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] / 1000;
}

function metrics(ctx: Ctx, env: Environment, instanceId?: string): Record<string, unknown> {
  const now = ctx.req.now;
  const traffic = (ctx.state.evidence[env.id]?.traffic ?? []).filter(
    (t) => t.time > now - WINDOW_MS && (!instanceId || t.instanceId === instanceId),
  );
  const out: Record<string, unknown> = { Duration: WINDOW_MS / 1000, RequestCount: traffic.length };
  if (traffic.length > 0) {
    const codes = { Status2xx: 0, Status3xx: 0, Status4xx: 0, Status5xx: 0 };
    for (const t of traffic) {
      if (t.status < 300) codes.Status2xx++;
      else if (t.status < 400) codes.Status3xx++;
      else if (t.status < 500) codes.Status4xx++;
      else codes.Status5xx++;
    }
    const lat = traffic.map((t) => t.latencyMs).sort((a, b) => a - b);
    out.StatusCodes = codes;
    out.Latency = {
      P999: percentile(lat, 99.9),
      P99: percentile(lat, 99),
      P95: percentile(lat, 95),
      P90: percentile(lat, 90),
      P85: percentile(lat, 85),
      P75: percentile(lat, 75),
      P50: percentile(lat, 50),
      P10: percentile(lat, 10),
    };
  }
  return out;
}

export function describeEnvironmentHealth(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const env = findEnvironment(ctx, params);
  const names: string[] = stringList(params, 'AttributeNames').map((n) => oneOf('AttributeNames', n, ENV_ATTRIBUTES)!);
  requireEnhanced(ctx, env, 'DescribeEnvironmentHealth');
  const want = (n: string) => names.includes('All') || names.includes(n);
  const { settings } = ctx.engine.lifecycle.settingsOf(env, ctx.state.region);
  const single = settings.context.environmentType === 'SingleInstance';
  const min = single ? 1 : Number(settings.get('aws:autoscaling:asg', 'MinSize') ?? '1');
  const h = environmentHealth(env, ctx.req.now, min, !single && env.tier.Name !== 'Worker');
  const out: Record<string, unknown> = { EnvironmentName: env.name };
  if (want('HealthStatus')) out.HealthStatus = env.status === 'Launching' ? 'Pending' : h.status;
  if (want('Status')) out.Status = env.health;
  if (want('Color')) out.Color = colourOf(h.status);
  if (want('Causes')) out.Causes = h.causes;
  if (want('ApplicationMetrics')) out.ApplicationMetrics = metrics(ctx, env);
  if (want('InstancesHealth')) {
    const counts = { NoData: 0, Unknown: 0, Pending: 0, Ok: 0, Info: 0, Warning: 0, Degraded: 0, Severe: 0 };
    for (const i of activeInstances(env)) counts[i.health as keyof typeof counts]++;
    out.InstancesHealth = counts;
  }
  if (want('RefreshedAt')) out.RefreshedAt = new Date(ctx.req.now - (ctx.req.now % 10_000));
  return out;
}

function cpu(ctx: Ctx, env: Environment, inst: Instance): Record<string, unknown> {
  const recent = (ctx.state.evidence[env.id]?.traffic ?? []).filter((t) => t.instanceId === inst.id && t.time > ctx.req.now - WINDOW_MS).length;
  const user = Math.min(95, 0.8 + (recent / 10) * 1.2);
  const system = Math.min(4, 0.3 + user / 20);
  return {
    CPUUtilization: {
      User: round(user),
      Nice: 0,
      System: round(system),
      Idle: round(100 - user - system - 0.1),
      IOWait: 0.1,
      IRQ: 0,
      SoftIRQ: 0,
      Privileged: 0,
    },
    LoadAverage: [round(user / 50), round(user / 60), round(user / 70)],
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export function describeInstancesHealth(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const env = findEnvironment(ctx, params);
  const names: string[] = stringList(params, 'AttributeNames').map((n) => oneOf('AttributeNames', n, INSTANCE_ATTRIBUTES)!);
  str(params, 'NextToken');
  requireEnhanced(ctx, env, 'DescribeInstancesHealth');
  const want = (n: string) => names.includes('All') || names.includes(n);
  const list = activeInstances(env).map((inst) => {
    const out: Record<string, unknown> = { InstanceId: inst.id };
    if (want('HealthStatus')) out.HealthStatus = inst.health;
    if (want('Color')) out.Color = colourOf(inst.health);
    if (want('Causes')) out.Causes = inst.causes;
    if (want('LaunchedAt')) out.LaunchedAt = new Date(inst.launchedAt);
    if (want('ApplicationMetrics')) out.ApplicationMetrics = metrics(ctx, env, inst.id);
    if (want('System')) out.System = cpu(ctx, env, inst);
    if (want('Deployment') && inst.deploymentId > 0) {
      out.Deployment = {
        VersionLabel: inst.versionLabel ?? 'Sample Application',
        DeploymentId: inst.deploymentId,
        Status: inst.state === 'deploying' ? 'InProgress' : inst.deployFailure ? 'Failed' : 'Deployed',
        DeploymentTime: new Date(inst.process?.startedAt ?? inst.launchedAt),
      };
    }
    if (want('AvailabilityZone')) out.AvailabilityZone = inst.availabilityZone;
    if (want('InstanceType')) out.InstanceType = inst.instanceType;
    return out;
  });
  const out: Record<string, unknown> = { InstanceHealthList: list };
  if (want('RefreshedAt')) out.RefreshedAt = new Date(ctx.req.now - (ctx.req.now % 10_000));
  return out;
}
