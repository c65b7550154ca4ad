// The deployment policies of reference §4: AllAtOnce, Rolling, RollingWithAdditionalBatch, Immutable and
// TrafficSplitting, as named steps on the lifecycle queue (batches, health gating, rollback, mixed fleets).

import type { Environment, Instance, OptionSetting, RegionState } from './model.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { EffectiveSettings } from './options/index.ts';
import { bundleOptionSettings, checkBundleOptionSettings } from '../../instance/index.ts';
import { TIMING } from './timing.ts';
import { instanceTypeOf } from './runtime.ts';

export interface StepContext {
  state: RegionState;
  env: Environment;
  requestId: string;
  now: number;
  lifecycle: Lifecycle;
}

export type StepHandler = (c: StepContext, args: Record<string, unknown>) => void;

export interface PolicySteps {
  start: StepHandler;
  steps: Record<string, StepHandler>;
}

export const DEPLOYMENT_POLICIES = ['AllAtOnce', 'Rolling', 'RollingWithAdditionalBatch', 'Immutable', 'TrafficSplitting'] as const;
export type DeploymentPolicy = (typeof DEPLOYMENT_POLICIES)[number];

const CMD = 'aws:elasticbeanstalk:command';
const THRESHOLD_RANK: Record<string, number> = { Ok: 0, Warning: 1, Degraded: 2, Severe: 3 };

function settingsOf(c: StepContext): EffectiveSettings {
  return c.lifecycle.settingsOf(c.env, c.state.region).settings;
}

function mainInstances(env: Environment): Instance[] {
  return env.instances
    .filter((i) => i.group === 'main' && (i.state === 'running' || i.state === 'failed'))
    .sort((a, b) => a.launchedAt - b.launchedAt || (a.id < b.id ? -1 : 1));
}

function loadBalanced(c: StepContext, s: EffectiveSettings): boolean {
  return s.context.environmentType === 'LoadBalanced' && c.env.tier.Name !== 'Worker';
}

/** How long a batch takes to count as healthy after registering: interval × healthy threshold. */
function settleTime(c: StepContext, s: EffectiveSettings): number {
  if (!loadBalanced(c, s)) return 10_000;
  const ns = 'aws:elasticbeanstalk:environment:process:default';
  const interval = Number(s.get(ns, 'HealthCheckInterval') ?? '15');
  const threshold = Number(s.get(ns, 'HealthyThresholdCount') ?? '3');
  return Math.max(5, interval) * Math.max(2, threshold) * 1000;
}

function commandTimeout(s: EffectiveSettings): number {
  return Math.max(1, Number(s.get(CMD, 'Timeout') ?? '600')) * 1000;
}

/** Batch size in instances for `n` instances (BatchSize with BatchSizeType Percentage or Fixed). */
export function batchSizeFor(s: EffectiveSettings, n: number): number {
  const type = s.get(CMD, 'BatchSizeType') ?? 'Percentage';
  const size = Number(s.get(CMD, 'BatchSize') ?? '100');
  if (type === 'Fixed') return Math.max(1, Math.min(n, size));
  return Math.max(1, Math.min(n, Math.ceil((n * size) / 100)));
}

/** Instances that pass the health gate (HealthCheckSuccessThreshold; IgnoreHealthCheck skips the gate). */
function unhealthy(c: StepContext, s: EffectiveSettings, ids: string[]): string[] {
  if ((s.get(CMD, 'IgnoreHealthCheck') ?? 'false') === 'true') return [];
  const threshold = THRESHOLD_RANK[s.get('aws:elasticbeanstalk:healthreporting:system', 'HealthCheckSuccessThreshold') ?? 'Ok'] ?? 0;
  if (threshold >= THRESHOLD_RANK.Severe) return [];
  return ids.filter((id) => {
    const inst = c.env.instances.find((i) => i.id === id);
    if (!inst || inst.state !== 'running') return true;
    const check = c.lifecycle.checkInstance(c.env, inst, s);
    if (check.healthy) return inst.deployFailure !== undefined && threshold < THRESHOLD_RANK.Degraded;
    return true;
  });
}

