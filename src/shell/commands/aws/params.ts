// Turns AWS CLI parameters (`--environment-name x --option-settings Namespace=...,OptionName=...,Value=...`)
// into SDK input, accepting shorthand, JSON and file:// values the way the AWS CLI does.
import { resolvePath, type LabCommandContext } from '../../command.ts';

export type ParamType = 'string' | 'integer' | 'double' | 'boolean' | 'list' | 'structures' | 'structure' | 'timestamp';

/** Short names for parameter kinds, used by the per-service operation tables (cloudwatch.ts, acm.ts, elasticbeanstalk.ts). */
export const S = 'string' as const;
export const I = 'integer' as const;
export const D = 'double' as const;
export const B = 'boolean' as const;
export const L = 'list' as const;
export const LS = 'structures' as const;
export const ST = 'structure' as const;
export const T = 'timestamp' as const;

export interface OperationSpec {
  /** CLI parameter names (kebab case) and their types. */
  params: Record<string, ParamType>;
  required?: string[];
  /** The SDK member name when it is not the plain PascalCase of the parameter. */
  rename?: Record<string, string>;
  /** What the operation does, for `--help`. */
  summary?: string;
  /** A typical command line, for `--help`. */
  example?: string;
  /** The AWS CLI pages through this operation's results itself unless a paging member is given. */
  paginate?: Pagination;
  /** Turns the parsed options into the SDK input (CLI customizations such as put-metric-data's --value). */
  prepare?: (input: Record<string, unknown>) => Record<string, unknown>;
}

/** A botocore paginator: which members carry the page token, the page size and the results to join. */
export interface Pagination {
  inputToken: string;
  outputToken: string;
  limitKey?: string;
  resultKeys: string[];
}

/** A parameter mistake: the CLI prints usage and exits 252. */
export class AwsUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AwsUsageError';
  }
}

