// Resource tags by ARN (applications, versions, environments, templates, platforms), with EB's reserved
// prefixes and per-resource limit; environments also carry the tags EB adds itself.

import type { Ctx } from './context.ts';
import type { QueryParams } from '../service.ts';
import type { Tag } from './model.ts';
import { QUOTAS } from './model.ts';
import { invalidParameter, resourceNotFound, resourceTypeNotSupported, tooManyTags } from './errors.ts';
import { required, stringList, tags } from './params.ts';

const RESERVED = /^(aws:|elasticbeanstalk:)/i;

/** Applies additions and removals to a resource's tags (callers have validated the resource exists). */
export function setTags(ctx: Ctx, arn: string, add: Tag[], remove: string[], allowReserved = false): void {
  for (const t of add) {
    if (!allowReserved && RESERVED.test(t.Key)) {
      throw invalidParameter(`Tag key '${t.Key}' is not valid: keys beginning with 'aws:' or 'elasticbeanstalk:' are reserved for AWS use.`);
    }
  }
  for (const k of remove) {
    if (RESERVED.test(k)) throw invalidParameter(`Tag key '${k}' cannot be removed: keys beginning with 'aws:' or 'elasticbeanstalk:' are reserved for AWS use.`);
  }
  const current = new Map((ctx.state.tags[arn] ?? []).map((t) => [t.Key, t.Value]));
  for (const k of remove) current.delete(k);
  for (const t of add) current.set(t.Key, t.Value);
  const userTags = [...current.keys()].filter((k) => !RESERVED.test(k)).length;
  if (userTags > QUOTAS.tagsPerResource) throw tooManyTags(QUOTAS.tagsPerResource);
  ctx.state.tags[arn] = [...current].map(([Key, Value]) => ({ Key, Value }));
}

/** Checks that the ARN names an existing resource of a taggable type in this account and region. */
function checkResource(ctx: Ctx, arn: string): void {
  const m = /^arn:aws:elasticbeanstalk:([^:]*):([^:]*):([a-z]+)\/(.+)$/.exec(arn);
  if (!m) throw invalidParameter(`ResourceArn '${arn}' is not a valid Elastic Beanstalk ARN.`);
  const [, region, account, type, rest] = m;
  const missing = () => resourceNotFound(`Resource ${arn} not found.`);
  if (region !== ctx.state.region || (account !== ctx.state.accountId && type !== 'platform')) throw missing();
  const [first, second] = splitOnce(rest);
  switch (type) {
    case 'application':
      if (!ctx.state.applications[rest]) throw missing();
      return;
    case 'applicationversion':
      if (!ctx.state.applications[first]?.versions[second]) throw missing();
      return;
    case 'configurationtemplate': {
      const t = ctx.state.applications[first]?.templates[second];
      if (!t || t.environmentName) throw missing();
      return;
    }
    case 'environment':
      if (!Object.values(ctx.state.environments).some((e) => e.applicationName === first && e.name === second && e.status !== 'Terminated')) {
        throw missing();
      }
      return;
    case 'platform':
      if (!Object.values(ctx.state.platforms).some((p) => p.arn === arn)) throw missing();
      return;
    default:
      throw resourceTypeNotSupported(`Resource type '${type}' does not support tagging.`);
  }
}

function splitOnce(s: string): [string, string] {
  const i = s.indexOf('/');
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

export function listTagsForResource(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const arn = required(params, 'ResourceArn');
  checkResource(ctx, arn);
  return { ResourceArn: arn, ResourceTags: ctx.state.tags[arn] ?? [] };
}

export function updateTagsForResource(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const arn = required(params, 'ResourceArn');
  const add = tags(params, 'TagsToAdd');
  const remove = stringList(params, 'TagsToRemove');
  checkResource(ctx, arn);
  setTags(ctx, arn, add, remove);
  return {};
}
