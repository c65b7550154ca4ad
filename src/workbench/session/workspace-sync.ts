// Finds what changed in the lab workspace since last time, so files written by shell commands reach the
// editor (and IndexedDB) and files saved in the editor are not echoed back.
import { joinPath, type WorkspaceFs } from '../../workspace/fs.ts';

export type FileContent = string | Uint8Array;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text when the bytes are UTF-8 without NULs, else the bytes (zips, images). */
export function asContent(bytes: Uint8Array): FileContent {
  if (bytes.includes(0)) return bytes;
  try {
    return utf8.decode(bytes);
  } catch {
    return bytes;
  }
}

export function sameContent(a: FileContent | undefined, b: FileContent | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface WorkspaceScan {
  files: Map<string, FileContent>;
  /** Folders with no files inside (so an empty folder made in the tree survives). */
  emptyFolders: string[];
}

/**
 * Reads every file under `dir` (relative paths). Nothing is skipped: a lab's node_modules or venv is part of
 * what it teaches (what not to bundle), and .git holds the learner's commits; all of it must survive a reload.
 */
export async function scanWorkspace(fs: WorkspaceFs, dir: string): Promise<WorkspaceScan> {
  const files = new Map<string, FileContent>();
  const emptyFolders: string[] = [];
  if (!(await fs.exists(dir))) return { files, emptyFolders };
  async function walk(rel: string): Promise<void> {
    const abs = rel ? joinPath(dir, rel) : dir;
    const names = (await fs.readdir(abs)).sort();
    if (names.length === 0 && rel) emptyFolders.push(rel);
    for (const name of names) {
      const childRel = rel ? `${rel}/${name}` : name;
      const childAbs = joinPath(dir, childRel);
      let stat;
      try {
        stat = await fs.stat(childAbs);
      } catch {
        continue; // a dangling symlink
      }
      if (stat.isDirectory) {
        await walk(childRel);
      } else if (stat.isFile) {
        files.set(childRel, asContent(await fs.readFileBuffer(childAbs)));
      }
    }
  }
  await walk('');
  return { files, emptyFolders };
}

export interface WorkspaceDiff {
  changed: Record<string, FileContent>;
  removed: string[];
}

/** Tracks the last content the page knows of, and reports differences. */
export class WorkspaceMirror {
  private known = new Map<string, FileContent>();
  private folders: string[] = [];

  constructor(
    private readonly fs: WorkspaceFs,
    readonly dir: string,
  ) {}

  get emptyFolders(): readonly string[] {
    return this.folders;
  }

  /** Everything, as the page should show it now. */
  async snapshot(): Promise<Record<string, FileContent>> {
    const scan = await scanWorkspace(this.fs, this.dir);
    this.known = scan.files;
    this.folders = scan.emptyFolders;
    return Object.fromEntries(scan.files);
  }

  /** What changed since the last snapshot or diff. */
  async diff(): Promise<WorkspaceDiff> {
    const scan = await scanWorkspace(this.fs, this.dir);
    const changed: Record<string, FileContent> = {};
    const removed: string[] = [];
    for (const [path, content] of scan.files) if (!sameContent(this.known.get(path), content)) changed[path] = content;
    for (const path of this.known.keys()) if (!scan.files.has(path)) removed.push(path);
    this.known = scan.files;
    this.folders = scan.emptyFolders;
    return { changed, removed };
  }

  /** Records a write the page itself made, so it is not reported back as a change. */
  noteWrite(path: string, content: FileContent): void {
    this.known.set(path, content);
  }

  noteRemoved(prefix: string): void {
    for (const path of [...this.known.keys()]) if (path === prefix || path.startsWith(`${prefix}/`)) this.known.delete(path);
  }
}

/** Writes a file, creating its folders. */
export async function writeWorkspaceFile(fs: WorkspaceFs, dir: string, path: string, content: FileContent): Promise<void> {
  const abs = joinPath(dir, path);
  const parent = abs.slice(0, abs.lastIndexOf('/'));
  if (parent) await fs.mkdir(parent, { recursive: true });
  await fs.writeFile(abs, content);
}

/** Checks a workspace-relative path given by the page (never trusted to stay inside the workspace). */
export function safeRelativePath(path: string): string {
  const normalised = joinPath(path);
  if (path.startsWith('/') || normalised === '' || path.split('/').includes('..')) {
    throw new Error(`"${path}" is not a path inside the workspace; use a relative path such as "Procfile" or ".ebextensions/options.config"`);
  }
  return normalised;
}
