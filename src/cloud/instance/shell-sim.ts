// A small, honest simulation of the shell commands .ebextensions and platform hooks run: it checks what it can
// check (files the command needs, exit statuses, executability) and treats everything else as succeeding.

import { shellWords } from './app-model.ts';

export interface CommandContext {
  /** Files of the bundle; paths relative to the bundle root. */
  paths: Set<string>;
  /** Executable bits of bundle files. */
  executable: (path: string) => boolean;
  /** `staging`: cwd is the bundle root (container_commands, prebuild/predeploy hooks, postdeploy in /var/app/current). `root`: cwd is `/`, before extraction (commands). */
  cwd: 'staging' | 'root';
  appDir: string;
}

export interface CommandResult {
  exitCode: number;
  output: string[];
}

function fileFor(arg: string, ctx: CommandContext): string | undefined {
  const clean = arg.replace(/^\.\//, '');
  if (arg.startsWith('/var/app/staging/') || arg.startsWith('/var/app/current/')) return arg.replace(/^\/var\/app\/(staging|current)\//, '');
  if (arg.startsWith('/')) return undefined; // outside the bundle: assume the instance has it
  return ctx.cwd === 'staging' ? clean : `/${clean}`;
}

function runSimple(words: string[], ctx: CommandContext): CommandResult {
  const [program, ...args] = words;
  if (!program) return { exitCode: 0, output: [] };
  if (program === 'true' || program === ':') return { exitCode: 0, output: [] };
  if (program === 'false') return { exitCode: 1, output: [] };
  if (program === 'exit') return { exitCode: Number(args[0] ?? 0) || 0, output: [] };
  if (program === 'echo') return { exitCode: 0, output: [args.join(' ')] };
  if (program === 'test' || program === '[') {
    const a = program === '[' ? args.slice(0, -1) : args;
    if ((a[0] === '-f' || a[0] === '-e') && a[1]) {
      const f = fileFor(a[1], ctx);
      return { exitCode: f === undefined || ctx.paths.has(f) ? 0 : 1, output: [] };
    }
    if (a[0] === '-d' && a[1]) {
      const f = fileFor(a[1], ctx);
      return { exitCode: f === undefined || [...ctx.paths].some((p) => p.startsWith(`${f}/`)) ? 0 : 1, output: [] };
    }
    return { exitCode: 0, output: [] };
  }
  const interpreter = /^(python3?(\.\d+)?|node|bash|sh|ruby|php)$/.exec(program.split('/').pop() ?? '');
  if (interpreter) {
    const script = args.find((a) => !a.startsWith('-'));
    if (args[0] === '-c' || args[0] === '-m' || args[0] === '-e' || script === undefined) return { exitCode: 0, output: [] };
    const f = fileFor(script, ctx);
    if (f !== undefined && !ctx.paths.has(f)) {
      const where = ctx.cwd === 'staging' ? `${ctx.appDir}/${script.replace(/^\.\//, '')}` : `/${script.replace(/^\.\//, '')}`;
      if (interpreter[1].startsWith('python')) return { exitCode: 2, output: [`${program}: can't open file '${where}': [Errno 2] No such file or directory`] };
      if (interpreter[1] === 'node') return { exitCode: 1, output: [`Error: Cannot find module '${where}'`] };
      return { exitCode: 127, output: [`${program}: ${script}: No such file or directory`] };
    }
    return { exitCode: 0, output: [] };
  }
  if (program.startsWith('./') || (program.includes('/') && !program.startsWith('/'))) {
    const f = fileFor(program, ctx);
    if (f !== undefined && !ctx.paths.has(f)) return { exitCode: 127, output: [`/bin/sh: ${program}: No such file or directory`] };
    if (f !== undefined && !ctx.executable(f)) return { exitCode: 126, output: [`/bin/sh: ${program}: Permission denied`] };
    return { exitCode: 0, output: [] };
  }
  return { exitCode: 0, output: [] };
}

/** Runs a command line (`a && b || c; d`) through the simulation. */
export function simulateCommand(command: string | string[], ctx: CommandContext): CommandResult {
  if (Array.isArray(command)) return runSimple(command, ctx);
  const output: string[] = [];
  let exitCode = 0;
  for (const statement of command.split(/\n|;/)) {
    const parts = statement.split(/(&&|\|\|)/);
    let skip = false;
    for (let i = 0; i < parts.length; i += 2) {
      const op = i > 0 ? parts[i - 1] : undefined;
      if (op === '&&' && exitCode !== 0) skip = true;
      else if (op === '||' && exitCode === 0) skip = true;
      else skip = false;
      if (skip) continue;
      const words = shellWords(parts[i].replace(/\|.*$/, '').trim());
      if (!words.length) continue;
      const r = runSimple(words, ctx);
      output.push(...r.output);
      exitCode = r.exitCode;
      if (words[0] === 'exit') return { exitCode, output };
    }
  }
  return { exitCode, output };
}

/** Runs a hook script line by line (`set -e` stops at the first failure, as bash does). */
export function simulateScript(content: string, ctx: CommandContext): CommandResult {
  const output: string[] = [];
  let errexit = false;
  let exitCode = 0;
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (/^set\s+-[a-z]*e/.test(line) || /^set\s+-o\s+errexit/.test(line)) {
      errexit = true;
      continue;
    }
    if (/^(if|then|else|fi|for|do|done|while|case|esac|function)\b|[{}]\s*$/.test(line)) continue;
    const r = simulateCommand(line, ctx);
    output.push(...r.output);
    exitCode = r.exitCode;
    if (/^exit\b/.test(line)) return { exitCode, output };
    if (errexit && exitCode !== 0) return { exitCode, output };
  }
  return { exitCode, output };
}
