// Adapts node:fs/promises to the WorkspaceFs interface, rooted at a directory, for Node hosts only
// (the `eb` bin on a learner's machine, `academy` tools). Browser code uses just-bash's InMemoryFs.
import { promises as fsp } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import type { WorkspaceFs, WorkspaceStat } from './fs.ts';

export class NodeWorkspaceFs implements WorkspaceFs {
  constructor(private readonly root: string = '/') {}

  /** Maps a workspace path (POSIX, absolute or relative to the root) to a real path inside the root. */
  private real(path: string): string {
    const root = resolve(this.root);
    const target = resolve(root, path.startsWith('/') ? `.${path}` : path);
    if (target !== root && !target.startsWith(root.endsWith(sep) ? root : root + sep)) {
      throw new Error(`Path ${path} is outside the workspace ${root}`);
    }
    return target;
  }

  async readFile(path: string): Promise<string> {
    return fsp.readFile(this.real(path), 'utf8');
  }
  async readFileBuffer(path: string): Promise<Uint8Array> {
    return new Uint8Array(await fsp.readFile(this.real(path)));
  }
  async writeFile(path: string, content: string | Uint8Array): Promise<void> {
    const target = this.real(path);
    await fsp.mkdir(dirname(target), { recursive: true });
    await fsp.writeFile(target, content);
  }
  async exists(path: string): Promise<boolean> {
    try {
      await fsp.lstat(this.real(path));
      return true;
    } catch {
      return false;
    }
  }
  async stat(path: string): Promise<WorkspaceStat> {
    const st = await fsp.lstat(this.real(path));
    return {
      isFile: st.isFile(),
      isDirectory: st.isDirectory(),
      isSymbolicLink: st.isSymbolicLink(),
      mode: st.mode,
      size: st.size,
      mtime: st.mtime,
    };
  }
  async mkdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    await fsp.mkdir(this.real(path), { recursive: options?.recursive ?? false });
  }
  async readdir(path: string): Promise<string[]> {
    return fsp.readdir(this.real(path));
  }
  async rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void> {
    await fsp.rm(this.real(path), { recursive: options?.recursive ?? false, force: options?.force ?? false });
  }
  async chmod(path: string, mode: number): Promise<void> {
    await fsp.chmod(this.real(path), mode);
  }
}
