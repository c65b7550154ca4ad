// Configuration templates (saved configurations) and the option operations: DescribeConfigurationOptions,
// DescribeConfigurationSettings (full effective settings, defaults materialised), ValidateConfigurationSettings.

import type { Ctx } from './context.ts';
import type { QueryParams } from '../service.ts';
import type { ConfigurationTemplate, Environment, OptionSetting } from './model.ts';
import { QUOTAS } from './model.ts';
import {
  invalidCombination,
  invalidParameter,
  missingParameter,
  noEnvironmentByName,
  noTemplate,
  operationInProgress,
  templateExists,
  tooManyTemplates,
} from './errors.ts';
import { checkLength, optionSettings, required, str, struct, structList, tags } from './params.ts';
import { findApplication } from './applications.ts';
import { findEnvironment, liveByName, mergeSettings } from './environments.ts';
import { templateArn } from './ids.ts';
import { setTags } from './tags.ts';
import { resolvePlatform, type PlatformVersion } from './platforms.ts';
import {
  assertValidOptionSettings,
  describeOption,
  optionsFor,
  resolveEffectiveSettings,
  toOptionSettings,
  validationMessages,
  type EffectiveSettings,
  type OptionContext,
} from './options/index.ts';

function templateName(params: QueryParams): string {
  const name = required(params, 'TemplateName');
  checkLength('TemplateName', name, 1, 100);
  return name;
}

function findTemplate(ctx: Ctx, app: string, name: string): ConfigurationTemplate {
  const t = findApplication(ctx.state, app).templates[name];
  if (!t || t.environmentName) throw noTemplate(name, app);
  return t;
}

function platformOfTemplate(ctx: Ctx, t: ConfigurationTemplate): PlatformVersion {
  return resolvePlatform(t.platformArn ? { PlatformArn: t.platformArn } : { SolutionStackName: t.solutionStackName }, ctx.state.region);
}

function templateEffective(ctx: Ctx, t: ConfigurationTemplate): EffectiveSettings {
  const p = platformOfTemplate(ctx, t);
  return resolveEffectiveSettings({ context: { language: p.branch.language }, template: t.settings });
}

function templateToWire(ctx: Ctx, t: ConfigurationTemplate, full: boolean): Record<string, unknown> {
  const p = platformOfTemplate(ctx, t);
  const out: Record<string, unknown> = {
    SolutionStackName: p.solutionStackName,
    PlatformArn: p.platformArn,
    ApplicationName: t.applicationName,
    TemplateName: t.name,
    DateCreated: new Date(t.dateCreated),
    DateUpdated: new Date(t.dateUpdated),
    OptionSettings: full ? toOptionSettings(templateEffective(ctx, t)) : t.settings.map((s) => ({ ...s })),
  };
  if (t.description !== undefined) out.Description = t.description;
  return out;
}

function environmentSettingsToWire(ctx: Ctx, env: Environment): Record<string, unknown> {
  const { settings } = ctx.engine.lifecycle.settingsOf(env, ctx.state.region);
  const out: Record<string, unknown> = {
    SolutionStackName: env.solutionStackName,
    PlatformArn: env.platformArn,
    ApplicationName: env.applicationName,
    EnvironmentName: env.name,
    DeploymentStatus: env.status === 'Updating' || env.status === 'Launching' ? 'pending' : 'deployed',
    DateCreated: new Date(env.dateCreated),
    DateUpdated: new Date(env.dateUpdated),
    OptionSettings: toOptionSettings(settings),
  };
  if (env.templateName !== undefined) out.TemplateName = env.templateName;
  if (env.description !== undefined) out.Description = env.description;
  return out;
}

