// Collects the files of a source bundle the way the EB CLI does (reference §8.2): `.ebignore` wins and
// packages the working tree; otherwise a git project packages the committed HEAD (or the index with
// --staged); a project outside git packages the working tree minus `.gitignore`.
import ignore, { type Ignore } from 'ignore';
import { joinPath, type WorkspaceFs } from '../../workspace/fs.ts';
import { gitFs } from '../../workspace/git-fs.ts';
import { CommandError } from '../errors.ts';

/** isomorphic-git (about 32 KB gzip in the workbench) loads on first use, so a lab's first prompt does not wait for it. */
const loadGit = () => import('../../workspace/git-api.ts');

export interface BundleFile {
  /** Path inside the bundle, relative to the project root (never a parent folder). */
  path: string;
  data: Uint8Array;
  /** Unix mode including the type bits, e.g. 0o100755. */
  mode: number;
  mtime: Date;
}

export type SourceKind = 'ebignore' | 'git-head' | 'git-staged' | 'directory';

export interface ProjectSource {
  kind: SourceKind;
  files: BundleFile[];
  /** `git describe --always --abbrev=4` of HEAD, for the version label; null outside git. */
  describe: string | null;
  /** Last commit subject (git) for the version description; null outside git. */
  commitMessage: string | null;
  /** Tracked files changed since HEAD (git only); the CLI warns about them. */
  uncommittedChanges: string[];
  /** Tracked files whose working copy differs from the index (what --staged leaves out). */
  unstagedChanges: string[];
}

/** Folders never packaged from a working tree: git's own data and the EB CLI's local state. */
const alwaysExcluded = ['.git/', '.elasticbeanstalk/'];

/** Reads the project's source the way `eb deploy` would package it. */
export async function collectSource(
  fs: WorkspaceFs,
  projectRoot: string,
  gitRoot: string | null,
  options: { staged?: boolean } = {},
): Promise<ProjectSource> {
  const ebignorePath = joinPath(projectRoot, '.ebignore');
  if (await fs.exists(ebignorePath)) {
    const rules = ignore().add(alwaysExcluded).add(await fs.readFile(ebignorePath, 'utf8'));
    const files = await walkWorkingTree(fs, projectRoot, rules);
    const info = gitRoot ? await gitInfo(fs, gitRoot) : { describe: null, commitMessage: null };
    return { kind: 'ebignore', files, ...info, uncommittedChanges: [], unstagedChanges: [] };
  }
  if (gitRoot) return collectFromGit(fs, projectRoot, gitRoot, options.staged === true);
  const rules = ignore().add(alwaysExcluded);
  const gitignorePath = joinPath(projectRoot, '.gitignore');
  if (await fs.exists(gitignorePath)) rules.add(await fs.readFile(gitignorePath, 'utf8'));
  const files = await walkWorkingTree(fs, projectRoot, rules);
  return { kind: 'directory', files, describe: null, commitMessage: null, uncommittedChanges: [], unstagedChanges: [] };
}

async function walkWorkingTree(fs: WorkspaceFs, root: string, rules: Ignore): Promise<BundleFile[]> {
  const files: BundleFile[] = [];
  async function walk(rel: string): Promise<void> {
    const abs = rel ? joinPath(root, rel) : root;
    for (const name of (await fs.readdir(abs)).sort()) {
      const childRel = rel ? `${rel}/${name}` : name;
      const childAbs = joinPath(root, childRel);
      const st = await fs.stat(childAbs);
      if (st.isDirectory) {
        if (rules.ignores(`${childRel}/`)) continue;
        await walk(childRel);
        continue;
      }
      if (rules.ignores(childRel)) continue;
      const data = await readFileOrSkip(fs, childAbs);
      if (!data) continue;
      const permissions = st.mode & 0o777 || 0o644;
      files.push({ path: childRel, data, mode: 0o100000 | permissions, mtime: st.mtime });
    }
  }
  await walk('');
  return files;
}

/** A dangling symbolic link cannot be packaged; skip it rather than fail the deploy. */
async function readFileOrSkip(fs: WorkspaceFs, path: string): Promise<Uint8Array | null> {
  try {
    return await fs.readFileBuffer(path);
  } catch (error) {
    if (/ENOENT|EISDIR/.test(String((error as { code?: string }).code ?? (error as Error).message))) return null;
    throw error;
  }
}

async function headOid(fs: WorkspaceFs, gitRoot: string): Promise<string> {
  const git = await loadGit();
  try {
    return await git.resolveRef({ fs: gitFs(fs), dir: gitRoot, ref: 'HEAD' });
  } catch {
    throw new CommandError(
      'Your git repository has no commits yet, so there is nothing to deploy. Commit your files ' +
        '(git add -A && git commit -m "First version"), or add an .ebignore file to deploy the working directory as it is.',
    );
  }
}

