// Check kinds that read the cloud through the Elastic Beanstalk API: applications, versions,
// environments (status, health, platform), effective option settings, environment properties, instances.
import {
  DescribeApplicationsCommand,
  DescribeConfigurationSettingsCommand,
  DescribeEnvironmentHealthCommand,
  DescribeEnvironmentResourcesCommand,
  DescribeInstancesHealthCommand,
  type ConfigurationOptionSetting,
} from '@aws-sdk/client-elastic-beanstalk';
import type { CheckParams } from '../../course/lab-schema.ts';
import { eventEvidence, findEnvironment, learnerVersions, listEvents, listVersions, requireEnvironment } from '../helpers.ts';
import type { CheckContext, CheckOutcome, Evidence } from '../types.ts';

export async function applicationExists(p: CheckParams<'application-exists'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = `An application named ${p.application}.`;
  const out = await ctx.clients.eb.send(new DescribeApplicationsCommand({}));
  const names = (out.Applications ?? []).map((a) => a.ApplicationName ?? '');
  if (names.includes(p.application)) return { pass: true, expected, found: `Application ${p.application} exists.` };
  const near = names.find((n) => n.toLowerCase().replace(/[^a-z0-9]/g, '') === p.application.toLowerCase().replace(/[^a-z0-9]/g, ''));
  if (near) return { pass: false, expected, found: `There is an application named ${near}, not ${p.application}.`, reason: 'wrong-name', hintLevel: 'fix' };
  return { pass: false, expected, found: names.length ? `Your applications are ${names.join(', ')}.` : 'You have no applications yet.', reason: 'missing', hintLevel: 'nudge' };
}

export async function versionExists(p: CheckParams<'version-exists'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = p.label ? `Version ${p.label} of ${p.application}.` : `A version of ${p.application} that you created.`;
  const versions = p.label ? await listVersions(ctx, p.application) : await learnerVersions(ctx, p.application);
  const v = p.label ? versions.find((x) => x.VersionLabel === p.label) : versions[0];
  if (!v) return { pass: false, expected, found: versions.length ? `Versions: ${versions.map((x) => x.VersionLabel).join(', ')}.` : `${p.application} has no versions of yours yet.`, reason: 'missing', hintLevel: 'nudge' };
  return { pass: true, expected, found: `Version ${v.VersionLabel} exists (${v.Status}).` };
}

export async function versionProcessed(p: CheckParams<'version-processed'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = p.label ? `Version ${p.label} of ${p.application} processed (status PROCESSED).` : `Your newest version of ${p.application} processed (status PROCESSED).`;
  const versions = p.label ? await listVersions(ctx, p.application) : await learnerVersions(ctx, p.application);
  const v = p.label ? versions.find((x) => x.VersionLabel === p.label) : versions[0];
  if (!v) return { pass: false, expected, found: `${p.application} has no ${p.label ? `version ${p.label}` : 'version of yours'} yet.`, reason: 'missing', hintLevel: 'nudge' };
  const status = String(v.Status ?? '').toUpperCase();
  if (status === 'PROCESSED') return { pass: true, expected, found: `Version ${v.VersionLabel} is PROCESSED.` };
  if (status === 'FAILED') {
    const events = (await listEvents(ctx, { application: p.application })).filter((e) => e.VersionLabel === v.VersionLabel && (e.Severity === 'ERROR' || e.Severity === 'WARN'));
    return { pass: false, expected, found: `Version ${v.VersionLabel} FAILED processing.`, reason: 'failed', hintLevel: 'fix', evidence: events.slice(0, 3).map(eventEvidence) };
  }
  return { pass: false, expected, found: `Version ${v.VersionLabel} is ${status || 'not processed'}.`, reason: status === 'UNPROCESSED' ? 'unprocessed' : 'processing', hintLevel: 'concept' };
}

export async function environmentStatus(p: CheckParams<'environment-status'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = `Environment ${p.environment} is ${p.status}.`;
  // A lab may ask for a terminated environment (cleaning up), so only absence is a nudge here.
  const env = p.status === 'Terminated' || p.status === 'Terminating' ? await findEnvironment(ctx, p.environment) : await requireEnvironment(ctx, p.environment, expected);
  if (!env) return { pass: false, expected, found: `There is no environment named ${p.environment} in ${ctx.clients.region}.`, reason: 'no-environment', hintLevel: 'nudge' };
  if (env.Status === p.status) return { pass: true, expected, found: `${p.environment} is ${env.Status}.` };
  return { pass: false, expected, found: `${p.environment} is ${env.Status}.`, reason: 'wrong-status', hintLevel: 'concept' };
}

