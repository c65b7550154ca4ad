// Applications, application versions (with processing and version lifecycle rules) and the storage
// location: the operations `eb init` and `eb deploy` call before any environment exists.

import type { Ctx } from './context.ts';
import type { QueryParams } from '../service.ts';
import type { Application, ApplicationVersion, RegionState, ResourceLifecycleConfig } from './model.ts';
import { QUOTAS, defaultLifecycle } from './model.ts';
import {
  applicationExists,
  invalidCombination,
  invalidParameter,
  noApplication,
  noVersion,
  operationInProgress,
  sourceBundleDeletion,
  tooManyApplications,
  tooManyVersions,
  versionExists,
} from './errors.ts';
import { bool, checkLength, int, required, str, stringList, struct, tags, type Struct } from './params.ts';
import { applicationArn, storageBucket, versionArn } from './ids.ts';
import { addEvent } from './events.ts';
import { setTags } from './tags.ts';

const DAY_MS = 24 * 3600_000;
/** How long processing a bundle takes (Process=true), in virtual time. */
export const VERSION_PROCESSING_MS = 8_000;

export function findApplication(state: RegionState, name: string): Application {
  const app = state.applications[name];
  if (!app) throw noApplication(name);
  return app;
}

export function findVersion(state: RegionState, appName: string, label: string): ApplicationVersion {
  const app = findApplication(state, appName);
  const version = app.versions[label];
  if (!version) throw noVersion(label);
  return version;
}

function applicationName(params: QueryParams): string {
  const name = required(params, 'ApplicationName');
  checkLength('ApplicationName', name, 1, 100);
  return name;
}

function description(params: QueryParams): string | undefined {
  const d = str(params, 'Description');
  checkLength('Description', d, 0, 200);
  return d;
}

export function applicationToWire(ctx: Ctx, app: Application): Record<string, unknown> {
  const versions = Object.values(app.versions).sort((a, b) => b.dateCreated - a.dateCreated);
  const out: Record<string, unknown> = {
    ApplicationArn: applicationArn(ctx.state.region, ctx.state.accountId, app.name),
    ApplicationName: app.name,
    DateCreated: new Date(app.dateCreated),
    DateUpdated: new Date(app.dateUpdated),
    Versions: versions.map((v) => v.label),
    ConfigurationTemplates: Object.values(app.templates)
      .filter((t) => !t.environmentName)
      .map((t) => t.name),
    ResourceLifecycleConfig: lifecycleToWire(app.lifecycle),
  };
  if (app.description !== undefined) out.Description = app.description;
  return out;
}

function lifecycleToWire(l: ResourceLifecycleConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    VersionLifecycleConfig: {
      MaxCountRule: { ...l.MaxCountRule },
      MaxAgeRule: { ...l.MaxAgeRule },
    },
  };
  if (l.ServiceRole) out.ServiceRole = l.ServiceRole;
  return out;
}

/** Merges `ResourceLifecycleConfig.*` parameters over an existing policy. */
function parseLifecycle(input: Struct | undefined, base: ResourceLifecycleConfig): ResourceLifecycleConfig {
  const out: ResourceLifecycleConfig = {
    ServiceRole: base.ServiceRole,
    MaxCountRule: { ...base.MaxCountRule },
    MaxAgeRule: { ...base.MaxAgeRule },
  };
  if (!input) return out;
  const role = str(input, 'ServiceRole');
  if (role !== undefined) out.ServiceRole = role || undefined;
  const vlc = struct(input, 'VersionLifecycleConfig');
  if (!vlc) return out;
  const count = struct(vlc, 'MaxCountRule');
  if (count) {
    const enabled = bool(count, 'Enabled');
    if (enabled === undefined) throw invalidParameter('MaxCountRule.Enabled is required.');
    out.MaxCountRule.Enabled = enabled;
    out.MaxCountRule.MaxCount = int(count, 'MaxCount', 1, 1000) ?? out.MaxCountRule.MaxCount;
    out.MaxCountRule.DeleteSourceFromS3 = bool(count, 'DeleteSourceFromS3') ?? false;
  }
  const age = struct(vlc, 'MaxAgeRule');
  if (age) {
    const enabled = bool(age, 'Enabled');
    if (enabled === undefined) throw invalidParameter('MaxAgeRule.Enabled is required.');
    out.MaxAgeRule.Enabled = enabled;
    out.MaxAgeRule.MaxAgeInDays = int(age, 'MaxAgeInDays', 1, 180) ?? out.MaxAgeRule.MaxAgeInDays;
    out.MaxAgeRule.DeleteSourceFromS3 = bool(age, 'DeleteSourceFromS3') ?? false;
  }
  if ((out.MaxCountRule.Enabled || out.MaxAgeRule.Enabled) && !out.ServiceRole) {
    // Real EB needs a service role to run the policy; EB's console and CLI fill in the default one.
    out.ServiceRole = 'aws-elasticbeanstalk-service-role';
  }
  return out;
}

