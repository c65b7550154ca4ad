// ComposeEnvironments: one environment per application version, each described by the `env.yaml` manifest at
// the root of its bundle (EnvironmentName with a `+` group suffix, SolutionStack, EnvironmentTier, OptionSettings).

import { unzipSync, strFromU8 } from 'fflate';
import { parse } from 'yaml';
import type { Ctx } from './context.ts';
import type { QueryParams, QueryValue } from '../service.ts';
import { invalidParameter, noVersion } from './errors.ts';
import { findApplication } from './applications.ts';
import { checkLength, required, str, stringList } from './params.ts';
import { createEnvironment } from './environments.ts';

interface Manifest {
  EnvironmentName?: unknown;
  SolutionStack?: unknown;
  EnvironmentTier?: { Name?: unknown; Type?: unknown };
  OptionSettings?: Record<string, Record<string, unknown>>;
}

function readManifest(ctx: Ctx, appName: string, label: string): Manifest {
  const version = findApplication(ctx.state, appName).versions[label];
  if (!version) throw noVersion(label);
  if (!version.bucket || !version.key) throw invalidParameter(`Application version ${label} has no source bundle, so it has no env.yaml manifest.`);
  const bytes = ctx.engine.objects.getObject(ctx.state.accountId, version.bucket, version.key);
  if (!bytes) throw invalidParameter(`Unable to download from S3 location (Bucket: ${version.bucket} Key: ${version.key}). Reason: Not Found`);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => f.name === 'env.yaml' });
  } catch {
    throw invalidParameter(`The source bundle of application version ${label} is not a valid ZIP file.`);
  }
  const text = files['env.yaml'];
  if (!text) throw invalidParameter(`Application version ${label} has no env.yaml at the root of its source bundle. ComposeEnvironments needs one per version.`);
  try {
    const doc = parse(strFromU8(text));
    if (!doc || typeof doc !== 'object') throw new Error('not a mapping');
    return doc as Manifest;
  } catch (e) {
    throw invalidParameter(`The env.yaml of application version ${label} is not valid YAML: ${(e as Error).message}`);
  }
}

export function composeEnvironments(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const appName = required(params, 'ApplicationName');
  const group = str(params, 'GroupName') || undefined;
  checkLength('GroupName', group, 1, 19);
  const labels = stringList(params, 'VersionLabels');
  if (labels.length === 0) throw invalidParameter('VersionLabels must name at least one application version.');
  const manifests = labels.map((label) => ({ label, manifest: readManifest(ctx, appName, label) }));
  const environments: Record<string, unknown>[] = [];
  for (const { label, manifest } of manifests) {
    const rawName = typeof manifest.EnvironmentName === 'string' ? manifest.EnvironmentName : '';
    if (!rawName) throw invalidParameter(`The env.yaml of application version ${label} has no EnvironmentName.`);
    if (rawName.endsWith('+') && !group) throw invalidParameter(`Environment name ${rawName} ends with '+', so a GroupName is required.`);
    const name = rawName.endsWith('+') ? `${rawName.slice(0, -1)}-${group}` : rawName;
    const p: Record<string, QueryValue> = { ApplicationName: appName, EnvironmentName: name, VersionLabel: label };
    if (group) p.GroupName = group;
    if (typeof manifest.SolutionStack === 'string') p.SolutionStackName = manifest.SolutionStack;
    if (manifest.EnvironmentTier && typeof manifest.EnvironmentTier.Name === 'string') {
      p.Tier = { Name: manifest.EnvironmentTier.Name, Type: String(manifest.EnvironmentTier.Type ?? (manifest.EnvironmentTier.Name === 'Worker' ? 'SQS/HTTP' : 'Standard')) };
    }
    const settings: QueryValue[] = [];
    for (const [namespace, options] of Object.entries(manifest.OptionSettings ?? {})) {
      for (const [option, value] of Object.entries(options ?? {})) settings.push({ Namespace: namespace, OptionName: option, Value: String(value) });
    }
    if (settings.length) p.OptionSettings = settings;
    environments.push(createEnvironment(ctx, p));
  }
  return { Environments: environments };
}
