// The Elastic Beanstalk state of one account in one region: applications, versions, templates,
// environments with their simulated instances, events and tags. Plain JSON so snapshots are trivial.

import type { LoadBalancerListener } from './listeners.ts';
import type { EventSeverity } from '@aws-sdk/client-elastic-beanstalk';
import type { AppProcess } from '../../instance/index.ts';

export interface OptionSetting {
  ResourceName?: string;
  Namespace: string;
  OptionName: string;
  Value?: string;
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface LifecycleRule {
  Enabled: boolean;
  DeleteSourceFromS3: boolean;
}

export interface ResourceLifecycleConfig {
  ServiceRole?: string;
  MaxCountRule: LifecycleRule & { MaxCount: number };
  MaxAgeRule: LifecycleRule & { MaxAgeInDays: number };
}

export interface Application {
  name: string;
  description?: string;
  dateCreated: number;
  dateUpdated: number;
  lifecycle: ResourceLifecycleConfig;
  versions: Record<string, ApplicationVersion>;
  templates: Record<string, ConfigurationTemplate>;
}

export type VersionStatus = 'UNPROCESSED' | 'PROCESSING' | 'PROCESSED' | 'FAILED' | 'BUILDING';

export interface ApplicationVersion {
  applicationName: string;
  label: string;
  description?: string;
  bucket?: string;
  key?: string;
  status: VersionStatus;
  dateCreated: number;
  dateUpdated: number;
  /** Why processing failed (the event text), when status is FAILED. */
  failure?: string;
  /** Set for the sample application EB provides when no version is given. */
  sample?: boolean;
}

export interface ConfigurationTemplate {
  applicationName: string;
  name: string;
  description?: string;
  solutionStackName?: string;
  platformArn?: string;
  settings: OptionSetting[];
  dateCreated: number;
  dateUpdated: number;
  /** A draft configuration attached to an environment (DeleteEnvironmentConfiguration removes it). */
  environmentName?: string;
}

export type InstanceState = 'launching' | 'deploying' | 'running' | 'failed' | 'terminating' | 'terminated';
export type InstanceHealthStatus = 'NoData' | 'Unknown' | 'Pending' | 'Ok' | 'Info' | 'Warning' | 'Degraded' | 'Severe';

export interface Instance {
  id: string;
  availabilityZone: string;
  instanceType: string;
  launchedAt: number;
  state: InstanceState;
  /** Version the instance runs (or is deploying). */
  versionLabel?: string;
  deploymentId: number;
  /** Environment properties the running process was started with. */
  env: Record<string, string>;
  /** Registered with the load balancer and receiving traffic. */
  inService: boolean;
  health: InstanceHealthStatus;
  causes: string[];
  /** `main` is the environment's Auto Scaling group; `temporary` an immutable/traffic-splitting group. */
  group: 'main' | 'temporary';
  /** Deployment batch the instance belongs to during a rolling deploy (1-based). */
  batch?: number;
  /** The web process is being restarted onto a new version (nginx answers 502 meanwhile). */
  restarting?: boolean;
  /** Result of the last health check: HTTP status answered through the proxy. */
  lastCheckStatus?: number;
  /** Requests the web process answered over enhanced health's last 10 seconds (set while the health check passes). */
  recentRequests?: { total: number; failed5xx: number };
  /** The 5xx share of those requests, not the health check, made the instance Warning, Degraded or Severe. */
  failingRequests?: boolean;
  /** The web process the instance runs (plain data from the instance simulation). */
  process?: AppProcess;
  /** Why the last deployment on this instance failed, when it did. */
  deployFailure?: string;
  /** Log files of this instance: path → lines (bounded). */
  logs: Record<string, string[]>;
  /** Requests answered, for application metrics. */
  requests: RequestStats;
  healthSince: number;
}

export interface RequestStats {
  count: number;
  s2xx: number;
  s3xx: number;
  s4xx: number;
  s5xx: number;
  latencies: number[];
}

export type EnvironmentStatus =
  | 'Aborting'
  | 'Launching'
  | 'LinkingFrom'
  | 'LinkingTo'
  | 'Ready'
  | 'Terminated'
  | 'Terminating'
  | 'Updating';

export interface Environment {
  id: string;
  name: string;
  applicationName: string;
  versionLabel?: string;
  solutionStackName: string;
  platformArn: string;
  templateName?: string;
  description?: string;
  cname?: string;
  cnamePrefix?: string;
  endpointUrl?: string;
  tier: { Name: string; Type: string; Version: string };
  dateCreated: number;
  dateUpdated: number;
  dateTerminated?: number;
  status: EnvironmentStatus;
  health: 'Green' | 'Yellow' | 'Red' | 'Grey';
  healthStatus: string;
  /** When the environment health last changed (enhanced health transition events). */
  healthChangedAt: number;
  abortable: boolean;
  /** Settings applied directly through the API (highest precedence). */
  apiSettings: OptionSetting[];
  /** Settings copied from the saved configuration used at creation. */
  templateSettings: OptionSetting[];
  /** option_settings from the deployed bundle's .ebextensions. */
  bundleSettings: OptionSetting[];
  instances: Instance[];
  /** Next deployment id (1 for the first deployment). */
  nextDeploymentId: number;
  resources: EnvironmentResourceNames;
  /** The listeners the Application Load Balancer has now (absent: the default HTTP listener on port 80 only). */
  listeners?: LoadBalancerListener[];
  operationsRole?: string;
  /** The deploy/update in progress, if any (a serialisable state machine, see lifecycle.ts). */
  operation?: Operation;
  /** Timed work for this environment, in time order (operation steps and background activity). */
  queue: QueuedAction[];
  /** Last request id for an environment-changing call (events of background work carry it). */
  lastRequestId: string;
  /** Information requested by RequestEnvironmentInfo: type → per-instance S3 locations. */
  info: EnvironmentInfoRecord[];
  /** Scaling: time of the last scaling activity, for the cooldown. */
  lastScaledAt?: number;
  /** Consecutive trigger periods above the upper / below the lower threshold. */
  scaling?: { high: number; low: number };
  /** Requests per simulated second of the steady probe (0 = off). */
  probeRps: number;
  /** What the probe asks for, in turn (`POST /predict`); absent: `GET /`. */
  probeRequests?: ProbeRequest[];
  /** Version that was running before the operation in progress (for rollback). */
  previousVersionLabel?: string;
  linkedFrom?: string;
  groupName?: string;
}

export interface EnvironmentResourceNames {
  autoScalingGroup: string;
  launchTemplate: string;
  securityGroup: string;
  loadBalancer?: string;
  targetGroup?: string;
  alarmHigh: string;
  alarmLow: string;
  scaleUpPolicy: string;
  scaleDownPolicy: string;
  queue?: string;
}

export interface EnvironmentInfoRecord {
  infoType: 'tail' | 'bundle' | 'analyze';
  instanceId: string;
  sampleTimestamp: number;
  url: string;
}

export interface Operation {
  kind: OperationKind;
  requestId: string;
  startedAt: number;
  /** Deployment policy of a deploy (AllAtOnce, Rolling, ...). */
  policy?: string;
  /** Step-specific state, JSON only. */
  data: Record<string, unknown>;
}

/** One unit of timed work. `op` marks work that belongs to the operation in progress (dropped on abort). */
export interface QueuedAction {
  at: number;
  seq: number;
  requestId: string;
  op: boolean;
  action: Action;
}

export type Action =
  | { t: 'event'; severity: EventSeverity; message: string }
  | { t: 'log'; instanceId: string; file: string; lines: string[] }
  | { t: 'instance'; instanceId: string; patch: Partial<Instance> }
  | { t: 'step'; name: string; args: Record<string, unknown> }
  | { t: 'probe' }
  | { t: 'monitor' };

/** Region-level timed work that belongs to no environment (version processing, custom platform builds). */
export interface RegionJob {
  at: number;
  kind: 'process-version' | 'build-platform';
  requestId: string;
  applicationName?: string;
  versionLabel?: string;
  platformArn?: string;
}

export type OperationKind = 'launch' | 'deploy' | 'configure' | 'terminate' | 'restart' | 'rebuild' | 'swap' | 'scale';

export interface EbEvent {
  date: number;
  message: string;
  severity: EventSeverity;
  applicationName?: string;
  environmentName?: string;
  versionLabel?: string;
  templateName?: string;
  platformArn?: string;
  requestId?: string;
}

/** Everything one account has in one region. */
export interface RegionState {
  accountId: string;
  region: string;
  applications: Record<string, Application>;
  environments: Record<string, Environment>;
  events: EbEvent[];
  tags: Record<string, Tag[]>;
  /** Custom platforms created with CreatePlatformVersion. */
  platforms: Record<string, CustomPlatform>;
  managedActionHistory: Record<string, ManagedActionRecord[]>;
  jobs: RegionJob[];
  /** Sandbox evidence per environment id: deploy timeline and traffic. */
  evidence: Record<string, EnvironmentEvidenceRecord>;
  /** Sequence for queued actions (ties at the same time run in scheduling order). */
  seq: number;
}

export interface CustomPlatform {
  arn: string;
  name: string;
  version: string;
  status: 'Creating' | 'Failed' | 'Ready' | 'Deleting' | 'Deleted';
  dateCreated: number;
  dateUpdated: number;
  bucket?: string;
  key?: string;
}

export interface ManagedActionRecord {
  actionId: string;
  actionType: string;
  actionDescription: string;
  failureType?: string;
  status: string;
  failureDescription?: string;
  executedTime: number;
  finishedTime?: number;
}

/** Traffic seen by an environment URL (probe and learner requests). */
export interface TrafficRecord {
  time: number;
  method: string;
  path: string;
  status: number;
  versionLabel?: string;
  instanceId?: string;
  latencyMs: number;
  source: 'probe' | 'request';
}

/** One point on an instance lane of the deploy timeline. */
export interface TimelinePoint {
  time: number;
  instanceId: string;
  state: InstanceState;
  versionLabel?: string;
  health: InstanceHealthStatus;
  batch?: number;
  inService: boolean;
  deploymentId: number;
  group: 'main' | 'temporary';
}

export function emptyRegion(accountId: string, region: string): RegionState {
  return {
    accountId,
    region,
    applications: {},
    environments: {},
    events: [],
    tags: {},
    platforms: {},
    managedActionHistory: {},
    jobs: [],
    evidence: {},
    seq: 0,
  };
}

export const QUOTAS = {
  applications: 75,
  applicationVersions: 1000,
  environments: 200,
  configurationTemplates: 2000,
  customPlatforms: 50,
  tagsPerResource: 50,
} as const;

export function defaultLifecycle(): ResourceLifecycleConfig {
  return {
    MaxCountRule: { Enabled: false, MaxCount: 200, DeleteSourceFromS3: false },
    MaxAgeRule: { Enabled: false, MaxAgeInDays: 180, DeleteSourceFromS3: false },
  };
}

export interface EnvironmentEvidenceRecord {
  timeline: TimelinePoint[];
  traffic: TrafficRecord[];
  /** Round-robin position of the load balancer. */
  cursor: number;
  /** Position in the probe's request list (apart from the load balancer's, so each instance sees the whole mix). */
  probeCursor?: number;
}

/** One request of the probe's mix. */
export interface ProbeRequest {
  method: string;
  path: string;
}