function data(c: StepContext): Record<string, unknown> {
  return c.env.operation?.data ?? {};
}

function label(c: StepContext): string | undefined {
  return (data(c).label as string | null) ?? undefined;
}

function deploymentId(c: StepContext): number {
  return (data(c).deploymentId as number) ?? 1;
}

/**
 * Shared opening of every policy: the bundle's option_settings take effect; broken option_settings or a rejected
 * bundle fail the deployment before any instance is touched. Returns false when the deployment failed.
 */
function prepare(c: StepContext): boolean {
  const { state, env, requestId, now, lifecycle } = c;
  const platform = lifecycle.settingsOf(env, state.region).platform;
  const report = lifecycle.runtime.report(state, env.applicationName, label(c), platform);
  if (!report.ok) {
    for (const e of report.failure?.events ?? []) lifecycle.event(state, env, now + 2_000, requestId, e.severity, e.message);
    if (!(report.failure?.events ?? []).some((e) => e.message === 'Failed to deploy application.')) {
      lifecycle.event(state, env, now + 2_000, requestId, 'ERROR', 'Failed to deploy application.');
    }
    revertVersion(c);
    lifecycle.step(state, env, now + 2_000, requestId, 'operation-complete');
    return false;
  }
  const problems = checkBundleOptionSettings(report, { language: platform.branch.language }).filter((e) => e.severity === 'ERROR');
  if (problems.length > 0) {
    for (const e of problems) lifecycle.event(state, env, now + 2_000, requestId, e.severity, e.message);
    if (!problems.some((e) => e.message === 'Failed to deploy application.')) lifecycle.event(state, env, now + 2_000, requestId, 'ERROR', 'Failed to deploy application.');
    revertVersion(c);
    lifecycle.step(state, env, now + 2_000, requestId, 'operation-complete');
    return false;
  }
  for (const w of report.warnings) lifecycle.event(state, env, now + 1_000, requestId, w.severity, w.message);
  (data(c) as Record<string, unknown>).previousBundleSettings = env.bundleSettings;
  env.bundleSettings = bundleOptionSettings(report) as OptionSetting[];
  // The bundle's listener settings and Resources override go into the stack before any instance is touched.
  if (lifecycle.applyListeners(state, env, requestId, false).length > 0) {
    lifecycle.event(state, env, now + 2_000, requestId, 'ERROR', 'Failed to deploy application.');
    revertVersion(c);
    lifecycle.step(state, env, now + 2_000, requestId, 'operation-complete');
    return false;
  }
  return true;
}

/** A deployment that changed nothing on the fleet leaves the environment on its previous version. */
function revertVersion(c: StepContext): void {
  const prev = (data(c).previous as string | null) ?? undefined;
  c.env.versionLabel = prev;
  const before = data(c).previousBundleSettings as OptionSetting[] | undefined;
  if (before) c.env.bundleSettings = before;
}

function failDeployment(c: StepContext, at: number, reason: 'command' | 'health' | 'reported', ids: string[], mixed: boolean): void {
  const { state, env, requestId, lifecycle } = c;
  if (reason === 'reported') {
    // The cause was already reported when the rollback started.
  } else if (reason === 'command') {
    lifecycle.event(state, env, at, requestId, 'ERROR', `Unsuccessful command execution on instance id(s) '${ids.join(',')}'. Aborting the operation.`);
  } else {
    lifecycle.event(state, env, at, requestId, 'ERROR', `Instance id(s) '${ids.join(',')}' did not pass health check after command execution. Aborting the operation.`);
  }
  lifecycle.event(state, env, at, requestId, 'ERROR', 'Failed to deploy application.');
  if (mixed) {
    lifecycle.event(
      state,
      env,
      at,
      requestId,
      'ERROR',
      'During an aborted deployment, some instances may have deployed the new application version. To ensure all instances are running the same version, re-deploy the appropriate application version.',
    );
  }
  lifecycle.step(state, env, at, requestId, 'operation-complete');
}