export function createApplication(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const name = applicationName(params);
  const desc = description(params);
  const tagList = tags(params);
  if (ctx.state.applications[name]) throw applicationExists(name);
  if (Object.keys(ctx.state.applications).length >= QUOTAS.applications) throw tooManyApplications(QUOTAS.applications);
  const lifecycle = parseLifecycle(struct(params, 'ResourceLifecycleConfig'), defaultLifecycle());
  const now = ctx.req.now;
  const app: Application = { name, description: desc, dateCreated: now, dateUpdated: now, lifecycle, versions: {}, templates: {} };
  ctx.state.applications[name] = app;
  if (tagList.length) setTags(ctx, applicationArn(ctx.state.region, ctx.state.accountId, name), tagList, []);
  return { Application: applicationToWire(ctx, app) };
}

export function describeApplications(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const names = stringList(params, 'ApplicationNames');
  const apps = Object.values(ctx.state.applications)
    .filter((a) => names.length === 0 || names.includes(a.name))
    .sort((a, b) => b.dateCreated - a.dateCreated);
  return { Applications: apps.map((a) => applicationToWire(ctx, a)) };
}

export function updateApplication(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const app = findApplication(ctx.state, applicationName(params));
  const desc = description(params);
  if (desc !== undefined) app.description = desc === '' ? undefined : desc;
  app.dateUpdated = ctx.req.now;
  return { Application: applicationToWire(ctx, app) };
}

export function updateApplicationResourceLifecycle(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const app = findApplication(ctx.state, applicationName(params));
  const input = struct(params, 'ResourceLifecycleConfig');
  if (!input) throw invalidParameter('The request must contain the parameter ResourceLifecycleConfig');
  app.lifecycle = parseLifecycle(input, app.lifecycle);
  app.dateUpdated = ctx.req.now;
  return { ApplicationName: app.name, ResourceLifecycleConfig: lifecycleToWire(app.lifecycle) };
}

export function deleteApplication(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const name = applicationName(params);
  const app = findApplication(ctx.state, name);
  const force = bool(params, 'TerminateEnvByForce') ?? false;
  const live = Object.values(ctx.state.environments).filter((e) => e.applicationName === name && e.status !== 'Terminated');
  const busy = live.filter((e) => e.status !== 'Ready' && e.status !== 'Terminating');
  if (live.length > 0 && !force) {
    throw operationInProgress(
      `Unable to delete application ${name} because it has running environments: ${live.map((e) => e.name).join(', ')}. ` +
        `Terminate them first, or set TerminateEnvByForce to true.`,
    );
  }
  if (busy.length > 0 && force) {
    // EB terminates Ready environments when forced, but cannot interrupt one that is launching or updating.
    throw operationInProgress(`Unable to delete application ${name} because environment ${busy[0].name} is ${busy[0].status.toLowerCase()}. Wait for it to finish.`);
  }
  for (const env of live) if (env.status === 'Ready') ctx.engine.lifecycle.terminate(ctx, env, false);
  for (const t of Object.values(app.templates)) delete ctx.state.tags[`arn:aws:elasticbeanstalk:${ctx.state.region}:${ctx.state.accountId}:configurationtemplate/${name}/${t.name}`];
  for (const v of Object.values(app.versions)) delete ctx.state.tags[versionArn(ctx.state.region, ctx.state.accountId, name, v.label)];
  delete ctx.state.tags[applicationArn(ctx.state.region, ctx.state.accountId, name)];
  delete ctx.state.applications[name];
  addEvent(ctx.state, { date: ctx.req.now, severity: 'INFO', message: 'The application has been deleted successfully.', applicationName: name, requestId: ctx.req.requestId });
  return {};
}

export function versionToWire(ctx: Ctx, v: ApplicationVersion): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ApplicationVersionArn: versionArn(ctx.state.region, ctx.state.accountId, v.applicationName, v.label),
    ApplicationName: v.applicationName,
    VersionLabel: v.label,
    DateCreated: new Date(v.dateCreated),
    DateUpdated: new Date(v.dateUpdated),
    Status: v.status,
  };
  if (v.description !== undefined) out.Description = v.description;
  if (v.bucket !== undefined && v.key !== undefined) out.SourceBundle = { S3Bucket: v.bucket, S3Key: v.key };
  return out;
}

