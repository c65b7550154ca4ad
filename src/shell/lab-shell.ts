// The lab shell: one just-bash interpreter plus our commands, made to feel like one long bash session
// (cwd, variables and functions carry over between lines) with long commands streaming their output.
import './buffer-global.ts';
import { Bash, getCommandNames } from 'just-bash';
import leftOut from './left-out-commands.json' with { type: 'json' };
import type { Command, ExecResult as BashCommandResult, ResolvedCommandContext, ScriptNode, SimpleCommandNode, StatementNode, TransformPlugin } from 'just-bash';
import type { AwsClients } from '../aws/index.ts';
import { CommandAborted, CommandUsageError, abortable, type LabCommand, type LabCommandContext, type ShellFs } from './command.ts';
import { labCommands } from './commands/index.ts';
import { historyCommand } from './commands/history.ts';
import { completeLine, type Completion } from './completion.ts';
import { loadOnce } from '../aws/load-once.ts';

type JustBashCommandName = NonNullable<NonNullable<ConstructorParameters<typeof Bash>[0]>['commands']>[number];

/** just-bash's commands minus those the lab shell does not offer (src/shell/left-out-commands.json). */
const LEFT_OUT_COMMANDS = new Set<string>(leftOut.commands);
const OFFERED_JUST_BASH_COMMANDS = getCommandNames().filter((name) => !LEFT_OUT_COMMANDS.has(name)) as JustBashCommandName[];

export type { Completion } from './completion.ts';

export interface LabShellOptions {
  /** The lab's workspace (also what the editor and `eb` see). */
  fs: ShellFs;
  /** The cloud clients our commands use, or clients made on first use (the AWS SDK then loads only when a command needs it). */
  clients: AwsClients | ClientsOnFirstUse;
  /** Starting directory; default `/home/learner/<labId>` (or `/home/learner/lab`). Created when missing. */
  cwd?: string;
  /** Variables on top of the defaults (HOME, USER, PATH, TERM, AWS_REGION ...). */
  env?: Record<string, string>;
  /** The learner's home folder; default `/home/learner`. */
  home?: string;
  /** Names the default working directory. */
  labId?: string;
  /** Commands added to (or replacing) the built-in list, e.g. a later `load` command. */
  commands?: LabCommand[];
}

/** Clients made when a command first needs them; the Region and the cloud's clock are known before. */
export interface ClientsOnFirstUse {
  region: string;
  /** Waits `ms` of the cloud's time (the `sleep` command). */
  sleep(ms: number): Promise<void>;
  load(): Promise<AwsClients>;
}

export interface ShellIo {
  /** Output as it is produced; everything the learner should see arrives here, in order. */
  onStdout?(text: string): void;
  onStderr?(text: string): void;
  /** Ctrl-C: aborts the running command; the shell stays usable. */
  signal?: AbortSignal;
  /** Lets commands run at the prompt ask a question (`eb init` interactive mode). */
  prompt?: (question: string) => Promise<string>;
  openUrl?: (url: string) => void;
  /** false keeps the line out of `history` (scripts run by runScript). Default true. */
  record?: boolean;
}

export interface ShellResult {
  exitCode: number;
  /** All standard output of the line, streamed parts included. */
  stdout: string;
  stderr: string;
}

export interface LabShell {
  exec(commandLine: string, io?: ShellIo): Promise<ShellResult>;
  /** The working directory after the last line. */
  readonly cwd: string;
  /** The session's variables after the last line (a copy). */
  readonly env: Record<string, string>;
  /** Lines run so far, oldest first (blank lines are not kept). A host may push restored lines into it. */
  readonly history: string[];
  complete(line: string, cursor: number): Promise<Completion>;
  /** Every command name the shell knows, sorted. */
  commandNames(): string[];
  /** Loads the code of commands that load on first use (and the cloud clients they get), ahead of that use. */
  preload(names: string[]): Promise<void>;
  /**
   * Whether `text` is complete shell input, needs more lines (an open quote, heredoc, `if` without
   * `fi`, a trailing `\\`, `&&` or `|`) or has a syntax error; the terminal shows a `> ` prompt for more.
   */
  inputState(text: string): InputState;
}

export type InputState = { kind: 'complete' } | { kind: 'incomplete' } | { kind: 'error'; message: string };

