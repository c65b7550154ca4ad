// Shared helpers for check kinds: workspace reads, environment and version look-ups through the SDK,
// and source bundle reading, each turning a learner-caused absence into a precise CheckFailure.
import {
  DescribeApplicationVersionsCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  type ApplicationVersionDescription,
  type EnvironmentDescription,
  type EventDescription,
} from '@aws-sdk/client-elastic-beanstalk';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { unzipSync } from 'fflate';
import { parse as parseYaml } from 'yaml';
import { joinPath } from '../workspace/fs.ts';
import { collectSource } from '../eb/bundle/source.ts';
import { findGitRoot } from '../eb/project.ts';
import { CheckFailure, type CheckContext, type Evidence } from './types.ts';

export function workspacePath(ctx: CheckContext, path: string): string {
  return joinPath(ctx.workspaceDir, path);
}

/** The file's text, or undefined when it does not exist (or is a folder). */
export async function readWorkspaceText(ctx: CheckContext, path: string): Promise<string | undefined> {
  const abs = workspacePath(ctx, path);
  if (!(await ctx.fs.exists(abs))) return undefined;
  const st = await ctx.fs.stat(abs);
  if (st.isDirectory) return undefined;
  return ctx.fs.readFile(abs, 'utf8');
}

/** Fails with a nudge when the file is missing. */
export async function requireWorkspaceText(ctx: CheckContext, path: string, expected: string): Promise<string> {
  const text = await readWorkspaceText(ctx, path);
  if (text === undefined) {
    throw new CheckFailure({ pass: false, expected, found: `There is no file ${path} in your workspace.`, reason: 'missing-file', hintLevel: 'nudge' });
  }
  return text;
}

/** 1-based line number of a character offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function fileEvidence(path: string, text: string, offset = 0): Evidence {
  const line = lineOf(text, offset);
  return { kind: 'file', text: text.split('\n')[line - 1] ?? '', source: `${path}:${line}` };
}

/** The live environment of that name (or the most recent terminated one), undefined when it never existed. */
export async function findEnvironment(ctx: CheckContext, name: string): Promise<EnvironmentDescription | undefined> {
  const out = await ctx.clients.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [name], IncludeDeleted: true }));
  const envs = out.Environments ?? [];
  return envs.find((e) => e.Status !== 'Terminated') ?? envs[0];
}

export async function requireEnvironment(ctx: CheckContext, name: string, expected: string): Promise<EnvironmentDescription> {
  const env = await findEnvironment(ctx, name);
  if (!env) {
    throw new CheckFailure({ pass: false, expected, found: `There is no environment named ${name} in ${ctx.clients.region}.`, reason: 'no-environment', hintLevel: 'nudge' });
  }
  if (env.Status === 'Terminated') {
    throw new CheckFailure({ pass: false, expected, found: `Environment ${name} was terminated.`, reason: 'terminated', hintLevel: 'concept' });
  }
  return env;
}

export async function listVersions(ctx: CheckContext, application: string): Promise<ApplicationVersionDescription[]> {
  try {
    const out = await ctx.clients.eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: application }));
    return [...(out.ApplicationVersions ?? [])].sort((a, b) => (b.DateCreated?.getTime() ?? 0) - (a.DateCreated?.getTime() ?? 0));
  } catch (err) {
    // A missing application is the learner's state, not an internal error.
    if (/No Application named/i.test((err as Error).message)) return [];
    throw err;
  }
}

/** Versions the learner made (not the preset's), newest first. */
export async function learnerVersions(ctx: CheckContext, application: string): Promise<ApplicationVersionDescription[]> {
  const preset = ctx.presetVersions.get(application) ?? new Set<string>();
  return (await listVersions(ctx, application)).filter((v) => !preset.has(v.VersionLabel ?? ''));
}

