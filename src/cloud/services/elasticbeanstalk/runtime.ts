// The bridge to the simulated instances: bundle reports per application version (read once from the object
// store, or the platform's sample application), effective settings and the platform of an environment.

import type { ObjectStore } from '../service.ts';
import type { BundleReport } from '../../instance/index.ts';
import { inspectBundle, sampleApplication } from '../../instance/index.ts';
import { unzipSync } from 'fflate';
import type { PlatformVersion } from './platforms.ts';
import { PLATFORM_BRANCHES, findByArn, findBySolutionStack, latestVersionOf } from './platforms.ts';
import { resolveEffectiveSettings, type EffectiveSettings } from './options/index.ts';
import type { Environment, RegionState } from './model.ts';

export class InstanceRuntime {
  /** Inspection is pure per bundle, so reports are cached; the cache is rebuilt on demand after a restore. */
  private reports = new Map<string, BundleReport>();

  constructor(private readonly objects: ObjectStore) {}

  clear(): void {
    this.reports.clear();
  }

  private platforms = new Map<string, PlatformVersion>();

  platformOf(env: Pick<Environment, 'platformArn' | 'solutionStackName'>, region: string): PlatformVersion {
    const key = `${region}|${env.platformArn}|${env.solutionStackName}`;
    const known = this.platforms.get(key);
    if (known) return known;
    const p = findByArn(env.platformArn, region) ?? findBySolutionStack(env.solutionStackName, region);
    if (!p) throw new Error(`Environment platform ${env.platformArn} is not in the platform catalogue`);
    if (this.platforms.size > 1000) this.platforms.clear();
    this.platforms.set(key, p);
    return p;
  }

  /** The report of a version's bundle; `label` undefined means EB's sample application for the platform. */
  report(state: RegionState, applicationName: string, label: string | undefined, platform: PlatformVersion): BundleReport {
    const version = label ? state.applications[applicationName]?.versions[label] : undefined;
    const source = version?.bucket && version.key ? `s3://${version.bucket}/${version.key}` : `sample:${platform.solutionStackName}`;
    const key = `${state.accountId}|${source}|${platform.branch.branchName}|${label ?? ''}|${version?.dateCreated ?? 0}`;
    const cached = this.reports.get(key);
    if (cached) return cached;
    let bytes: Uint8Array | undefined;
    if (version?.bucket && version.key) {
      bytes = this.objects.getObject(state.accountId, version.bucket, version.key);
      // A bundle deleted from S3 after the version was created: EB fails to download it at deploy time.
      if (!bytes) return missingBundleReport(version.bucket, version.key);
    } else {
      bytes = sampleApplication(platform);
    }
    const report = inspectBundle(bytes, platform, { versionLabel: label ?? 'Sample Application' });
    if (this.reports.size > 500) this.reports.clear();
    this.reports.set(key, report);
    return report;
  }

  /** Settings are resolved often (every request and tick); the inputs are replaced, never mutated, so identity is a safe key. */
  private settingsCache = new WeakMap<Environment, { api: unknown; template: unknown; bundle: unknown; platform: string; tier: string; result: EffectiveSettings }>();

  /**
   * The platform a bundle is meant for when no environment says (processing a version before any environment
   * exists): Python for requirements.txt or root .py files, Docker for a Dockerfile or Dockerrun, else Node.js.
   */
  guessPlatform(state: RegionState, applicationName: string, label: string): PlatformVersion | undefined {
    const version = state.applications[applicationName]?.versions[label];
    if (!version?.bucket || !version.key) return undefined;
    const bytes = this.objects.getObject(state.accountId, version.bucket, version.key);
    if (!bytes) return undefined;
    const names: string[] = [];
    try {
      unzipSync(bytes, {
        filter: (f) => {
          names.push(f.name);
          return false;
        },
      });
    } catch {
      return undefined;
    }
    const root = names.map((n) => n.replace(/^\.\//, ''));
    const language = root.some((n) => /^(Dockerfile|Dockerrun\.aws\.json|docker-compose\.ya?ml)$/.test(n))
      ? 'docker'
      : root.some((n) => n === 'requirements.txt' || n === 'Pipfile' || /^[^/]+\.py$/.test(n))
        ? 'python'
        : 'nodejs';
    const branch = PLATFORM_BRANCHES.filter((b) => b.language === language && b.lifecycleState === 'Supported').sort((a, b) => b.branchOrder - a.branchOrder)[0];
    return branch ? latestVersionOf(branch, state.region) : undefined;
  }

  settings(env: Environment, platform: PlatformVersion): EffectiveSettings {
    const hit = this.settingsCache.get(env);
    if (hit && hit.api === env.apiSettings && hit.template === env.templateSettings && hit.bundle === env.bundleSettings && hit.platform === platform.platformArn && hit.tier === env.tier.Name) {
      return hit.result;
    }
    const result = this.resolve(env, platform);
    this.settingsCache.set(env, { api: env.apiSettings, template: env.templateSettings, bundle: env.bundleSettings, platform: platform.platformArn, tier: env.tier.Name, result });
    return result;
  }

  private resolve(env: Environment, platform: PlatformVersion): EffectiveSettings {
    return resolveEffectiveSettings({
      context: { language: platform.branch.language, tier: env.tier.Name === 'Worker' ? 'Worker' : 'WebServer' },
      api: env.apiSettings,
      template: env.templateSettings,
      ebextensions: env.bundleSettings,
    });
  }
}

function missingBundleReport(bucket: string, key: string): BundleReport {
  const message = `Unable to download from S3 location (Bucket: ${bucket} Key: ${key}). Reason: Not Found`;
  return {
    ok: false,
    failure: {
      kind: 'not-a-zip',
      message: `The source bundle s3://${bucket}/${key} no longer exists. Upload it again or deploy another version.`,
      events: [
        { severity: 'ERROR', message },
        { severity: 'ERROR', message: 'Failed to deploy application.' },
      ],
      logs: [{ file: '/var/log/eb-engine.log', text: `[ERROR] ${message}` }],
    },
    warnings: [],
    size: 0,
    uncompressedSize: 0,
    entries: [],
    ebextensions: [],
    hooks: { prebuild: [], predeploy: [], postdeploy: [] },
    confighooks: { prebuild: [], predeploy: [], postdeploy: [] },
    proxy: { files: [], replacesMainConfig: false, keepsElasticBeanstalkInclude: true },
    app: {},
  };
}

/** The instance type new instances get: an explicit launchconfiguration InstanceType, else the first of InstanceTypes. */
export function instanceTypeOf(settings: EffectiveSettings): string {
  // A type set explicitly in the older launchconfiguration namespace wins over the defaulted InstanceTypes list.
  const legacy = settings.get('aws:autoscaling:launchconfiguration', 'InstanceType');
  const legacySource = settings.sourceOf('aws:autoscaling:launchconfiguration', 'InstanceType');
  const listSource = settings.sourceOf('aws:ec2:instances', 'InstanceTypes');
  if (legacy && legacySource && legacySource !== 'default' && (!listSource || listSource === 'default')) return legacy.trim();
  const types = settings.get('aws:ec2:instances', 'InstanceTypes');
  return (types?.split(',')[0]?.trim() || settings.get('aws:autoscaling:launchconfiguration', 'InstanceType') || 't3.micro').trim();
}

