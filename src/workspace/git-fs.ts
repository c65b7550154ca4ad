// Adapts a WorkspaceFs to the `fs` object isomorphic-git expects (a `promises` API with Node-style
// errors carrying `.code`), so `eb deploy` packaging and the lab shell's `git` run on any workspace.
import type { WorkspaceFs, WorkspaceStat } from './fs.ts';

/** The Node-style stat object isomorphic-git reads (methods plus the numeric fields it normalises). */
export interface GitStats {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  mode: number;
  size: number;
  ino: number;
  dev: number;
  uid: number;
  gid: number;
  mtime: Date;
  ctime: Date;
  mtimeMs: number;
  ctimeMs: number;
}

export interface GitFsPromises {
  readFile(path: string, options?: string | { encoding?: string | null }): Promise<Uint8Array | string>;
  writeFile(path: string, data: string | Uint8Array, options?: string | { encoding?: string; mode?: number }): Promise<void>;
  unlink(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  mkdir(path: string, options?: { recursive?: boolean } | number): Promise<void>;
  rmdir(path: string): Promise<void>;
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void>;
  stat(path: string): Promise<GitStats>;
  lstat(path: string): Promise<GitStats>;
  readlink(path: string): Promise<string>;
  symlink(target: string, path: string): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
}

/** The object to pass as `fs` to isomorphic-git functions. */
export interface GitFs {
  promises: GitFsPromises;
}

/** Optional capabilities some WorkspaceFs implementations have (just-bash's InMemoryFs has all three). */
interface LinkCapableFs {
  lstat?(path: string): Promise<WorkspaceStat>;
  readlink?(path: string): Promise<string>;
  symlink?(target: string, path: string): Promise<void>;
}

const knownCodes = ['ENOENT', 'EEXIST', 'ENOTDIR', 'EISDIR', 'ENOTEMPTY', 'EACCES', 'EPERM', 'ENOSYS', 'EINVAL'];

/** An error shaped like Node's fs errors, which isomorphic-git recognises by `.code`. */
export function fsError(code: string, syscall: string, path: string, detail?: string): Error & { code: string } {
  const texts: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EEXIST: 'file already exists',
    ENOTDIR: 'not a directory',
    EISDIR: 'illegal operation on a directory',
    ENOTEMPTY: 'directory not empty',
    ENOSYS: 'function not implemented',
  };
  const error = new Error(`${code}: ${detail ?? texts[code] ?? 'error'}, ${syscall} '${path}'`) as Error & {
    code: string;
    syscall: string;
    path: string;
  };
  error.code = code;
  error.syscall = syscall;
  error.path = path;
  return error;
}

/** Gives an error from any WorkspaceFs a Node-style `.code` (InMemoryFs only puts it in the message). */
function withCode(error: unknown, syscall: string, path: string): unknown {
  if (!(error instanceof Error)) return error;
  const existing = (error as { code?: unknown }).code;
  if (typeof existing === 'string') return error;
  const prefix = /^([A-Z]+):/.exec(error.message)?.[1];
  if (prefix && knownCodes.includes(prefix)) {
    Object.assign(error, { code: prefix, syscall, path });
  }
  return error;
}

async function guarded<T>(syscall: string, path: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw withCode(error, syscall, path);
  }
}

function toGitStats(st: WorkspaceStat): GitStats {
  // Some filesystems report permission bits only; git needs the file-type bits to classify entries.
  const permissions = st.mode & 0o7777;
  const typeBits = st.isDirectory ? 0o040000 : st.isSymbolicLink ? 0o120000 : 0o100000;
  const mode = (st.mode & 0o170000) !== 0 ? st.mode : typeBits | permissions;
  const mtime = st.mtime instanceof Date ? st.mtime : new Date(st.mtime ?? 0);
  return {
    isFile: () => st.isFile,
    isDirectory: () => st.isDirectory,
    isSymbolicLink: () => st.isSymbolicLink,
    mode,
    size: st.size,
    ino: 0,
    dev: 0,
    uid: 0,
    gid: 0,
    mtime,
    ctime: mtime,
    mtimeMs: mtime.getTime(),
    ctimeMs: mtime.getTime(),
  };
}

function encodingOf(options?: string | { encoding?: string | null }): string | undefined {
  if (typeof options === 'string') return options;
  return options?.encoding ?? undefined;
}

