// Option settings and key=value lists as the EB CLI builds them from flags (`--envvars`, `--tags`,
// `eb setenv`), with the EB CLI's own validation messages.
import type { ConfigurationOptionSetting, Tag } from '@aws-sdk/client-elastic-beanstalk';
import { InvalidOptionsError } from './errors.ts';

export const envNamespace = 'aws:elasticbeanstalk:application:environment';

export function option(namespace: string, optionName: string, value: string): ConfigurationOptionSetting {
  return { Namespace: namespace, OptionName: optionName, Value: value };
}

/** Parses `K=V,K2=V2` (--envvars); a value may contain `=`. */
export function parseEnvVarList(text: string, flag: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const item of text.split(',')) {
    if (!item.trim()) continue;
    const eq = item.indexOf('=');
    if (eq <= 0) {
      throw new InvalidOptionsError(`${flag} "${item}" is not KEY=VALUE. Pass a comma-separated list, e.g. ${flag} NODE_ENV=production,LOG_LEVEL=info`);
    }
    pairs.push([item.slice(0, eq).trim(), item.slice(eq + 1)]);
  }
  return pairs;
}

/** Parses `eb setenv` arguments: `KEY=value` sets, `KEY=` removes. */
export function parseSetenvArgs(items: string[]): { set: Array<[string, string]>; remove: string[] } {
  const set: Array<[string, string]> = [];
  const remove: string[] = [];
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0 || !/^[A-Za-z]/.test(item)) {
      throw new InvalidOptionsError(
        `"${item}": You must use the format KEY=VALUE to set an environment variable. Variables must start with a letter.`,
      );
    }
    const key = item.slice(0, eq);
    const value = item.slice(eq + 1);
    if (value === '') remove.push(key);
    else set.push([key, value]);
  }
  return { set, remove };
}

/** Parses `--tags k=v,k2=v2`. */
export function parseTags(text: string | undefined): Tag[] | undefined {
  if (!text) return undefined;
  const tags: Tag[] = [];
  for (const item of text.split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0 || !/^[\w\s.:/+=@-]+$/.test(item)) {
      throw new InvalidOptionsError(
        'You must provide a comma-separated list using the format name=value to set tags. Tags may only contain letters, numbers, and the following symbols: / _ . : + = - @',
      );
    }
    tags.push({ Key: item.slice(0, eq), Value: item.slice(eq + 1) });
  }
  if (tags.length > 50) throw new InvalidOptionsError('Elastic Beanstalk supports a maximum of 50 tags.');
  return tags;
}