function succeed(c: StepContext, at: number): void {
  const { state, env, requestId, lifecycle } = c;
  // The new bundle's option_settings may move the Auto Scaling group's bounds (MinSize, MaxSize): the group is
  // resized with the stack update, and instances it launches run the new version before the update completes.
  const s = settingsOf(c);
  const single = s.context.environmentType === 'SingleInstance';
  const group = env.instances.filter((i) => i.group === 'main' && i.state !== 'terminating' && i.state !== 'terminated').length;
  const target = single ? 1 : Math.max(Number(s.get('aws:autoscaling:asg', 'MinSize') ?? '1'), Math.min(Number(s.get('aws:autoscaling:asg', 'MaxSize') ?? '4'), group));
  if (target !== group) at = Math.max(at, lifecycle.scaleTo(state, env, target, requestId, true));
  lifecycle.event(state, env, at, requestId, 'INFO', 'New application version was deployed to running EC2 instances.');
  lifecycle.event(state, env, at, requestId, 'INFO', 'Environment update completed successfully.');
  lifecycle.step(state, env, at, requestId, 'operation-complete');
}

// ---------------------------------------------------------------------------------------------------------------
// AllAtOnce

const allAtOnce: PolicySteps = {
  start: (c) => {
    if (!prepare(c)) return;
    const { state, env, requestId, now, lifecycle } = c;
    lifecycle.event(state, env, now + 2_000, requestId, 'INFO', 'Deploying new version to instance(s).');
    const targets = mainInstances(env);
    const r = lifecycle.deployTo(state, env, targets, label(c), now + 2_000, requestId, { kind: 'app-deploy', deploymentId: deploymentId(c) });
    lifecycle.step(state, env, r.endAt + 2_000, requestId, 'all-at-once-finish', { failed: r.failed.map((i) => i.id), total: targets.length });
  },
  steps: {
    'all-at-once-finish': (c, args) => {
      const failed = args.failed as string[];
      const total = args.total as number;
      if (failed.length > 0) {
        c.lifecycle.event(c.state, c.env, c.now, c.requestId, 'INFO', `Command execution completed on all instances. Summary: [Successful: ${total - failed.length}, Failed: ${failed.length}].`);
        failDeployment(c, c.now, 'command', failed, false);
        return;
      }
      c.lifecycle.event(c.state, c.env, c.now, c.requestId, 'INFO', `Command execution completed on all instances. Summary: [Successful: ${total}].`);
      succeed(c, c.now);
    },
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Rolling and RollingWithAdditionalBatch: batches of in-place deployments, each health-gated

function startRolling(c: StepContext, additional: boolean): void {
  if (!prepare(c)) return;
  const { state, env, requestId, now, lifecycle } = c;
  const s = settingsOf(c);
  const fleet = mainInstances(env);
  const size = batchSizeFor(s, Math.max(1, fleet.length));
  const batches: string[][] = [];
  if (additional) batches.push([]);
  for (let i = 0; i < fleet.length; i += size) batches.push(fleet.slice(i, i + size).map((x) => x.id));
  const d = data(c);
  d.batches = batches;
  d.total = fleet.length;
  d.completed = 0;
  d.additional = additional;
  d.extraCount = additional ? size : 0;
  if (additional) {
    lifecycle.event(state, env, now + 1_000, requestId, 'INFO', `Rolling with additional batch deployment policy enabled. Launching a new batch of ${size} instance(s) before taking any instance out of service.`);
  }
  lifecycle.step(state, env, now + 2_000, requestId, 'rolling-batch', { index: 0 });
}

const rollingSteps: Record<string, StepHandler> = {
  'rolling-batch': (c, args) => {
    const { state, env, requestId, now, lifecycle } = c;
    const s = settingsOf(c);
    const d = data(c);
    const index = args.index as number;
    const batches = d.batches as string[][];
    const n = index + 1;
    const lb = loadBalanced(c, s);
    if (d.additional && index === 0) {
      const size = d.extraCount as number;
      const fresh: Instance[] = [];
      for (let i = 0; i < size; i++) fresh.push(lifecycle.newInstance(state, env, 'main', instanceTypeOf(s)));
      batches[0] = fresh.map((i) => i.id);
      lifecycle.event(state, env, now, requestId, 'INFO', `Batch ${n}: Starting application deployment on new instance(s) [${batches[0].join(', ')}].`);
      const bootAt = now + TIMING.instanceBoot;
      for (const inst of fresh) lifecycle.event(state, env, bootAt, requestId, 'INFO', `Added instance [${inst.id}] to your environment.`);
      const r = lifecycle.deployTo(state, env, fresh, label(c), bootAt, requestId, { kind: 'app-deploy', deploymentId: deploymentId(c), batch: n, quietInfo: true });
      afterBatchDeploy(c, n, batches[0], r.endAt, r.failed.map((i) => i.id), s);
      return;
    }
    const ids = batches[index];
    const instances = ids.map((id) => env.instances.find((i) => i.id === id)).filter((i): i is Instance => !!i);
    lifecycle.event(state, env, now, requestId, 'INFO', `Batch ${n}: Starting application deployment on instance(s) [${ids.join(', ')}].`);
    const drain = lb ? Number(s.get('aws:elasticbeanstalk:environment:process:default', 'DeregistrationDelay') ?? '20') * 1000 : 0;
    if (lb) for (const inst of instances) lifecycle.enqueue(state, env, now, requestId, { t: 'instance', instanceId: inst.id, patch: { inService: false, batch: n } });
    const startAt = now + drain + 1_000;
    lifecycle.event(state, env, startAt, requestId, 'INFO', `Batch ${n}: Starting application deployment command execution.`);
    const r = lifecycle.deployTo(state, env, instances, label(c), startAt, requestId, { kind: 'app-deploy', deploymentId: deploymentId(c), batch: n, leader: index === (d.additional ? 1 : 0), quietInfo: true });
    afterBatchDeploy(c, n, ids, r.endAt, r.failed.map((i) => i.id), s);
  },
  'rolling-check': (c, args) => {
    const { state, env, requestId, now, lifecycle } = c;
    const s = settingsOf(c);
    const d = data(c);
    const index = args.index as number;
    const n = index + 1;
    const ids = (d.batches as string[][])[index];
    const failed = args.failed as string[];
    const additionalFirst = d.additional === true && index === 0;
    if (failed.length > 0) {
      if (additionalFirst) return rollbackExtra(c, ids, 'command', failed);
      failDeployment(c, now, 'command', failed, true);
      return;
    }
    const bad = unhealthy(c, s, ids);
    if (bad.length > 0) {
      const deadline = args.deadline as number;
      if (now < deadline) {
        lifecycle.step(state, env, deadline, requestId, 'rolling-check', { ...args });
        return;
      }
      if (additionalFirst) return rollbackExtra(c, ids, 'health', bad);
      failDeployment(c, now, 'health', bad, true);
      return;
    }
    lifecycle.event(state, env, now, requestId, 'INFO', `Batch ${n}: Completed application deployment.`);
    const batches = d.batches as string[][];
    if (index + 1 < batches.length) {
      lifecycle.step(state, env, now + 1_000, requestId, 'rolling-batch', { index: index + 1 });
      return;
    }
    if (d.additional) {
      const extra = batches[0];
      lifecycle.event(state, env, now + 1_000, requestId, 'INFO', `Terminating the additional batch of instance(s) [${extra.join(', ')}].`);
      for (const id of extra) {
        lifecycle.enqueue(state, env, now + 1_000, requestId, { t: 'instance', instanceId: id, patch: { inService: false, state: 'terminating' } });
        lifecycle.enqueue(state, env, now + 1_000 + TIMING.drain + 30_000, requestId, { t: 'instance', instanceId: id, patch: { state: 'terminated' } });
      }
      succeed(c, now + 2_000 + TIMING.drain + 30_000);
      return;
    }
    succeed(c, now + 1_000);
  },
};

function afterBatchDeploy(c: StepContext, n: number, ids: string[], endAt: number, failed: string[], s: EffectiveSettings): void {
  const { state, env, requestId, lifecycle } = c;
  const d = data(c);
  const done = ((d.completed as number) ?? 0) + (d.additional && n === 1 ? 0 : ids.length);
  d.completed = done;
  lifecycle.event(state, env, endAt, requestId, 'INFO', `Batch ${n}: Completed application deployment command execution.`);
  if (!(d.additional && n === 1)) {
    lifecycle.event(state, env, endAt, requestId, 'INFO', `Command execution completed on ${done} of ${d.total as number} instances in environment.`);
  }
  if (loadBalanced(c, s)) {
    lifecycle.event(state, env, endAt + 1_000, requestId, 'INFO', `Batch ${n}: Registering instance(s) with the load balancer and waiting for them to be healthy.`);
  }
  for (const id of ids) lifecycle.enqueue(state, env, endAt + 1_000, requestId, { t: 'instance', instanceId: id, patch: { inService: true } });
  const checkAt = endAt + 1_000 + settleTime(c, s);
  lifecycle.step(state, env, checkAt, requestId, 'rolling-check', { index: n - 1, failed, deadline: endAt + commandTimeout(s) });
}

function rollbackExtra(c: StepContext, ids: string[], reason: 'command' | 'health', bad: string[]): void {
  const { state, env, requestId, now, lifecycle } = c;
  for (const id of ids) {
    lifecycle.enqueue(state, env, now, requestId, { t: 'instance', instanceId: id, patch: { inService: false, state: 'terminating' } });
    lifecycle.enqueue(state, env, now + TIMING.drain, requestId, { t: 'instance', instanceId: id, patch: { state: 'terminated' } });
  }
  revertVersion(c);
  failDeployment(c, now + TIMING.drain, reason, bad, false);
}

// ---------------------------------------------------------------------------------------------------------------
// Immutable and TrafficSplitting: a temporary Auto Scaling group of new instances, then a swap or a rollback

function temporaryGroupName(env: Environment): string {
  return env.resources.autoScalingGroup.replace('-stack-', '-immutable-stack-');
}

function launchTemporary(c: StepContext, count: number, at: number): { ids: string[]; endAt: number; failed: string[] } {
  const { state, env, requestId, lifecycle } = c;
  const s = settingsOf(c);
  const fresh: Instance[] = [];
  for (let i = 0; i < count; i++) fresh.push(lifecycle.newInstance(state, env, 'temporary', instanceTypeOf(s)));
  const bootAt = at + TIMING.instanceBoot;
  const r = lifecycle.deployTo(state, env, fresh, label(c), bootAt, requestId, { kind: 'app-deploy', deploymentId: deploymentId(c), quietInfo: true });
  for (const inst of fresh) lifecycle.event(state, env, r.endAt, requestId, 'INFO', `Added instance [${inst.id}] to your environment.`);
  return { ids: fresh.map((i) => i.id), endAt: r.endAt, failed: r.failed.map((i) => i.id) };
}

function rollbackTemporary(c: StepContext, reason: 'command' | 'health', bad: string[], trafficShifted: boolean): void {
  const { state, env, requestId, now, lifecycle } = c;
  const temps = env.instances.filter((i) => i.group === 'temporary');
  if (reason === 'command') {
    lifecycle.event(state, env, now, requestId, 'ERROR', `Unsuccessful command execution on instance id(s) '${bad.join(',')}'. Aborting the operation.`);
  } else {
    lifecycle.event(state, env, now, requestId, 'ERROR', `Instance id(s) '${bad.join(',')}' did not pass health check after command execution. Aborting the operation.`);
  }
  if (trafficShifted) lifecycle.event(state, env, now, requestId, 'INFO', 'Shifting all traffic back to the previous instance(s).');
  lifecycle.event(state, env, now, requestId, 'WARN', `Rolling back: terminating the new instance(s) [${temps.map((i) => i.id).join(', ')}] and the temporary Auto Scaling group. The original instances were not changed.`);
  delete data(c).split;
  for (const inst of temps) {
    lifecycle.enqueue(state, env, now, requestId, { t: 'instance', instanceId: inst.id, patch: { inService: false, state: 'terminating' } });
    lifecycle.enqueue(state, env, now + TIMING.drain + 10_000, requestId, { t: 'instance', instanceId: inst.id, patch: { state: 'terminated' } });
  }
  lifecycle.event(state, env, now + TIMING.drain + 15_000, requestId, 'INFO', `Deleted temporary auto scaling group ${temporaryGroupName(env)}.`);
  revertVersion(c);
  failDeployment(c, now + TIMING.drain + 15_000, 'reported', bad, false);
}

function promoteTemporary(c: StepContext): void {
  const { state, env, requestId, now, lifecycle } = c;
  const temps = env.instances.filter((i) => i.group === 'temporary' && i.state === 'running');
  const old = env.instances.filter((i) => i.group === 'main' && i.state !== 'terminated' && i.state !== 'terminating');
  delete data(c).split;
  lifecycle.event(state, env, now, requestId, 'INFO', `Attaching ${temps.length} new instance(s) to the permanent Auto Scaling group ${env.resources.autoScalingGroup}.`);
  for (const inst of temps) lifecycle.enqueue(state, env, now, requestId, { t: 'instance', instanceId: inst.id, patch: { group: 'main', inService: true } });
  if (old.length) lifecycle.event(state, env, now + 5_000, requestId, 'INFO', `Terminating the previous instance(s) [${old.map((i) => i.id).join(', ')}].`);
  for (const inst of old) {
    lifecycle.enqueue(state, env, now + 5_000, requestId, { t: 'instance', instanceId: inst.id, patch: { inService: false } });
    lifecycle.enqueue(state, env, now + 5_000 + TIMING.drain, requestId, { t: 'instance', instanceId: inst.id, patch: { state: 'terminating' } });
    lifecycle.enqueue(state, env, now + 5_000 + TIMING.drain + 30_000, requestId, { t: 'instance', instanceId: inst.id, patch: { state: 'terminated' } });
  }
  const end = now + 5_000 + TIMING.drain + 35_000;
  lifecycle.event(state, env, end, requestId, 'INFO', `Deleted temporary auto scaling group ${temporaryGroupName(env)}.`);
  succeed(c, end);
}

const immutable: PolicySteps = {
  start: (c) => {
    if (!prepare(c)) return;
    const { state, env, requestId, now, lifecycle } = c;
    const s = settingsOf(c);
    data(c).target = Math.max(1, mainInstances(env).length);
    lifecycle.event(state, env, now + 1_000, requestId, 'INFO', 'Immutable deployment policy enabled. Launching one instance with the new settings to verify health.');
    lifecycle.event(state, env, now + 20_000, requestId, 'INFO', `Created temporary auto scaling group ${temporaryGroupName(env)}.`);
    const r = launchTemporary(c, 1, now + 20_000);
    for (const id of r.ids) lifecycle.enqueue(state, env, r.endAt + 1_000, requestId, { t: 'instance', instanceId: id, patch: { inService: true } });
    lifecycle.step(state, env, r.endAt + 1_000 + settleTime(c, s), requestId, 'immutable-check', { phase: 1, ids: r.ids, failed: r.failed, deadline: r.endAt + commandTimeout(s) });
  },
  steps: {
    'immutable-check': (c, args) => {
      const { state, env, requestId, now, lifecycle } = c;
      const s = settingsOf(c);
      const failed = args.failed as string[];
      if (failed.length > 0) return rollbackTemporary(c, 'command', failed, false);
      const bad = unhealthy(c, s, args.ids as string[]);
      if (bad.length > 0) {
        if (now < (args.deadline as number)) {
          lifecycle.step(state, env, args.deadline as number, requestId, 'immutable-check', { ...args });
          return;
        }
        return rollbackTemporary(c, 'health', bad, false);
      }
      const remaining = (data(c).target as number) - 1;
      if (args.phase === 1 && remaining > 0) {
        lifecycle.event(state, env, now, requestId, 'INFO', `Launching ${remaining} more instance(s) with the new version in the temporary Auto Scaling group.`);
        const r = launchTemporary(c, remaining, now);
        for (const id of r.ids) lifecycle.enqueue(state, env, r.endAt + 1_000, requestId, { t: 'instance', instanceId: id, patch: { inService: true } });
        lifecycle.step(state, env, r.endAt + 1_000 + settleTime(c, s), requestId, 'immutable-check', { phase: 2, ids: r.ids, failed: r.failed, deadline: r.endAt + commandTimeout(s) });
        return;
      }
      promoteTemporary(c);
    },
  },
};

const trafficSplitting: PolicySteps = {
  start: (c) => {
    if (!prepare(c)) return;
    const { state, env, requestId, now, lifecycle } = c;
    const s = settingsOf(c);
    const n = Math.max(1, mainInstances(env).length);
    lifecycle.event(state, env, now + 1_000, requestId, 'INFO', `Traffic splitting deployment policy enabled. Launching ${n} instance(s) with the new application version.`);
    lifecycle.event(state, env, now + 20_000, requestId, 'INFO', `Created temporary auto scaling group ${temporaryGroupName(env)}.`);
    const r = launchTemporary(c, n, now + 20_000);
    lifecycle.step(state, env, r.endAt + settleTime(c, s), requestId, 'traffic-split-check', { ids: r.ids, failed: r.failed, deadline: r.endAt + commandTimeout(s) });
  },
  steps: {
    'traffic-split-check': (c, args) => {
      const { state, env, requestId, now, lifecycle } = c;
      const s = settingsOf(c);
      const failed = args.failed as string[];
      if (failed.length > 0) return rollbackTemporary(c, 'command', failed, false);
      const bad = unhealthy(c, s, args.ids as string[]);
      if (bad.length > 0) {
        if (now < (args.deadline as number)) {
          lifecycle.step(state, env, args.deadline as number, requestId, 'traffic-split-check', { ...args });
          return;
        }
        return rollbackTemporary(c, 'health', bad, false);
      }
      const percent = Number(s.get('aws:elasticbeanstalk:trafficsplitting', 'NewVersionPercent') ?? '10');
      const minutes = Number(s.get('aws:elasticbeanstalk:trafficsplitting', 'EvaluationTime') ?? '5');
      data(c).split = percent;
      data(c).splitSince = now;
      for (const id of args.ids as string[]) lifecycle.enqueue(state, env, now, requestId, { t: 'instance', instanceId: id, patch: { inService: true } });
      lifecycle.event(state, env, now, requestId, 'INFO', `Shifting ${percent}% of the traffic to the new instance(s) for an evaluation period of ${minutes} minute(s).`);
      lifecycle.step(state, env, now + minutes * 60_000, requestId, 'traffic-split-evaluate', { ids: args.ids });
    },
    'traffic-split-evaluate': (c, args) => {
      const { state, env, requestId, now, lifecycle } = c;
      const s = settingsOf(c);
      const ids = args.ids as string[];
      const bad = unhealthy(c, s, ids);
      const since = (data(c).splitSince as number) ?? now;
      const errorRate = lifecycle.evidence.errorRate(state, env, ids, since);
      if (bad.length > 0 || errorRate > 0.1) return rollbackTemporary(c, 'health', bad.length ? bad : ids, true);
      lifecycle.event(state, env, now, requestId, 'INFO', 'Evaluation of the new instance(s) succeeded. Shifting all traffic to the new instance(s).');
      promoteTemporary(c);
    },
  },
};

export const policySteps: Record<string, PolicySteps> = {
  AllAtOnce: allAtOnce,
  Rolling: { start: (c) => startRolling(c, false), steps: rollingSteps },
  RollingWithAdditionalBatch: { start: (c) => startRolling(c, true), steps: {} },
  Immutable: immutable,
  TrafficSplitting: trafficSplitting,
};
