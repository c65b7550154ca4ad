// Creates a lab's starting cloud (applications, versions, environments) through the same SDK calls a
// learner's tools make, and waits for it on the cloud's clock (instant on a ManualClock: sleep advances it).
import {
  CreateApplicationCommand,
  CreateApplicationVersionCommand,
  CreateEnvironmentCommand,
  CreateStorageLocationCommand,
  DescribeApplicationVersionsCommand,
  DescribeEnvironmentsCommand,
  ListAvailableSolutionStacksCommand,
  type ConfigurationOptionSetting,
} from '@aws-sdk/client-elastic-beanstalk';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { zipSync, type Zippable } from 'fflate';
import type { LabPreset } from '../course/lab-schema.ts';
import type { Lab, LabFiles } from '../course/lab-loader.ts';
import type { CheckClients } from './types.ts';

export interface PresetClients extends CheckClients {
  /** Waits in the cloud's time (advances a ManualClock). */
  sleep(ms: number): Promise<void>;
}

export interface PresetSource {
  /** The lab folder's files (for version bundles). */
  files: LabFiles;
  /** Default platform for environments (EB CLI name, e.g. `python-3.13`). */
  platform: string;
}

export interface PresetResult {
  /** Virtual time the preset finished. */
  finishedAt: number;
  environments: { name: string; status: string; health: string }[];
}

/** The preset could not be created: a lab defect (or a backend that cannot run it), never the learner's. */
export class PresetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PresetError';
  }
}

const RUNTIMES: Record<string, string> = {
  'node.js': 'Node.js',
  nodejs: 'Node.js',
  node: 'Node.js',
  python: 'Python',
  docker: 'Docker',
  php: 'PHP',
  ruby: 'Ruby',
  go: 'Go',
  corretto: 'Corretto',
  java: 'Corretto',
  tomcat: 'Tomcat',
  'dotnet-core': '.NET',
};