function totalVersions(state: RegionState): number {
  let n = 0;
  for (const app of Object.values(state.applications)) n += Object.keys(app.versions).length;
  return n;
}

export function createApplicationVersion(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const appName = applicationName(params);
  const label = required(params, 'VersionLabel');
  checkLength('VersionLabel', label, 1, 100);
  const desc = description(params);
  const tagList = tags(params);
  const process = bool(params, 'Process') ?? false;
  const autoCreate = bool(params, 'AutoCreateApplication') ?? false;
  const bundle = struct(params, 'SourceBundle');
  const buildInfo = struct(params, 'SourceBuildInformation');
  if (bundle && buildInfo) {
    throw invalidCombination('You cannot specify both SourceBundle and SourceBuildInformation.');
  }
  if (buildInfo) {
    throw invalidParameter('SourceBuildInformation (CodeCommit or CodeBuild sources) is not available in the sandbox cloud. Upload a bundle to S3 and pass SourceBundle instead.');
  }
  let bucket: string | undefined;
  let key: string | undefined;
  if (bundle) {
    bucket = str(bundle, 'S3Bucket');
    key = str(bundle, 'S3Key');
    if (!bucket) throw invalidParameter('SourceBundle.S3Bucket is required when SourceBundle is given.');
    if (!key) throw invalidParameter('SourceBundle.S3Key is required when SourceBundle is given.');
    checkLength('S3Bucket', bucket, 1, 255);
    checkLength('S3Key', key, 1, 1024);
  }
  let app = ctx.state.applications[appName];
  if (!app) {
    if (!autoCreate) throw noApplication(appName);
    createApplication(ctx, { ApplicationName: appName });
    app = ctx.state.applications[appName];
  }
  if (app.versions[label]) throw versionExists(label);
  if (totalVersions(ctx.state) >= QUOTAS.applicationVersions) throw tooManyVersions(QUOTAS.applicationVersions);
  let bytes: Uint8Array | undefined;
  if (bucket && key) {
    bytes = ctx.engine.objects.getObject(ctx.state.accountId, bucket, key);
    if (!bytes) {
      throw invalidCombination(`Unable to download from S3 location (Bucket: ${bucket} Key: ${key}). Reason: Not Found`);
    }
  }
  const now = ctx.req.now;
  const version: ApplicationVersion = {
    applicationName: appName,
    label,
    description: desc,
    bucket,
    key,
    status: process ? 'PROCESSING' : 'UNPROCESSED',
    dateCreated: now,
    dateUpdated: now,
    sample: !bundle || undefined,
  };
  app.versions[label] = version;
  app.dateUpdated = now;
  if (tagList.length) setTags(ctx, versionArn(ctx.state.region, ctx.state.accountId, appName, label), tagList, []);
  if (process) ctx.engine.lifecycle.scheduleVersionProcessing(ctx.state, version, ctx.req.requestId, VERSION_PROCESSING_MS);
  applyVersionLifecycle(ctx, app, label);
  return { ApplicationVersion: versionToWire(ctx, version) };
}

/** Runs the application's version lifecycle policy, as EB does after each version it creates. */
export function applyVersionLifecycle(ctx: Ctx, app: Application, justCreated: string): void {
  const { MaxCountRule, MaxAgeRule } = app.lifecycle;
  if (!MaxCountRule.Enabled && !MaxAgeRule.Enabled) return;
  const now = ctx.req.now;
  const protectedLabels = new Set<string>([justCreated]);
  const tenWeeks = 70 * DAY_MS;
  for (const env of Object.values(ctx.state.environments)) {
    if (env.applicationName !== app.name || !env.versionLabel) continue;
    if (env.status !== 'Terminated' || (env.dateTerminated ?? now) > now - tenWeeks) protectedLabels.add(env.versionLabel);
    for (const i of env.instances) if (i.versionLabel) protectedLabels.add(i.versionLabel);
  }
  const oldestFirst = Object.values(app.versions).sort((a, b) => a.dateCreated - b.dateCreated);
  const doomed = new Map<string, boolean>();
  if (MaxAgeRule.Enabled) {
    for (const v of oldestFirst) {
      if (v.dateCreated < now - MaxAgeRule.MaxAgeInDays * DAY_MS && !protectedLabels.has(v.label)) doomed.set(v.label, MaxAgeRule.DeleteSourceFromS3);
    }
  }
  if (MaxCountRule.Enabled) {
    let excess = oldestFirst.length - MaxCountRule.MaxCount;
    for (const v of oldestFirst) {
      if (excess <= 0) break;
      if (protectedLabels.has(v.label)) continue;
      doomed.set(v.label, (doomed.get(v.label) ?? false) || MaxCountRule.DeleteSourceFromS3);
      excess--;
    }
  }
  let deleted = 0;
  for (const [label, deleteSource] of doomed) {
    if (deleted >= 100) break;
    const v = app.versions[label];
    if (deleteSource && v.bucket && v.key) ctx.engine.objects.deleteObject?.(ctx.state.accountId, v.bucket, v.key);
    delete app.versions[label];
    delete ctx.state.tags[versionArn(ctx.state.region, ctx.state.accountId, app.name, label)];
    deleted++;
  }
  if (deleted > 0) {
    addEvent(ctx.state, {
      date: now,
      severity: 'INFO',
      message: `Application version lifecycle policy deleted ${deleted} application version${deleted === 1 ? '' : 's'}.`,
      applicationName: app.name,
      requestId: ctx.req.requestId,
    });
  }
}

