// The shape of one `eb` command module and the help text rendered from it.
import { globalFlags, type FlagSpec, type PositionalSpec } from './args.ts';
import type { Invocation } from './invocation.ts';

export interface EbCommand {
  name: string;
  /** One line, as in `eb --help`. */
  summary: string;
  /** Arguments part of the usage line, e.g. `<environment_name> [options ...]`. */
  usage: string;
  epilog?: string;
  positionals: PositionalSpec[];
  flags: FlagSpec[];
  /** Named subcommands (`eb config save`, `eb appversion lifecycle`, `eb platform list`). */
  subcommands?: EbCommand[];
  /** Returns the exit code (0 when nothing is returned). */
  run(inv: Invocation): Promise<number | void>;
}

function flagLabel(flag: FlagSpec): string {
  const names = [...(flag.aliases ?? []), flag.name].join(', ');
  return flag.value ? `${names} ${flag.metavar ?? flag.name.replace(/^-+/, '').toUpperCase().replace(/-/g, '_')}` : names;
}

function rows(entries: Array<[string, string]>): string {
  const width = Math.min(34, Math.max(...entries.map(([left]) => left.length)) + 2);
  return entries
    .map(([left, right]) => (left.length + 2 > width ? `  ${left}\n  ${' '.repeat(width)}${right}` : `  ${left.padEnd(width)}${right}`))
    .join('\n');
}

/** The `--help` text of a command or subcommand. */
export function helpText(command: EbCommand, path: string): string {
  const parts = [`usage: eb ${path} ${command.usage}`.trimEnd(), '', command.summary];
  if (command.subcommands?.length) {
    parts.push('', 'commands:', rows(command.subcommands.map((s) => [s.name, s.summary])));
  }
  if (command.positionals.length) {
    parts.push('', 'positional arguments:', rows(command.positionals.map((p) => [p.name, p.description])));
  }
  parts.push('', 'options:', rows([...command.flags, ...globalFlags].map((f) => [flagLabel(f), f.description])));
  if (command.epilog) parts.push('', command.epilog);
  return `${parts.join('\n')}\n`;
}

export function usageLine(command: EbCommand, path: string): string {
  return `eb ${path} ${command.usage}`.trimEnd();
}
