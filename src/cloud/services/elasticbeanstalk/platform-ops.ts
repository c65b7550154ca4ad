// Platform operations over the dated catalogue in platforms.ts: branches, versions, solution stacks,
// DescribePlatformVersion, custom platform bookkeeping, and the account quotas.

import type { Ctx } from './context.ts';
import type { QueryParams } from '../service.ts';
import type { PlatformVersion } from './platforms.ts';
import { PLATFORM_BRANCHES, allPlatformVersions, findByArn } from './platforms.ts';
import { QUOTAS } from './model.ts';
import { invalidParameter, noPlatform, platformStillReferenced, tooManyPlatforms } from './errors.ts';
import { addEvent } from './events.ts';
import { int, required, str, stringList, structList, struct, tags, type Struct } from './params.ts';
import { setTags } from './tags.ts';

function permittedFileTypes(p: PlatformVersion): string[] {
  if (p.branch.language === 'tomcat') return ['war', 'zip'];
  if (p.branch.language === 'docker' || p.branch.language === 'ecs') return ['zip', 'json'];
  return ['zip'];
}

function programmingLanguage(p: PlatformVersion): { Name: string; Version: string } {
  const names: Record<string, string> = {
    nodejs: 'Node.js',
    python: 'Python',
    docker: 'Docker',
    ecs: 'ECS',
    php: 'PHP',
    corretto: 'Java',
    tomcat: 'Java',
    go: 'Go',
    dotnet: '.NET',
    ruby: 'Ruby',
  };
  return { Name: names[p.branch.language] ?? p.branch.platformName, Version: p.runtimeVersion };
}

function summary(p: PlatformVersion): Record<string, unknown> {
  const out: Record<string, unknown> = {
    PlatformArn: p.platformArn,
    PlatformOwner: 'AWSElasticBeanstalk',
    PlatformStatus: 'Ready',
    PlatformCategory: p.branch.platformName,
    OperatingSystemName: 'Amazon Linux',
    OperatingSystemVersion: '2023',
    SupportedTierList: [...p.branch.supportedTiers],
    SupportedAddonList: ['Log/S3', 'Monitoring/Healthd', 'WorkerDaemon/SQSD'],
    PlatformVersion: p.version,
    PlatformBranchName: p.branch.branchName,
    PlatformBranchLifecycleState: p.branch.lifecycleState,
  };
  if (p.recommended) out.PlatformLifecycleState = 'Recommended';
  return out;
}

function describe(p: PlatformVersion): Record<string, unknown> {
  return {
    ...summary(p),
    PlatformName: p.branch.branchName,
    SolutionStackName: p.solutionStackName,
    DateCreated: new Date(p.dateCreated),
    DateUpdated: new Date(p.dateCreated),
    Description: `${p.branch.branchName} version ${p.version}`,
    Maintainer: 'aws-elasticbeanstalk-platforms@amazon.com',
    ProgrammingLanguages: [programmingLanguage(p)],
    Frameworks: [],
    CustomAmiList: [
      { VirtualizationType: 'hvm', ImageId: `ami-0${p.version.replace(/\./g, '')}${p.branch.branchOrder}a1b2c3d4e5f6`.slice(0, 21) },
    ],
  };
}

type Compare = (actual: string, values: string[]) => boolean;

