// Everything Elastic Beanstalk does after an API call returns: launch, deploy, configuration updates,
// terminate, restart, rebuild, abort, scaling and health, as timed actions on the virtual clock. The queue is
// plain JSON on each environment, so a snapshot taken mid-deploy resumes where it stopped.

import type { EventSeverity } from '@aws-sdk/client-elastic-beanstalk';
import type { Clock, TimerId } from '../../clock.ts';
import type { AppProcess, InstanceDeploymentResult } from '../../instance/index.ts';
import { bundleOptionSettings, checkBundleOptionSettings, checkHealth, deployToInstance } from '../../instance/index.ts';
import type { Ctx, Engine } from './context.ts';
import type { Action, ApplicationVersion, Environment, Instance, OperationKind, OptionSetting, QueuedAction, RegionState } from './model.ts';
import type { EffectiveSettings } from './options/index.ts';
import type { PlatformVersion } from './platforms.ts';
import { PLATFORM_BRANCHES, latestVersionOf } from './platforms.ts';
import { addEvent } from './events.ts';
import { activeInstances, basicColour, colourOf, environmentHealth, instanceHealthFromState, requestHealth, transitionMessage } from './health.ts';
import { storageBucket } from './ids.ts';
import { batchSizeFor, policySteps, type StepContext, type StepHandler } from './deployment.ts';
import { Evidence } from './evidence.ts';
import { TIMING } from './timing.ts';
import { instanceTypeOf } from './runtime.ts';
import { checkListeners, listenerArn, listenerKindOf, planClassicListeners, listenerFailureEvent, planListeners, stackAbortedEvent, type ListenerFailure, type LoadBalancerListener } from './listeners.ts';
import type { InstanceRuntime } from './runtime.ts';

const MAX_LOG_LINES = 400;

export class Lifecycle {
  private timers = new Map<string, { id: TimerId; at: number }>();
  private healthChecks = new WeakMap<AppProcess, Map<string, { healthy: boolean; status: number; causes: string[] }>>();
  readonly evidence: Evidence;

  constructor(private readonly engine: Engine) {
    this.evidence = new Evidence(engine, this);
  }

  get clock(): Clock {
    return this.engine.clock;
  }