export function createConfigurationTemplate(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const appName = required(params, 'ApplicationName');
  const app = findApplication(ctx.state, appName);
  const name = templateName(params);
  const description = str(params, 'Description');
  checkLength('Description', description, 0, 200);
  const settingsIn = optionSettings(params, 'OptionSettings');
  const tagList = tags(params);
  const envId = str(params, 'EnvironmentId') || undefined;
  const source = struct(params, 'SourceConfiguration');
  const stack = str(params, 'SolutionStackName') || undefined;
  const arn = str(params, 'PlatformArn') || undefined;
  if (app.templates[name] && !app.templates[name].environmentName) throw templateExists(name);
  if (Object.values(app.templates).length >= QUOTAS.configurationTemplates) throw tooManyTemplates(QUOTAS.configurationTemplates);
  let base: OptionSetting[] = [];
  let platform: PlatformVersion;
  if (envId) {
    const env = findEnvironment(ctx, { EnvironmentId: envId });
    if (env.applicationName !== appName) throw invalidParameter(`Environment ${envId} does not belong to application ${appName}.`);
    base = [...env.templateSettings, ...env.apiSettings].map((s) => ({ ...s }));
    platform = stack || arn ? resolvePlatform({ SolutionStackName: stack, PlatformArn: arn }, ctx.state.region) : ctx.engine.runtime.platformOf(env, ctx.state.region);
  } else if (source) {
    const srcApp = str(source, 'ApplicationName') || appName;
    const srcName = str(source, 'TemplateName');
    if (!srcName) throw missingParameter('SourceConfiguration.TemplateName');
    const t = findTemplate(ctx, srcApp, srcName);
    base = t.settings.map((s) => ({ ...s }));
    platform = stack || arn ? resolvePlatform({ SolutionStackName: stack, PlatformArn: arn }, ctx.state.region) : platformOfTemplate(ctx, t);
  } else {
    if (!stack && !arn) throw missingParameter('SolutionStackName, PlatformArn, SourceConfiguration or EnvironmentId');
    platform = resolvePlatform({ SolutionStackName: stack, PlatformArn: arn }, ctx.state.region);
  }
  const settings = mergeSettings(base, settingsIn, []);
  const context: OptionContext = { language: platform.branch.language };
  const resolved = resolveEffectiveSettings({ context, template: settings });
  assertValidOptionSettings(settingsIn, { ...context, environmentType: resolved.context.environmentType, loadBalancerType: resolved.context.loadBalancerType });
  const now = ctx.req.now;
  const t: ConfigurationTemplate = {
    applicationName: appName,
    name,
    description: description || undefined,
    solutionStackName: platform.solutionStackName,
    platformArn: platform.platformArn,
    settings,
    dateCreated: now,
    dateUpdated: now,
  };
  app.templates[name] = t;
  if (tagList.length) setTags(ctx, templateArn(ctx.state.region, ctx.state.accountId, appName, name), tagList, []);
  return templateToWire(ctx, t, false);
}

export function updateConfigurationTemplate(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const appName = required(params, 'ApplicationName');
  const t = findTemplate(ctx, appName, templateName(params));
  const description = str(params, 'Description');
  checkLength('Description', description, 0, 200);
  const settingsIn = optionSettings(params, 'OptionSettings');
  const removeIn = optionSettings(params, 'OptionsToRemove');
  const platform = platformOfTemplate(ctx, t);
  const next = mergeSettings(t.settings, settingsIn, removeIn);
  const context: OptionContext = { language: platform.branch.language };
  const resolved = resolveEffectiveSettings({ context, template: next });
  assertValidOptionSettings(settingsIn, { ...context, environmentType: resolved.context.environmentType, loadBalancerType: resolved.context.loadBalancerType }, templateEffective(ctx, t).get);
  t.settings = next;
  if (description !== undefined) t.description = description || undefined;
  t.dateUpdated = ctx.req.now;
  return templateToWire(ctx, t, false);
}

export function deleteConfigurationTemplate(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const appName = required(params, 'ApplicationName');
  const name = templateName(params);
  findTemplate(ctx, appName, name);
  const launching = Object.values(ctx.state.environments).find((e) => e.applicationName === appName && e.templateName === name && e.status === 'Launching');
  if (launching) throw operationInProgress(`Configuration template ${name} is being used to launch environment ${launching.name}. Try again when the launch completes.`);
  delete findApplication(ctx.state, appName).templates[name];
  delete ctx.state.tags[templateArn(ctx.state.region, ctx.state.accountId, appName, name)];
  return {};
}