export function pascalCase(kebab: string): string {
  return kebab
    .split('-')
    .map((part) => (part === 'cname' ? 'CNAME' : part === 'arn' ? 'Arn' : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('');
}

/** Splits `a=1,b="x,y",c=[p,q]` at top-level commas. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = '';
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      current += ch;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    if (ch === separator && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/** A number as the CLI reads a double parameter or shorthand value (Python's float()). */
export function parseNumber(text: string, option: string): number {
  const trimmed = text.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) {
    throw new AwsUsageError(`could not convert string to float: '${text}' (--${option} takes a number, e.g. 10 or 0.5)`);
  }
  return Number(trimmed);
}

const unquote = (v: string) => (/^(["']).*\1$/s.test(v) ? v.slice(1, -1) : v);

/** AWS CLI shorthand for one structure: `Key=Value,Key2=Value2` (values may be quoted or [lists]). */
export function parseShorthand(text: string, option: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let lastKey: string | undefined;
  for (const part of splitTopLevel(text, ',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      // `Value=a,b` without quotes: the CLI would reject it; keeping the comma is what the learner meant.
      if (lastKey !== undefined && typeof out[lastKey] === 'string') {
        out[lastKey] += `,${part}`;
        continue;
      }
      throw new AwsUsageError(`Error parsing parameter '--${option}': Expected: '=', received: '${part}' for input:\n${text}\nUse Key=Value pairs separated by commas, e.g. Namespace=aws:autoscaling:asg,OptionName=MinSize,Value=2`);
    }
    const key = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    out[key] = raw.startsWith('[') && raw.endsWith(']') ? splitTopLevel(raw.slice(1, -1), ',').map((v) => unquote(v.trim())) : unquote(raw);
    lastKey = key;
  }
  return out;
}

function parseJson(text: string, option: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AwsUsageError(`Error parsing parameter '--${option}': Invalid JSON: ${(error as Error).message}\nJSON received: ${text}`);
  }
}

async function expandFile(value: string, option: string, ctx: LabCommandContext): Promise<string> {
  if (!value.startsWith('file://') && !value.startsWith('fileb://')) return value;
  const path = resolvePath(ctx, value.replace(/^fileb?:\/\//, ''));
  if (!(await ctx.fs.exists(path))) throw new AwsUsageError(`Error parsing parameter '--${option}': Unable to load paramfile ${value}: [Errno 2] No such file or directory: '${path}'`);
  return ctx.fs.readFile(path);
}

/** Parses the parameters after `aws <service> <operation>` into SDK input; throws AwsUsageError on mistakes. */
export async function parseParams(tokens: string[], spec: OperationSpec, ctx: LabCommandContext): Promise<Record<string, unknown>> {
  const input: Record<string, unknown> = {};
  const seen = new Set<string>();
  const unknown: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token.startsWith('--')) {
      unknown.push(token);
      continue;
    }
    let name = token.slice(2);
    let inline: string | undefined;
    if (name.includes('=')) {
      inline = name.slice(name.indexOf('=') + 1);
      name = name.slice(0, name.indexOf('='));
    }
    let type = spec.params[name];
    let negated = false;
    if (!type && name.startsWith('no-') && spec.params[name.slice(3)] === 'boolean') {
      name = name.slice(3);
      type = 'boolean';
      negated = true;
    }
    if (!type) {
      unknown.push(token);
      continue;
    }
    const member = spec.rename?.[name] ?? pascalCase(name);
    seen.add(name);
    if (type === 'boolean') {
      input[member] = !negated;
      continue;
    }
    const values: string[] = [];
    if (inline !== undefined) values.push(inline);
    else while (i + 1 < tokens.length && !tokens[i + 1].startsWith('--')) values.push(tokens[++i]);
    if (values.length === 0) throw new AwsUsageError(`argument --${name}: expected one argument`);
    const expanded = await Promise.all(values.map((v) => expandFile(v, name, ctx)));
    const first = expanded[0].trim();
    switch (type) {
      case 'string':
      case 'timestamp':
      case 'integer':
      case 'double': {
        if (expanded.length > 1) throw new AwsUsageError(`argument --${name}: expected one argument (got ${expanded.length}: ${values.join(' ')}); quote values that contain spaces`);
        if (type === 'string') input[member] = expanded[0];
        else if (type === 'integer') {
          if (!/^-?\d+$/.test(first)) throw new AwsUsageError(`invalid literal for int() with base 10: '${first}' (--${name} takes a whole number)`);
          input[member] = Number(first);
        } else if (type === 'double') {
          input[member] = parseNumber(first, name);
        } else {
          const date = new Date(/^\d+$/.test(first) ? Number(first) * 1000 : first);
          if (Number.isNaN(date.getTime())) throw new AwsUsageError(`Invalid timestamp for --${name}: '${first}'. Use ISO 8601, e.g. 2026-11-23T07:00:00Z`);
          input[member] = date;
        }
        break;
      }
      case 'list':
        input[member] = expanded.length === 1 && first.startsWith('[') ? parseJson(first, name) : expanded.flatMap((v) => (expanded.length === 1 ? splitTopLevel(v, ',') : [v]));
        break;
      case 'structure':
        input[member] = first.startsWith('{') ? parseJson(first, name) : parseShorthand(expanded.join(' '), name);
        break;
      case 'structures':
        input[member] = expanded.length === 1 && first.startsWith('[') ? parseJson(first, name) : expanded.map((v) => (v.trim().startsWith('{') ? parseJson(v, name) : parseShorthand(v, name)));
        break;
    }
  }
  if (unknown.length) throw new AwsUsageError(`Unknown options: ${unknown.join(', ')}`);
  const missing = (spec.required ?? []).filter((name) => !seen.has(name));
  if (missing.length) throw new AwsUsageError(`the following arguments are required: ${missing.map((m) => `--${m}`).join(', ')}`);
  return input;
}
