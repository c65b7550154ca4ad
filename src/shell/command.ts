// What one of our lab-shell commands (eb, aws, zip, git ...) is and what it gets when it runs: the
// shared workspace, the session's cwd and variables, output streams, the cloud clients and Ctrl-C.
import type { InMemoryFs } from 'just-bash';
import type { AwsClients } from '../aws/index.ts';
import { joinPath } from '../workspace/fs.ts';

/** The shell's filesystem: just-bash's InMemoryFs, which also satisfies WorkspaceFs. */
export type ShellFs = InMemoryFs;

export interface LabCommandContext {
  fs: ShellFs;
  cwd: string;
  /** The session's variables as the command sees them (prefix assignments included). */
  env: Record<string, string>;
  /** Reads standard input as raw bytes (empty when nothing is piped in). */
  readStdin(): Uint8Array;
  stdout(text: string): void;
  stderr(text: string): void;
  clients: AwsClients;
  /** Aborted by Ctrl-C; long commands must stop soon after. */
  signal: AbortSignal;
  home: string;
  /** Names of every command the shell offers (for `help`). */
  commandNames(): string[];
  /** Asks the learner a question (only when the command runs at the prompt and the terminal can ask). */
  prompt?: (question: string) => Promise<string>;
  /** Opens a URL for the learner (`eb open`), when the host can. */
  openUrl?: (url: string) => void;
}

export interface LabCommand {
  name: string;
  /** One line for `help`. */
  summary: string;
  /** false hides it from `help`, completion and commandNames (commands that explain a missing tool). */
  listed?: boolean;
  /**
   * Run straight at the prompt (not piped, redirected or in `$(...)`), our commands write to the terminal
   * as they go, so `eb create` shows progress and `git commit && eb deploy` prints in order. false keeps
   * the output until the command ends.
   */
  streams?: boolean;
  /**
   * Tab completion of subcommands and flags: `args` are the words between the command name and the
   * word being typed. Returns the options for that word, or undefined to complete a path instead (a promise
   * when the command's code loads on first use).
   */
  complete?(args: string[], word: string): string[] | undefined | Promise<string[] | undefined>;
  /** Returns the exit code. Errors it throws are printed as `<name>: message` with exit code 1. */
  run(args: string[], ctx: LabCommandContext): Promise<number>;
}

/** A mistake in how a command was called: printed as `<command>: message`, exit code 2 unless given. */
export class CommandUsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CommandUsageError';
  }
}

/** Resolves a path the learner typed against the cwd (and `~` against home). */
export function resolvePath(ctx: Pick<LabCommandContext, 'cwd' | 'home'>, path: string): string {
  if (path === '~') return ctx.home;
  if (path.startsWith('~/')) return joinPath(ctx.home, path.slice(2));
  return path.startsWith('/') ? joinPath(path) : joinPath(ctx.cwd, path);
}

/** Decodes UTF-8 bytes (stdin, file contents) to text. */
export function utf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** Rejects when the signal is aborted, so a command that ignores it still lets the shell go on. */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new CommandAborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CommandAborted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Thrown when Ctrl-C interrupts a command; the shell turns it into exit code 130. */
export class CommandAborted extends Error {
  constructor() {
    super('Interrupted');
    this.name = 'CommandAborted';
  }
}
