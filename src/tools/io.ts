// How `academy` commands talk to the world: captured output streams and a working directory, so
// tests run commands in-process; and the error taxonomy that decides the exit code in main.ts.

export interface ToolIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Directory relative paths are resolved against. */
  cwd: string;
  env: Record<string, string | undefined>;
}

/** The user asked for something malformed (unknown flag, missing argument): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Input that cannot be used (a broken lab, a damaged attempt file, a missing path): exit code 1 with the message only. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

/** Parses `--flag`, `--flag value` / `--flag=value` for the value flags given; rejects unknown flags precisely. */
export function parseArgs(argv: string[], spec: { boolean: string[]; value: string[] }, command: string): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-' && arg !== '-h') throw new UsageError(`academy ${command}: unknown option ${arg}; see academy ${command} --help`);
      if (arg === '-h') flags.set('help', true);
      else positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (spec.boolean.includes(name)) {
      if (inline !== undefined) throw new UsageError(`academy ${command}: --${name} takes no value`);
      flags.set(name, true);
    } else if (spec.value.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`academy ${command}: --${name} needs a value`);
      flags.set(name, value);
    } else {
      const known = [...spec.boolean, ...spec.value].map((f) => `--${f}`).join(', ');
      throw new UsageError(`academy ${command}: unknown option --${name}${known ? `; it accepts ${known}` : ''}`);
    }
  }
  return { positionals, flags };
}
