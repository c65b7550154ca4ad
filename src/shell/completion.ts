// Tab completion for the lab terminal: command names, `eb`/`aws`/`git` subcommands and flags, and
// paths in the workspace. Pure over the filesystem, so the terminal can ask on every Tab.
import { joinPath } from '../workspace/fs.ts';
import type { LabCommand, ShellFs } from './command.ts';

export interface Completion {
  /** Index in the line where the word being completed starts; candidates replace line[replaceFrom, cursor). */
  replaceFrom: number;
  /** Same as replaceFrom (the name the workbench's terminal reads). */
  from: number;
  /** Full replacement words, sorted; directories end with `/`. A single candidate completes at once. */
  candidates: string[];
}

export interface CompletionScope {
  fs: ShellFs;
  cwd: string;
  home: string;
  commandNames: string[];
  /** Our commands, which may complete their own subcommands and flags. */
  commands: ReadonlyMap<string, LabCommand>;
}

/** Splits the text before the cursor into words, respecting quotes; the last word is the one being typed. */
function wordsBefore(text: string): { words: string[]; start: number } {
  const words: string[] = [];
  let current = '';
  let start = 0;
  let quote: string | null = null;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      if (!inWord) start = i;
      quote = ch;
      inWord = true;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      continue;
    }
    if (ch === '|' || ch === ';' || ch === '&' || ch === '(' || ch === ')') {
      // A new command starts after a separator: only its words matter.
      words.length = 0;
      current = '';
      inWord = false;
      continue;
    }
    if (!inWord) start = i;
    inWord = true;
    current += ch;
  }
  if (!inWord) start = text.length;
  return { words: [...words, current], start };
}

export async function completeLine(scope: CompletionScope, line: string, cursor: number): Promise<Completion> {
  const before = line.slice(0, Math.max(0, Math.min(cursor, line.length)));
  const { words, start } = wordsBefore(before);
  const word = words[words.length - 1];
  const done = (candidates: string[]): Completion => ({ replaceFrom: start, from: start, candidates: [...new Set(candidates)].sort() });
  const matching = (options: Iterable<string>) => [...options].filter((o) => o.startsWith(word));

  // Skip leading VAR=value assignments to find the command word.
  let commandIndex = 0;
  while (commandIndex < words.length - 1 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[commandIndex])) commandIndex++;
  if (words.length - 1 === commandIndex) {
    if (word.includes('/')) return done(await completePath(scope, word, true));
    return done(matching(scope.commandNames));
  }
  const command = words[commandIndex];
  const args = words.slice(commandIndex + 1, -1);

  const own = await scope.commands.get(command)?.complete?.(args, word);
  if (own) return done(matching(own));
  return done(await completePath(scope, word, false));
}

/** Completes a path word against the filesystem; `~/` is kept as typed. */
async function completePath(scope: CompletionScope, word: string, executablesOnly: boolean): Promise<string[]> {
  const slash = word.lastIndexOf('/');
  const dirPart = slash >= 0 ? word.slice(0, slash + 1) : '';
  const namePart = slash >= 0 ? word.slice(slash + 1) : word;
  const expanded = dirPart.startsWith('~/') ? `${scope.home}/${dirPart.slice(2)}` : dirPart;
  const dir = expanded === '' ? scope.cwd : expanded.startsWith('/') ? joinPath(expanded) || '/' : joinPath(scope.cwd, expanded);
  let names: string[];
  try {
    names = await scope.fs.readdir(dir || '/');
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    if (!name.startsWith(namePart)) continue;
    if (name.startsWith('.') && !namePart.startsWith('.')) continue;
    let isDirectory = false;
    try {
      const st = await scope.fs.stat(joinPath(dir || '/', name));
      isDirectory = st.isDirectory;
      if (executablesOnly && !isDirectory && (st.mode & 0o111) === 0) continue;
    } catch {
      continue;
    }
    out.push(`${dirPart}${name}${isDirectory ? '/' : ''}`);
  }
  return out;
}