function stackVersion(stack: string): number[] {
  const m = / v(\d+)\.(\d+)\.(\d+) /.exec(stack);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

/** Resolves an EB CLI platform name (`node.js-22`, `python-3.13`, a branch or a full stack name) to the newest solution stack. */
export async function resolveSolutionStack(clients: CheckClients, platform: string): Promise<string> {
  const out = await clients.eb.send(new ListAvailableSolutionStacksCommand({}));
  const stacks = out.SolutionStacks ?? [];
  if (stacks.includes(platform)) return platform;
  let matcher: RegExp;
  const branch = /^(.+) running on (.+)$/.exec(platform);
  const short = /^([a-z.]+(?:-core)?)(?:-(\d+(?:\.\d+)?))?$/i.exec(platform);
  if (branch) matcher = new RegExp(`^${escape(branch[2])} v[\\d.]+ running ${escape(branch[1])}$`);
  else if (short && RUNTIMES[short[1].toLowerCase()]) matcher = new RegExp(`running ${escape(RUNTIMES[short[1].toLowerCase()])}${short[2] ? ` ${escape(short[2])}` : '(?: [\\d.]+)?'}$`);
  else throw new PresetError(`Unknown platform "${platform}": use an EB CLI name such as node.js-22 or python-3.13, a branch name, or a solution stack name`);
  const candidates = stacks.filter((s) => matcher.test(s) && s.includes('Amazon Linux 2023'));
  const pool = candidates.length ? candidates : stacks.filter((s) => matcher.test(s));
  if (pool.length === 0) throw new PresetError(`No solution stack matches platform "${platform}" (the cloud offers ${stacks.length} stacks)`);
  return pool.sort((a, b) => {
    const [x, y] = [stackVersion(a), stackVersion(b)];
    return y[0] - x[0] || y[1] - x[1] || y[2] - x[2] || b.localeCompare(a);
  })[0];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Zips a lab folder (`preset/v1`) the way a learner's tool would, optionally inside a parent folder and leaving out
 * `exclude` paths (a file, or a folder ending in `/`).
 */
export function zipLabFolder(files: LabFiles, dir: string, parentFolder?: string, exclude: readonly string[] = []): Uint8Array {
  const prefix = dir.replace(/\/$/, '') + '/';
  const excluded = (rel: string) => exclude.some((e) => (e.endsWith('/') ? rel.startsWith(e) : rel === e));
  const entries: Zippable = {};
  for (const [path, content] of Object.entries(files)) {
    if (!path.startsWith(prefix)) continue;
    const rel = path.slice(prefix.length);
    if (excluded(rel)) continue;
    const name = parentFolder ? `${parentFolder.replace(/\/$/, '')}/${rel}` : rel;
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    // Hooks and scripts keep their executable bit, as `zip` on a learner's machine would.
    entries[name] = [bytes, { mtime: new Date(Date.UTC(2026, 0, 1)), attrs: (rel.endsWith('.sh') ? 0o100755 : 0o100644) << 16, os: 3 }];
  }
  return zipSync(entries);
}

async function waitFor<T>(clients: PresetClients, what: string, poll: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = clients.now() + timeoutMs;
  for (;;) {
    const value = await poll();
    if (value !== undefined) return value;
    if (clients.now() >= deadline) throw new PresetError(`Timed out after ${Math.round(timeoutMs / 60000)} simulated minutes waiting for ${what}`);
    await clients.sleep(5000);
  }
}

function isLab(x: Lab | LabPreset): x is Lab {
  return 'manifest' in x;
}

/**
 * Applies a lab's preset. Call as `applyPreset(lab, clients)` or `applyPreset(lab.manifest.preset, clients,
 * { files: lab.files, platform: lab.manifest.platform })`. Environments are waited for until Ready.
 */
export async function applyPreset(labOrPreset: Lab | LabPreset, clients: PresetClients, source?: PresetSource): Promise<PresetResult> {
  const preset = isLab(labOrPreset) ? labOrPreset.manifest.preset : labOrPreset;
  const files = isLab(labOrPreset) ? labOrPreset.files : (source?.files ?? {});
  const platform = isLab(labOrPreset) ? labOrPreset.manifest.platform : (source?.platform ?? '');
  const { eb, s3 } = clients;

  for (const app of preset.applications) {
    await eb.send(new CreateApplicationCommand({ ApplicationName: app.name, Description: app.description }));
  }
  if (preset.versions.length > 0) {
    const { S3Bucket: bucket } = await eb.send(new CreateStorageLocationCommand({}));
    if (!bucket) throw new PresetError('CreateStorageLocation returned no bucket');
    for (const v of preset.versions) {
      const key = `${v.application}/${v.label}.zip`;
      const body = zipLabFolder(files, v.bundle.dir, v.bundle.parentFolder, v.bundle.exclude);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/zip' }));
      await eb.send(
        new CreateApplicationVersionCommand({
          ApplicationName: v.application,
          VersionLabel: v.label,
          Description: v.description,
          SourceBundle: { S3Bucket: bucket, S3Key: key },
          Process: v.process,
        }),
      );
    }
    await waitFor(
      clients,
      'preset versions to be processed',
      async () => {
        for (const app of new Set(preset.versions.map((v) => v.application))) {
          const out = await eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: app }));
          if ((out.ApplicationVersions ?? []).some((v) => String(v.Status).toUpperCase() === 'PROCESSING')) return undefined;
        }
        return true;
      },
      10 * 60_000,
    );
  }
  for (const env of preset.environments) {
    const optionSettings: ConfigurationOptionSetting[] = env.optionSettings.map((o) => ({ Namespace: o.namespace, OptionName: o.option, Value: o.value }));
    if (env.enhancedHealth && !optionSettings.some((o) => o.OptionName === 'SystemType')) {
      optionSettings.push({ Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'SystemType', Value: 'enhanced' });
    }
    if (!optionSettings.some((o) => o.OptionName === 'IamInstanceProfile')) {
      optionSettings.push({ Namespace: 'aws:autoscaling:launchconfiguration', OptionName: 'IamInstanceProfile', Value: 'aws-elasticbeanstalk-ec2-role' });
    }
    await eb.send(
      new CreateEnvironmentCommand({
        ApplicationName: env.application,
        EnvironmentName: env.name,
        SolutionStackName: await resolveSolutionStack(clients, env.platform ?? platform),
        VersionLabel: env.version,
        OptionSettings: optionSettings,
      }),
    );
  }
  const environments: PresetResult['environments'] = [];
  for (const env of preset.environments) {
    const described = await waitFor(
      clients,
      `environment ${env.name} to finish launching`,
      async () => {
        const out = await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [env.name] }));
        const e = out.Environments?.[0];
        return e && e.Status !== 'Launching' ? e : undefined;
      },
      60 * 60_000,
    );
    environments.push({ name: env.name, status: described.Status ?? '', health: described.Health ?? '' });
  }
  // A steady request stream (the traffic probe) runs for the whole lab, so deploys leave traffic evidence.
  for (const env of preset.environments.filter((e) => e.traffic > 0)) {
    if (!clients.sandbox?.probe) throw new PresetError(`Environment ${env.name} asks for traffic: ${env.traffic}, which only the built-in sandbox or \`academy cloud\` can send.`);
    await clients.sandbox.probe(env.name, env.traffic, { region: clients.region, ...(env.trafficRequests.length ? { requests: env.trafficRequests } : {}) });
  }
  // Let health settle so the starting colours are what a learner first sees.
  if (preset.environments.length > 0) await clients.sleep(60_000);
  return { finishedAt: clients.now(), environments };
}