/** Events newest first, optionally only after the preset. */
export async function listEvents(
  ctx: CheckContext,
  filter: { environment?: string; application?: string; afterPreset?: boolean; max?: number },
): Promise<EventDescription[]> {
  const events: EventDescription[] = [];
  let token: string | undefined;
  do {
    const out = await ctx.clients.eb.send(
      new DescribeEventsCommand({
        EnvironmentName: filter.environment,
        ApplicationName: filter.application,
        StartTime: filter.afterPreset ? new Date(ctx.presetFinishedAt) : undefined,
        MaxRecords: 1000,
        NextToken: token,
      }),
    );
    events.push(...(out.Events ?? []));
    token = out.NextToken;
  } while (token && events.length < (filter.max ?? 5000));
  return events;
}

export function formatEventTime(date: Date | undefined): string {
  return date ? date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '') : '';
}

export function eventEvidence(e: EventDescription): Evidence {
  return { kind: 'event', text: e.Message ?? '', source: `${formatEventTime(e.EventDate)} ${e.Severity ?? ''}`.trim() };
}

export interface SourceBundle {
  /** Where it came from, for messages: `pettracker-web.zip`, `version v2 (s3://bucket/key)`. */
  label: string;
  /** Entry names as stored in the zip (folders end with `/`). */
  entries: string[];
}

export function readZip(bytes: Uint8Array, label: string): SourceBundle {
  try {
    // Only names are needed: the filter skips decompression, so big bundles stay cheap.
    const names: string[] = [];
    unzipSync(bytes, { filter: (f) => (names.push(f.name), false) });
    return { label, entries: names.filter((n) => !n.startsWith('__MACOSX/')) };
  } catch (err) {
    throw new CheckFailure({
      pass: false,
      expected: 'A valid zip file as the source bundle.',
      found: `${label} is not a valid zip file (${(err as Error).message}).`,
      reason: 'not-a-zip',
      hintLevel: 'fix',
    });
  }
}

export type BundleSource = { zip: string } | { deployedTo: string } | { latestVersionOf: string; excludePreset?: boolean } | { ebDeploy: true };

/** What `eb deploy` would upload from the workspace: the configured artifact, else the source it packages. */
async function ebDeployBundle(ctx: CheckContext): Promise<SourceBundle> {
  const configPath = workspacePath(ctx, '.elasticbeanstalk/config.yml');
  let artifact: string | undefined;
  if (await ctx.fs.exists(configPath)) {
    try {
      const config = parseYaml(await ctx.fs.readFile(configPath, 'utf8')) as { deploy?: { artifact?: unknown } } | null;
      if (typeof config?.deploy?.artifact === 'string') artifact = config.deploy.artifact;
    } catch (err) {
      throw new CheckFailure({
        pass: false,
        expected: 'A readable .elasticbeanstalk/config.yml.',
        found: `.elasticbeanstalk/config.yml is not valid YAML: ${(err as Error).message.split('\n')[0]}`,
        reason: 'invalid-config',
        hintLevel: 'fix',
      });
    }
  }
  if (artifact) {
    const abs = workspacePath(ctx, artifact);
    if (!(await ctx.fs.exists(abs))) {
      throw new CheckFailure({
        pass: false,
        expected: `The deploy artifact ${artifact} that .elasticbeanstalk/config.yml names.`,
        found: `.elasticbeanstalk/config.yml deploys ${artifact}, which does not exist yet: build it first.`,
        reason: 'no-bundle',
        hintLevel: 'nudge',
      });
    }
    return readZip(await ctx.fs.readFileBuffer(abs), `${artifact} (the deploy artifact)`);
  }
  const source = await collectSource(ctx.fs, ctx.workspaceDir, await findGitRoot(ctx.fs, ctx.workspaceDir));
  const how = { ebignore: 'the folder minus .ebignore', 'git-head': 'the last git commit', 'git-staged': 'the git index', directory: 'the folder minus .gitignore' }[source.kind];
  return { label: `the bundle eb deploy would make (${how})`, entries: source.files.map((f) => f.path) };
}

