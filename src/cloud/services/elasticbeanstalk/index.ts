// The Elastic Beanstalk provider of the sandbox cloud: all 47 operations over per-account, per-region state,
// background work on the virtual clock, JSON snapshots that resume mid-operation, and sandbox evidence.

import type { Clock } from '../../clock.ts';
import { AwsError } from '../../protocol/errors.ts';
import type { EnvironmentEvidence, ObjectStore, QueryParams, QueryService, RequestContext } from '../service.ts';
import type { Ctx, Engine, Handler } from './context.ts';
import { emptyRegion, type RegionState } from './model.ts';
import { IdGenerator } from './ids.ts';
import { Lifecycle } from './lifecycle.ts';
import { InstanceRuntime } from './runtime.ts';
import * as apps from './applications.ts';
import * as envs from './environments.ts';
import * as config from './configuration.ts';
import * as health from './environment-health.ts';
import * as info from './environment-info.ts';
import * as managed from './managed-actions.ts';
import * as platforms from './platform-ops.ts';
import * as tagOps from './tags.ts';
import { composeEnvironments } from './compose.ts';
import { describeEvents, eventToWire } from './events.ts';
import { date, int, oneOf, str } from './params.ts';
import { SEVERITIES } from './events.ts';
import type { FaultInjection } from './evidence.ts';
import type { CertificateDirectory } from './listeners.ts';

export const SNAPSHOT_FORMAT = 'beanstalk-academy-elasticbeanstalk';
export const SNAPSHOT_VERSION = 1;

const OPERATIONS: Record<string, Handler> = {
  AbortEnvironmentUpdate: envs.abortEnvironmentUpdate,
  ApplyEnvironmentManagedAction: managed.applyEnvironmentManagedAction,
  AssociateEnvironmentOperationsRole: envs.associateEnvironmentOperationsRole,
  CheckDNSAvailability: envs.checkDNSAvailability,
  ComposeEnvironments: composeEnvironments,
  CreateApplication: apps.createApplication,
  CreateApplicationVersion: apps.createApplicationVersion,
  CreateConfigurationTemplate: config.createConfigurationTemplate,
  CreateEnvironment: envs.createEnvironment,
  CreatePlatformVersion: platforms.createPlatformVersion,
  CreateStorageLocation: (ctx) => apps.createStorageLocation(ctx),
  DeleteApplication: apps.deleteApplication,
  DeleteApplicationVersion: apps.deleteApplicationVersion,
  DeleteConfigurationTemplate: config.deleteConfigurationTemplate,
  DeleteEnvironmentConfiguration: config.deleteEnvironmentConfiguration,
  DeletePlatformVersion: platforms.deletePlatformVersion,
  DescribeAccountAttributes: () => platforms.describeAccountAttributes(),
  DescribeApplicationVersions: apps.describeApplicationVersions,
  DescribeApplications: apps.describeApplications,
  DescribeConfigurationOptions: config.describeConfigurationOptions,
  DescribeConfigurationSettings: config.describeConfigurationSettings,
  DescribeEnvironmentHealth: health.describeEnvironmentHealth,
  DescribeEnvironmentManagedActionHistory: managed.describeEnvironmentManagedActionHistory,
  DescribeEnvironmentManagedActions: managed.describeEnvironmentManagedActions,
  DescribeEnvironmentResources: envs.describeEnvironmentResources,
  DescribeEnvironments: envs.describeEnvironments,
  DescribeEvents: describeEventsOperation,
  DescribeInstancesHealth: health.describeInstancesHealth,
  DescribePlatformVersion: platforms.describePlatformVersion,
  DisassociateEnvironmentOperationsRole: envs.disassociateEnvironmentOperationsRole,
  ListAvailableSolutionStacks: (ctx) => platforms.listAvailableSolutionStacks(ctx),
  ListPlatformBranches: platforms.listPlatformBranches,
  ListPlatformVersions: platforms.listPlatformVersions,
  ListTagsForResource: tagOps.listTagsForResource,
  RebuildEnvironment: envs.rebuildEnvironment,
  RequestEnvironmentInfo: info.requestEnvironmentInfo,
  RestartAppServer: envs.restartAppServer,
  RetrieveEnvironmentInfo: info.retrieveEnvironmentInfo,
  SwapEnvironmentCNAMEs: envs.swapEnvironmentCNAMEs,
  TerminateEnvironment: envs.terminateEnvironment,
  UpdateApplication: apps.updateApplication,
  UpdateApplicationResourceLifecycle: apps.updateApplicationResourceLifecycle,
  UpdateApplicationVersion: apps.updateApplicationVersion,
  UpdateConfigurationTemplate: config.updateConfigurationTemplate,
  UpdateEnvironment: envs.updateEnvironment,
  UpdateTagsForResource: tagOps.updateTagsForResource,
  ValidateConfigurationSettings: config.validateConfigurationSettings,
};

