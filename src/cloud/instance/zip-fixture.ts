// Builds source bundles with unix modes, the way `zip` on Linux writes them: used by the instance tests and by
// anything that needs a bundle from a map of files (executable hooks, symlinks, folders).

import { strToU8, zipSync } from 'fflate';

export interface FixtureFile {
  content: string | Uint8Array;
  /** Unix permission bits, 0o644 by default; 0o755 for executable hooks. */
  mode?: number;
  /** Store as a symbolic link whose target is `content`. */
  symlink?: boolean;
}

/** A zip of `files` (path → text or spec). Folders end with `/`. */
export function makeZip(files: Record<string, string | FixtureFile>, level: 0 | 6 | 9 = 6): Uint8Array {
  const entries: Record<string, [Uint8Array, { os: number; attrs: number; mtime: Date; level: 0 | 6 | 9 }]> = {};
  for (const [path, spec] of Object.entries(files)) {
    const f: FixtureFile = typeof spec === 'string' ? { content: spec } : spec;
    const data = typeof f.content === 'string' ? strToU8(f.content) : f.content;
    const type = path.endsWith('/') ? 0o040000 : f.symlink ? 0o120000 : 0o100000;
    const perm = f.mode ?? (path.endsWith('/') ? 0o755 : f.symlink ? 0o777 : 0o644);
    entries[path] = [data, { os: 3, attrs: ((type | perm) << 16) >>> 0, mtime: new Date(Date.UTC(2026, 10, 1)), level }];
  }
  return zipSync(entries);
}
