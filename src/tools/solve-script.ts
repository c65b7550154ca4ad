// Runs a lab's solve.sh in the lab shell, the same shell the browser's terminal uses (just-bash with
// `eb`, `aws`, `zip`, `git` ...), capturing its output for verify's report.
import type { InMemoryFs } from 'just-bash';
import { createLabShell, runScript } from '../shell/index.ts';
import type { AwsClients } from '../aws/index.ts';

export interface ScriptRun {
  exitCode: number;
  /** Interleaved stdout and stderr, as a terminal shows them. */
  output: string;
  /** The line that failed, as `line N: command`. */
  failedLine?: string;
}

export async function runSolveScript(options: { fs: InMemoryFs; clients: AwsClients; cwd: string; script: string; labId: string }): Promise<ScriptRun> {
  let output = '';
  const shell = createLabShell({ fs: options.fs, clients: options.clients, cwd: options.cwd, labId: options.labId });
  const io = { onStdout: (text: string) => void (output += text), onStderr: (text: string) => void (output += text) };
  const result = await runScript(shell, options.script, io);
  return {
    exitCode: result.exitCode,
    output,
    failedLine: result.failedLine === undefined ? undefined : `line ${result.failedLineNumber ?? '?'}: ${result.failedLine}`,
  };
}
