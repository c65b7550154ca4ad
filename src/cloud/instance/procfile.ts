// Procfile and Buildfile parsing: one `name: command` a line, the line syntax EB validates (reference §6.4, §7).

import type { BuildfileCommand, Procfile } from './types.ts';

export const PROCFILE_LINE = /^[A-Za-z0-9_-]+:\s*[^\s].*$/;

function lines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/);
}

/** Parses a Procfile. Blank lines are ignored; every other line must match PROCFILE_LINE. */
export function parseProcfile(text: string): Procfile {
  const processes: Procfile['processes'] = [];
  const problems: Procfile['problems'] = [];
  lines(text).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    if (!PROCFILE_LINE.test(raw)) {
      let reason = 'each line must be `name: command`, the name made of letters, digits, _ and -';
      if (/^\s/.test(raw)) reason = 'the line starts with whitespace; a process line must start with its name';
      else if (raw.startsWith('#')) reason = 'comments are not allowed in a Procfile';
      else if (!raw.includes(':')) reason = 'there is no colon: write `name: command`';
      else if (/^[^:]*:\s*$/.test(raw)) reason = 'the command after the colon is empty';
      else reason = 'the process name may only contain letters, digits, _ and -';
      problems.push({ line, text: raw, reason });
      return;
    }
    const colon = raw.indexOf(':');
    const name = raw.slice(0, colon);
    const command = raw.slice(colon + 1).trim();
    if (processes.some((p) => p.name === name)) {
      problems.push({ line, text: raw, reason: `the process name '${name}' is used twice` });
      return;
    }
    processes.push({ name, command, line });
  });
  return { processes, web: processes.find((p) => p.name === 'web') ?? processes[0], problems };
}

/** Parses a Buildfile; lines that do not match are returned as problems. */
export function parseBuildfile(text: string): { commands: BuildfileCommand[]; problems: { line: number; text: string }[] } {
  const commands: BuildfileCommand[] = [];
  const problems: { line: number; text: string }[] = [];
  lines(text).forEach((raw, i) => {
    if (raw.trim() === '') return;
    if (!PROCFILE_LINE.test(raw)) {
      problems.push({ line: i + 1, text: raw });
      return;
    }
    const colon = raw.indexOf(':');
    commands.push({ name: raw.slice(0, colon), command: raw.slice(colon + 1).trim(), line: i + 1 });
  });
  return { commands, problems };
}