async function healthEvidence(ctx: CheckContext, environment: string): Promise<Evidence[]> {
  const evidence: Evidence[] = [];
  try {
    const health = await ctx.clients.eb.send(new DescribeEnvironmentHealthCommand({ EnvironmentName: environment, AttributeNames: ['Causes', 'HealthStatus'] }));
    for (const cause of health.Causes ?? []) evidence.push({ kind: 'event', text: cause, source: `health: ${health.HealthStatus ?? ''}`.trim() });
  } catch {
    // Basic health has no causes; the events below still explain it.
  }
  const events = await listEvents(ctx, { environment, max: 200 });
  for (const e of events.filter((x) => x.Severity === 'ERROR' || x.Severity === 'WARN').slice(0, 3)) evidence.push(eventEvidence(e));
  return evidence;
}

export async function environmentHealth(p: CheckParams<'environment-health'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = `Environment ${p.environment} is ${p.health}.`;
  const env = await requireEnvironment(ctx, p.environment, expected);
  if (env.Health === p.health) return { pass: true, expected, found: `${p.environment} is ${env.Health}${env.HealthStatus ? ` (${env.HealthStatus})` : ''}.` };
  return {
    pass: false,
    expected,
    found: `${p.environment} is ${env.Health}${env.HealthStatus ? ` (${env.HealthStatus})` : ''}, status ${env.Status}.`,
    reason: 'wrong-health',
    hintLevel: 'concept',
    evidence: await healthEvidence(ctx, p.environment),
  };
}

export async function environmentPlatform(p: CheckParams<'environment-platform'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = `Environment ${p.environment} runs on a platform matching /${p.platform}/.`;
  const env = await requireEnvironment(ctx, p.environment, expected);
  const stack = env.SolutionStackName ?? env.PlatformArn ?? '';
  if (new RegExp(p.platform).test(stack)) return { pass: true, expected, found: stack };
  return { pass: false, expected, found: `${p.environment} runs ${stack || 'an unknown platform'}.`, reason: 'wrong-platform', hintLevel: 'fix' };
}

async function effectiveSettings(ctx: CheckContext, environment: string, application: string): Promise<ConfigurationOptionSetting[]> {
  const out = await ctx.clients.eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: application, EnvironmentName: environment }));
  return out.ConfigurationSettings?.[0]?.OptionSettings ?? [];
}

export async function optionSetting(p: CheckParams<'option-setting'>, ctx: CheckContext): Promise<CheckOutcome> {
  const want = p.equals !== undefined ? `= ${p.equals}` : p.matches !== undefined ? `matching /${p.matches}/` : 'set';
  const expected = `${p.environment}: ${p.namespace} ${p.option} ${want}.`;
  const env = await requireEnvironment(ctx, p.environment, expected);
  const setting = (await effectiveSettings(ctx, p.environment, env.ApplicationName ?? '')).find((s) => s.Namespace === p.namespace && s.OptionName === p.option);
  const value = setting?.Value;
  const evidence: Evidence[] = setting ? [{ kind: 'setting', text: `${p.namespace} ${p.option} = ${value ?? ''}`, source: 'DescribeConfigurationSettings' }] : [];
  const ok = value !== undefined && (p.equals !== undefined ? value === p.equals : p.matches !== undefined ? new RegExp(p.matches).test(value) : value !== '');
  if (ok) return { pass: true, expected, found: `${p.option} is ${value}.`, evidence };
  return { pass: false, expected, found: value === undefined ? `${p.option} is not set.` : `${p.option} is ${value === '' ? 'empty' : value}.`, reason: value === undefined ? 'not-set' : 'wrong-value', hintLevel: 'concept', evidence };
}