function comparator(op: string, numeric: boolean): Compare {
  const cmp = (a: string, b: string) => (numeric ? compareVersions(a, b) : a.localeCompare(b));
  switch (op) {
    case '=':
      return (a, vs) => vs.includes(a);
    case '!=':
      return (a, vs) => !vs.includes(a);
    case '<':
      return (a, vs) => vs.every((v) => cmp(a, v) < 0);
    case '<=':
      return (a, vs) => vs.every((v) => cmp(a, v) <= 0);
    case '>':
      return (a, vs) => vs.every((v) => cmp(a, v) > 0);
    case '>=':
      return (a, vs) => vs.every((v) => cmp(a, v) >= 0);
    case 'contains':
      return (a, vs) => vs.some((v) => a.includes(v));
    case 'begins_with':
      return (a, vs) => vs.some((v) => a.startsWith(v));
    case 'ends_with':
      return (a, vs) => vs.some((v) => a.endsWith(v));
    default:
      throw invalidParameter(`Invalid filter operator '${op}'. Valid operators: =, !=, <, <=, >, >=, contains, begins_with, ends_with.`);
  }
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const VERSION_FILTERS: Record<string, (p: PlatformVersion) => string | string[]> = {
  PlatformName: (p) => p.branch.branchName,
  PlatformVersion: (p) => p.version,
  PlatformStatus: () => 'Ready',
  PlatformBranchName: (p) => p.branch.branchName,
  PlatformLifecycleState: (p) => (p.recommended ? 'Recommended' : ''),
  PlatformOwner: () => 'AWSElasticBeanstalk',
  SupportedTier: (p) => [...p.branch.supportedTiers],
  SupportedAddon: () => ['Log/S3', 'Monitoring/Healthd', 'WorkerDaemon/SQSD'],
  ProgrammingLanguageName: (p) => programmingLanguage(p).Name,
  OperatingSystemName: () => 'Amazon Linux',
};

function page<T>(items: T[], params: QueryParams, prefix: string): { items: T[]; next?: string } {
  const max = int(params, 'MaxRecords', 1, 1000);
  const token = str(params, 'NextToken');
  let start = 0;
  if (token) {
    const m = new RegExp(`^${prefix}-(\\d+)$`).exec(token);
    if (!m) throw invalidParameter(`Invalid NextToken: '${token}'.`);
    start = Number(m[1]);
  }
  if (max === undefined) return { items: items.slice(start) };
  const slice = items.slice(start, start + max);
  return start + max < items.length ? { items: slice, next: `${prefix}-${start + max}` } : { items: slice };
}

export function listPlatformVersions(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  let versions = allPlatformVersions(ctx.state.region);
  for (const f of structList(params, 'Filters')) {
    const type = str(f, 'Type') ?? '';
    const get = VERSION_FILTERS[type];
    if (!get) throw invalidParameter(`Invalid filter type '${type}'. Valid types: ${Object.keys(VERSION_FILTERS).join(', ')}.`);
    const op = comparator(str(f, 'Operator') ?? '=', type === 'PlatformVersion');
    const values = stringList(f, 'Values');
    versions = versions.filter((p) => {
      const actual = get(p);
      return Array.isArray(actual) ? actual.some((a) => op(a, values)) : op(actual, values);
    });
  }
  const { items, next } = page(versions, params, 'platforms');
  const out: Record<string, unknown> = { PlatformSummaryList: items.map(summary) };
  if (next) out.NextToken = next;
  return out;
}

export function listPlatformBranches(_ctx: Ctx, params: QueryParams): Record<string, unknown> {
  let branches = [...PLATFORM_BRANCHES];
  const attrs: Record<string, (b: (typeof branches)[number]) => string | string[]> = {
    PlatformName: (b) => b.platformName,
    BranchName: (b) => b.branchName,
    LifecycleState: (b) => b.lifecycleState,
    TierType: (b) => b.supportedTiers.map((t) => t.split('/')[0]),
  };
  for (const f of structList(params, 'Filters')) {
    const attribute = str(f, 'Attribute') ?? '';
    const get = attrs[attribute];
    if (!get) throw invalidParameter(`Invalid filter attribute '${attribute}'. Valid attributes: ${Object.keys(attrs).join(', ')}.`);
    const op = comparator(str(f, 'Operator') ?? '=', false);
    const values = stringList(f, 'Values');
    branches = branches.filter((b) => {
      const actual = get(b);
      return Array.isArray(actual) ? actual.some((a) => op(a, values)) : op(actual, values);
    });
  }
  const { items, next } = page(branches, params, 'branches');
  const out: Record<string, unknown> = {
    PlatformBranchSummaryList: items.map((b) => ({
      PlatformName: b.platformName,
      BranchName: b.branchName,
      LifecycleState: b.lifecycleState,
      BranchOrder: b.branchOrder,
      SupportedTierList: [...b.supportedTiers],
    })),
  };
  if (next) out.NextToken = next;
  return out;
}

export function listAvailableSolutionStacks(ctx: Ctx): Record<string, unknown> {
  const versions = allPlatformVersions(ctx.state.region);
  return {
    SolutionStacks: versions.map((v) => v.solutionStackName),
    SolutionStackDetails: versions.map((v) => ({ SolutionStackName: v.solutionStackName, PermittedFileTypes: permittedFileTypes(v) })),
  };
}

export function describePlatformVersion(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const arn = required(params, 'PlatformArn');
  const custom = Object.values(ctx.state.platforms).find((p) => p.arn === arn);
  if (custom) {
    return {
      PlatformDescription: {
        PlatformArn: custom.arn,
        PlatformOwner: ctx.state.accountId,
        PlatformName: custom.name,
        PlatformVersion: custom.version,
        PlatformStatus: custom.status,
        DateCreated: new Date(custom.dateCreated),
        DateUpdated: new Date(custom.dateUpdated),
        SupportedTierList: ['WebServer/Standard'],
        SupportedAddonList: [],
        ProgrammingLanguages: [],
        Frameworks: [],
        CustomAmiList: [],
      },
    };
  }
  const p = findByArn(arn, ctx.state.region);
  if (!p) throw noPlatform(arn);
  return { PlatformDescription: describe(p) };
}

export function createPlatformVersion(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const name = required(params, 'PlatformName');
  const version = required(params, 'PlatformVersion');
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/.test(name)) throw invalidParameter(`Platform name '${name}' is invalid.`);
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw invalidParameter(`Platform version '${version}' is invalid. Use the form major.minor.patch, for example 1.0.0.`);
  const definition: Struct | undefined = struct(params, 'PlatformDefinitionBundle');
  const bucket = definition ? str(definition, 'S3Bucket') : undefined;
  const key = definition ? str(definition, 'S3Key') : undefined;
  if (!bucket || !key) throw invalidParameter('PlatformDefinitionBundle.S3Bucket and PlatformDefinitionBundle.S3Key are required.');
  if (!ctx.engine.objects.getObject(ctx.state.accountId, bucket, key)) {
    throw invalidParameter(`Unable to download from S3 location (Bucket: ${bucket} Key: ${key}). Reason: Not Found`);
  }
  if (Object.keys(ctx.state.platforms).length >= QUOTAS.customPlatforms) throw tooManyPlatforms(QUOTAS.customPlatforms);
  const arn = `arn:aws:elasticbeanstalk:${ctx.state.region}:${ctx.state.accountId}:platform/${name}/${version}`;
  if (ctx.state.platforms[arn]) throw invalidParameter(`Platform ${name} version ${version} already exists.`);
  const now = ctx.req.now;
  ctx.state.platforms[arn] = { arn, name, version, status: 'Creating', dateCreated: now, dateUpdated: now, bucket, key };
  const tagList = tags(params);
  if (tagList.length) setTags(ctx, arn, tagList, []);
  addEvent(ctx.state, { date: now, severity: 'INFO', message: `createPlatformVersion is starting.`, platformArn: arn, requestId: ctx.req.requestId });
  ctx.engine.lifecycle.schedulePlatformBuild(ctx.state, arn, ctx.req.requestId);
  return {
    PlatformSummary: { PlatformArn: arn, PlatformOwner: ctx.state.accountId, PlatformStatus: 'Creating', PlatformVersion: version, SupportedTierList: [], SupportedAddonList: [] },
    Builder: { ARN: `arn:aws:elasticbeanstalk:${ctx.state.region}:${ctx.state.accountId}:environment/aws-elasticbeanstalk-platform-builder/${name}-builder` },
  };
}