export function deleteEnvironmentConfiguration(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const appName = required(params, 'ApplicationName');
  const envName = required(params, 'EnvironmentName');
  const app = findApplication(ctx.state, appName);
  const env = liveByName(ctx.state, envName);
  if (!env || env.applicationName !== appName) throw noEnvironmentByName(envName);
  // Drafts are pending configurations saved on an environment; removing one never touches the running settings.
  for (const [k, t] of Object.entries(app.templates)) if (t.environmentName === envName) delete app.templates[k];
  return {};
}

export function describeConfigurationSettings(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const appName = required(params, 'ApplicationName');
  findApplication(ctx.state, appName);
  const tName = str(params, 'TemplateName') || undefined;
  const envName = str(params, 'EnvironmentName') || undefined;
  if (tName && envName) throw invalidCombination('Specify either TemplateName or EnvironmentName, not both.');
  if (!tName && !envName) throw missingParameter('TemplateName or EnvironmentName');
  if (tName) return { ConfigurationSettings: [templateToWire(ctx, findTemplate(ctx, appName, tName), true)] };
  const env = liveByName(ctx.state, envName!);
  if (!env || env.applicationName !== appName) throw noEnvironmentByName(envName!);
  return { ConfigurationSettings: [environmentSettingsToWire(ctx, env)] };
}

/** The platform and option context a DescribeConfigurationOptions/ValidateConfigurationSettings call is about. */
function contextFor(ctx: Ctx, params: QueryParams, requireTarget: boolean): { platform: PlatformVersion; context: OptionContext; current?: EffectiveSettings } {
  const appName = str(params, 'ApplicationName') || undefined;
  const tName = str(params, 'TemplateName') || undefined;
  const envName = str(params, 'EnvironmentName') || undefined;
  const stack = str(params, 'SolutionStackName') || undefined;
  const arn = str(params, 'PlatformArn') || undefined;
  if (tName && envName) throw invalidCombination('Specify either TemplateName or EnvironmentName, not both.');
  if (envName) {
    const env = liveByName(ctx.state, envName);
    if (!env || (appName && env.applicationName !== appName)) throw noEnvironmentByName(envName);
    const { settings, platform } = ctx.engine.lifecycle.settingsOf(env, ctx.state.region);
    return { platform, context: { language: platform.branch.language, environmentType: settings.context.environmentType, loadBalancerType: settings.context.loadBalancerType, tier: settings.context.tier }, current: settings };
  }
  if (tName) {
    if (!appName) throw missingParameter('ApplicationName');
    const t = findTemplate(ctx, appName, tName);
    const current = templateEffective(ctx, t);
    const platform = platformOfTemplate(ctx, t);
    return { platform, context: { language: platform.branch.language, environmentType: current.context.environmentType, loadBalancerType: current.context.loadBalancerType }, current };
  }
  if (stack || arn) {
    const platform = resolvePlatform({ SolutionStackName: stack, PlatformArn: arn }, ctx.state.region);
    return { platform, context: { language: platform.branch.language } };
  }
  if (requireTarget) throw missingParameter('TemplateName or EnvironmentName');
  throw missingParameter('SolutionStackName, PlatformArn, TemplateName or EnvironmentName');
}

export function describeConfigurationOptions(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const { platform, context } = contextFor(ctx, params, false);
  // OptionSpecification: Namespace and OptionName are both optional filters.
  const filters = structList(params, 'Options').map((f) => ({ Namespace: str(f, 'Namespace') || undefined, OptionName: str(f, 'OptionName') || undefined }));
  let defs = optionsFor(context);
  if (filters.length) {
    defs = defs.filter((d) => filters.some((f) => (!f.Namespace || f.Namespace === d.namespace) && (!f.OptionName || f.OptionName === d.name)));
  }
  return { SolutionStackName: platform.solutionStackName, PlatformArn: platform.platformArn, Options: defs.map(describeOption) };
}

export function validateConfigurationSettings(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  required(params, 'ApplicationName');
  const settingsIn = optionSettings(params, 'OptionSettings');
  if (!str(params, 'TemplateName') && !str(params, 'EnvironmentName')) throw missingParameter('TemplateName or EnvironmentName');
  const { context } = contextFor(ctx, params, true);
  return { Messages: validationMessages(settingsIn, context) };
}