  get runtime(): InstanceRuntime {
    return this.engine.runtime;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Scheduling

  private key(state: RegionState, envId: string): string {
    return `${state.accountId}|${state.region}|${envId}`;
  }

  enqueue(state: RegionState, env: Environment, at: number, requestId: string, action: Action, op = true): void {
    const qa: QueuedAction = { at, seq: state.seq++, requestId, op, action };
    const q = env.queue;
    // Most actions are appended in time order; insert from the back.
    let i = q.length;
    while (i > 0 && (q[i - 1].at > at || (q[i - 1].at === at && q[i - 1].seq > qa.seq))) i--;
    q.splice(i, 0, qa);
  }

  event(state: RegionState, env: Environment, at: number, requestId: string, severity: EventSeverity, message: string, op = true): void {
    this.enqueue(state, env, at, requestId, { t: 'event', severity, message }, op);
  }

  /** Emits an event now (synchronously, as part of an API call or a step). */
  emit(state: RegionState, env: Environment, severity: EventSeverity, message: string, requestId: string): void {
    addEvent(state, {
      date: this.clock.now(),
      message,
      severity,
      applicationName: env.applicationName,
      environmentName: env.name,
      versionLabel: env.versionLabel,
      requestId,
    });
  }

  step(state: RegionState, env: Environment, at: number, requestId: string, name: string, args: Record<string, unknown> = {}, op = true): void {
    this.enqueue(state, env, at, requestId, { t: 'step', name, args }, op);
  }

  /** (Re)arms the environment's timer for the head of its queue. */
  arm(state: RegionState, env: Environment): void {
    const k = this.key(state, env.id);
    const head = env.queue[0];
    const current = this.timers.get(k);
    if (!head) {
      if (current) {
        this.clock.clearTimeout(current.id);
        this.timers.delete(k);
      }
      return;
    }
    if (current && current.at === head.at) return;
    if (current) this.clock.clearTimeout(current.id);
    const delay = Math.max(0, head.at - this.clock.now());
    const accountId = state.accountId;
    const region = state.region;
    const envId = env.id;
    const id = this.clock.setTimeout(() => {
      this.timers.delete(k);
      this.tick(accountId, region, envId);
    }, delay);
    this.timers.set(k, { id, at: head.at });
  }

  private tick(accountId: string, region: string, envId: string): void {
    const state = this.engine.region(accountId, region);
    const env = state.environments[envId];
    if (!env) return;
    const now = this.clock.now();
    let guard = 0;
    while (env.queue.length > 0 && env.queue[0].at <= now && guard++ < 100_000) {
      const qa = env.queue.shift()!;
      try {
        this.apply(state, env, qa);
      } catch (error) {
        this.internalError(state, env, qa, error);
      }
    }
    this.refreshHealth(state, env, env.operation?.requestId ?? env.lastRequestId);
    this.arm(state, env);
  }

  /**
   * A bug in the simulation must not stop the clock or leave the environment stuck: the operation ends with
   * an ERROR event that says what broke, and the environment returns to Ready.
   */
  private internalError(state: RegionState, env: Environment, qa: QueuedAction, error: unknown): void {
    const what = qa.action.t === 'step' ? `step ${qa.action.name}` : `${qa.action.t} action`;
    const detail = error instanceof Error ? error.message : String(error);
    this.emit(state, env, 'ERROR', `Sandbox cloud internal error in ${what}: ${detail}`, qa.requestId);
    if (qa.op && env.operation) {
      env.queue = env.queue.filter((q) => !q.op);
      if (env.status === 'Terminating') {
        env.status = 'Terminated';
        env.dateTerminated = this.clock.now();
        env.instances = [];
        env.operation = undefined;
        return;
      }
      this.emit(state, env, 'ERROR', env.status === 'Launching' ? 'Failed to launch environment.' : 'Failed to deploy application.', qa.requestId);
      this.finish(state, env, qa.requestId);
    }
  }

  /** Runs every action that is due now (used after an API call changes state synchronously). */
  settle(state: RegionState, env: Environment): void {
    this.refreshHealth(state, env, env.operation?.requestId ?? env.lastRequestId);
    this.arm(state, env);
  }

  private apply(state: RegionState, env: Environment, qa: QueuedAction): void {
    const a = qa.action;
    switch (a.t) {
      case 'event':
        this.emit(state, env, a.severity, a.message, qa.requestId);
        return;
      case 'log': {
        const inst = env.instances.find((i) => i.id === a.instanceId);
        if (!inst) return;
        const lines = (inst.logs[a.file] ??= []);
        lines.push(...a.lines);
        if (lines.length > MAX_LOG_LINES) lines.splice(0, lines.length - MAX_LOG_LINES);
        return;
      }
      case 'instance': {
        const inst = env.instances.find((i) => i.id === a.instanceId);
        if (!inst) return;
        Object.assign(inst, a.patch);
        if (a.patch.state !== undefined || a.patch.health !== undefined) inst.healthSince = this.clock.now();
        if (inst.state === 'terminated') env.instances = env.instances.filter((i) => i !== inst);
        this.evidence.recordInstance(state, env, inst);
        return;
      }
      case 'step': {
        const handler = this.handlers[a.name];
        if (!handler) return;
        handler(this.stepContext(state, env, qa.requestId), a.args);
        return;
      }
      case 'probe':
        this.evidence.probeTick(state, env, qa.requestId, qa.at);
        return;
      case 'monitor':
        this.monitor(state, env, qa.requestId);
        return;
    }
  }

  /** Stops every timer (reset, restore, dispose). Queues stay in the state. */
  cancelAll(): void {
    for (const t of this.timers.values()) this.clock.clearTimeout(t.id);
    this.timers.clear();
    for (const t of this.jobTimers.values()) this.clock.clearTimeout(t);
    this.jobTimers.clear();
  }

  /** Re-arms timers for every queued action and region job (after a restore). */
  resumeAll(): void {
    for (const state of this.engine.allRegions()) {
      for (const env of Object.values(state.environments)) if (env.queue.length) this.arm(state, env);
      this.armJobs(state);
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Region jobs: version processing and custom platform builds

  private jobTimers = new Map<string, TimerId>();

  scheduleVersionProcessing(state: RegionState, version: ApplicationVersion, requestId: string, delay: number): void {
    state.jobs.push({
      at: this.clock.now() + delay,
      kind: 'process-version',
      requestId,
      applicationName: version.applicationName,
      versionLabel: version.label,
    });
    this.armJobs(state);
  }

  schedulePlatformBuild(state: RegionState, arn: string, requestId: string): void {
    state.jobs.push({ at: this.clock.now() + TIMING.platformBuild, kind: 'build-platform', requestId, platformArn: arn });
    this.armJobs(state);
  }

  private armJobs(state: RegionState): void {
    const k = `${state.accountId}|${state.region}`;
    const existing = this.jobTimers.get(k);
    if (existing !== undefined) this.clock.clearTimeout(existing);
    this.jobTimers.delete(k);
    if (state.jobs.length === 0) return;
    const next = Math.min(...state.jobs.map((j) => j.at));
    const accountId = state.accountId;
    const region = state.region;
    const id = this.clock.setTimeout(() => {
      this.jobTimers.delete(k);
      this.runJobs(this.engine.region(accountId, region));
    }, Math.max(0, next - this.clock.now()));
    this.jobTimers.set(k, id);
  }

  private runJobs(state: RegionState): void {
    const now = this.clock.now();
    const due = state.jobs.filter((j) => j.at <= now);
    state.jobs = state.jobs.filter((j) => j.at > now);
    for (const job of due) {
      if (job.kind === 'process-version') this.processVersion(state, job.applicationName!, job.versionLabel!, job.requestId);
      else this.finishPlatformBuild(state, job.platformArn!, job.requestId);
    }
    this.armJobs(state);
  }

  private processVersion(state: RegionState, appName: string, label: string, requestId: string): void {
    const version = state.applications[appName]?.versions[label];
    if (!version || version.status !== 'PROCESSING') return;
    // Processing validates the bundle against a platform; the application's newest environment decides which.
    const env = Object.values(state.environments)
      .filter((e) => e.applicationName === appName && e.status !== 'Terminated')
      .sort((a, b) => b.dateCreated - a.dateCreated)[0];
    const platform = env ? this.engine.runtime.platformOf(env, state.region) : this.engine.runtime.guessPlatform(state, appName, label) ?? defaultPlatformFor(state.region);
    const report = this.engine.runtime.report(state, appName, label, platform);
    const now = this.clock.now();
    version.dateUpdated = now;
    const optionProblems = report.ok
      ? checkBundleOptionSettings(report, { language: platform.branch.language }).filter((e) => e.severity === 'ERROR')
      : [];
    if (report.ok && optionProblems.length === 0) {
      version.status = 'PROCESSED';
      return;
    }
    version.status = 'FAILED';
    const events = report.failure?.events ?? optionProblems;
    version.failure = events.map((e) => e.message).join(' ');
    for (const e of events) {
      if (e.message === 'Failed to deploy application.') continue;
      addEvent(state, { date: now, message: e.message, severity: e.severity, applicationName: appName, versionLabel: label, requestId });
    }
    addEvent(state, {
      date: now,
      message: `Created application version '${label}' failed processing: the source bundle was rejected. ${report.failure?.message ?? ''}`.trim(),
      severity: 'ERROR',
      applicationName: appName,
      versionLabel: label,
      requestId,
    });
  }

  private finishPlatformBuild(state: RegionState, arn: string, requestId: string): void {
    const p = state.platforms[arn];
    if (!p || p.status !== 'Creating') return;
    p.status = 'Failed';
    p.dateUpdated = this.clock.now();
    addEvent(state, {
      date: p.dateUpdated,
      message: `Failed to create platform version ${p.name} ${p.version}: custom platforms are built with Packer on real EC2 instances, which the sandbox cloud does not run.`,
      severity: 'ERROR',
      platformArn: arn,
      requestId,
    });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Helpers the steps share

  settingsOf(env: Environment, region: string): { settings: EffectiveSettings; platform: PlatformVersion } {
    const platform = this.engine.runtime.platformOf(env, region);
    return { settings: this.engine.runtime.settings(env, platform), platform };
  }

  stepContext(state: RegionState, env: Environment, requestId: string): StepContext {
    return { state, env, requestId, now: this.clock.now(), lifecycle: this };
  }

  newInstance(state: RegionState, env: Environment, group: 'main' | 'temporary', instanceType: string): Instance {
    const zones = ['a', 'b', 'c', 'd', 'e', 'f'];
    const az = `${state.region}${zones[env.instances.length % 3]}`;
    const inst: Instance = {
      id: this.engine.ids.instanceId(),
      availabilityZone: az,
      instanceType,
      launchedAt: this.clock.now(),
      state: 'launching',
      deploymentId: 0,
      env: {},
      inService: false,
      health: 'Pending',
      causes: [],
      group,
      logs: {},
      requests: { count: 0, s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0, latencies: [] },
      healthSince: this.clock.now(),
    };
    env.instances.push(inst);
    this.evidence.recordInstance(state, env, inst);
    return inst;
  }

  /**
   * Schedules the deployment of a version on instances starting at `startAt`: instance states, events and log
   * lines at the times the instance simulation gives. Returns the time the last instance finishes and the
   * per-instance results (known up front: the simulation is deterministic).
   */
  deployTo(
    state: RegionState,
    env: Environment,
    instances: Instance[],
    label: string | undefined,
    startAt: number,
    requestId: string,
    opts: { kind: 'app-deploy' | 'config-deploy' | 'launch'; deploymentId: number; leader?: boolean; batch?: number; quietInfo?: boolean },
  ): { endAt: number; failed: Instance[]; results: Map<string, InstanceDeploymentResult> } {
    const { settings, platform } = this.settingsOf(env, state.region);
    const report = this.engine.runtime.report(state, env.applicationName, label, platform);
    const envVars = { ...settings.environmentProperties };
    let endAt = startAt;
    const failed: Instance[] = [];
    const results = new Map<string, InstanceDeploymentResult>();
    const versionText = label ?? 'Sample Application';
    instances.forEach((inst, index) => {
      const isLeader = (opts.leader ?? true) && index === 0;
      const result = deployToInstance({
        report,
        versionLabel: versionText,
        instanceId: inst.id,
        isLeader,
        env: envVars,
        options: (ns, name) => settings.get(ns, name),
        platform,
        startedAt: startAt,
        kind: opts.kind,
        deploymentId: opts.deploymentId,
      });
      results.set(inst.id, result);
      const patch: Partial<Instance> = { state: 'deploying' };
      if (opts.batch !== undefined) patch.batch = opts.batch;
      this.enqueue(state, env, startAt, requestId, { t: 'instance', instanceId: inst.id, patch });
      let t = startAt;
      for (const step of result.steps) {
        const at = Math.max(startAt, step.startedAt);
        const byFile = new Map<string, string[]>();
        for (const line of step.logs) {
          const list = byFile.get(line.file) ?? [];
          list.push(line.text);
          byFile.set(line.file, list);
        }
        for (const [file, lines] of byFile) this.enqueue(state, env, at, requestId, { t: 'log', instanceId: inst.id, file, lines });
        t = Math.max(t, at + step.durationMs);
      }
      const end = Math.max(t, startAt + result.durationMs);
      // Real EB reports instance-level problems once per instance and success once per batch.
      for (const e of result.events) {
        const severe = e.severity === 'ERROR' || e.severity === 'FATAL' || e.severity === 'WARN';
        if (!severe && (opts.quietInfo || index > 0)) continue;
        if (e.message === 'Failed to deploy application.') continue;
        const message = severe && instances.length > 1 && !e.message.includes(inst.id) ? `[Instance: ${inst.id}] ${e.message}` : e.message;
        this.event(state, env, end, requestId, e.severity, message);
      }
      if (inst.inService && inst.process && result.process && opts.kind !== 'launch') {
        // The old process stops when the new one starts: a short window where nginx has nothing upstream.
        this.enqueue(state, env, Math.max(startAt, end - 3_000), requestId, { t: 'instance', instanceId: inst.id, patch: { restarting: true } });
      }
      const done: Partial<Instance> = { deploymentId: opts.deploymentId, env: envVars, restarting: false };
      if (result.process) {
        done.process = result.process as AppProcess;
        done.versionLabel = label;
      }
      if (result.ok) {
        done.state = 'running';
        done.deployFailure = undefined;
      } else {
        failed.push(inst);
        done.deployFailure = result.failure?.message ?? 'Instance deployment failed.';
        // A failure before the new process started leaves the previous one running (if there was one).
        done.state = result.process || inst.process ? 'running' : 'failed';
      }
      this.enqueue(state, env, end, requestId, { t: 'instance', instanceId: inst.id, patch: done });
      endAt = Math.max(endAt, end);
    });
    return { endAt, failed, results };
  }

  /** Health check of one instance through the proxy, as the load balancer (or healthd) sees it. */
  checkInstance(env: Environment, inst: Instance, settings: EffectiveSettings): { healthy: boolean; status: number; causes: string[] } {
    if (inst.state !== 'running') return { healthy: false, status: 0, causes: [] };
    const ns = 'aws:elasticbeanstalk:environment:process:default';
    const lb = settings.context.environmentType === 'LoadBalanced' && env.tier.Name !== 'Worker';
    let path = settings.get(ns, 'HealthCheckPath') ?? '/';
    const matcher = settings.get(ns, 'MatcherHTTPCode') ?? '200';
    const url = settings.get('aws:elasticbeanstalk:application', 'Application Healthcheck URL');
    if (url && /^(HTTPS?:\d+)?\//i.test(url)) path = url.replace(/^HTTPS?:\d+/i, '');
    const matcherHttpCode = lb ? matcher : '200-499';
    // A health check is a pure function of the process and the check; fleets are checked on every tick.
    const process = inst.process;
    const key = `${path}\u0000${matcherHttpCode}`;
    const cached = process ? this.healthChecks.get(process)?.get(key) : undefined;
    if (cached) return cached;
    try {
      const result = checkHealth(process, { path, matcherHttpCode, now: this.clock.now() });
      if (process) {
        let perProcess = this.healthChecks.get(process);
        if (!perProcess) this.healthChecks.set(process, (perProcess = new Map()));
        perProcess.set(key, result);
      }
      return result;
    } catch (error) {
      return { healthy: false, status: 0, causes: [`Sandbox cloud could not run the health check: ${error instanceof Error ? error.message : String(error)}`] };
    }
  }

  /** Recomputes instance and environment health; emits the transition events real EB writes. */
  refreshHealth(state: RegionState, env: Environment, requestId: string): void {
    if (env.status === 'Terminated') return;
    const now = this.clock.now();
    let settings: EffectiveSettings;
    try {
      settings = this.settingsOf(env, state.region).settings;
    } catch {
      return;
    }
    for (const inst of activeInstances(env)) {
      const fromState = instanceHealthFromState(inst, now, inst.deploymentId === 0);
      let health = fromState?.health;
      let causes = fromState?.causes ?? [];
      if (!fromState) {
        if (inst.state === 'failed') {
          health = 'Severe';
          causes = [`Application deployment failed: ${inst.deployFailure ?? 'the instance did not start the application'}.`];
        } else {
          const check = this.checkInstance(env, inst, settings);
          inst.lastCheckStatus = check.status;
          health = check.healthy ? 'Ok' : 'Severe';
          causes = check.healthy ? [] : check.causes;
          delete inst.failingRequests;
          delete inst.recentRequests;
          if (inst.deployFailure && health === 'Ok') {
            health = 'Degraded';
            causes = [`Application update failed: ${inst.deployFailure}`];
          } else if (health === 'Ok') {
            const answered = requestHealth(state.evidence[env.id]?.traffic ?? [], inst.id, now);
            if (answered.total > 0) inst.recentRequests = { total: answered.total, failed5xx: answered.failed5xx };
            if (answered.status !== 'Ok') {
              health = answered.status;
              causes = [answered.cause];
              inst.failingRequests = true;
            }
          }
        }
      }
      if (health && (health !== inst.health || causes.join('|') !== inst.causes.join('|'))) {
        const changed = health !== inst.health;
        inst.health = health;
        inst.causes = causes;
        if (changed) {
          inst.healthSince = now;
          this.evidence.recordInstance(state, env, inst);
        }
      }
    }
    if (env.status === 'Launching') return;
    const enhanced = settings.get('aws:elasticbeanstalk:healthreporting:system', 'SystemType') === 'enhanced';
    const single = settings.context.environmentType === 'SingleInstance';
    const minSize = single ? 1 : Number(settings.get('aws:autoscaling:asg', 'MinSize') ?? '1');
    const lb = !single && env.tier.Name !== 'Worker';
    const h = environmentHealth(env, now, minSize, lb);
    const previous = env.healthStatus;
    const colour = enhanced ? colourOf(h.status) : basicColour(env, h);
    if (previous !== h.status) {
      env.healthStatus = h.status;
      env.healthChangedAt = now;
      if (enhanced && previous !== 'Unknown' && h.status !== 'Unknown') {
        const severity: EventSeverity = h.status === 'Ok' || h.status === 'Info' ? 'INFO' : 'WARN';
        this.emit(state, env, severity, transitionMessage(previous, h, env, now), requestId);
      }
    }
    if (env.health !== colour) {
      const before = env.health;
      env.health = colour;
      if (!enhanced && before !== 'Grey' && colour !== 'Grey') {
        this.emit(state, env, colour === 'Red' ? 'WARN' : 'INFO', `Environment health has transitioned from ${before} to ${colour}.`, requestId);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Operations started by API calls

  private begin(ctx: Ctx, env: Environment, kind: OperationKind, data: Record<string, unknown> = {}, policy?: string): void {
    env.operation = { kind, requestId: ctx.req.requestId, startedAt: ctx.req.now, data, policy };
    env.lastRequestId = ctx.req.requestId;
    env.dateUpdated = ctx.req.now;
  }

  launch(ctx: Ctx, env: Environment, verb: 'createEnvironment' | 'restoreEnvironment' = 'createEnvironment'): void {
    const { state, req } = ctx;
    const rid = req.requestId;
    const t0 = req.now;
    this.begin(ctx, env, 'launch', { verb });
    env.listeners = undefined;
    env.status = 'Launching';
    env.abortable = false;
    this.emit(state, env, 'INFO', `${verb} is starting.`, rid);
    const { settings } = this.settingsOf(env, state.region);
    const single = settings.context.environmentType === 'SingleInstance';
    const worker = env.tier.Name === 'Worker';
    const lbType = settings.context.loadBalancerType;
    const r = env.resources;
    this.event(state, env, t0 + 1_000, rid, 'INFO', `Using ${storageBucket(state.region, state.accountId)} as Amazon S3 storage bucket for environment data.`);
    if (worker && r.queue) this.event(state, env, t0 + 5_000, rid, 'INFO', `Created SQS queue named: ${r.queue}`);
    this.event(state, env, t0 + TIMING.securityGroup, rid, 'INFO', `Created security group named: ${r.securityGroup}`);
    if (!single && !worker) {
      if (lbType === 'classic') {
        // The Classic Load Balancer is created with its listeners (and their certificates) in one resource.
        this.step(state, env, t0 + TIMING.targetGroup, rid, 'listeners-create');
      } else {
        this.event(state, env, t0 + TIMING.targetGroup, rid, 'INFO', `Created target group named: ${r.targetGroup}`);
      }
    }
    if (single) {
      this.event(state, env, t0 + TIMING.targetGroup, rid, 'INFO', `Created EIP: ${env.endpointUrl}`);
    }
    this.event(state, env, t0 + TIMING.launchTemplate, rid, 'INFO', `Created EC2 launch template named: ${r.launchTemplate}`);
    this.event(state, env, t0 + TIMING.autoScalingGroup, rid, 'INFO', `Created Auto Scaling group named: ${r.autoScalingGroup}`);
    this.event(state, env, t0 + TIMING.autoScalingGroup + 1_000, rid, 'INFO', 'Waiting for EC2 instances to launch. This may take a few minutes.');
    this.step(state, env, t0 + TIMING.autoScalingGroup + 1_000, rid, 'launch-instances');
    if (!single) {
      this.event(state, env, t0 + TIMING.autoScalingGroup + 15_000, rid, 'INFO', `Created Auto Scaling group policy named: ${r.scaleUpPolicy}`);
      this.event(state, env, t0 + TIMING.autoScalingGroup + 15_000, rid, 'INFO', `Created Auto Scaling group policy named: ${r.scaleDownPolicy}`);
      this.event(state, env, t0 + TIMING.autoScalingGroup + 18_000, rid, 'INFO', `Created CloudWatch alarm named: ${r.alarmLow}`);
      this.event(state, env, t0 + TIMING.autoScalingGroup + 18_000, rid, 'INFO', `Created CloudWatch alarm named: ${r.alarmHigh}`);
    }
    if (!single && !worker && lbType !== 'classic') {
      this.event(state, env, t0 + TIMING.loadBalancer, rid, 'INFO', `Created load balancer named: ${r.loadBalancer}`);
      // Listeners are created last, from the settings the bundle's .ebextensions add to the stack.
      this.step(state, env, t0 + TIMING.loadBalancer + 1_000, rid, 'listeners-create');
    }
    this.settle(state, env);
  }

  deploy(ctx: Ctx, env: Environment, label: string | undefined, policy: string): void {
    const { state, req } = ctx;
    this.begin(ctx, env, 'deploy', { label: label ?? null, previous: env.versionLabel ?? null }, policy);
    env.previousVersionLabel = env.versionLabel;
    env.versionLabel = label;
    env.status = 'Updating';
    env.abortable = true;
    this.emit(state, env, 'INFO', 'Environment update is starting.', req.requestId);
    const deploymentId = env.nextDeploymentId++;
    env.operation!.data.deploymentId = deploymentId;
    const start = policySteps[policy]?.start;
    if (!start) throw new Error(`Unknown deployment policy ${policy}`);
    start(this.stepContext(state, env, req.requestId), { label: label ?? null, deploymentId });
    this.settle(state, env);
  }

  configure(ctx: Ctx, env: Environment, previousSettings: OptionSetting[], alsoDeploy?: { label: string | undefined; policy: string }): void {
    const { state, req } = ctx;
    this.begin(ctx, env, 'configure', { previousSettings, deployAfter: alsoDeploy ? { label: alsoDeploy.label ?? null, policy: alsoDeploy.policy } : null });
    env.status = 'Updating';
    env.abortable = true;
    this.emit(state, env, 'INFO', 'Environment update is starting.', req.requestId);
    this.event(state, env, req.now + 2_000, req.requestId, 'INFO', `Updating environment ${env.name}'s configuration settings.`);
    this.step(state, env, req.now + 5_000, req.requestId, 'configure-apply');
    this.settle(state, env);
  }

  /** TerminateEnvironment (ForceTerminate lets it interrupt an operation in progress, which is dropped here). */
  terminate(ctx: Ctx, env: Environment, _force: boolean): void {
    const { state, req } = ctx;
    // Terminating wins over anything in progress: drop the operation's remaining work.
    env.queue = env.queue.filter((q) => !q.op && q.action.t !== 'monitor' && q.action.t !== 'probe');
    this.begin(ctx, env, 'terminate');
    env.status = 'Terminating';
    env.abortable = false;
    env.probeRps = 0;
    this.emit(state, env, 'INFO', 'terminateEnvironment is starting.', req.requestId);
    const rid = req.requestId;
    const t0 = req.now;
    const { settings } = this.settingsOf(env, state.region);
    const single = settings.context.environmentType === 'SingleInstance';
    const r = env.resources;
    if (!single) {
      this.event(state, env, t0 + 5_000, rid, 'INFO', `Deleted CloudWatch alarm named: ${r.alarmHigh}`);
      this.event(state, env, t0 + 5_000, rid, 'INFO', `Deleted CloudWatch alarm named: ${r.alarmLow}`);
      this.event(state, env, t0 + 6_000, rid, 'INFO', `Deleted Auto Scaling group policy named: ${r.scaleUpPolicy}`);
      this.event(state, env, t0 + 6_000, rid, 'INFO', `Deleted Auto Scaling group policy named: ${r.scaleDownPolicy}`);
    }
    this.event(state, env, t0 + 10_000, rid, 'INFO', 'Waiting for EC2 instances to terminate. This may take a few minutes.');
    for (const inst of env.instances) {
      this.enqueue(state, env, t0 + 10_000, rid, { t: 'instance', instanceId: inst.id, patch: { state: 'terminating', inService: false } });
      this.enqueue(state, env, t0 + 10_000 + TIMING.terminateInstances, rid, { t: 'instance', instanceId: inst.id, patch: { state: 'terminated' } });
    }
    const after = t0 + 10_000 + TIMING.terminateInstances;
    this.event(state, env, after + 2_000, rid, 'INFO', `Deleted Auto Scaling group named: ${r.autoScalingGroup}`);
    this.event(state, env, after + 3_000, rid, 'INFO', `Deleted EC2 launch template named: ${r.launchTemplate}`);
    this.event(state, env, after + 10_000, rid, 'INFO', `Deleted security group named: ${r.securityGroup}`);
    if (r.loadBalancer) this.event(state, env, after + 20_000, rid, 'INFO', `Deleted load balancer named: ${r.loadBalancer}`);
    if (r.queue) this.event(state, env, after + 21_000, rid, 'INFO', `Deleted SQS queue named: ${r.queue}`);
    this.event(state, env, after + 25_000, rid, 'INFO', `Deleting SNS topic for environment ${env.name}.`);
    this.step(state, env, after + 30_000, rid, 'terminate-finish');
    this.settle(state, env);
  }

  restart(ctx: Ctx, env: Environment): void {
    const { state, req } = ctx;
    this.begin(ctx, env, 'restart');
    env.status = 'Updating';
    env.abortable = false;
    this.emit(state, env, 'INFO', 'restartAppServer is starting.', req.requestId);
    this.step(state, env, req.now + 2_000, req.requestId, 'restart-batch', { index: 0 });
    this.settle(state, env);
  }

  rebuild(ctx: Ctx, env: Environment): void {
    const { state, req } = ctx;
    this.begin(ctx, env, 'rebuild', { verb: 'rebuildEnvironment' });
    env.status = 'Updating';
    env.abortable = false;
    this.emit(state, env, 'INFO', 'rebuildEnvironment is starting.', req.requestId);
    const t0 = req.now;
    this.event(state, env, t0 + 5_000, req.requestId, 'INFO', 'Waiting for EC2 instances to terminate. This may take a few minutes.');
    for (const inst of env.instances) {
      this.enqueue(state, env, t0 + 5_000, req.requestId, { t: 'instance', instanceId: inst.id, patch: { state: 'terminating', inService: false } });
      this.enqueue(state, env, t0 + 5_000 + TIMING.terminateInstances, req.requestId, { t: 'instance', instanceId: inst.id, patch: { state: 'terminated' } });
    }
    this.event(state, env, t0 + 6_000 + TIMING.terminateInstances, req.requestId, 'INFO', 'Waiting for EC2 instances to launch. This may take a few minutes.');
    this.step(state, env, t0 + 6_000 + TIMING.terminateInstances, req.requestId, 'launch-instances');
    this.settle(state, env);
  }

  /** AbortEnvironmentUpdate: stop the operation and roll back what it changed. */
  abort(ctx: Ctx, env: Environment): void {
    const { state, req } = ctx;
    const op = env.operation!;
    const rid = req.requestId;
    env.queue = env.queue.filter((q) => !q.op);
    env.status = 'Aborting';
    env.abortable = false;
    env.lastRequestId = rid;
    this.emit(state, env, 'INFO', `Aborting the environment update requested by ${op.requestId}.`, rid);
    // Instances caught mid-deployment keep their previous process; temporary instances go away.
    for (const inst of env.instances) {
      if (inst.group === 'temporary') {
        this.enqueue(state, env, req.now + 1_000, rid, { t: 'instance', instanceId: inst.id, patch: { state: 'terminating', inService: false } });
        this.enqueue(state, env, req.now + 1_000 + TIMING.drain, rid, { t: 'instance', instanceId: inst.id, patch: { state: 'terminated' } });
      } else if (inst.state === 'deploying' || inst.state === 'launching') {
        if (inst.process) this.enqueue(state, env, req.now + 1_000, rid, { t: 'instance', instanceId: inst.id, patch: { state: 'running', inService: true } });
        else {
          this.enqueue(state, env, req.now + 1_000, rid, { t: 'instance', instanceId: inst.id, patch: { state: 'terminating', inService: false } });
          this.enqueue(state, env, req.now + 1_000 + TIMING.drain, rid, { t: 'instance', instanceId: inst.id, patch: { state: 'terminated' } });
        }
      } else if (!inst.inService && inst.state === 'running') {
        this.enqueue(state, env, req.now + 1_000, rid, { t: 'instance', instanceId: inst.id, patch: { inService: true } });
      }
    }
    op.data.aborted = true;
    op.requestId = rid;
    this.step(state, env, req.now + 2_000, rid, 'abort-rollback');
    this.settle(state, env);
  }

  /** Background steady traffic against the environment URL (requests per simulated second). */
  setProbe(state: RegionState, env: Environment, rps: number): void {
    env.probeRps = Math.max(0, rps);
    env.queue = env.queue.filter((q) => q.action.t !== 'probe');
    if (env.probeRps > 0) this.enqueue(state, env, this.clock.now() + 1_000, env.lastRequestId, { t: 'probe' }, false);
    this.ensureMonitor(state, env);
    this.arm(state, env);
  }

  /** Keeps the Auto Scaling monitor running while there is traffic or the group is outside its bounds. */
  ensureMonitor(state: RegionState, env: Environment): void {
    if (env.status === 'Terminated' || env.status === 'Terminating') return;
    if (env.queue.some((q) => q.action.t === 'monitor')) return;
    const { settings } = this.settingsOf(env, state.region);
    if (settings.context.environmentType === 'SingleInstance') return;
    const period = Math.max(1, Number(settings.get('aws:autoscaling:trigger', 'Period') ?? '5')) * 60_000;
    const min = Number(settings.get('aws:autoscaling:asg', 'MinSize') ?? '1');
    const count = env.instances.filter((i) => i.group === 'main' && i.state !== 'terminating').length;
    if (env.probeRps > 0 || count > min) this.enqueue(state, env, this.clock.now() + period, env.lastRequestId, { t: 'monitor' }, false);
  }

  private monitor(state: RegionState, env: Environment, requestId: string): void {
    if (env.status === 'Terminated' || env.status === 'Terminating') return;
    const { settings } = this.settingsOf(env, state.region);
    const get = (n: string, d: string) => settings.get('aws:autoscaling:trigger', n) ?? d;
    const period = Math.max(1, Number(get('Period', '5'))) * 60_000;
    const breachPeriods = Math.max(1, Math.ceil(Number(get('BreachDuration', '5')) / Math.max(1, Number(get('Period', '5')))));
    const data = env.scaling ?? { high: 0, low: 0 };
    const value = this.evidence.metric(state, env, get('MeasureName', 'NetworkOut'), get('Statistic', 'Average'), period);
    const upper = Number(get('UpperThreshold', '6000000'));
    const lower = Number(get('LowerThreshold', '2000000'));
    data.high = value > upper ? data.high + 1 : 0;
    data.low = value < lower ? data.low + 1 : 0;
    env.scaling = data;
    const now = this.clock.now();
    const cooldown = Number(settings.get('aws:autoscaling:asg', 'Cooldown') ?? '360') * 1000;
    const min = Number(settings.get('aws:autoscaling:asg', 'MinSize') ?? '1');
    const max = Number(settings.get('aws:autoscaling:asg', 'MaxSize') ?? '4');
    const main = env.instances.filter((i) => i.group === 'main' && i.state !== 'terminating' && i.state !== 'terminated');
    const cooling = env.lastScaledAt !== undefined && now - env.lastScaledAt < cooldown;
    if (env.status === 'Ready' && !env.operation && !cooling) {
      let delta = 0;
      if (data.high >= breachPeriods) delta = Number(get('UpperBreachScaleIncrement', '1'));
      else if (data.low >= breachPeriods) delta = Number(get('LowerBreachScaleIncrement', '-1'));
      const target = Math.max(min, Math.min(max, main.length + delta));
      if (target !== main.length) {
        data.high = 0;
        data.low = 0;
        env.lastScaledAt = now;
        this.scaleTo(state, env, target, requestId, false);
      }
    }
    if (env.probeRps > 0 || main.length > min) this.enqueue(state, env, now + period, requestId, { t: 'monitor' }, false);
  }

  /**
   * Changes the main group's size: new instances boot and deploy the environment's version; surplus
   * instances (newest first, as the default termination policy picks the oldest launch template last) go away.
   */
  scaleTo(state: RegionState, env: Environment, target: number, requestId: string, op: boolean): number {
    const now = this.clock.now();
    const main = env.instances.filter((i) => i.group === 'main' && i.state !== 'terminating' && i.state !== 'terminated');
    const { settings } = this.settingsOf(env, state.region);
    const asg = env.resources.autoScalingGroup;
    let endAt = now;
    if (target > main.length) {
      const type = instanceTypeOf(settings);
      const fresh: Instance[] = [];
      for (let i = main.length; i < target; i++) fresh.push(this.newInstance(state, env, 'main', type));
      fresh.forEach((inst, i) => {
        const bootAt = now + TIMING.instanceBoot + i * TIMING.instanceStagger;
        this.event(state, env, bootAt, requestId, 'INFO', `Added EC2 instance '${inst.id}' to Auto Scaling Group '${asg}'.`, op);
        const { endAt: e } = this.deployTo(state, env, [inst], env.versionLabel, bootAt, requestId, {
          kind: 'launch',
          deploymentId: Math.max(1, env.nextDeploymentId - 1),
          leader: false,
          quietInfo: true,
        });
        this.enqueue(state, env, e + TIMING.launchSettle, requestId, { t: 'instance', instanceId: inst.id, patch: { inService: true } }, op);
        endAt = Math.max(endAt, e + TIMING.launchSettle);
      });
    } else if (target < main.length) {
      const doomed = [...main].sort((a, b) => b.launchedAt - a.launchedAt).slice(0, main.length - target);
      for (const inst of doomed) {
        this.enqueue(state, env, now, requestId, { t: 'instance', instanceId: inst.id, patch: { inService: false, state: 'terminating' } }, op);
        this.event(state, env, now + TIMING.drain, requestId, 'INFO', `Removed EC2 instance '${inst.id}' from Auto Scaling Group '${asg}'.`, op);
        this.enqueue(state, env, now + TIMING.drain + 30_000, requestId, { t: 'instance', instanceId: inst.id, patch: { state: 'terminated' } }, op);
      }
      endAt = now + TIMING.drain + 30_000;
    }
    this.arm(state, env);
    return endAt;
  }

  /** An instance fails its EC2 status checks: it is terminated and the Auto Scaling group launches a replacement. */
  replaceInstance(state: RegionState, env: Environment, inst: Instance): void {
    const now = this.clock.now();
    const rid = env.lastRequestId;
    const asg = env.resources.autoScalingGroup;
    this.enqueue(state, env, now, rid, { t: 'instance', instanceId: inst.id, patch: { state: 'terminating', inService: false, process: undefined } }, false);
    this.event(state, env, now + 1_000, rid, 'WARN', `EC2 instance '${inst.id}' failed its status checks. Auto Scaling group '${asg}' is replacing it.`, false);
    this.event(state, env, now + 30_000, rid, 'INFO', `Removed EC2 instance '${inst.id}' from Auto Scaling Group '${asg}'.`, false);
    this.enqueue(state, env, now + 30_000, rid, { t: 'instance', instanceId: inst.id, patch: { state: 'terminated' } }, false);
    this.step(state, env, now + 30_000, rid, 'replace-capacity', { count: env.instances.filter((i) => i.group === 'main' && i.state !== 'terminating' && i.state !== 'terminated').length }, false);
    this.arm(state, env);
  }

  /** Step handlers by name (launch, configure, terminate, restart, abort, and the deployment policies). */
  private readonly handlers: Record<string, StepHandler> = {
    ...Object.fromEntries(Object.values(policySteps).flatMap((p) => Object.entries(p.steps))),
    'launch-instances': (c) => this.launchInstances(c),
    'launch-finish': (c, args) => this.launchFinish(c, args),
    'configure-apply': (c) => this.configureApply(c),
    'listeners-create': (c) => {
      // The stack carries the bundle's option_settings from the start (a Classic Load Balancer is created before the instances).
      const report = this.engine.runtime.report(c.state, c.env.applicationName, c.env.versionLabel, this.engine.runtime.platformOf(c.env, c.state.region));
      if (report.ok) c.env.bundleSettings = bundleOptionSettings(report) as OptionSetting[];
      if (this.applyListeners(c.state, c.env, c.requestId, true).length > 0 && c.env.operation) c.env.operation.data.listenerFailed = true;
    },
    'configure-finish': (c, args) => this.configureFinish(c, args),
    'terminate-finish': (c) => this.terminateFinish(c),
    'restart-batch': (c, args) => this.restartBatch(c, args),
    'abort-rollback': (c) => this.abortRollback(c),
    'abort-finish': (c) => this.abortFinish(c),
    'operation-complete': (c, args) => this.complete(c, args),
    'replace-batch': (c, args) => this.replaceBatch(c, args),
    'replace-capacity': (c, args) => {
      const main = c.env.instances.filter((i) => i.group === 'main' && i.state !== 'terminating' && i.state !== 'terminated').length;
      const wanted = Math.max(main, args.count as number);
      this.scaleTo(c.state, c.env, wanted, c.requestId, false);
    },
  };

  private launchInstances(c: StepContext): void {
    const { state, env, requestId, now } = c;
    const { settings } = this.settingsOf(env, state.region);
    const single = settings.context.environmentType === 'SingleInstance';
    const count = single ? 1 : Math.max(1, Number(settings.get('aws:autoscaling:asg', 'MinSize') ?? '1'));
    const type = instanceTypeOf(settings);
    // The bundle's .ebextensions option_settings apply from the first deployment.
    const platform = this.engine.runtime.platformOf(env, state.region);
    const report = this.engine.runtime.report(state, env.applicationName, env.versionLabel, platform);
    env.bundleSettings = report.ok ? (bundleOptionSettings(report) as OptionSetting[]) : [];
    const deploymentId = env.nextDeploymentId++;
    let endAt = now;
    const failed: string[] = [];
    const fresh: Instance[] = [];
    for (let i = 0; i < count; i++) fresh.push(this.newInstance(state, env, 'main', type));
    const optionErrors = report.ok ? checkBundleOptionSettings(report, { language: platform.branch.language }).filter((e) => e.severity === 'ERROR') : [];
    fresh.forEach((inst, i) => {
      const bootAt = now + TIMING.instanceBoot + i * TIMING.instanceStagger;
      this.event(state, env, bootAt, requestId, 'INFO', `Added instance [${inst.id}] to your environment.`);
      const r = this.deployTo(state, env, [inst], env.versionLabel, bootAt, requestId, { kind: 'app-deploy', deploymentId, leader: i === 0, quietInfo: i > 0 });
      endAt = Math.max(endAt, r.endAt);
      for (const f of r.failed) failed.push(f.id);
      this.enqueue(state, env, r.endAt + 5_000, requestId, { t: 'instance', instanceId: inst.id, patch: { inService: true } });
    });
    for (const e of optionErrors) this.event(state, env, endAt, requestId, e.severity, e.message);
    // The launch completes once the instances are healthy and the load balancer (created last) exists.
    const lbReady = env.operation?.kind === 'launch' && env.resources.loadBalancer && settings.context.loadBalancerType !== 'classic' && !single
      ? env.operation.startedAt + TIMING.loadBalancer + 5_000
      : 0;
    this.step(state, env, Math.max(endAt + TIMING.launchSettle, lbReady), requestId, 'launch-finish', { failed, optionErrors: optionErrors.length > 0 });
  }

  private launchFinish(c: StepContext, args: Record<string, unknown>): void {
    const { state, env, requestId } = c;
    const verb = (env.operation?.data.verb as string) ?? 'createEnvironment';
    const failed = (args.failed as string[]) ?? [];
    const { settings } = this.settingsOf(env, state.region);
    const unhealthy = activeInstances(env).filter((i) => !this.checkInstance(env, i, settings).healthy);
    if (env.operation) env.operation.data.finished = true;
    const wasLaunching = env.status === 'Launching';
    env.status = 'Ready';
    env.abortable = false;
    env.dateUpdated = c.now;
    if (failed.length > 0 || args.optionErrors === true || env.operation?.data.listenerFailed === true) {
      if (failed.length) this.emit(state, env, 'ERROR', `Unsuccessful command execution on instance id(s) '${failed.join(',')}'. Aborting the operation.`, requestId);
      if (verb === 'createEnvironment' || verb === 'restoreEnvironment') {
        this.emit(state, env, 'ERROR', 'Create environment operation is complete, but with errors. For more information, see troubleshooting documentation.', requestId);
      } else {
        this.emit(state, env, 'ERROR', `${verb} completed, but with errors. For more information, see troubleshooting documentation.`, requestId);
      }
    } else if (wasLaunching) {
      if (unhealthy.length === 0) {
        if (env.cname) this.emit(state, env, 'INFO', `Application available at ${env.cname}.`, requestId);
        if (verb === 'restoreEnvironment') this.emit(state, env, 'INFO', 'restoreEnvironment completed successfully.', requestId);
        this.emit(state, env, 'INFO', `Successfully launched environment: ${env.name}`, requestId);
      } else {
        // INFO, as AWS's event reference lists it (the issues themselves are the WARN/ERROR events before it).
        this.emit(state, env, 'INFO', `Launched environment: ${env.name}. However, there were issues during launch. See event log for details.`, requestId);
      }
    } else {
      this.emit(state, env, 'INFO', `${verb} completed successfully.`, requestId);
    }
    env.operation = undefined;
    this.refreshHealth(state, env, requestId);
    this.ensureMonitor(state, env);
  }

  private configureApply(c: StepContext): void {
    const { state, env, requestId, now } = c;
    const previous = (env.operation?.data.previousSettings as OptionSetting[]) ?? [];
    // The stack update creates or changes listeners first; when ELBv2 refuses one, CloudFormation rolls the whole update back.
    if (this.applyListeners(state, env, requestId, false).length > 0) {
      env.apiSettings = previous;
      this.emit(state, env, 'ERROR', 'Failed to deploy configuration.', requestId);
      this.emit(state, env, 'INFO', 'The environment was reverted to the previous configuration setting.', requestId);
      this.finish(state, env, requestId);
      return;
    }
    const { settings } = this.settingsOf(env, state.region);
    const before = this.engine.runtime.settings({ ...env, apiSettings: previous }, this.engine.runtime.platformOf(env, state.region));
    const single = settings.context.environmentType === 'SingleInstance';
    const wasSingle = before.context.environmentType === 'SingleInstance';
    let endAt = now;
    if (single !== wasSingle) {
      const r = env.resources;
      if (!single) {
        this.emit(state, env, 'INFO', `Created target group named: ${r.targetGroup}`, requestId);
        this.event(state, env, now + TIMING.loadBalancer - TIMING.targetGroup, requestId, 'INFO', `Created load balancer named: ${r.loadBalancer}`);
        endAt = now + TIMING.loadBalancer - TIMING.targetGroup;
      } else {
        this.event(state, env, now + 20_000, requestId, 'INFO', `Deleted load balancer named: ${r.loadBalancer}`);
        endAt = now + 20_000;
      }
    }
    const min = single ? 1 : Number(settings.get('aws:autoscaling:asg', 'MinSize') ?? '1');
    const max = single ? 1 : Number(settings.get('aws:autoscaling:asg', 'MaxSize') ?? '4');
    const main = env.instances.filter((i) => i.group === 'main' && i.state !== 'terminating' && i.state !== 'terminated');
    const target = Math.max(min, Math.min(max, main.length));
    if (target !== main.length) endAt = Math.max(endAt, this.scaleTo(state, env, target, requestId, true));
    // Launch settings changed (instance type, profile, key, AMI ...): the Auto Scaling group replaces its instances,
    // in batches when rolling updates are enabled, all at once (with downtime) when they are not.
    const launchKeys = (s: EffectiveSettings) =>
      JSON.stringify(s.settings.filter((x) => x.namespace === 'aws:autoscaling:launchconfiguration' || x.namespace === 'aws:ec2:instances').map((x) => [x.namespace, x.optionName, x.value]));
    const running = env.instances.filter((i) => i.group === 'main' && (i.state === 'running' || i.state === 'failed'));
    if (launchKeys(settings) !== launchKeys(before) && running.length > 0) {
      const rolling = !single && settings.get('aws:autoscaling:updatepolicy:rollingupdate', 'RollingUpdateEnabled') === 'true';
      const maxBatch = Number(settings.get('aws:autoscaling:updatepolicy:rollingupdate', 'MaxBatchSize') ?? '') || Math.max(1, Math.ceil(min / 3));
      const batch = rolling ? Math.max(1, Math.min(maxBatch, running.length)) : running.length;
      this.emit(state, env, 'INFO', `Updating Auto Scaling group named: ${env.resources.autoScalingGroup}`, requestId);
      this.step(state, env, Math.max(endAt, now + 2_000), requestId, 'replace-batch', { remaining: running.map((i) => i.id), batch, rolling, failed: [] });
      return;
    }
    // Instance-level settings changed: a configuration deployment restarts the app with the new settings.
    const instanceKeys = (s: EffectiveSettings) =>
      JSON.stringify(
        s.settings
          .filter((x) => !x.namespace.startsWith('aws:autoscaling') && x.namespace !== 'aws:elasticbeanstalk:command' && !x.namespace.startsWith('aws:elb'))
          .map((x) => [x.namespace, x.optionName, x.value]),
      );
    const failed: string[] = [];
    if (instanceKeys(settings) !== instanceKeys(before)) {
      const kept = main.filter((i) => i.state === 'running');
      if (kept.length > 0) {
        const deploymentId = env.nextDeploymentId++;
        const r = this.deployTo(state, env, kept, env.versionLabel, now + 2_000, requestId, { kind: 'config-deploy', deploymentId, quietInfo: true });
        endAt = Math.max(endAt, r.endAt);
        for (const f of r.failed) failed.push(f.id);
      }
    }
    this.step(state, env, endAt + 5_000, requestId, 'configure-finish', { failed });
  }

  private replaceBatch(c: StepContext, args: Record<string, unknown>): void {
    const { state, env, requestId, now } = c;
    const remaining = (args.remaining as string[]).filter((id) => env.instances.some((i) => i.id === id && i.state !== 'terminated'));
    const failed = args.failed as string[];
    if (remaining.length === 0) {
      this.step(state, env, now + 5_000, requestId, 'configure-finish', { failed });
      return;
    }
    const { settings } = this.settingsOf(env, state.region);
    const take = remaining.slice(0, args.batch as number);
    const rolling = args.rolling === true;
    this.emit(
      state,
      env,
      'INFO',
      rolling
        ? `Rolling update: replacing instance(s) [${take.join(', ')}] with instances that use the new launch settings.`
        : `Replacing all instances [${take.join(', ')}] at once: rolling updates are disabled (aws:autoscaling:updatepolicy:rollingupdate RollingUpdateEnabled), so the environment is unavailable until the new instances are healthy.`,
      requestId,
    );
    const retire = (at: number) => {
      for (const id of take) {
        this.enqueue(state, env, at, requestId, { t: 'instance', instanceId: id, patch: { inService: false, state: 'terminating' } });
        this.enqueue(state, env, at + TIMING.drain + 10_000, requestId, { t: 'instance', instanceId: id, patch: { state: 'terminated' } });
      }
    };
    if (!rolling) retire(now);
    const fresh = take.map(() => this.newInstance(state, env, 'main', instanceTypeOf(settings)));
    const bootAt = now + TIMING.instanceBoot;
    const r = this.deployTo(state, env, fresh, env.versionLabel, bootAt, requestId, { kind: 'launch', deploymentId: Math.max(1, env.nextDeploymentId - 1), leader: false, quietInfo: true });
    for (const inst of fresh) {
      this.event(state, env, bootAt, requestId, 'INFO', `Added EC2 instance '${inst.id}' to Auto Scaling Group '${env.resources.autoScalingGroup}'.`);
      this.enqueue(state, env, r.endAt + 5_000, requestId, { t: 'instance', instanceId: inst.id, patch: { inService: true } });
    }
    if (rolling) retire(r.endAt + 5_000);
    this.step(state, env, r.endAt + 5_000 + TIMING.drain + 10_000, requestId, 'replace-batch', {
      ...args,
      remaining: remaining.slice(take.length),
      failed: [...failed, ...r.failed.map((i) => i.id)],
    });
  }

  private configureFinish(c: StepContext, args: Record<string, unknown>): void {
    const { state, env, requestId } = c;
    const failed = (args.failed as string[]) ?? [];
    const deployAfter = env.operation?.data.deployAfter as { label: string | null; policy: string } | null | undefined;
    if (failed.length > 0) {
      this.emit(state, env, 'ERROR', `Unsuccessful command execution on instance id(s) '${failed.join(',')}'. Aborting the operation.`, requestId);
      this.emit(state, env, 'ERROR', 'Failed to deploy configuration.', requestId);
      this.finish(state, env, requestId);
      return;
    }
    this.emit(state, env, 'INFO', 'Successfully deployed new configuration to environment.', requestId);
    if (deployAfter) {
      // A version and settings in one call: the configuration goes first, then the version under the new policy.
      const op = env.operation!;
      op.kind = 'deploy';
      op.policy = deployAfter.policy;
      op.data = { label: deployAfter.label, previous: env.versionLabel ?? null };
      env.previousVersionLabel = env.versionLabel;
      env.versionLabel = deployAfter.label ?? undefined;
      const deploymentId = env.nextDeploymentId++;
      op.data.deploymentId = deploymentId;
      policySteps[deployAfter.policy].start(c, { label: deployAfter.label, deploymentId });
      return;
    }
    this.emit(state, env, 'INFO', 'Environment update completed successfully.', requestId);
    this.finish(state, env, requestId);
  }

  private terminateFinish(c: StepContext): void {
    const { state, env, requestId, now } = c;
    env.instances = [];
    env.status = 'Terminated';
    env.dateTerminated = now;
    env.dateUpdated = now;
    env.abortable = false;
    env.health = 'Grey';
    env.operation = undefined;
    env.queue = [];
    this.emit(state, env, 'INFO', 'terminateEnvironment completed successfully.', requestId);
  }

  /** RestartAppServer restarts the web process in batches of the deployment BatchSize (all at once by default). */
  private restartBatch(c: StepContext, args: Record<string, unknown>): void {
    const { state, env, requestId, now } = c;
    const running = env.instances.filter((i) => i.state === 'running' && i.process).sort((a, b) => a.launchedAt - b.launchedAt || (a.id < b.id ? -1 : 1));
    const size = batchSizeFor(this.settingsOf(env, state.region).settings, Math.max(1, running.length));
    const index = (args.index as number) ?? 0;
    const batch = running.slice(index * size, index * size + size);
    for (const inst of batch) {
      this.enqueue(state, env, now, requestId, { t: 'instance', instanceId: inst.id, patch: { restarting: true } });
      const restarted = { ...inst.process!, startedAt: now + TIMING.restart };
      this.enqueue(state, env, now + TIMING.restart, requestId, { t: 'instance', instanceId: inst.id, patch: { restarting: false, process: restarted } });
      this.enqueue(state, env, now + TIMING.restart, requestId, {
        t: 'log',
        instanceId: inst.id,
        file: '/var/log/eb-engine.log',
        lines: [`${new Date(now).toISOString()} [INFO] Executing instruction: RestartAppServer`, `${new Date(now + TIMING.restart).toISOString()} [INFO] Instance restart completed successfully.`],
      });
    }
    if ((index + 1) * size < running.length) {
      this.step(state, env, now + TIMING.restart + 2_000, requestId, 'restart-batch', { index: index + 1 });
      return;
    }
    this.event(state, env, now + TIMING.restart + 2_000, requestId, 'INFO', 'restartAppServer completed successfully.');
    this.step(state, env, now + TIMING.restart + 2_000, requestId, 'operation-complete', {});
  }

  private abortRollback(c: StepContext): void {
    const { state, env, requestId, now } = c;
    const op = env.operation;
    if (op?.kind === 'configure') {
      env.apiSettings = (op.data.previousSettings as OptionSetting[]) ?? env.apiSettings;
      // Listeners the update created or changed go back too (the previous ones passed ELBv2's checks before).
      this.applyListeners(state, env, requestId, false);
      this.emit(state, env, 'INFO', 'The environment was reverted to the previous configuration setting.', requestId);
      this.step(state, env, now + 5_000, requestId, 'abort-finish');
      return;
    }
    const previous = (op?.data.previous as string | null) ?? undefined;
    const deploymentId = (op?.data.deploymentId as number) ?? 0;
    // Instances that already run the new version go back to the previous one.
    const updated = env.instances.filter((i) => i.group === 'main' && i.state === 'running' && i.deploymentId === deploymentId);
    env.versionLabel = previous;
    let endAt = now;
    if (updated.length > 0) {
      this.emit(state, env, 'INFO', `Rolling back ${updated.length} instance(s) to version ${previous ?? 'Sample Application'}.`, requestId);
      const r = this.deployTo(state, env, updated, previous, now, requestId, { kind: 'app-deploy', deploymentId: env.nextDeploymentId++, quietInfo: true });
      endAt = r.endAt;
    }
    this.step(state, env, endAt + 5_000, requestId, 'abort-finish');
  }

  private abortFinish(c: StepContext): void {
    const { state, env, requestId } = c;
    this.emit(state, env, 'INFO', `Environment update was aborted. The environment runs version ${env.versionLabel ?? 'Sample Application'}.`, requestId);
    this.finish(state, env, requestId);
  }

  private complete(c: StepContext, _args: Record<string, unknown>): void {
    this.finish(c.state, c.env, c.requestId);
  }

  /**
   * Brings the load balancer's listeners to what the settings (and, for an Application Load Balancer, the bundle's
   * Resources override) declare: checks new and changed listeners as ELB would (certificates, SSL policy, redirect
   * actions) and, when all pass, creates, updates and deletes them with their events. On failure nothing changes
   * and the ERROR events of the failed stack operation are emitted; the failures are returned.
   */
  applyListeners(state: RegionState, env: Environment, requestId: string, launching: boolean): ListenerFailure[] {
    const { settings, platform } = this.settingsOf(env, state.region);
    const lb = env.resources.loadBalancer;
    const kind = listenerKindOf(settings, env.tier.Name);
    if (!lb || !kind) {
      env.listeners = undefined;
      return [];
    }
    const classic = kind === 'classic';
    let plan;
    if (classic) plan = planClassicListeners(settings);
    else {
      const report = this.engine.runtime.report(state, env.applicationName, env.versionLabel, platform);
      plan = planListeners(settings, report.ok ? listenerOverride(report.ebextensions) : undefined);
    }
    // Environments from before listeners were modelled have the default HTTP listener on port 80.
    const previous: LoadBalancerListener[] = env.listeners ?? (launching ? [] : [classic ? { ...DEFAULT_LISTENER, logicalId: 'AWSEBLoadBalancer', namespace: 'aws:elb:listener' } : DEFAULT_LISTENER]);
    const same = (a: LoadBalancerListener, b: LoadBalancerListener) => (classic ? a.port === b.port : a.logicalId === b.logicalId);
    const failures = [
      ...plan.failures.map((f) => ({ ...f, change: !launching && (classic || previous.some((p) => p.logicalId === f.logicalId)) ? ('update' as const) : ('create' as const) })),
      ...checkListeners(plan.listeners, previous, this.engine.certificates, state.accountId, state.region, kind).map((f) => (classic ? { ...f, change: launching ? ('create' as const) : ('update' as const) } : f)),
    ];
    if (failures.length > 0) {
      const elbRequestId = this.engine.ids.uuid();
      for (const f of failures) this.emit(state, env, 'ERROR', listenerFailureEvent(f, elbRequestId, classic ? lb : undefined), requestId);
      this.emit(state, env, 'ERROR', stackAbortedEvent(env.id, failures, launching), requestId);
      return failures;
    }
    // A Classic Load Balancer's listeners are part of the load balancer: created with it, no events of their own.
    if (classic && launching) this.emit(state, env, 'INFO', `Created load balancer named: ${lb}`, requestId);
    const next: LoadBalancerListener[] = [];
    for (const l of plan.listeners) {
      const before = previous.find((p) => same(p, l));
      const arn = before?.arn ?? (classic ? `${lb}:${l.port}` : listenerArn(lb, this.engine.ids.hex(16)));
      if (!before && !classic) this.emit(state, env, 'INFO', `Created Load Balancer listener named: ${arn}`, requestId);
      next.push({ ...l, arn });
    }
    for (const p of previous) {
      if (!classic && p.arn && !next.some((l) => same(l, p))) this.emit(state, env, 'INFO', `Deleted Load Balancer listener named: ${p.arn}`, requestId);
    }
    env.listeners = next;
    return [];
  }

  /** Ends the operation in progress: the environment is Ready again. */
  finish(state: RegionState, env: Environment, requestId: string): void {
    env.status = 'Ready';
    env.abortable = false;
    env.operation = undefined;
    env.dateUpdated = this.clock.now();
    for (const inst of env.instances) if (inst.batch !== undefined) inst.batch = undefined;
    this.refreshHealth(state, env, requestId);
    this.ensureMonitor(state, env);
  }
}

/** Version processing without an environment or a recognisable bundle validates against the newest Node.js branch. */
function defaultPlatformFor(region: string): PlatformVersion {
  const branch = PLATFORM_BRANCHES.find((b) => b.language === 'nodejs') ?? PLATFORM_BRANCHES[0];
  return latestVersionOf(branch, region);
}

const DEFAULT_LISTENER: LoadBalancerListener = {
  logicalId: 'AWSEBV2LoadBalancerListener',
  namespace: 'aws:elbv2:listener:default',
  port: 80,
  protocol: 'HTTP',
  defaultProcess: 'default',
  certificateArns: [],
  action: { type: 'forward' },
};

/** The last `Resources.AWSEBV2LoadBalancerListener` of the bundle's .ebextensions (later files override earlier ones). */
function listenerOverride(configs: readonly { skipped?: unknown; resourceDefinitions?: Record<string, unknown> }[]): unknown {
  let found: unknown;
  for (const c of configs) {
    if (c.skipped || !c.resourceDefinitions) continue;
    if (Object.prototype.hasOwnProperty.call(c.resourceDefinitions, 'AWSEBV2LoadBalancerListener')) found = c.resourceDefinitions.AWSEBV2LoadBalancerListener;
  }
  return found;
}