/** Wraps a WorkspaceFs for isomorphic-git: `git.log({ fs: gitFs(workspace), dir })`. */
export function gitFs(fs: WorkspaceFs): GitFs {
  const links = fs as WorkspaceFs & LinkCapableFs;

  async function statOrNull(path: string): Promise<WorkspaceStat | null> {
    try {
      return await fs.stat(path);
    } catch (error) {
      const coded = withCode(error, 'stat', path) as { code?: string };
      if (coded.code === 'ENOENT' || coded.code === 'ENOTDIR') return null;
      throw coded;
    }
  }

  const promises: GitFsPromises = {
    async readFile(path, options) {
      if (typeof path !== 'string') throw fsError('EINVAL', 'open', String(path), 'path must be a string');
      return guarded('open', path, async () => {
        const st = await statOrNull(path);
        if (!st) throw fsError('ENOENT', 'open', path);
        if (st.isDirectory) throw fsError('EISDIR', 'read', path);
        const encoding = encodingOf(options);
        if (encoding === 'utf8' || encoding === 'utf-8') return fs.readFile(path, 'utf8');
        return fs.readFileBuffer(path);
      });
    },

    async writeFile(path, data, options) {
      await guarded('open', path, async () => {
        const st = await statOrNull(path);
        if (st?.isDirectory) throw fsError('EISDIR', 'open', path);
        await fs.writeFile(path, data);
        const mode = typeof options === 'object' ? options.mode : undefined;
        if (mode !== undefined) await fs.chmod(path, mode & 0o7777);
      });
    },

    async unlink(path) {
      await guarded('unlink', path, async () => {
        const st = await statOrNull(path);
        if (!st) throw fsError('ENOENT', 'unlink', path);
        if (st.isDirectory) throw fsError('EISDIR', 'unlink', path);
        await fs.rm(path);
      });
    },

    async readdir(path) {
      return guarded('scandir', path, async () => {
        const st = await statOrNull(path);
        if (!st) throw fsError('ENOENT', 'scandir', path);
        if (!st.isDirectory) throw fsError('ENOTDIR', 'scandir', path);
        return fs.readdir(path);
      });
    },

    async mkdir(path, options) {
      const recursive = typeof options === 'object' && options.recursive === true;
      await guarded('mkdir', path, async () => {
        const st = await statOrNull(path);
        if (st) {
          if (recursive && st.isDirectory) return;
          throw fsError('EEXIST', 'mkdir', path);
        }
        if (!recursive) {
          const parent = path.replace(/\/+[^/]*\/*$/, '') || '/';
          const parentStat = parent === path ? null : await statOrNull(parent);
          if (!parentStat) throw fsError('ENOENT', 'mkdir', path);
          if (!parentStat.isDirectory) throw fsError('ENOTDIR', 'mkdir', path);
        }
        await fs.mkdir(path, { recursive });
      });
    },

    async rmdir(path) {
      await guarded('rmdir', path, async () => {
        const st = await statOrNull(path);
        if (!st) throw fsError('ENOENT', 'rmdir', path);
        if (!st.isDirectory) throw fsError('ENOTDIR', 'rmdir', path);
        if ((await fs.readdir(path)).length > 0) throw fsError('ENOTEMPTY', 'rmdir', path);
        await fs.rm(path, { recursive: true });
      });
    },

    async rm(path, options) {
      await guarded('rm', path, async () => {
        const st = await statOrNull(path);
        if (!st) {
          if (options?.force) return;
          throw fsError('ENOENT', 'rm', path);
        }
        await fs.rm(path, { recursive: options?.recursive ?? false, force: options?.force ?? false });
      });
    },

    async stat(path) {
      const st = await statOrNull(path);
      if (!st) throw fsError('ENOENT', 'stat', path);
      return toGitStats(st);
    },

    async lstat(path) {
      if (!links.lstat) return promises.stat(path);
      return guarded('lstat', path, async () => toGitStats(await links.lstat!(path)));
    },

    async readlink(path) {
      if (!links.readlink) throw fsError('ENOSYS', 'readlink', path, 'this workspace has no symbolic links');
      return guarded('readlink', path, () => links.readlink!(path));
    },

    async symlink(target, path) {
      if (!links.symlink) throw fsError('ENOSYS', 'symlink', path, 'this workspace has no symbolic links');
      await guarded('symlink', path, () => links.symlink!(target, path));
    },

    async chmod(path, mode) {
      await guarded('chmod', path, () => fs.chmod(path, mode & 0o7777));
    },
  };

  return { promises };
}