/** The names of every operation the provider answers (all 47 of the EB API). */
export const OPERATION_NAMES: readonly string[] = Object.keys(OPERATIONS);

function describeEventsOperation(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const { events, nextToken } = describeEvents(
    ctx.state,
    {
      applicationName: str(params, 'ApplicationName') || undefined,
      versionLabel: str(params, 'VersionLabel') || undefined,
      templateName: str(params, 'TemplateName') || undefined,
      environmentId: str(params, 'EnvironmentId') || undefined,
      environmentName: str(params, 'EnvironmentName') || undefined,
      platformArn: str(params, 'PlatformArn') || undefined,
      requestId: str(params, 'RequestId') || undefined,
      severity: oneOf('Severity', str(params, 'Severity'), SEVERITIES),
      startTime: date(params, 'StartTime'),
      endTime: date(params, 'EndTime'),
      maxRecords: int(params, 'MaxRecords', 1, 1000),
      nextToken: str(params, 'NextToken') || undefined,
    },
    (id) => ctx.state.environments[id]?.name,
  );
  const out: Record<string, unknown> = { Events: events.map(eventToWire) };
  if (nextToken) out.NextToken = nextToken;
  return out;
}

export interface ElasticBeanstalkServiceOptions {
  clock: Clock;
  objects: ObjectStore;
  /** ACM, for HTTPS listener certificates. */
  certificates?: CertificateDirectory;
}

export class ElasticBeanstalkService implements QueryService {
  readonly signingName = 'elasticbeanstalk';
  readonly xmlNamespace = 'http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/';
  readonly clock: Clock;
  readonly objects: ObjectStore;
  readonly ids = new IdGenerator();
  readonly runtime: InstanceRuntime;
  readonly lifecycle: Lifecycle;
  readonly certificates?: CertificateDirectory;
  private regions = new Map<string, RegionState>();

  constructor(options: ElasticBeanstalkServiceOptions) {
    this.clock = options.clock;
    this.objects = options.objects;
    this.certificates = options.certificates;
    this.runtime = new InstanceRuntime(options.objects);
    const engine: Engine = {
      clock: this.clock,
      objects: this.objects,
      ids: this.ids,
      runtime: this.runtime,
      certificates: this.certificates,
      get lifecycle() {
        return lifecycle;
      },
      allRegions: () => [...this.regions.values()],
      region: (accountId, region) => this.region(accountId, region),
    };
    const lifecycle = new Lifecycle(engine);
    this.lifecycle = lifecycle;
  }

  /** Sandbox evidence served by `/_sandbox/*`: environment URLs, timeline, traffic, probe. */
  get evidence(): EnvironmentEvidence {
    return this.lifecycle.evidence;
  }

  /**
   * Who uses an ACM certificate: the load balancers of live environments whose HTTPS listeners name it (ACM's
   * DescribeCertificate InUseBy, and DeleteCertificate refuses while it is not empty).
   */
  readonly certificateUsers = {
    usersOf: (accountId: string, region: string, certificateArn: string): string[] => {
      const users = new Set<string>();
      for (const state of this.regions.values()) {
        if (state.accountId !== accountId || state.region !== region) continue;
        for (const env of Object.values(state.environments)) {
          if (env.status === 'Terminated' || !env.resources.loadBalancer) continue;
          if (!env.listeners?.some((l) => l.certificateArns.includes(certificateArn))) continue;
          // A Classic Load Balancer is known by name; ACM lists it by ARN like the others.
          const lb = env.resources.loadBalancer;
          users.add(lb.startsWith('arn:') ? lb : `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/${lb}`);
        }
      }
      return [...users];
    },
  };

  /** Sandbox fault injection (incident labs): make an instance fail so the Auto Scaling group replaces it. */
  get faults(): FaultInjection {
    return this.lifecycle.evidence;
  }

  region(accountId: string, region: string): RegionState {
    const key = `${accountId}|${region}`;
    let state = this.regions.get(key);
    if (!state) {
      state = emptyRegion(accountId, region);
      this.regions.set(key, state);
    }
    return state;
  }

