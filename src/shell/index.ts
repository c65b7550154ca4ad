// Public surface of the lab shell: the workbench's terminal types into it, `academy verify` runs a
// lab's solve.sh in it. Framework-free and browser-safe (see README.md for the browser build's needs).
export { createLabShell, type LabShell, type LabShellOptions, type ShellIo, type ShellResult, type Completion } from './lab-shell.ts';
export { runScript, type ScriptResult } from './run-script.ts';
export { labCommands } from './commands/index.ts';
export { CommandUsageError, resolvePath, type LabCommand, type LabCommandContext, type ShellFs } from './command.ts';
