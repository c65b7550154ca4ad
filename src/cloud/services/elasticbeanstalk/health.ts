// Health as EB reports it: per-instance enhanced status from the health check through the proxy, the
// environment's status, colour and causes, and the basic-health colour for environments without enhanced health.

import type { Environment, Instance, InstanceHealthStatus } from './model.ts';

export type EnvironmentHealthStatus = 'NoData' | 'Unknown' | 'Pending' | 'Ok' | 'Info' | 'Warning' | 'Degraded' | 'Severe' | 'Suspended';
export type HealthColour = 'Green' | 'Yellow' | 'Red' | 'Grey';

export interface EnvironmentHealth {
  status: EnvironmentHealthStatus;
  colour: HealthColour;
  causes: string[];
}

const RANK: Record<string, number> = { Ok: 0, Info: 1, Unknown: 2, Pending: 2, NoData: 2, Warning: 3, Degraded: 4, Severe: 5 };

export function colourOf(status: string): HealthColour {
  switch (status) {
    case 'Ok':
    case 'Info':
      return 'Green';
    case 'Warning':
      return 'Yellow';
    case 'Degraded':
    case 'Severe':
      return 'Red';
    default:
      return 'Grey';
  }
}

export function worse(a: InstanceHealthStatus, b: InstanceHealthStatus): InstanceHealthStatus {
  return (RANK[b] ?? 0) > (RANK[a] ?? 0) ? b : a;
}

/** Instances that count towards the environment's health (not being terminated). */
export function activeInstances(env: Environment): Instance[] {
  return env.instances.filter((i) => i.state !== 'terminated' && i.state !== 'terminating');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return plural(s, 'second');
  const m = Math.round(s / 60);
  if (m < 60) return plural(m, 'minute');
  return plural(Math.round(m / 60), 'hour');
}

/**
 * The environment's enhanced health from its instances. `minSize` is the Auto Scaling group minimum;
 * `expected` the version and deployment id the environment should be running.
 */
export function environmentHealth(env: Environment, now: number, minSize: number, loadBalanced: boolean): EnvironmentHealth {
  if (env.status === 'Terminated') return { status: 'Unknown', colour: 'Grey', causes: [] };
  if (env.status === 'Terminating') return { status: 'Unknown', colour: 'Grey', causes: ['Environment is being terminated.'] };
  if (env.status === 'Launching' || (env.operation?.kind === 'launch' && env.operation.data.finished !== true)) {
    return { status: 'Pending', colour: 'Grey', causes: [`Initialization in progress (running for ${duration(now - env.dateCreated)}).`] };
  }
  const main = activeInstances(env).filter((i) => i.group === 'main' || i.inService);
  if (main.length === 0) {
    return {
      status: 'Severe',
      colour: 'Red',
      causes: [loadBalanced ? 'ELB health is failing or not available for all instances.' : 'None of the instances are sending data.'],
    };
  }
  // Instances failing only by their 5xx share pass the load balancer's check: they are counted below, by requests.
  const failing = main.filter((i) => (i.health === 'Severe' || i.health === 'Degraded') && !i.failingRequests);
  const causes: string[] = [];
  let status: EnvironmentHealthStatus = 'Ok';
  const raise = (s: EnvironmentHealthStatus) => {
    if ((RANK[s] ?? 0) > (RANK[status] ?? 0)) status = s;
  };
  if (failing.length > 0) {
    if (failing.length === main.length) {
      raise('Severe');
      causes.push(
        loadBalanced
          ? `ELB health is failing or not available for all ${plural(main.length, 'instance')}.`
          : `Health checks are failing on the environment's instance.`,
      );
    } else {
      raise('Degraded');
      causes.push(`ELB health is failing or not available for ${failing.length} out of ${plural(main.length, 'instance')}.`);
    }
    const http5xx = failing.filter((i) => (i.lastCheckStatus ?? 0) >= 500).length;
    if (http5xx > 0 && failing.length === main.length) causes.push('100.0 % of the requests are failing with HTTP 5xx.');
  }
  if (main.some((i) => i.failingRequests)) {
    // The environment's share over every instance's requests in the window, as healthd aggregates it.
    const total = main.reduce((n, i) => n + (i.recentRequests?.total ?? 0), 0);
    const failed = main.reduce((n, i) => n + (i.recentRequests?.failed5xx ?? 0), 0);
    const share = total > 0 ? failed / total : 0;
    const s = statusForShare(share);
    if (s !== 'Ok') {
      raise(s);
      causes.push(failingRequestsCause(share));
    }
  }
  const serving = main.filter((i) => i.state === 'running');
  if (serving.length < minSize && env.operation === undefined) {
    raise('Degraded');
    causes.push(`Auto Scaling group has ${plural(serving.length, 'instance')} running, below its minimum of ${minSize}.`);
  }
  if (env.versionLabel) {
    const wrong = main.filter((i) => i.state === 'running' && i.versionLabel !== env.versionLabel);
    if (wrong.length > 0 && env.operation === undefined) {
      raise('Warning');
      const latest = Math.max(...main.map((i) => i.deploymentId));
      causes.push(
        `Incorrect application version found on ${wrong.length} out of ${plural(main.length, 'instance')}. Expected version "${env.versionLabel}" (deployment ${latest}).`,
      );
    }
  }
  if (env.operation && status === 'Ok') {
    status = 'Info';
    const op = env.operation;
    const what = op.kind === 'configure' ? 'Configuration update' : op.kind === 'restart' ? 'Application restart' : 'Application update';
    const target = op.data.deploymentId as number | undefined;
    const fleet = activeInstances(env).filter((i) => i.group === 'main');
    const done = target === undefined ? 0 : fleet.filter((i) => i.deploymentId === target && i.state === 'running').length;
    const total = Math.max(fleet.length, 1);
    causes.push(`${what} in progress on ${plural(Math.max(total - done, 1), 'instance')}. ${done} out of ${plural(total, 'instance')} completed (running for ${duration(now - op.startedAt)}).`);
  }
  return { status, colour: colourOf(status), causes };
}