/** The variable our transform sets on streaming commands that run straight at the prompt. */
const ATTACHED = '__ACADEMY_ATTACHED';

/** Interpreter bookkeeping that is recomputed on every line and must not be carried over. */
const VOLATILE = new Set(['?', 'SHELLOPTS', 'BASHOPTS', 'OPTIND', 'BASH_COMMAND', 'LINENO', 'FUNCNAME', ATTACHED]);

/** Shell builtins worth completing (just-bash implements them in the interpreter, not as commands). */
const BUILTINS = ['cd', 'export', 'unset', 'set', 'source', 'type', 'exit', 'read', 'declare', 'local', 'test', 'shopt', 'pushd', 'popd', 'dirs'];

interface RunningLine {
  io: ShellIo;
  signal: AbortSignal;
  stdout: string;
  stderr: string;
}

/** Creates a lab shell. Synchronous; the working directory is created on the first `exec`. */
export function createLabShell(options: LabShellOptions): LabShell {
  return new LabShellSession(options);
}

class LabShellSession implements LabShell {
  readonly history: string[] = [];
  private readonly bash: Bash;
  private readonly fs: ShellFs;
  private readonly clients: AwsClients | ClientsOnFirstUse;
  /** The clients our commands get: made by the first command that runs (or a preload). */
  private readonly commandClients: () => Promise<AwsClients>;
  private readonly home: string;
  private readonly commands: Map<string, LabCommand>;
  private vars: Record<string, string>;
  private workingDir: string;
  /** Function definitions typed so far, replayed before each line because just-bash forgets them. */
  private readonly functions = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();
  private running: RunningLine | null = null;
  private ready: Promise<void> | null = null;

  constructor(options: LabShellOptions) {
    this.fs = options.fs;
    this.clients = options.clients;
    const clients = options.clients;
    this.commandClients = 'load' in clients ? loadOnce(() => clients.load()) : () => Promise.resolve(clients);
    this.home = options.home ?? '/home/learner';
    this.workingDir = options.cwd ?? `${this.home}/${options.labId ?? 'lab'}`;
    this.commands = new Map([...labCommands, historyCommand(this.history), ...(options.commands ?? [])].map((c) => [c.name, c]));
    this.vars = {
      HOME: this.home,
      USER: 'learner',
      LOGNAME: 'learner',
      SHELL: '/bin/bash',
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOSTNAME: 'lab',
      AWS_REGION: options.clients.region,
      AWS_DEFAULT_REGION: options.clients.region,
      ...options.env,
      PWD: this.workingDir,
      OLDPWD: this.workingDir,
    };
    this.bash = new Bash({
      fs: this.fs,
      cwd: this.workingDir,
      env: this.vars,
      // The same command set as the workbench build, which leaves these out (astro.config.mjs).
      commands: OFFERED_JUST_BASH_COMMANDS,
      customCommands: [...this.commands.values()].map((command) => this.toBashCommand(command)),
      sleep: (ms) => this.sleep(ms),
    });
    const names = [...this.commands.keys()];
    this.bash.registerTransformPlugin(
      attachStreamingCommands(
        new Set([...this.commands.values()].filter((c) => c.streams !== false).map((c) => internalName(c.name))),
        new Set(names.filter((n) => SHADOWED_BUILTINS.has(n))),
      ),
    );
  }

  get cwd(): string {
    return this.workingDir;
  }

  get env(): Record<string, string> {
    return { ...this.vars };
  }

  commandNames(): string[] {
    const ours = [...this.commands.values()];
    const hidden = new Set(ours.filter((c) => c.listed === false).map((c) => c.name));
    return [...new Set([...OFFERED_JUST_BASH_COMMANDS, ...ours.map((c) => c.name), ...BUILTINS])].filter((name) => !hidden.has(name)).sort();
  }

  async preload(names: string[]): Promise<void> {
    const loaders = names.map((name) => this.commands.get(name)).filter((c): c is LabCommand & { load(): Promise<LabCommand> } => typeof (c as { load?: unknown } | undefined)?.load === 'function');
    await Promise.all([this.commandClients(), ...loaders.map((c) => c.load())]);
  }

  complete(line: string, cursor: number): Promise<Completion> {
    return completeLine({ fs: this.fs, cwd: this.workingDir, home: this.home, commandNames: this.commandNames(), commands: this.commands }, line, cursor);
  }

