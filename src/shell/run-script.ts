// Runs a script (a lab's solve.sh) in a lab shell the way `bash -e script.sh` would, one complete
// command at a time, so a failure names the line that failed and the session state stays usable.
import type { LabShell, ShellIo } from './lab-shell.ts';

export interface ScriptResult {
  /** 0 when every command succeeded (or the script ran `exit 0`). */
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The text of the command that failed (or did not parse), as written in the script. */
  failedLine?: string;
  /** Its 1-based line number in the script. */
  failedLineNumber?: number;
}

/** One complete command of a script: a line, or several when a quote, heredoc or block spans them. */
interface ScriptChunk {
  line: number;
  text: string;
}

const EXIT = /^\s*exit(?:\s+(\d+))?\s*(?:#.*)?$/;
const SET_OPTIONS = /^\s*set\s+[-+]/;

/**
 * Runs `scriptText` with `set -e` semantics: stops at the first command that fails and reports it.
 * `set` lines (e.g. `set -euo pipefail`) stay in force for the rest of the script. Nothing is added to
 * the shell's history. Output goes to `io` as it happens and is returned too.
 */
export async function runScript(shell: LabShell, scriptText: string, io: ShellIo = {}): Promise<ScriptResult> {
  let stdout = '';
  let stderr = '';
  const out = (text: string) => {
    stdout += text;
    io.onStdout?.(text);
  };
  const err = (text: string) => {
    stderr += text;
    io.onStderr?.(text);
  };
  const split = splitScript(shell, scriptText);
  if ('error' in split) {
    err(`script: line ${split.line}: syntax error: ${split.error}\n`);
    return { exitCode: 2, stdout, stderr, failedLine: split.text, failedLineNumber: split.line };
  }
  const options = ['set -e'];
  for (const chunk of split.chunks) {
    if (io.signal?.aborted) return { exitCode: 130, stdout, stderr, failedLine: chunk.text, failedLineNumber: chunk.line };
    const exit = EXIT.exec(chunk.text);
    const result = await shell.exec(`${options.join('\n')}\n${chunk.text}`, { ...io, onStdout: out, onStderr: err, record: false });
    if (exit) return { exitCode: exit[1] !== undefined ? Number(exit[1]) : result.exitCode, stdout, stderr };
    if (result.exitCode !== 0) {
      err(`script: line ${chunk.line}: \`${firstLine(chunk.text)}\` failed with exit code ${result.exitCode}\n`);
      return { exitCode: result.exitCode, stdout, stderr, failedLine: chunk.text, failedLineNumber: chunk.line };
    }
    if (SET_OPTIONS.test(chunk.text)) options.push(chunk.text.trim());
  }
  return { exitCode: 0, stdout, stderr };
}

function firstLine(text: string): string {
  const [first, ...rest] = text.split('\n');
  return rest.length ? `${first} ...` : first;
}

/** Groups the script's lines into complete commands, skipping blank and comment-only lines. */
function splitScript(shell: LabShell, script: string): { chunks: ScriptChunk[] } | { error: string; line: number; text: string } {
  const lines = script.replace(/\r\n/g, '\n').split('\n');
  const chunks: ScriptChunk[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let text = lines[i];
    if (!text.trim() || text.trim().startsWith('#')) continue;
    let state = shell.inputState(text);
    while (state.kind === 'incomplete' && i + 1 < lines.length) {
      text += `\n${lines[++i]}`;
      state = shell.inputState(text);
    }
    if (state.kind === 'incomplete') return { error: 'unexpected end of file (an unclosed quote, heredoc or block?)', line: start + 1, text };
    if (state.kind === 'error') return { error: state.message, line: start + 1, text };
    chunks.push({ line: start + 1, text });
  }
  return { chunks };
}