export function describeApplicationVersions(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const appName = str(params, 'ApplicationName');
  checkLength('ApplicationName', appName || undefined, 1, 100);
  const labels = stringList(params, 'VersionLabels');
  const max = int(params, 'MaxRecords', 1, 1000);
  const token = str(params, 'NextToken');
  const apps = appName ? (ctx.state.applications[appName] ? [ctx.state.applications[appName]] : []) : Object.values(ctx.state.applications);
  const all = apps
    .flatMap((a) => Object.values(a.versions))
    .filter((v) => labels.length === 0 || labels.includes(v.label))
    .sort((a, b) => b.dateCreated - a.dateCreated || (a.label < b.label ? 1 : -1));
  let start = 0;
  if (token) {
    const m = /^versions-(\d+)$/.exec(token);
    if (!m) throw invalidParameter(`Invalid NextToken: '${token}'.`);
    start = Number(m[1]);
  }
  const page = max === undefined ? all.slice(start) : all.slice(start, start + max);
  const out: Record<string, unknown> = { ApplicationVersions: page.map((v) => versionToWire(ctx, v)) };
  if (max !== undefined && start + max < all.length) out.NextToken = `versions-${start + max}`;
  return out;
}

export function updateApplicationVersion(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const appName = applicationName(params);
  const label = required(params, 'VersionLabel');
  const version = findVersion(ctx.state, appName, label);
  const desc = description(params);
  if (desc !== undefined) version.description = desc === '' ? undefined : desc;
  version.dateUpdated = ctx.req.now;
  return { ApplicationVersion: versionToWire(ctx, version) };
}

export function deleteApplicationVersion(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const appName = applicationName(params);
  const label = required(params, 'VersionLabel');
  const version = findVersion(ctx.state, appName, label);
  const deleteSource = bool(params, 'DeleteSourceBundle') ?? false;
  const users = Object.values(ctx.state.environments).filter(
    (e) => e.applicationName === appName && e.status !== 'Terminated' && (e.versionLabel === label || e.instances.some((i) => i.versionLabel === label)),
  );
  if (users.length > 0) {
    throw invalidParameter(
      `Unable to delete application version ${label} because it is being used by environment(s): ${users.map((e) => e.name).join(', ')}.`,
    );
  }
  if (version.status === 'PROCESSING') {
    throw operationInProgress(`Unable to delete application version ${label} because it is being processed. Try again when processing is complete.`);
  }
  if (deleteSource && version.bucket && version.key) {
    const del = ctx.engine.objects.deleteObject;
    if (!del) throw sourceBundleDeletion(`Unable to delete source bundle s3://${version.bucket}/${version.key}: the object store does not support deletion.`);
    del.call(ctx.engine.objects, ctx.state.accountId, version.bucket, version.key);
  }
  delete findApplication(ctx.state, appName).versions[label];
  delete ctx.state.tags[versionArn(ctx.state.region, ctx.state.accountId, appName, label)];
  return {};
}

export function createStorageLocation(ctx: Ctx): Record<string, unknown> {
  const bucket = storageBucket(ctx.state.region, ctx.state.accountId);
  // Real EB marks its bucket with an empty `.elasticbeanstalk` object; creating it also creates the bucket.
  if (!ctx.engine.objects.getObject(ctx.state.accountId, bucket, '.elasticbeanstalk')) {
    ctx.engine.objects.putObject(ctx.state.accountId, ctx.state.region, bucket, '.elasticbeanstalk', new Uint8Array(0));
  }
  return { S3Bucket: bucket };
}
