// Environment operations: create (names, ids, CNAMEs, endpoints, tiers), describe, update (deploy and
// configuration), terminate, rebuild/restore, restart, abort, swap, DNS checks, resources and operations roles.

import type { Ctx } from './context.ts';
import type { QueryParams } from '../service.ts';
import type { Environment, EnvironmentResourceNames, OptionSetting, RegionState } from './model.ts';
import { QUOTAS } from './model.ts';
import {
  dnsTaken,
  environmentExists,
  invalidCombination,
  invalidParameter,
  missingParameter,
  noEnvironmentById,
  noEnvironmentByName,
  noTemplate,
  noVersion,
  notReady,
  tooManyEnvironments,
  configurationValidation,
} from './errors.ts';
import { bool, checkLength, date, int, optionSettings, required, str, stringList, struct, tags, type OptionSettingInput } from './params.ts';
import { environmentArn, shortEnvId } from './ids.ts';
import { findApplication } from './applications.ts';
import { setTags } from './tags.ts';
import { resolvePlatform, type PlatformVersion } from './platforms.ts';
import { assertValidOptionSettings, resolveEffectiveSettings, type EffectiveSettings } from './options/index.ts';
import { DEPLOYMENT_POLICIES } from './deployment.ts';

/** How long terminated environments stay visible to DescribeEnvironments without IncludedDeletedBackTo. */
export const TERMINATED_VISIBLE_MS = 3600_000;
/** `eb restore` can bring back environments terminated up to six weeks ago. */
export const RESTORABLE_MS = 42 * 24 * 3600_000;

const NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

// ---------------------------------------------------------------------------------------------------------------
// Lookups

export function liveByName(state: RegionState, name: string): Environment | undefined {
  return Object.values(state.environments).find((e) => e.name === name && e.status !== 'Terminated');
}

/** The environment named by EnvironmentId or EnvironmentName (live ones only, unless `allowTerminated`). */
export function findEnvironment(ctx: Ctx, params: QueryParams, allowTerminated = false): Environment {
  const id = str(params, 'EnvironmentId') || undefined;
  const name = str(params, 'EnvironmentName') || undefined;
  if (id) {
    const env = ctx.state.environments[id];
    if (!env || (!allowTerminated && env.status === 'Terminated')) throw noEnvironmentById(id);
    if (name && env.name !== name) throw invalidCombination(`EnvironmentId ${id} does not belong to EnvironmentName ${name}.`);
    return env;
  }
  if (name) {
    const env = liveByName(ctx.state, name);
    if (!env) throw noEnvironmentByName(name);
    return env;
  }
  throw missingParameter('EnvironmentName or EnvironmentId');
}

function requireReady(env: Environment): void {
  if (env.status !== 'Ready') throw notReady(env.name);
}

// ---------------------------------------------------------------------------------------------------------------
// Wire shapes

export function environmentToWire(ctx: Ctx, env: Environment): Record<string, unknown> {
  const out: Record<string, unknown> = {
    EnvironmentName: env.name,
    EnvironmentId: env.id,
    ApplicationName: env.applicationName,
    SolutionStackName: env.solutionStackName,
    PlatformArn: env.platformArn,
    DateCreated: new Date(env.dateCreated),
    DateUpdated: new Date(env.dateUpdated),
    Status: env.status,
    AbortableOperationInProgress: env.abortable,
    Health: env.health,
    Tier: { ...env.tier },
    EnvironmentLinks: [],
    EnvironmentArn: environmentArn(ctx.state.region, ctx.state.accountId, env.applicationName, env.name),
  };
  if (env.versionLabel !== undefined) out.VersionLabel = env.versionLabel;
  if (env.templateName !== undefined) out.TemplateName = env.templateName;
  if (env.description !== undefined) out.Description = env.description;
  if (env.endpointUrl !== undefined) out.EndpointURL = env.endpointUrl;
  if (env.cname !== undefined) out.CNAME = env.cname;
  if (env.operationsRole !== undefined) out.OperationsRole = env.operationsRole;
  if (isEnhanced(ctx, env)) out.HealthStatus = env.healthStatus;
  if (env.resources.loadBalancer && env.status !== 'Terminated' && isLoadBalanced(ctx, env)) {
    out.Resources = {
      LoadBalancer: {
        LoadBalancerName: lbName(env.resources.loadBalancer),
        Domain: env.endpointUrl,
        Listeners: [{ Protocol: 'http', Port: 80 }],
      },
    };
  }
  return out;
}

