// Command-line parsing for `eb`: flag specs with the EB CLI's long names and short aliases
// (`-p`, `-im`, `-it` ...), positionals, and the global flags every command accepts.
import { UsageError } from './errors.ts';

export interface FlagSpec {
  /** Long name with dashes, e.g. `--platform`; its key in ParsedArgs drops the dashes. */
  name: string;
  aliases?: string[];
  /** Absent for a boolean switch. */
  value?: 'string' | 'integer';
  metavar?: string;
  description: string;
}

export interface PositionalSpec {
  name: string;
  optional?: boolean;
  /** Takes every remaining positional (e.g. `eb setenv K=V K2=V2`). */
  variadic?: boolean;
  description: string;
}

export interface ParsedArgs {
  flags: Record<string, string | number | boolean | undefined>;
  positionals: string[];
}

/** Flags accepted by every command (ebcli's base controller plus ours: --json, --endpoint-url). */
export const globalFlags: FlagSpec[] = [
  { name: '--help', aliases: ['-h'], description: 'show this help message and exit' },
  { name: '--debug', description: 'toggle debug output (stack traces on errors)' },
  { name: '--quiet', description: 'suppress all output' },
  { name: '--verbose', aliases: ['-v'], description: 'toggle verbose output' },
  { name: '--profile', value: 'string', metavar: 'PROFILE', description: 'use a specific profile from your credential file' },
  { name: '--region', aliases: ['-r'], value: 'string', metavar: 'REGION', description: 'use a specific region' },
  { name: '--endpoint-url', value: 'string', metavar: 'URL', description: 'send AWS requests to this endpoint (the sandbox cloud, LocalStack ...)' },
  { name: '--no-verify-ssl', description: "don't verify AWS SSL certificates" },
  { name: '--json', description: 'print machine-readable JSON instead of text (where the command has a result)' },
];

/** The key a flag's value is stored under: `--instance-types` → `instance-types`. */
export function flagKey(flag: FlagSpec): string {
  return flag.name.replace(/^-+/, '');
}

export function parseArgs(
  tokens: string[],
  flags: FlagSpec[],
  positionals: PositionalSpec[],
  usage: string,
  commandPath: string,
): ParsedArgs {
  const all = [...flags, ...globalFlags];
  const byToken = new Map<string, FlagSpec>();
  for (const flag of all) {
    byToken.set(flag.name, flag);
    for (const alias of flag.aliases ?? []) byToken.set(alias, flag);
  }
  const parsed: ParsedArgs = { flags: {}, positionals: [] };
  const unknown: string[] = [];
  let onlyPositionals = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (onlyPositionals || token === '-' || !token.startsWith('-') || /^-\d/.test(token)) {
      parsed.positionals.push(token);
      continue;
    }
    if (token === '--') {
      onlyPositionals = true;
      continue;
    }
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const name = eq > 0 ? token.slice(0, eq) : token;
    const flag = byToken.get(name);
    if (!flag) {
      unknown.push(token);
      continue;
    }
    const key = flagKey(flag);
    if (!flag.value) {
      if (eq > 0) throw new UsageError(`argument ${flag.name}: ignored explicit argument '${token.slice(eq + 1)}'`, usage, commandPath);
      parsed.flags[key] = true;
      continue;
    }
    let raw: string | undefined;
    if (eq > 0) raw = token.slice(eq + 1);
    else {
      raw = tokens[i + 1];
      if (raw === undefined || (raw.startsWith('-') && raw.length > 1 && byToken.has(raw.split('=')[0]))) {
        throw new UsageError(`argument ${[flag.name, ...(flag.aliases ?? [])].join('/')}: expected one argument`, usage, commandPath);
      }
      i++;
    }
    if (flag.value === 'integer') {
      if (!/^-?\d+$/.test(raw)) {
        throw new UsageError(`argument ${flag.name}: invalid int value: '${raw}'`, usage, commandPath);
      }
      parsed.flags[key] = Number.parseInt(raw, 10);
    } else {
      parsed.flags[key] = raw;
    }
  }
  if (unknown.length > 0) throw new UsageError(`unrecognized arguments: ${unknown.join(' ')}`, usage, commandPath);

  const required = positionals.filter((p) => !p.optional && !p.variadic).length;
  const variadic = positionals.some((p) => p.variadic);
  if (parsed.positionals.length < required) {
    const missing = positionals.filter((p) => !p.optional).slice(parsed.positionals.length).map((p) => p.name);
    throw new UsageError(`the following arguments are required: ${missing.join(', ')}`, usage, commandPath);
  }
  if (!variadic && parsed.positionals.length > positionals.length) {
    throw new UsageError(`unrecognized arguments: ${parsed.positionals.slice(positionals.length).join(' ')}`, usage, commandPath);
  }
  return parsed;
}

/** Reads a string flag. */
export function stringFlag(args: ParsedArgs, key: string): string | undefined {
  const value = args.flags[key];
  return typeof value === 'string' ? value : undefined;
}

export function intFlag(args: ParsedArgs, key: string): number | undefined {
  const value = args.flags[key];
  return typeof value === 'number' ? value : undefined;
}

export function boolFlag(args: ParsedArgs, key: string): boolean {
  return args.flags[key] === true;
}
