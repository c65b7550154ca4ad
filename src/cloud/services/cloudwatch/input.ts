// Reads CloudWatch request fields the same way whether they came over Query (strings, `member.N` lists)
// or AWS JSON 1.0 (numbers, booleans, epoch-second timestamps), with AWS's error texts for bad values.
import { AwsError } from '../../protocol/errors.ts';

export type Input = Record<string, unknown>;

export function missing(name: string): AwsError {
  return new AwsError('MissingParameter', `The parameter ${name} is required.`, 400);
}

export function invalid(name: string, value: unknown, why?: string): AwsError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return new AwsError('InvalidParameterValue', `The value ${String(shown).slice(0, 256)} for parameter ${name} is invalid.${why ? ` ${why}` : ''}`, 400);
}

export function optionalString(input: Input, field: string, path = field): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(path, value, 'It must be a string.');
  return value;
}

export function requiredString(input: Input, field: string, path = field): string {
  const value = optionalString(input, field, path);
  if (value === undefined || value === '') throw missing(path);
  return value;
}

export function optionalNumber(input: Input, field: string, path = field): number | undefined {
  const value = input[field];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw invalid(path, value, 'It must be a finite number.');
  return n;
}

export function optionalInteger(input: Input, field: string, path = field): number | undefined {
  const n = optionalNumber(input, field, path);
  if (n !== undefined && !Number.isInteger(n)) throw invalid(path, input[field], 'It must be a whole number.');
  return n;
}

export function optionalBoolean(input: Input, field: string, path = field): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalid(path, value, 'It must be true or false.');
}

/** Query sends ISO-8601 text, JSON epoch seconds. */
export function optionalTime(input: Input, field: string, path = field): number | undefined {
  const value = input[field];
  if (value === undefined || value === null || value === '') return undefined;
  let ms = Number.NaN;
  if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string') ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) throw invalid(path, value, 'It must be a timestamp such as 2026-11-23T08:00:00Z.');
  return ms;
}

export function requiredTime(input: Input, field: string, path = field): number {
  const t = optionalTime(input, field, path);
  if (t === undefined) throw missing(path);
  return t;
}

export function optionalList(input: Input, field: string, path = field): unknown[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid(path, value, 'It must be a list.');
  return value;
}

export function stringList(input: Input, field: string, path = field): string[] {
  return (optionalList(input, field, path) ?? []).map((item, i) => {
    if (typeof item !== 'string') throw invalid(`${path}.member.${i + 1}`, item, 'It must be a string.');
    return item;
  });
}

export function structAt(value: unknown, path: string): Input {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(path, value, 'It must be a structure.');
  return value as Input;
}

export function optionalStruct(input: Input, field: string, path = field): Input | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  return structAt(value, path);
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], path: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw invalid(path, value, `Valid values are ${allowed.join(', ')}.`);
  return value as T;
}

/** A page position in a list of `total` items; tokens are opaque to callers. */
export function pageStart(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  const match = /^cwpage-(\d+)$/.exec(token);
  if (!match) throw new AwsError('InvalidNextToken', 'The service couldn\u2019t process the NextToken you provided: it was not returned by a previous call.', 400);
  return Number(match[1]);
}

export function pageToken(next: number, total: number): string | undefined {
  return next < total ? `cwpage-${next}` : undefined;
}