async function gitInfo(fs: WorkspaceFs, gitRoot: string): Promise<{ describe: string | null; commitMessage: string | null }> {
  const git = await loadGit();
  try {
    const oid = await git.resolveRef({ fs: gitFs(fs), dir: gitRoot, ref: 'HEAD' });
    return { describe: await describe(fs, gitRoot, oid), commitMessage: await commitSubject(fs, gitRoot, oid) };
  } catch {
    return { describe: null, commitMessage: null };
  }
}

async function commitSubject(fs: WorkspaceFs, gitRoot: string, oid: string): Promise<string> {
  const git = await loadGit();
  const { commit } = await git.readCommit({ fs: gitFs(fs), dir: gitRoot, oid });
  return commit.message.split('\n')[0].trim();
}

/** `git describe --always --abbrev=4`: the nearest tag plus distance, or the abbreviated hash. */
export async function describe(fs: WorkspaceFs, gitRoot: string, head: string): Promise<string> {
  const git = await loadGit();
  const gfs = gitFs(fs);
  const abbrev = head.slice(0, 4);
  const tags = await git.listTags({ fs: gfs, dir: gitRoot });
  if (tags.length === 0) return abbrev;
  const tagByCommit = new Map<string, string>();
  for (const tag of tags.sort()) {
    let oid = await git.resolveRef({ fs: gfs, dir: gitRoot, ref: `refs/tags/${tag}` });
    const read = await git.readObject({ fs: gfs, dir: gitRoot, oid }).catch(() => null);
    if (read?.type === 'tag') oid = (read.object as { object: string }).object;
    if (!tagByCommit.has(oid)) tagByCommit.set(oid, tag);
  }
  const history = await git.log({ fs: gfs, dir: gitRoot, ref: head, depth: 1000 });
  for (let distance = 0; distance < history.length; distance++) {
    const tag = tagByCommit.get(history[distance].oid);
    if (tag) return distance === 0 ? tag : `${tag}-${distance}-g${abbrev}`;
  }
  return abbrev;
}

/** The project folder's path inside the repository ('' when the project is the repository root). */
function prefixInRepo(projectRoot: string, gitRoot: string): string {
  const root = joinPath(projectRoot);
  const repo = joinPath(gitRoot);
  if (root === repo) return '';
  return root.slice(repo === '/' ? 1 : repo.length + 1);
}

async function collectFromGit(fs: WorkspaceFs, projectRoot: string, gitRoot: string, staged: boolean): Promise<ProjectSource> {
  const git = await loadGit();
  const gfs = gitFs(fs);
  const oid = await headOid(fs, gitRoot);
  const { commit } = await git.readCommit({ fs: gfs, dir: gitRoot, oid });
  const mtime = new Date(commit.committer.timestamp * 1000);
  const prefix = prefixInRepo(projectRoot, gitRoot);
  const inProject = (path: string) => (prefix ? path.startsWith(`${prefix}/`) : true);
  const relative = (path: string) => (prefix ? path.slice(prefix.length + 1) : path);

  const files: BundleFile[] = [];
  await git.walk({
    fs: gfs,
    dir: gitRoot,
    trees: [staged ? git.STAGE() : git.TREE({ ref: oid })],
    map: async (path, [entry]) => {
      if (!entry || path === '.') return true;
      // Prune whole subtrees outside the project folder (git archive runs in the project folder).
      if (prefix && !inProject(path) && !`${prefix}/`.startsWith(`${path}/`)) return null;
      const type = await entry.type();
      if (type !== 'blob') return true;
      if (!inProject(path)) return true;
      const mode = await entry.mode();
      if (mode === 0o160000) return true; // submodule commit: not part of the archive
      const data = staged
        ? (await git.readBlob({ fs: gfs, dir: gitRoot, oid: await entry.oid() })).blob
        : ((await entry.content()) ?? new Uint8Array());
      files.push({ path: relative(path), data: new Uint8Array(data), mode, mtime });
      return true;
    },
  });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const uncommittedChanges: string[] = [];
  const unstagedChanges: string[] = [];
  const matrix = await git.statusMatrix({ fs: gfs, dir: gitRoot, filepaths: prefix ? [prefix] : undefined });
  for (const [path, head, workdir, stage] of matrix) {
    if (head === 0 && stage === 0) continue; // untracked
    if (head !== 1 || workdir !== 1 || stage !== 1) uncommittedChanges.push(relative(path));
    // stage 3: the index differs from the working copy; stage 1: the index is HEAD but the working copy is not.
    if (stage === 3 || (stage === 1 && workdir !== 1)) unstagedChanges.push(relative(path));
  }
  return {
    kind: staged ? 'git-staged' : 'git-head',
    files,
    describe: await describe(fs, gitRoot, oid),
    commitMessage: commit.message.split('\n')[0].trim(),
    uncommittedChanges,
    unstagedChanges,
  };
}
