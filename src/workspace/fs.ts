// The workspace filesystem: the small interface that `eb`, the checks and the lab shell share, so one
// command runs on Node's fs (a learner's machine, `academy`) and on the lab's in-memory fs (the browser).
// just-bash's InMemoryFs satisfies it structurally; `node-fs.ts` adapts node:fs/promises to it.

export interface WorkspaceStat {
  isFile: boolean;
  isDirectory: boolean;
  isSymbolicLink: boolean;
  /** Unix mode bits, e.g. 0o100755 for an executable file. */
  mode: number;
  size: number;
  mtime: Date;
}

export interface WorkspaceFs {
  /** Reads a file as UTF-8 text. Rejects with an ENOENT-style error when missing. */
  readFile(path: string, encoding?: 'utf8' | 'utf-8'): Promise<string>;
  readFileBuffer(path: string): Promise<Uint8Array>;
  writeFile(path: string, content: string | Uint8Array): Promise<void>;
  exists(path: string): Promise<boolean>;
  stat(path: string): Promise<WorkspaceStat>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  /** Names (not paths) of the entries of a directory. */
  readdir(path: string): Promise<string[]>;
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
}

/** Joins POSIX path segments and normalises `.`/`..` (workspace paths are always POSIX). */
export function joinPath(...parts: string[]): string {
  const absolute = parts.length > 0 && parts[0].startsWith('/');
  const out: string[] = [];
  for (const part of parts.join('/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return (absolute ? '/' : '') + out.join('/');
}

/** Lists every file under `dir` (recursively) as paths relative to `dir`, sorted. */
export async function listFiles(fs: WorkspaceFs, dir: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(rel: string): Promise<void> {
    const abs = rel ? joinPath(dir, rel) : dir;
    for (const name of (await fs.readdir(abs)).sort()) {
      const childRel = rel ? `${rel}/${name}` : name;
      const st = await fs.stat(joinPath(dir, childRel));
      if (st.isDirectory) await walk(childRel);
      else found.push(childRel);
    }
  }
  await walk('');
  return found.sort();
}