function lbName(arnOrName: string): string {
  const m = /loadbalancer\/(?:app|net)\/([^/]+)\//.exec(arnOrName);
  return m ? m[1] : arnOrName;
}

function effective(ctx: Ctx, env: Environment): EffectiveSettings {
  return ctx.engine.lifecycle.settingsOf(env, ctx.state.region).settings;
}

function isEnhanced(ctx: Ctx, env: Environment): boolean {
  try {
    return effective(ctx, env).get('aws:elasticbeanstalk:healthreporting:system', 'SystemType') === 'enhanced';
  } catch {
    return false;
  }
}

function isLoadBalanced(ctx: Ctx, env: Environment): boolean {
  try {
    return effective(ctx, env).context.environmentType === 'LoadBalanced' && env.tier.Name !== 'Worker';
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// CreateEnvironment

function parseTier(params: QueryParams): Environment['tier'] {
  const t = struct(params, 'Tier');
  const name = (t && str(t, 'Name')) || 'WebServer';
  if (name !== 'WebServer' && name !== 'Worker') {
    throw invalidParameter(`Invalid tier name '${name}'. Valid values: WebServer, Worker.`);
  }
  const type = (t && str(t, 'Type')) || (name === 'Worker' ? 'SQS/HTTP' : 'Standard');
  const expected = name === 'Worker' ? 'SQS/HTTP' : 'Standard';
  if (type !== expected) throw invalidParameter(`Invalid tier type '${type}' for tier ${name}. Use ${expected}.`);
  const version = (t && str(t, 'Version')) || '1.0';
  return { Name: name, Type: type, Version: version };
}

function checkEnvironmentName(name: string): void {
  checkLength('EnvironmentName', name, 4, 40);
  if (!NAME_PATTERN.test(name)) {
    throw invalidParameter(
      `Environment name '${name}' is not valid. It can contain only letters, numbers and hyphens, and cannot start or end with a hyphen.`,
    );
  }
}

function checkCnamePrefix(prefix: string): void {
  checkLength('CNAMEPrefix', prefix, 4, 63);
  if (!NAME_PATTERN.test(prefix)) {
    throw invalidParameter(`CNAMEPrefix '${prefix}' is not valid. It can contain only letters, numbers and hyphens, and cannot start or end with a hyphen.`);
  }
}

function cnameInUse(ctx: Ctx, fqdn: string, except?: Environment): boolean {
  const wanted = fqdn.toLowerCase();
  for (const state of ctx.engine.allRegions()) {
    if (state.region !== ctx.state.region) continue;
    for (const env of Object.values(state.environments)) {
      if (env === except || env.status === 'Terminated') continue;
      if (env.cname?.toLowerCase() === wanted) return true;
    }
  }
  return false;
}

function resourceNames(ctx: Ctx, id: string, lbType: string, worker: boolean): EnvironmentResourceNames {
  const ids = ctx.engine.ids;
  const { region, accountId } = ctx.state;
  const stack = `awseb-${id}-stack`;
  const asg = `${stack}-AWSEBAutoScalingGroup-${ids.upperAlnum(12)}`;
  const names: EnvironmentResourceNames = {
    autoScalingGroup: asg,
    launchTemplate: `${stack}-AWSEBEC2LaunchTemplate-${ids.upperAlnum(12)}`,
    securityGroup: `${stack}-AWSEBSecurityGroup-${ids.upperAlnum(12)}`,
    alarmHigh: `${stack}-AWSEBCloudwatchAlarmHigh-${ids.upperAlnum(12)}`,
    alarmLow: `${stack}-AWSEBCloudwatchAlarmLow-${ids.upperAlnum(12)}`,
    scaleUpPolicy: `arn:aws:autoscaling:${region}:${accountId}:scalingPolicy:${ids.uuid()}:autoScalingGroupName/${asg}:policyName/${stack}-AWSEBAutoScalingScaleUpPolicy-${ids.upperAlnum(12)}`,
    scaleDownPolicy: `arn:aws:autoscaling:${region}:${accountId}:scalingPolicy:${ids.uuid()}:autoScalingGroupName/${asg}:policyName/${stack}-AWSEBAutoScalingScaleDownPolicy-${ids.upperAlnum(12)}`,
  };
  if (worker) {
    const q = `${stack}-AWSEBWorkerQueue-${ids.upperAlnum(12)}`;
    names.queue = `https://sqs.${region}.amazonaws.com/${accountId}/${q}`;
  }
  if (!worker) {
    const rand = ids.upperAlnum(12);
    names.targetGroup = `arn:aws:elasticloadbalancing:${region}:${accountId}:targetgroup/awseb-AWSEB-${ids.upperAlnum(12)}/${ids.hex(16)}`;
    if (lbType === 'classic') names.loadBalancer = `awseb-${shortEnvId(id)}-AWSEBLoa-${rand}`;
    else if (lbType === 'network') names.loadBalancer = `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/net/awseb-AWSEB-${rand}/${ids.hex(16)}`;
    else names.loadBalancer = `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/app/awseb--AWSEB-${rand}/${ids.hex(16)}`;
  }
  return names;
}

function endpointFor(ctx: Ctx, env: Environment, settings: EffectiveSettings): string | undefined {
  const ids = ctx.engine.ids;
  const region = ctx.state.region;
  if (env.tier.Name === 'Worker') return undefined;
  if (settings.context.environmentType === 'SingleInstance') {
    return `${[3, 18, 34, 44, 52, 54][Math.floor(ids.next() * 6)]}.${Math.floor(ids.next() * 256)}.${Math.floor(ids.next() * 256)}.${1 + Math.floor(ids.next() * 254)}`;
  }
  const lb = env.resources.loadBalancer ?? '';
  const m = /loadbalancer\/(?:app|net)\/([^/]+)\//.exec(lb);
  if (settings.context.loadBalancerType === 'network') return `${m ? m[1] : lb}-${ids.hex(16)}.elb.${region}.amazonaws.com`;
  if (settings.context.loadBalancerType === 'classic') return `${lb}-${ids.digits(10)}.${region}.elb.amazonaws.com`;
  return `${m ? m[1] : lb}-${ids.digits(10)}.${region}.elb.amazonaws.com`;
}

/** Deployment-policy restrictions of reference §4.1, as ConfigurationValidationException. */
function checkPolicy(settings: EffectiveSettings): void {
  const ns = 'aws:elasticbeanstalk:command';
  const policy = settings.get(ns, 'DeploymentPolicy') ?? 'AllAtOnce';
  if (!(DEPLOYMENT_POLICIES as readonly string[]).includes(policy)) return;
  if (settings.context.environmentType === 'SingleInstance' && (policy === 'Rolling' || policy === 'RollingWithAdditionalBatch' || policy === 'TrafficSplitting')) {
    throw configurationValidation(
      `Invalid option value: '${policy}' (Namespace: '${ns}', OptionName: 'DeploymentPolicy'): The ${policy} deployment policy is not supported for single-instance environments. Use AllAtOnce or Immutable.`,
    );
  }
  if (policy === 'TrafficSplitting' && settings.context.loadBalancerType !== 'application') {
    throw configurationValidation(
      `Invalid option value: 'TrafficSplitting' (Namespace: '${ns}', OptionName: 'DeploymentPolicy'): The TrafficSplitting deployment policy requires an Application Load Balancer (aws:elasticbeanstalk:environment LoadBalancerType = application).`,
    );
  }
}

function platformOf(ctx: Ctx, params: QueryParams, fallback?: { SolutionStackName?: string; PlatformArn?: string }): PlatformVersion {
  const stack = str(params, 'SolutionStackName') || undefined;
  const arn = str(params, 'PlatformArn') || undefined;
  if (!stack && !arn && fallback) return resolvePlatform(fallback, ctx.state.region);
  const custom = arn ? ctx.state.platforms[arn] : undefined;
  if (custom) throw invalidParameter(`Platform ${arn} is in status ${custom.status} and cannot be used to create environments.`);
  return resolvePlatform({ SolutionStackName: stack, PlatformArn: arn }, ctx.state.region);
}

function keyOf(s: { Namespace?: string; OptionName?: string; ResourceName?: string }): string {
  return `${s.ResourceName ?? ''}\u0000${s.Namespace}\u0000${s.OptionName}`;
}

/** Applies OptionSettings over existing settings and drops OptionsToRemove (what UpdateEnvironment stores). */
export function mergeSettings(current: OptionSetting[], set: OptionSettingInput[], remove: OptionSettingInput[]): OptionSetting[] {
  const map = new Map(current.map((s) => [keyOf(s), s]));
  for (const r of remove) map.delete(keyOf(r));
  for (const s of set) map.set(keyOf(s), { ...s });
  return [...map.values()];
}

export function createEnvironment(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const { state, req } = ctx;
  const appName = required(params, 'ApplicationName');
  checkLength('ApplicationName', appName, 1, 100);
  const app = findApplication(state, appName);
  const name = str(params, 'EnvironmentName');
  if (!name) throw missingParameter('EnvironmentName');
  const description = str(params, 'Description');
  checkLength('Description', description, 0, 200);
  const cnamePrefix = str(params, 'CNAMEPrefix') || undefined;
  if (cnamePrefix) checkCnamePrefix(cnamePrefix);
  const tier = parseTier(params);
  const tagList = tags(params);
  const label = str(params, 'VersionLabel') || undefined;
  const templateName = str(params, 'TemplateName') || undefined;
  const settingsIn = optionSettings(params, 'OptionSettings');
  const removeIn = optionSettings(params, 'OptionsToRemove');
  const groupName = str(params, 'GroupName') || undefined;
  checkLength('GroupName', groupName, 1, 19);
  checkEnvironmentName(groupName && name.endsWith('+') ? `${name.slice(0, -1)}-${groupName}` : name);
  const role = str(params, 'OperationsRole') || undefined;

  // `name+` with a GroupName becomes `name-group` (ComposeEnvironments and `eb create` with --env-group-suffix).
  const finalName = groupName && name.endsWith('+') ? `${name.slice(0, -1)}-${groupName}` : name;
  if (liveByName(state, finalName)) throw environmentExists(finalName);
  if (Object.values(state.environments).filter((e) => e.status !== 'Terminated').length >= QUOTAS.environments) {
    throw tooManyEnvironments(QUOTAS.environments);
  }
  if (label) {
    const version = app.versions[label];
    if (!version) throw noVersion(label);
    if (version.status === 'FAILED') throw invalidParameter(`Application version ${label} failed processing and cannot be deployed. ${version.failure ?? ''}`.trim());
  }
  // `eb clone` sends the EB CLI's private TemplateSpecification.TemplateSource.EnvironmentName.
  const cloneFrom = str(struct(struct(params, 'TemplateSpecification') ?? {}, 'TemplateSource') ?? {}, 'EnvironmentName') || undefined;
  let templateSettings: OptionSetting[] = [];
  let fallbackPlatform: { SolutionStackName?: string; PlatformArn?: string } | undefined;
  if (templateName) {
    const t = app.templates[templateName];
    if (!t || t.environmentName) throw noTemplate(templateName, appName);
    templateSettings = t.settings.map((s) => ({ ...s }));
    fallbackPlatform = t.platformArn ? { PlatformArn: t.platformArn } : t.solutionStackName ? { SolutionStackName: t.solutionStackName } : undefined;
  }
  if (cloneFrom) {
    const source = liveByName(state, cloneFrom);
    if (!source) throw noEnvironmentByName(cloneFrom);
    templateSettings = [...source.templateSettings, ...source.apiSettings].map((s) => ({ ...s }));
    fallbackPlatform = { PlatformArn: source.platformArn };
  }
  const platform = platformOf(ctx, params, fallbackPlatform);
  const apiSettings = mergeSettings([], settingsIn, removeIn);
  const context = { language: platform.branch.language, tier: tier.Name as 'WebServer' | 'Worker' };
  const resolved = resolveEffectiveSettings({ context, api: apiSettings, template: templateSettings });
  assertValidOptionSettings(settingsIn, { ...context, environmentType: resolved.context.environmentType, loadBalancerType: resolved.context.loadBalancerType }, (ns, opt) =>
    resolveEffectiveSettings({ context, template: templateSettings }).get(ns, opt),
  );
  checkPolicy(resolved);

  if (tier.Name === 'Worker' && cnamePrefix) throw invalidParameter('CNAMEPrefix cannot be set for a Worker environment: worker environments have no public URL.');
  let cname: string | undefined;
  if (tier.Name !== 'Worker') {
    if (cnamePrefix) {
      cname = `${cnamePrefix}.${state.region}.elasticbeanstalk.com`;
      if (cnameInUse(ctx, cname)) throw dnsTaken(cname);
    } else {
      do cname = `${finalName}.eba-${ctx.engine.ids.lowerAlnum(8)}.${state.region}.elasticbeanstalk.com`.toLowerCase();
      while (cnameInUse(ctx, cname));
    }
  }
  const id = ctx.engine.ids.environmentId();
  const single = resolved.context.environmentType === 'SingleInstance';
  const env: Environment = {
    id,
    name: finalName,
    applicationName: appName,
    versionLabel: label,
    solutionStackName: platform.solutionStackName,
    platformArn: platform.platformArn,
    templateName,
    description: description || undefined,
    cname,
    cnamePrefix: cname ? cname.split('.')[0] : undefined,
    tier,
    dateCreated: req.now,
    dateUpdated: req.now,
    status: 'Launching',
    health: 'Grey',
    healthStatus: 'Pending',
    healthChangedAt: req.now,
    abortable: false,
    apiSettings,
    templateSettings,
    bundleSettings: [],
    instances: [],
    nextDeploymentId: 1,
    resources: resourceNames(ctx, id, resolved.context.loadBalancerType, tier.Name === 'Worker'),
    operationsRole: role,
    queue: [],
    lastRequestId: req.requestId,
    info: [],
    probeRps: 0,
    groupName,
  };
  if (single || tier.Name === 'Worker') delete env.resources.loadBalancer;
  env.endpointUrl = endpointFor(ctx, env, resolved);
  state.environments[id] = env;
  const arn = environmentArn(state.region, state.accountId, appName, env.name);
  setTags(ctx, arn, [{ Key: 'elasticbeanstalk:environment-name', Value: env.name }, { Key: 'elasticbeanstalk:environment-id', Value: id }, ...tagList], [], true);
  ctx.engine.lifecycle.launch(ctx, env);
  return environmentToWire(ctx, env);
}

// ---------------------------------------------------------------------------------------------------------------
// DescribeEnvironments

export function describeEnvironments(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const appName = str(params, 'ApplicationName') || undefined;
  const label = str(params, 'VersionLabel') || undefined;
  const ids = stringList(params, 'EnvironmentIds');
  const names = stringList(params, 'EnvironmentNames');
  const includeDeleted = bool(params, 'IncludeDeleted') ?? true;
  const backTo = date(params, 'IncludedDeletedBackTo');
  const max = int(params, 'MaxRecords', 1, 1000);
  const token = str(params, 'NextToken') || undefined;
  const now = ctx.req.now;
  const all = Object.values(ctx.state.environments)
    .filter((e) => !appName || e.applicationName === appName)
    .filter((e) => !label || e.versionLabel === label)
    .filter((e) => ids.length === 0 || ids.includes(e.id))
    .filter((e) => names.length === 0 || names.includes(e.name))
    .filter((e) => {
      if (e.status !== 'Terminated') return true;
      if (!includeDeleted) return false;
      const since = backTo ?? now - TERMINATED_VISIBLE_MS;
      return (e.dateTerminated ?? 0) >= since;
    })
    .sort((a, b) => b.dateCreated - a.dateCreated || (a.id < b.id ? -1 : 1));
  let start = 0;
  if (token) {
    const m = /^environments-(\d+)$/.exec(token);
    if (!m) throw invalidParameter(`Invalid NextToken: '${token}'.`);
    start = Number(m[1]);
  }
  const page = max === undefined ? all.slice(start) : all.slice(start, start + max);
  const out: Record<string, unknown> = { Environments: page.map((e) => environmentToWire(ctx, e)) };
  if (max !== undefined && start + max < all.length) out.NextToken = `environments-${start + max}`;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// UpdateEnvironment

export function updateEnvironment(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const { state } = ctx;
  const env = findEnvironment(ctx, params);
  const appName = str(params, 'ApplicationName') || undefined;
  if (appName && appName !== env.applicationName) throw noEnvironmentByName(env.name);
  const description = str(params, 'Description');
  checkLength('Description', description, 0, 200);
  const label = str(params, 'VersionLabel') || undefined;
  const templateName = str(params, 'TemplateName') || undefined;
  const settingsIn = optionSettings(params, 'OptionSettings');
  const removeIn = optionSettings(params, 'OptionsToRemove');
  const tierIn = struct(params, 'Tier');
  const stack = str(params, 'SolutionStackName') || undefined;
  const arn = str(params, 'PlatformArn') || undefined;
  requireReady(env);
  const app = findApplication(state, env.applicationName);
  if (tierIn) {
    const tier = parseTier(params);
    if (tier.Name !== env.tier.Name) {
      throw invalidParameter(`Cannot change the tier of environment ${env.name} from ${env.tier.Name} to ${tier.Name}. Create a new environment instead.`);
    }
  }
  if (label) {
    const version = app.versions[label];
    if (!version) throw noVersion(label);
    if (version.status === 'FAILED') throw invalidParameter(`Application version ${label} failed processing and cannot be deployed. ${version.failure ?? ''}`.trim());
    if (version.status === 'PROCESSING') throw invalidParameter(`Application version ${label} is still being processed. Deploy it once its status is PROCESSED.`);
  }
  let templateSettings = env.templateSettings;
  if (templateName) {
    const t = app.templates[templateName];
    if (!t || t.environmentName) throw noTemplate(templateName, env.applicationName);
    templateSettings = t.settings.map((s) => ({ ...s }));
  }
  let platform = ctx.engine.runtime.platformOf(env, state.region);
  let platformChanged = false;
  if (stack || arn) {
    const next = resolvePlatform({ SolutionStackName: stack, PlatformArn: arn }, state.region);
    if (next.branch.platformName !== platform.branch.platformName) {
      throw invalidParameter(
        `Cannot update environment ${env.name} from ${platform.branch.platformName} to ${next.branch.platformName}: updates stay within a platform. Create a new environment on the other platform instead.`,
      );
    }
    platformChanged = next.platformArn !== env.platformArn;
    platform = next;
  }
  const apiSettings = mergeSettings(env.apiSettings, settingsIn, removeIn);
  const context = { language: platform.branch.language, tier: env.tier.Name as 'WebServer' | 'Worker' };
  const before = resolveEffectiveSettings({ context, api: env.apiSettings, template: env.templateSettings, ebextensions: env.bundleSettings });
  const after = resolveEffectiveSettings({ context, api: apiSettings, template: templateSettings, ebextensions: env.bundleSettings });
  assertValidOptionSettings(settingsIn, { ...context, environmentType: after.context.environmentType, loadBalancerType: after.context.loadBalancerType }, before.get);
  if (before.context.loadBalancerType !== after.context.loadBalancerType && before.context.environmentType === 'LoadBalanced' && after.context.environmentType === 'LoadBalanced') {
    throw configurationValidation(
      `Invalid option value: '${after.context.loadBalancerType}' (Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'LoadBalancerType'): The load balancer type cannot be changed after the environment is created.`,
    );
  }
  checkPolicy(after);

  if (description !== undefined) env.description = description === '' ? undefined : description;
  const settingsChanged = JSON.stringify(before.settings.map((s) => [s.namespace, s.optionName, s.value])) !== JSON.stringify(after.settings.map((s) => [s.namespace, s.optionName, s.value]));
  const previousSettings = env.apiSettings;
  env.apiSettings = apiSettings;
  env.templateSettings = templateSettings;
  if (templateName) env.templateName = templateName;
  if (platformChanged) {
    env.solutionStackName = platform.solutionStackName;
    env.platformArn = platform.platformArn;
  }
  if (before.context.environmentType !== after.context.environmentType && env.tier.Name !== 'Worker') {
    if (after.context.environmentType === 'LoadBalanced' && !env.resources.loadBalancer) {
      env.resources = { ...resourceNames(ctx, env.id, after.context.loadBalancerType, false), autoScalingGroup: env.resources.autoScalingGroup, launchTemplate: env.resources.launchTemplate, securityGroup: env.resources.securityGroup };
    } else if (after.context.environmentType === 'SingleInstance') {
      delete env.resources.loadBalancer;
    }
    env.endpointUrl = endpointFor(ctx, env, after);
  }
  const policy = after.get('aws:elasticbeanstalk:command', 'DeploymentPolicy') ?? 'AllAtOnce';
  if (settingsChanged || templateName || platformChanged) {
    const deployAfter = label ? { label, policy } : platformChanged ? { label: env.versionLabel, policy: 'AllAtOnce' } : undefined;
    ctx.engine.lifecycle.configure(ctx, env, previousSettings, deployAfter);
  } else if (label) {
    ctx.engine.lifecycle.deploy(ctx, env, label, policy);
  } else {
    env.dateUpdated = ctx.req.now;
  }
  return environmentToWire(ctx, env);
}

// ---------------------------------------------------------------------------------------------------------------
// Terminate, rebuild/restore, restart, abort

export function terminateEnvironment(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const env = findEnvironment(ctx, params);
  const force = bool(params, 'ForceTerminate') ?? false;
  bool(params, 'TerminateResources');
  if (env.status === 'Terminating') throw notReady(env.name);
  if (env.status !== 'Ready' && !force) throw notReady(env.name);
  ctx.engine.lifecycle.terminate(ctx, env, force);
  return environmentToWire(ctx, env);
}

export function rebuildEnvironment(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const env = findEnvironment(ctx, params, true);
  if (env.status === 'Terminated') {
    // `eb restore`: a terminated environment comes back under its id, name and CNAME if they are still free.
    if ((env.dateTerminated ?? 0) < ctx.req.now - RESTORABLE_MS) {
      throw invalidParameter(`Environment ${env.name} (${env.id}) was terminated more than 6 weeks ago and can no longer be restored.`);
    }
    if (liveByName(ctx.state, env.name)) throw environmentExists(env.name);
    if (env.cname && cnameInUse(ctx, env.cname, env)) throw dnsTaken(env.cname);
    if (!ctx.state.applications[env.applicationName]) throw invalidParameter(`No Application named '${env.applicationName}' found.`);
    env.dateTerminated = undefined;
    env.instances = [];
    env.queue = [];
    env.health = 'Grey';
    env.healthStatus = 'Pending';
    env.dateCreated = ctx.req.now;
    if (env.versionLabel && !ctx.state.applications[env.applicationName].versions[env.versionLabel]) env.versionLabel = undefined;
    ctx.engine.lifecycle.launch(ctx, env, 'restoreEnvironment');
    return {};
  }
  requireReady(env);
  ctx.engine.lifecycle.rebuild(ctx, env);
  return {};
}

export function restartAppServer(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const env = findEnvironment(ctx, params);
  requireReady(env);
  ctx.engine.lifecycle.restart(ctx, env);
  return {};
}

export function abortEnvironmentUpdate(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const env = findEnvironment(ctx, params);
  if (env.status !== 'Updating' || !env.abortable || !env.operation) {
    throw invalidParameter(`Environment named ${env.name} is in an invalid state for this operation. Must be Updating with an abortable operation in progress.`);
  }
  ctx.engine.lifecycle.abort(ctx, env);
  return {};
}

// ---------------------------------------------------------------------------------------------------------------
// CNAMEs

export function checkDNSAvailability(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const prefix = required(params, 'CNAMEPrefix');
  checkLength('CNAMEPrefix', prefix, 4, 63);
  const fqdn = `${prefix}.${ctx.state.region}.elasticbeanstalk.com`;
  const valid = NAME_PATTERN.test(prefix);
  return { Available: valid && !cnameInUse(ctx, fqdn), FullyQualifiedCNAME: fqdn };
}

export function swapEnvironmentCNAMEs(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const sourceId = str(params, 'SourceEnvironmentId') || undefined;
  const sourceName = str(params, 'SourceEnvironmentName') || undefined;
  const destId = str(params, 'DestinationEnvironmentId') || undefined;
  const destName = str(params, 'DestinationEnvironmentName') || undefined;
  if (!sourceId && !sourceName) throw missingParameter('SourceEnvironmentName or SourceEnvironmentId');
  if ((sourceId && !destId && !destName) || (sourceName && !destName && !destId)) {
    throw missingParameter('DestinationEnvironmentName or DestinationEnvironmentId');
  }
  if ((sourceId && !destId) || (sourceName && !sourceId && !destName)) {
    throw invalidCombination('Specify both SourceEnvironmentId and DestinationEnvironmentId, or both SourceEnvironmentName and DestinationEnvironmentName.');
  }
  const source = findEnvironment(ctx, sourceId ? { EnvironmentId: sourceId } : { EnvironmentName: sourceName! });
  const dest = findEnvironment(ctx, destId ? { EnvironmentId: destId } : { EnvironmentName: destName! });
  if (source === dest) throw invalidParameter('The source and destination environments must be different.');
  requireReady(source);
  requireReady(dest);
  if (!source.cname || !dest.cname) throw invalidParameter('Only web server environments have CNAMEs to swap.');
  const { state, req } = ctx;
  const lifecycle = ctx.engine.lifecycle;
  const [a, b] = [source.cname, dest.cname];
  source.cname = b;
  dest.cname = a;
  source.cnamePrefix = b.split('.')[0];
  dest.cnamePrefix = a.split('.')[0];
  source.dateUpdated = dest.dateUpdated = req.now;
  source.lastRequestId = dest.lastRequestId = req.requestId;
  for (const env of [source, dest]) {
    lifecycle.emit(state, env, 'INFO', 'swapEnvironmentCNAMEs is starting.', req.requestId);
    lifecycle.event(state, env, req.now + 2_000, req.requestId, 'INFO', `Swapping CNAMEs for environments '${source.name}' and '${dest.name}'.`, false);
    lifecycle.event(state, env, req.now + 4_000, req.requestId, 'INFO', `'${env.cname}' now points to '${env.endpointUrl}'.`, false);
    lifecycle.event(state, env, req.now + 5_000, req.requestId, 'INFO', `Completed swapping CNAMEs for environments '${source.name}' and '${dest.name}'.`, false);
    lifecycle.arm(state, env);
  }
  return {};
}

// ---------------------------------------------------------------------------------------------------------------
// Resources, operations roles, compose

export function describeEnvironmentResources(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const env = findEnvironment(ctx, params);
  const r = env.resources;
  const live = env.instances.filter((i) => i.state !== 'terminated');
  return {
    EnvironmentResources: {
      EnvironmentName: env.name,
      AutoScalingGroups: [{ Name: r.autoScalingGroup }],
      Instances: live.map((i) => ({ Id: i.id })),
      LaunchConfigurations: [],
      LaunchTemplates: [{ Id: `lt-0${r.launchTemplate.slice(-12).toLowerCase().replace(/[^a-z0-9]/g, '0')}a1b2c` }],
      LoadBalancers: r.loadBalancer && isLoadBalanced(ctx, env) ? [{ Name: r.loadBalancer }] : [],
      Triggers: isLoadBalanced(ctx, env) ? [{ Name: r.alarmHigh }, { Name: r.alarmLow }] : [],
      Queues: r.queue ? [{ Name: 'WorkerQueue', URL: r.queue }] : [],
    },
  };
}

export function associateEnvironmentOperationsRole(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const env = findEnvironment(ctx, { EnvironmentName: required(params, 'EnvironmentName') });
  const role = required(params, 'OperationsRole');
  if (!/^arn:aws:iam::\d{12}:role\/.+$/.test(role)) {
    throw invalidParameter(`OperationsRole '${role}' is not a valid IAM role ARN (arn:aws:iam::<account>:role/<name>).`);
  }
  env.operationsRole = role;
  env.dateUpdated = ctx.req.now;
  return {};
}

export function disassociateEnvironmentOperationsRole(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const env = findEnvironment(ctx, { EnvironmentName: required(params, 'EnvironmentName') });
  env.operationsRole = undefined;
  env.dateUpdated = ctx.req.now;
  return {};
}