export async function envVarSet(p: CheckParams<'env-var-set'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = `${p.environment} has the environment property ${p.name}${p.equals !== undefined ? `=${p.equals}` : ''}.`;
  const env = await requireEnvironment(ctx, p.environment, expected);
  const settings = await effectiveSettings(ctx, p.environment, env.ApplicationName ?? '');
  const prop = settings.find((s) => s.Namespace === 'aws:elasticbeanstalk:application:environment' && s.OptionName === p.name);
  if (!prop) {
    const similar = settings.find((s) => s.Namespace === 'aws:elasticbeanstalk:application:environment' && s.OptionName?.toLowerCase() === p.name.toLowerCase());
    if (similar) return { pass: false, expected, found: `${similar.OptionName} is set, but names are case-sensitive: the app reads ${p.name}.`, reason: 'wrong-name', hintLevel: 'fix' };
    return { pass: false, expected, found: `${p.name} is not set on ${p.environment}.`, reason: 'not-set', hintLevel: 'concept' };
  }
  const evidence: Evidence[] = [{ kind: 'setting', text: `${p.name} = ${prop.Value ?? ''}`, source: 'aws:elasticbeanstalk:application:environment' }];
  if (p.equals !== undefined && prop.Value !== p.equals) return { pass: false, expected, found: `${p.name} is "${prop.Value ?? ''}".`, reason: 'wrong-value', hintLevel: 'fix', evidence };
  return { pass: true, expected, found: `${p.name} is set.`, evidence };
}

export async function versionDeployed(p: CheckParams<'version-deployed'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = p.label ? `${p.environment} runs version ${p.label} on every instance.` : `${p.environment} runs a version you created on every instance.`;
  const env = await requireEnvironment(ctx, p.environment, expected);
  const preset = ctx.presetVersions.get(env.ApplicationName ?? '') ?? new Set<string>();
  const label = env.VersionLabel;
  const isWanted = (l: string | undefined) => (p.label ? l === p.label : !!l && !preset.has(l));
  if (!isWanted(label)) {
    return {
      pass: false,
      expected,
      found: label ? `${p.environment} runs version ${label}${preset.has(label) ? ' (the one you started with)' : ''}.` : `${p.environment} runs the sample application.`,
      reason: 'other-version',
      hintLevel: 'concept',
    };
  }
  try {
    const health = await ctx.clients.eb.send(new DescribeInstancesHealthCommand({ EnvironmentName: p.environment, AttributeNames: ['Deployment', 'HealthStatus'] }));
    const instances = health.InstanceHealthList ?? [];
    const evidence: Evidence[] = instances.map((i) => ({ kind: 'timeline', text: `${i.InstanceId}: ${i.Deployment?.VersionLabel ?? '?'} (${i.HealthStatus ?? '?'})`, source: 'DescribeInstancesHealth' }));
    const stale = instances.filter((i) => i.Deployment?.VersionLabel !== label);
    if (instances.length === 0) return { pass: false, expected, found: `${p.environment} has no running instances.`, reason: 'no-instances', hintLevel: 'concept' };
    if (stale.length > 0) {
      return { pass: false, expected, found: `${stale.length} of ${instances.length} instances still run another version (a mixed fleet).`, reason: 'mixed-fleet', hintLevel: 'fix', evidence };
    }
    return { pass: true, expected, found: `All ${instances.length} instance(s) run ${label}.`, evidence };
  } catch (err) {
    // Under basic health EB refuses DescribeInstancesHealth with InvalidRequestException ("... is not supported.").
    if ((err as Error).name !== 'InvalidRequestException') throw err;
    // Basic health has no per-instance view; the environment's version is the best evidence.
    return { pass: true, expected, found: `${p.environment} runs ${label} (basic health: per-instance versions are not reported).` };
  }
}

export async function instanceCount(p: CheckParams<'instance-count'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = `${p.environment} runs between ${p.min} and ${p.max} instances.`;
  await requireEnvironment(ctx, p.environment, expected);
  const out = await ctx.clients.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: p.environment }));
  const instances = out.EnvironmentResources?.Instances ?? [];
  const count = instances.length;
  const evidence: Evidence[] = instances.map((i) => ({ kind: 'timeline', text: `instance ${i.Id ?? '?'}`, source: 'DescribeEnvironmentResources' }));
  if (count >= p.min && count <= p.max) return { pass: true, expected, found: `${count} instance(s).`, evidence };
  return { pass: false, expected, found: `${p.environment} runs ${count} instance(s).`, reason: count < p.min ? 'too-few' : 'too-many', hintLevel: 'fix', evidence };
}