async function versionBundle(ctx: CheckContext, version: ApplicationVersionDescription): Promise<SourceBundle> {
  const bucket = version.SourceBundle?.S3Bucket;
  const key = version.SourceBundle?.S3Key;
  const label = `version ${version.VersionLabel}`;
  if (!bucket || !key) {
    throw new CheckFailure({ pass: false, expected: 'An application version with a source bundle.', found: `${label} has no source bundle in S3.`, reason: 'no-bundle', hintLevel: 'nudge' });
  }
  const out = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = await out.Body!.transformToByteArray();
  return readZip(bytes, `${label} (s3://${bucket}/${key})`);
}

/** Reads the bundle a bundle-* check inspects; absence is the learner's failure at nudge level. */
export async function loadBundle(ctx: CheckContext, source: BundleSource): Promise<SourceBundle> {
  if ('zip' in source) {
    const abs = workspacePath(ctx, source.zip);
    if (!(await ctx.fs.exists(abs))) {
      throw new CheckFailure({ pass: false, expected: `A source bundle ${source.zip} in your workspace.`, found: `There is no ${source.zip} in your workspace.`, reason: 'no-bundle', hintLevel: 'nudge' });
    }
    return readZip(await ctx.fs.readFileBuffer(abs), source.zip);
  }
  if ('ebDeploy' in source) return ebDeployBundle(ctx);
  if ('deployedTo' in source) {
    const env = await requireEnvironment(ctx, source.deployedTo, `Environment ${source.deployedTo} running your version.`);
    if (!env.VersionLabel) {
      throw new CheckFailure({ pass: false, expected: `Environment ${source.deployedTo} running your version.`, found: `${source.deployedTo} runs no application version (the sample application).`, reason: 'no-version', hintLevel: 'nudge' });
    }
    const versions = await listVersions(ctx, env.ApplicationName ?? '');
    const version = versions.find((v) => v.VersionLabel === env.VersionLabel);
    if (!version) throw new Error(`Environment ${source.deployedTo} runs version ${env.VersionLabel}, which DescribeApplicationVersions does not list`);
    return versionBundle(ctx, version);
  }
  const versions = source.excludePreset === false ? await listVersions(ctx, source.latestVersionOf) : await learnerVersions(ctx, source.latestVersionOf);
  if (versions.length === 0) {
    throw new CheckFailure({
      pass: false,
      expected: `A new application version of ${source.latestVersionOf}.`,
      found: `You have not created an application version of ${source.latestVersionOf} yet.`,
      reason: 'no-version',
      hintLevel: 'nudge',
    });
  }
  return versionBundle(ctx, versions[0]);
}

/** The single top-level folder every entry sits in, or undefined when files sit at the root. */
export function parentFolderOf(bundle: SourceBundle): string | undefined {
  const tops = new Set<string>();
  let rootFile = false;
  for (const entry of bundle.entries) {
    const parts = entry.split('/');
    if (parts.length === 1) rootFile = true;
    tops.add(parts[0]);
  }
  if (rootFile || tops.size !== 1) return undefined;
  const [top] = [...tops];
  return bundle.entries.some((e) => e.startsWith(top + '/')) ? top : undefined;
}

/** Whether the bundle holds this path (a file, or a folder with anything in it); case-sensitive, as on EB's Linux instances. */
export function bundleHas(bundle: SourceBundle, path: string): boolean {
  const clean = path.replace(/\/$/, '');
  return bundle.entries.some((e) => e === clean || e === clean + '/' || e.startsWith(clean + '/'));
}

/** Entries that contain a folder or file of this name at any depth (e.g. node_modules). */
export function bundleEntriesNamed(bundle: SourceBundle, name: string): string[] {
  const clean = name.replace(/\/$/, '');
  return bundle.entries.filter((e) => e.split('/').includes(clean) || e === clean || e.startsWith(clean + '/'));
}
