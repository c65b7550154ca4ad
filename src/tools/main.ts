// The `academy` command for instructors and CI: verify labs, grade attempts, scaffold labs, run the
// sandbox cloud. One module per command; this file dispatches and maps errors to exit codes.
import { InputError, UsageError, type ToolIo } from './io.ts';

export const ACADEMY_HELP = `usage: academy <command> [options]

Commands:
  verify [lab-id...]          prove labs: starter fails, solution passes, wrong answers get their hints
  grade <attempt.json>...     grade exported attempts (--json, --junit)
  new-lab <lab-id> --chapter <slug>
                              scaffold a lab that verify accepts
  cloud [--port] [--host] [--speed] [--state-file]
                              run the sandbox cloud over HTTP (AWS SDK, CLI and EB CLI can use it)
  schema-docs [--write]       check or regenerate the lab format reference in docs/authoring.md

Run \`academy <command> --help\` for a command's options.
`;

type Command = (argv: string[], io: ToolIo) => Promise<number>;

// Each command module is loaded on demand, so `academy grade` never loads the shell and `new-lab` no cloud.
const commands: Record<string, Command> = {
  verify: async (argv, io) => (await import('./verify.ts')).runVerify(argv, io),
  grade: async (argv, io) => (await import('./grade.ts')).runGrade(argv, io),
  'new-lab': async (argv, io) => (await import('./new-lab.ts')).runNewLab(argv, io),
  'schema-docs': async (argv, io) => (await import('./schema-docs.ts')).runSchemaDocs(argv, io),
  cloud: async (argv, io) => (await import('./cloud-command.ts')).runCloudCommand(argv, io),
};

/** Runs `academy` with argv (without the node and script paths); returns the exit code. */
export async function runAcademy(argv: string[], io: ToolIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(ACADEMY_HELP);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`academy: unknown command "${name}"; commands: ${Object.keys(commands).join(', ')}\n`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`${err.message}\n`);
      return 2;
    }
    if (err instanceof InputError || (err as Error).name === 'LabFormatError' || (err as Error).name === 'AttemptFormatError') {
      io.stderr(`${(err as Error).message}\n`);
      return 1;
    }
    io.stderr(`academy ${name}: internal error (please report it): ${(err as Error).stack ?? String(err)}\n`);
    return 70;
  }
}
