// Runs a lab's solve.sh in the lab shell, the same shell the browser's terminal uses (just-bash with
// `eb`, `aws`, `zip`, `git` ...), capturing its output for verify's report.
import type { InMemoryFs } from 'just-bash';
import { createLabShell, runScript } from '../shell/index.ts';
import type { AwsClients } from '../aws/index.ts';

export interface ScriptRun {
  exitCode: number;
  /** Interleaved stdout and stderr. */
  output: string;
  /** The line that failed, when the shell reports it. */
  failedLine?: string;
}

export async function runSolveScript(options: { fs: InMemoryFs; clients: AwsClients; cwd: string; script: string; labId: string }): Promise<ScriptRun> {
  let output = '';
  const shell = await createLabShell({ fs: options.fs, clients: options.clients, cwd: options.cwd, env: { ACADEMY_LAB: options.labId } });
  const io = { onStdout: (text: string) => void (output += text), onStderr: (text: string) => void (output += text) };
  const result = (await runScript(shell, options.script, io)) as { exitCode: number; failedLine?: unknown; line?: unknown; command?: unknown };
  const failed = result.failedLine ?? result.command ?? result.line;
  return { exitCode: result.exitCode, output, failedLine: failed === undefined ? undefined : String(failed) };
}