  inputState(text: string): InputState {
    const lastLine = text.split('\n').pop()!.trim();
    if (!lastLine.startsWith('#') && /(\\|&&|\|\||\|)$/.test(lastLine)) return { kind: 'incomplete' };
    try {
      this.bash.transform(text);
      return { kind: 'complete' };
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      return /EOF|unterminated/i.test(message) || errorAtEnd(message, text) ? { kind: 'incomplete' } : { kind: 'error', message };
    }
  }

  exec(commandLine: string, io: ShellIo = {}): Promise<ShellResult> {
    const result = this.queue.then(() => this.run(commandLine, io));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async run(commandLine: string, io: ShellIo): Promise<ShellResult> {
    if (commandLine.trim() && io.record !== false) this.history.push(commandLine);
    this.ready ??= this.fs.mkdir(this.workingDir, { recursive: true });
    await this.ready;
    const controller = new AbortController();
    const abort = () => controller.abort();
    if (io.signal?.aborted) abort();
    io.signal?.addEventListener('abort', abort, { once: true });
    const running: RunningLine = { io, signal: controller.signal, stdout: '', stderr: '' };
    this.running = running;
    try {
      const prelude = [...this.functions.values()].join('\n');
      const result = await this.bash.exec(prelude ? `${prelude}\n${commandLine}` : commandLine, {
        env: this.vars,
        replaceEnv: true,
        cwd: this.workingDir,
        signal: controller.signal,
      });
      this.carryOver(result.env);
      this.rememberFunctions(commandLine);
      const exitCode = controller.signal.aborted ? 130 : result.exitCode;
      if (result.stdout) this.emit(running, 'stdout', result.stdout);
      if (result.stderr) this.emit(running, 'stderr', result.stderr);
      return { exitCode, stdout: running.stdout, stderr: running.stderr };
    } catch (error) {
      // just-bash reports script errors as results; anything thrown is our fault, so say so plainly.
      this.emit(running, 'stderr', `bash: internal error: ${(error as Error)?.message ?? String(error)}\n`);
      return { exitCode: controller.signal.aborted ? 130 : 1, stdout: running.stdout, stderr: running.stderr };
    } finally {
      io.signal?.removeEventListener('abort', abort);
      this.running = null;
    }
  }

  private emit(running: RunningLine, stream: 'stdout' | 'stderr', text: string): void {
    running[stream] += text;
    if (stream === 'stdout') running.io.onStdout?.(text);
    else running.io.onStderr?.(text);
  }

  private carryOver(env: Record<string, string> | undefined): void {
    if (!env) return;
    const next: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) if (!VOLATILE.has(name)) next[name] = value;
    this.vars = next;
    if (next.PWD) this.workingDir = next.PWD;
  }