/** The legacy basic-health colour: Green passing, Yellow some failing, Red all failing, Grey launching/updating. */
export function basicColour(env: Environment, enhanced: EnvironmentHealth): HealthColour {
  if (env.status === 'Launching' || env.status === 'Terminating' || env.status === 'Terminated') return 'Grey';
  if (env.status === 'Updating' && enhanced.status !== 'Severe') return 'Grey';
  switch (enhanced.status) {
    case 'Severe':
      return 'Red';
    case 'Degraded':
      return 'Yellow';
    case 'Ok':
    case 'Info':
    case 'Warning':
      return 'Green';
    default:
      return 'Grey';
  }
}

/** The event real EB writes when enhanced health changes. */
export function transitionMessage(from: string, to: EnvironmentHealth, env: Environment, now: number): string {
  if (from === 'Pending' && (to.status === 'Ok' || to.status === 'Info')) {
    return `Environment health has transitioned from Pending to ${to.status}. Initialization completed ${duration(Math.min(20_000, now - env.dateCreated))} ago and took ${duration(now - env.dateCreated)}.`;
  }
  const causes = to.causes.length ? ` ${to.causes.join(' ')}` : '';
  return `Environment health has transitioned from ${from} to ${to.status}.${causes}`;
}

/** Instance health from its lifecycle state and, once running, the health check answered through the proxy. */
export function instanceHealthFromState(inst: Instance, now: number, firstDeployment: boolean): { health: InstanceHealthStatus; causes: string[] } | undefined {
  switch (inst.state) {
    case 'launching':
      return { health: 'Pending', causes: [`Initialization in progress (running for ${duration(now - inst.launchedAt)}).`] };
    case 'deploying':
      return firstDeployment
        ? { health: 'Pending', causes: [`Initialization in progress (running for ${duration(now - inst.launchedAt)}).`] }
        : { health: 'Info', causes: [`Performing application deployment (running for ${duration(now - inst.healthSince)}).`] };
    case 'terminating':
    case 'terminated':
      return { health: 'NoData', causes: ['Instance is being terminated.'] };
    default:
      return undefined;
  }
}

/** Enhanced health's window for request metrics. */
export const REQUEST_WINDOW_MS = 10_000;

/**
 * Shares of 5xx answers at which enhanced health turns Warning, Degraded and Severe. AWS documents the states
 * ("moderate", "high", "very high" numbers of request failures) but not the numbers; these are ours.
 */
const SHARE_THRESHOLDS: [number, EnvironmentHealthStatus][] = [
  [0.25, 'Severe'],
  [0.1, 'Degraded'],
  [0.01, 'Warning'],
];

function statusForShare(share: number): 'Ok' | 'Warning' | 'Degraded' | 'Severe' {
  for (const [at, status] of SHARE_THRESHOLDS) if (share >= at) return status as 'Warning' | 'Degraded' | 'Severe';
  return 'Ok';
}

/** The cause EB gives for request failures, e.g. `75.0 % of the requests are failing with HTTP 5xx.` */
export function failingRequestsCause(share: number): string {
  return `${(Math.round(share * 1000) / 10).toFixed(1)} % of the requests are failing with HTTP 5xx.`;
}

/** An instance's health from the answers its web process gave over the last window (5xx share), when the health check passes. */
export function requestHealth(
  traffic: { time: number; status: number; instanceId?: string }[],
  instanceId: string,
  now: number,
): { status: 'Ok' | 'Warning' | 'Degraded' | 'Severe'; total: number; failed5xx: number; cause: string } {
  let total = 0;
  let failed5xx = 0;
  // Newest last: walk back only over the window.
  for (let i = traffic.length - 1; i >= 0; i--) {
    const t = traffic[i];
    if (t.time <= now - REQUEST_WINDOW_MS) break;
    if (t.instanceId !== instanceId) continue;
    total++;
    if (t.status >= 500) failed5xx++;
  }
  const share = total > 0 ? failed5xx / total : 0;
  return { status: statusForShare(share), total, failed5xx, cause: failingRequestsCause(share) };
}
