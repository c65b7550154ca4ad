// Reading decoded AWS Query parameters the way Elastic Beanstalk does: scalars are strings, lists are
// `member.N` arrays, structs are nested objects; bad shapes and out-of-range values become EB's errors.

import type { QueryParams, QueryValue } from '../service.ts';
import { invalidParameter, missingParameter, validationError } from './errors.ts';

export type Struct = { [key: string]: QueryValue };

function isStruct(v: QueryValue | undefined): v is Struct {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string parameter, or undefined when absent. A list or struct where a string belongs is refused. */
export function str(params: QueryParams | Struct, name: string): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  // `Name=` (an empty value) arrives as an empty list; for a scalar it means the empty string.
  if (Array.isArray(v) && v.length === 0) return '';
  throw invalidParameter(`Parameter ${name} must be a single value.`);
}

export function required(params: QueryParams | Struct, name: string): string {
  const v = str(params, name);
  if (v === undefined || v === '') throw missingParameter(name);
  return v;
}

export function bool(params: QueryParams | Struct, name: string): boolean | undefined {
  const v = str(params, name);
  if (v === undefined || v === '') return undefined;
  const lower = v.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw invalidParameter(`Invalid value for parameter ${name}: '${v}'. Expected true or false.`);
}

export function int(params: QueryParams | Struct, name: string, min?: number, max?: number): number | undefined {
  const v = str(params, name);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v.trim())) throw invalidParameter(`Invalid value for parameter ${name}: '${v}'. Expected an integer.`);
  const n = Number(v.trim());
  if (min !== undefined && n < min) {
    throw validationError(`Value '${v}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  }
  if (max !== undefined && n > max) {
    throw validationError(`Value '${v}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  }
  return n;
}

export function date(params: QueryParams | Struct, name: string): number | undefined {
  const v = str(params, name);
  if (v === undefined || v === '') return undefined;
  const t = /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
  if (Number.isNaN(t)) throw invalidParameter(`Invalid value for parameter ${name}: '${v}'. Expected an ISO-8601 timestamp.`);
  return t;
}

export function struct(params: QueryParams | Struct, name: string): Struct | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v) && v.length === 0) return undefined;
  if (typeof v === 'string' && v === '') return undefined;
  if (!isStruct(v)) throw invalidParameter(`Parameter ${name} must be a structure.`);
  return v;
}

/** A `member.N` list. Accepts a lone struct or string as a one-element list, as lenient parsers produce. */
export function list(params: QueryParams | Struct, name: string): QueryValue[] {
  const v = params[name];
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  if (isStruct(v)) {
    // A parser that did not fold `member` into an array leaves `{ member: [...] }` or `{ member: {...} }`.
    const member = v.member;
    if (member !== undefined) return Array.isArray(member) ? member : [member];
    return [v];
  }
  return v === '' ? [] : [v];
}

export function stringList(params: QueryParams | Struct, name: string): string[] {
  return list(params, name).map((item) => {
    if (typeof item !== 'string') throw invalidParameter(`Parameter ${name} must be a list of strings.`);
    return item;
  });
}

export function structList(params: QueryParams | Struct, name: string): Struct[] {
  return list(params, name).map((item) => {
    if (!isStruct(item)) throw invalidParameter(`Parameter ${name} must be a list of structures.`);
    return item;
  });
}

/** Smithy length bounds, with the wording AWS's validation layer uses. */
export function checkLength(name: string, value: string | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (value.length < min) {
    throw validationError(`Value '${value}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`);
  }
  if (value.length > max) {
    throw validationError(`Value '${value}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }
}

export function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw validationError(`Value '${value}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return value as T;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

export interface OptionSettingInput {
  ResourceName?: string;
  Namespace: string;
  OptionName: string;
  Value?: string;
}

/** `OptionSettings.member.N.{ResourceName,Namespace,OptionName,Value}` (or OptionsToRemove without Value). */
export function optionSettings(params: QueryParams | Struct, name: string): OptionSettingInput[] {
  return structList(params, name).map((s, i) => {
    const namespace = str(s, 'Namespace');
    const optionName = str(s, 'OptionName');
    if (!namespace) throw missingParameter(`${name}.member.${i + 1}.Namespace`);
    if (!optionName) throw missingParameter(`${name}.member.${i + 1}.OptionName`);
    const resourceName = str(s, 'ResourceName');
    checkLength('ResourceName', resourceName, 1, 256);
    const out: OptionSettingInput = { Namespace: namespace, OptionName: optionName };
    if (resourceName) out.ResourceName = resourceName;
    const value = str(s, 'Value');
    if (value !== undefined) out.Value = value;
    return out;
  });
}

export interface TagInput {
  Key: string;
  Value: string;
}

export function tags(params: QueryParams | Struct, name = 'Tags'): TagInput[] {
  return structList(params, name).map((s, i) => {
    const key = str(s, 'Key');
    if (!key) throw missingParameter(`${name}.member.${i + 1}.Key`);
    checkLength('Key', key, 1, 128);
    const value = str(s, 'Value') ?? '';
    checkLength('Value', value, 0, 256);
    return { Key: key, Value: value };
  });
}