  private rememberFunctions(commandLine: string): void {
    let statements: StatementNode[];
    try {
      statements = topLevelStatements(this.bash.transform(commandLine).ast);
    } catch {
      return; // a syntax error was already reported by exec
    }
    for (const statement of statements) {
      const first = statement.pipelines[0]?.commands[0];
      if (statement.pipelines.length === 1 && first?.type === 'FunctionDef' && statement.sourceText) {
        this.functions.set(first.name, statement.sourceText);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.running?.signal;
    // A stepped clock advances at once; a scaled one waits: either way Ctrl-C ends the wait early.
    return signal ? abortable(this.clients.sleep(ms), signal).catch(() => undefined) : this.clients.sleep(ms);
  }

  private toBashCommand(command: LabCommand): Command {
    return {
      name: internalName(command.name),
      trusted: true,
      execute: (args, ctx) => this.runCommand(command, args, ctx),
    };
  }

  private async runCommand(command: LabCommand, args: string[], ctx: ResolvedCommandContext): Promise<BashCommandResult> {
    const running = this.running;
    const signal = running?.signal ?? ctx.signal ?? new AbortController().signal;
    const attached = command.streams !== false && ctx.env.get(ATTACHED) === '1' && running !== null;
    let stdout = '';
    let stderr = '';
    // Output of a command abandoned by Ctrl-C must not leak into the next prompt.
    const write = (stream: 'stdout' | 'stderr') => (text: string) => {
      if (signal.aborted) return;
      if (attached) this.emit(running!, stream, text);
      else if (stream === 'stdout') stdout += text;
      else stderr += text;
    };
    const env: Record<string, string> = {};
    for (const [name, value] of ctx.env) if (name !== ATTACHED) env[name] = value;
    const context = (clients: AwsClients): LabCommandContext => ({
      fs: this.fs,
      cwd: ctx.cwd,
      env,
      readStdin: () => latin1Bytes(ctx.stdin as unknown as string),
      stdout: write('stdout'),
      stderr: write('stderr'),
      clients,
      signal,
      home: this.home,
      commandNames: () => this.commandNames(),
      ...(attached && running!.io.prompt ? { prompt: running!.io.prompt } : {}),
      ...(running?.io.openUrl ? { openUrl: running.io.openUrl } : {}),
    });
    let exitCode: number;
    try {
      exitCode = await abortable(
        this.commandClients().then((clients) => command.run(args, context(clients))),
        signal,
      );
    } catch (error) {
      if (error instanceof CommandAborted || signal.aborted) return { stdout, stderr, exitCode: 130 };
      const usage = error instanceof CommandUsageError;
      stderr += `${command.name}: ${(error as Error)?.message ?? String(error)}\n`;
      exitCode = usage ? (error as CommandUsageError).exitCode : 1;
    }
    return { stdout, stderr, exitCode };
  }
}

/** just-bash hands stdin to commands as a latin1 "byte string": one char per byte. */
function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/** just-bash reports a missing `fi`/`done` as an unexpected token at the very end of the input. */
function errorAtEnd(message: string, text: string): boolean {
  const at = /at (\d+):(\d+)/.exec(message);
  if (!at) return false;
  const lines = text.split('\n');
  const line = Number(at[1]);
  return line > lines.length || (line === lines.length && Number(at[2]) > lines[lines.length - 1].trimEnd().length);
}

function topLevelStatements(ast: ScriptNode): StatementNode[] {
  return ast.statements;
}

/**
 * just-bash resolves its own builtins (such as `help`) before registered commands, so our commands
 * with those names are registered under an internal name and calls are renamed in the parsed script.
 */
const SHADOWED_BUILTINS = new Set(['help']);
const internalName = (name: string) => (SHADOWED_BUILTINS.has(name) ? `__academy_${name}` : name);

/** Calls every SimpleCommand node anywhere in the tree (bodies, conditions, command substitutions). */
function visitSimpleCommands(node: unknown, visit: (command: SimpleCommandNode) => void, seen = new Set<object>()): void {
  if (node === null || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const item of node) visitSimpleCommands(item, visit, seen);
    return;
  }
  if ((node as { type?: string }).type === 'SimpleCommand') visit(node as SimpleCommandNode);
  for (const value of Object.values(node)) visitSimpleCommands(value, visit, seen);
}

function literalName(command: SimpleCommandNode): string | undefined {
  const part = command.name?.parts.length === 1 ? command.name.parts[0] : undefined;
  return part?.type === 'Literal' ? part.value : undefined;
}

/**
 * Marks streaming commands that run straight at the prompt (a top-level pipeline of one simple command
 * without redirections): only those may write to the terminal as they go; piped or redirected output
 * has to stay in the pipeline. Also renames calls of our commands that share a builtin's name.
 */
function attachStreamingCommands(streaming: Set<string>, renamed: Set<string>): TransformPlugin {
  return {
    name: 'academy-lab-shell',
    transform({ ast }) {
      if (renamed.size > 0) {
        visitSimpleCommands(ast, (command) => {
          const name = literalName(command);
          if (name !== undefined && renamed.has(name) && command.name) command.name.parts = [{ type: 'Literal', value: internalName(name) }];
        });
      }
      for (const statement of ast.statements) {
        if (statement.background) continue;
        for (const pipeline of statement.pipelines) {
          const command = pipeline.commands[0];
          if (pipeline.commands.length !== 1 || command?.type !== 'SimpleCommand' || command.redirections.length > 0) continue;
          const name = literalName(command);
          if (name === undefined || !streaming.has(name)) continue;
          command.assignments.push({
            type: 'Assignment',
            name: ATTACHED,
            value: { type: 'Word', parts: [{ type: 'Literal', value: '1' }] },
            append: false,
            array: null,
          });
        }
      }
      return { ast };
    },
  };
}