  async handle(action: string, params: QueryParams, ctx: RequestContext): Promise<Record<string, unknown>> {
    const operation = Object.prototype.hasOwnProperty.call(OPERATIONS, action) ? OPERATIONS[action] : undefined;
    if (!operation) throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`, 400);
    const state = this.region(ctx.accountId, ctx.region);
    // The clock is the source of truth for time; a request context built elsewhere may lag it.
    const req: RequestContext = { ...ctx, now: this.clock.now() };
    return operation({ state, req, engine: this.engineView() }, params);
  }

  private engineView(): Engine {
    return {
      clock: this.clock,
      objects: this.objects,
      ids: this.ids,
      runtime: this.runtime,
      certificates: this.certificates,
      lifecycle: this.lifecycle,
      allRegions: () => [...this.regions.values()],
      region: (accountId, region) => this.region(accountId, region),
    };
  }

  /** The whole EB state as versioned JSON (pending lifecycle work included). */
  snapshot(): unknown {
    return JSON.parse(
      JSON.stringify({
        format: SNAPSHOT_FORMAT,
        version: SNAPSHOT_VERSION,
        seed: this.ids.seed,
        regions: [...this.regions.values()],
      }),
    );
  }

  /** Replaces the state with a snapshot and resumes its pending work on the clock. Rejects bad data untouched. */
  restore(data: unknown): void {
    const regions = validateSnapshot(data);
    this.lifecycle.cancelAll();
    this.runtime.clear();
    this.lifecycle.evidence.clear();
    this.regions = new Map(regions.map((r) => [`${r.accountId}|${r.region}`, r]));
    this.ids.seed = (data as { seed: number }).seed;
    this.lifecycle.resumeAll();
  }

  reset(): void {
    this.lifecycle.cancelAll();
    this.runtime.clear();
    this.lifecycle.evidence.clear();
    this.regions.clear();
    this.ids.seed = new IdGenerator().seed;
  }

  /** Stops every timer (the host is shutting down). */
  dispose(): void {
    this.lifecycle.cancelAll();
  }
}

function validateSnapshot(data: unknown): RegionState[] {
  const fail = (why: string): never => {
    throw new Error(`Elastic Beanstalk snapshot is not valid: ${why}`);
  };
  if (typeof data !== 'object' || data === null) fail('expected an object');
  const d = data as Record<string, unknown>;
  if (d.format !== SNAPSHOT_FORMAT) fail(`format must be '${SNAPSHOT_FORMAT}', got ${JSON.stringify(d.format)}`);
  if (d.version !== SNAPSHOT_VERSION) fail(`version ${JSON.stringify(d.version)} is not supported (expected ${SNAPSHOT_VERSION})`);
  if (typeof d.seed !== 'number') fail('seed must be a number');
  if (!Array.isArray(d.regions)) fail('regions must be an array');
  const regions = JSON.parse(JSON.stringify(d.regions)) as RegionState[];
  regions.forEach((r, i) => {
    if (typeof r !== 'object' || r === null) fail(`regions[${i}] must be an object`);
    if (typeof r.accountId !== 'string' || typeof r.region !== 'string') fail(`regions[${i}] needs accountId and region strings`);
    for (const field of ['applications', 'environments', 'tags', 'platforms', 'managedActionHistory', 'evidence'] as const) {
      if (typeof r[field] !== 'object' || r[field] === null || Array.isArray(r[field])) fail(`regions[${i}].${field} must be an object`);
    }
    if (!Array.isArray(r.events) || !Array.isArray(r.jobs)) fail(`regions[${i}].events and .jobs must be arrays`);
    for (const [id, env] of Object.entries(r.environments)) {
      if (!env || typeof env !== 'object' || !Array.isArray(env.queue) || !Array.isArray(env.instances)) {
        fail(`regions[${i}].environments.${id} needs queue and instances arrays`);
      }
      if (env.listeners !== undefined) {
        const ok =
          Array.isArray(env.listeners) &&
          env.listeners.every(
            (l) => l && typeof l === 'object' && typeof l.port === 'number' && (l.protocol === 'HTTP' || l.protocol === 'HTTPS') && Array.isArray(l.certificateArns) && l.action && typeof l.action === 'object',
          );
        if (!ok) fail(`regions[${i}].environments.${id}.listeners must be a list of listeners (port, protocol HTTP or HTTPS, certificateArns, action)`);
      }
    }
    if (typeof r.seq !== 'number') r.seq = 0;
  });
  return regions;
}