export function deletePlatformVersion(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const arn = required(params, 'PlatformArn');
  const custom = ctx.state.platforms[arn];
  if (!custom) {
    if (findByArn(arn, ctx.state.region)) throw invalidParameter(`Platform ${arn} is owned by AWS Elastic Beanstalk and cannot be deleted.`);
    throw noPlatform(arn);
  }
  const users = Object.values(ctx.state.environments).filter((e) => e.platformArn === arn && e.status !== 'Terminated');
  if (users.length) throw platformStillReferenced(`Platform ${arn} is still in use by environment(s): ${users.map((e) => e.name).join(', ')}.`);
  delete ctx.state.platforms[arn];
  delete ctx.state.tags[arn];
  return {
    PlatformSummary: { PlatformArn: arn, PlatformOwner: ctx.state.accountId, PlatformStatus: 'Deleted', PlatformVersion: custom.version },
  };
}

export function describeAccountAttributes(): Record<string, unknown> {
  return {
    ResourceQuotas: {
      ApplicationQuota: { Maximum: QUOTAS.applications },
      ApplicationVersionQuota: { Maximum: QUOTAS.applicationVersions },
      EnvironmentQuota: { Maximum: QUOTAS.environments },
      ConfigurationTemplateQuota: { Maximum: QUOTAS.configurationTemplates },
      CustomPlatformQuota: { Maximum: QUOTAS.customPlatforms },
    },
  };
}
