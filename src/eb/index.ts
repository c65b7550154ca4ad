// The `eb` command (EB CLI compatible) for the lab shell and the Node bin: parses argv, runs one
// command module with a lazily loaded project and SDK clients, and turns errors into the EB CLI's
// `ERROR: ...` lines and exit codes. Never exits the process itself.
import { globalFlags, parseArgs, stringFlag, type FlagSpec } from './args.ts';
import { helpText, usageLine, type EbCommand } from './command.ts';
import { commands } from './commands/index.ts';
import { Output, type EbClients, type EbContext } from './context.ts';
import { buildClients, environmentRegion } from './clients.ts';
import { EbError, fromAwsError, UsageError } from './errors.ts';
import type { Invocation } from './invocation.ts';
import { Project } from './project.ts';

export type { EbContext, EbClients } from './context.ts';
export type { EbCommand } from './command.ts';

export const ebVersion = '3.27.1 (Beanstalk Academy)';

/** Top-level command names, for Tab completion in the lab shell. */
export const ebCommandNames: string[] = commands.map((c) => c.name).sort();

/** Flags each command accepts (its own plus the global ones), keyed by command path (`config save`). */
export const ebCommandFlags: Record<string, string[]> = Object.fromEntries(
  commands.flatMap((command) => {
    const names = (flags: FlagSpec[]) => [...flags, ...globalFlags].flatMap((f) => [f.name, ...(f.aliases ?? [])]);
    return [
      [command.name, names(command.flags)] as const,
      ...(command.subcommands ?? []).map((sub) => [`${command.name} ${sub.name}`, names(sub.flags)] as const),
    ];
  }),
);

/** Subcommand names per command (`config` → save, get, put, list, delete), for Tab completion. */
export const ebSubcommandNames: Record<string, string[]> = Object.fromEntries(
  commands.filter((c) => c.subcommands?.length).map((c) => [c.name, c.subcommands!.map((s) => s.name)]),
);

/** `eb --help`: the command list. */
export function ebHelpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 4;
  return [
    'usage: eb (sub-commands ...) [options ...] {arguments ...}',
    '',
    'Welcome to the Elastic Beanstalk Command Line Interface (EB CLI).',
    'For more information on a specific command, type "eb {cmd} --help".',
    '',
    'commands:',
    ...[...commands].sort((a, b) => a.name.localeCompare(b.name)).map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'optional arguments:',
    '  -h, --help            show this help message and exit',
    '  --version             show application/version info',
    '',
    'To get started type "eb init". Then type "eb create" and "eb open"',
    '',
  ].join('\n');
}

/** The help text of `eb <command> [subcommand]`, or null for an unknown command. */
export function ebCommandHelp(path: string): string | null {
  const [name, sub] = path.trim().split(/\s+/);
  const command = commands.find((c) => c.name === name);
  if (!command) return null;
  const subcommand = sub ? command.subcommands?.find((s) => s.name === sub) : undefined;
  return subcommand ? helpText(subcommand, `${name} ${sub}`) : helpText(command, name);
}

const valueGlobals = new Set(globalFlags.filter((f) => f.value).flatMap((f) => [f.name, ...(f.aliases ?? [])]));

/** Splits argv into the command, its subcommand and the remaining tokens (global flags may come first). */
function locateCommand(argv: string[]): { command?: EbCommand; name?: string; rest: string[] } {
  const leading: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token.startsWith('-')) {
      leading.push(token);
      if (valueGlobals.has(token) && i + 1 < argv.length) leading.push(argv[++i]);
      continue;
    }
    const command = commands.find((c) => c.name === token);
    return { command, name: token, rest: [...leading, ...argv.slice(i + 1)] };
  }
  return { rest: leading };
}

export async function runEb(argv: string[], ctx: EbContext): Promise<number> {
  const debug = argv.includes('--debug');
  const located = locateCommand(argv);
  if (!located.name) {
    if (located.rest.includes('--version')) {
      ctx.stdout(`EB CLI ${ebVersion}\n`);
      return 0;
    }
    ctx.stdout(ebHelpText());
    return located.rest.length === 0 || located.rest.some((t) => t === '--help' || t === '-h') ? 0 : 2;
  }
  if (!located.command) {
    ctx.stderr(`usage: eb (sub-commands ...) [options ...] {arguments ...}\neb: error: invalid choice: '${located.name}'. Run "eb --help" for the commands.\n`);
    return 2;
  }
  let command = located.command;
  let path = command.name;
  let tokens = located.rest;
  const firstPositional = tokens.findIndex((t) => !t.startsWith('-'));
  if (command.subcommands && firstPositional >= 0) {
    const sub = command.subcommands.find((s) => s.name === tokens[firstPositional]);
    if (sub) {
      command = sub;
      path = `${path} ${sub.name}`;
      tokens = tokens.filter((_, i) => i !== firstPositional);
    }
  }
  if (tokens.includes('--help') || tokens.includes('-h')) {
    ctx.stdout(helpText(command, path));
    return 0;
  }

  let out = new Output(ctx, argv.includes('--json'), argv.includes('--quiet'));
  try {
    const args = parseArgs(tokens, command.flags, command.positionals, usageLine(command, path), path);
    out = new Output(ctx, args.flags.json === true, args.flags.quiet === true);
    let project: Promise<Project> | undefined;
    const clientsByRegion = new Map<string, Promise<EbClients>>();
    let endpoint: string | undefined = stringFlag(args, 'endpoint-url') ?? ctx.env.AWS_ENDPOINT_URL_ELASTIC_BEANSTALK ?? ctx.env.AWS_ENDPOINT_URL;
    const inv: Invocation = {
      ctx,
      args,
      out,
      commandPath: path,
      project: () => (project ??= Project.load(ctx.fs, ctx.cwd)),
      clients: (region?: string) => {
        const key = region ?? '';
        let pending = clientsByRegion.get(key);
        if (!pending) {
          pending = buildClients(inv, region).then((built) => {
            endpoint = built.endpoint ?? endpoint;
            return built.clients;
          });
          clientsByRegion.set(key, pending);
        }
        return pending;
      },
      environmentRegion: () => environmentRegion(inv),
      endpoint: () => endpoint,
    };
    return (await command.run(inv)) ?? 0;
  } catch (error) {
    const known = error instanceof EbError ? error : fromAwsError(error, endpoint(ctx, argv));
    if (known) {
      out.error(known.render());
      if (debug && !(known instanceof UsageError)) out.error(String((error as Error).stack ?? error));
      return known.exitCode;
    }
    const err = error as Error;
    out.error(`ERROR: ${err?.name ?? 'Error'} - ${err?.message ?? String(error)}`);
    if (debug) out.error(String(err?.stack ?? error));
    else out.error('Run the command again with --debug to see the stack trace.');
    return 4;
  }
}

function endpoint(ctx: EbContext, argv: string[]): string | undefined {
  const index = argv.indexOf('--endpoint-url');
  const fromFlag = index >= 0 ? argv[index + 1] : argv.find((a) => a.startsWith('--endpoint-url='))?.slice('--endpoint-url='.length);
  return fromFlag ?? ctx.env.AWS_ENDPOINT_URL_ELASTIC_BEANSTALK ?? ctx.env.AWS_ENDPOINT_URL;
}
