// `git` over isomorphic-git and the workspace: init, add, rm, commit, status, log, diff, branch,
// checkout/switch, restore, config, rev-parse — with git's own wording, so `eb deploy` sees real commits.
import type * as GitApi from '../../workspace/git-api.ts';
import { gitFs, type GitFs } from '../../workspace/git-fs.ts';
import { joinPath } from '../../workspace/fs.ts';
import { CommandUsageError, resolvePath, utf8, type LabCommand, type LabCommandContext } from '../command.ts';
import { countChanges, diffLines, splitLines, unifiedHunks } from '../line-diff.ts';

const SUBCOMMANDS = ['init', 'add', 'rm', 'commit', 'status', 'log', 'diff', 'branch', 'checkout', 'switch', 'restore', 'config', 'rev-parse', 'show', 'push'];

/** The identity commits get when the learner has not set one (so `git commit` works in a fresh lab). */
/** isomorphic-git (about 32 KB gzip in the workbench) is loaded by the first git command, not with the shell. */
let git: typeof GitApi;

export const DEFAULT_IDENTITY = { name: 'Learner', email: 'learner@pettracker.example' };

/** git's exit code for fatal errors. */
class GitFatal extends CommandUsageError {
  constructor(message: string, exitCode = 128) {
    super(message, exitCode);
  }
}

interface Repo {
  fs: GitFs;
  dir: string;
  cache: object;
  ctx: LabCommandContext;
}

type Row = [string, number, number, number];

async function findRepo(ctx: LabCommandContext): Promise<Repo> {
  const fs = gitFs(ctx.fs);
  try {
    const dir = await git.findRoot({ fs, filepath: ctx.cwd });
    return { fs, dir, cache: {}, ctx };
  } catch {
    throw new GitFatal('not a git repository (or any of the parent directories): .git\nRun git init first.');
  }
}

async function headOid(repo: Repo): Promise<string | null> {
  try {
    return await git.resolveRef({ fs: repo.fs, dir: repo.dir, ref: 'HEAD' });
  } catch {
    return null;
  }
}

async function branchName(repo: Repo): Promise<string> {
  return (await git.currentBranch({ fs: repo.fs, dir: repo.dir, fullname: false })) || 'HEAD';
}

/** Path of a file relative to the repository, from what the learner typed relative to the cwd. */
function repoPath(repo: Repo, typed: string): string {
  const absolute = resolvePath(repo.ctx, typed);
  if (absolute === repo.dir) return '.';
  if (!absolute.startsWith(`${repo.dir}/`)) throw new GitFatal(`${typed}: '${absolute}' is outside repository at '${repo.dir}'`);
  return absolute.slice(repo.dir.length + 1);
}

/** How git shows a repository path to someone in the cwd (relative, with ../ when needed). */
function shownPath(repo: Repo, path: string): string {
  const cwdRel = repo.ctx.cwd === repo.dir ? '' : repo.ctx.cwd.slice(repo.dir.length + 1);
  if (!cwdRel) return path;
  const from = cwdRel.split('/');
  const to = path.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}

function matchesSpec(path: string, specs: string[]): boolean {
  return specs.some((spec) => spec === '.' || path === spec || path.startsWith(`${spec.replace(/\/+$/, '')}/`));
}

async function matrix(repo: Repo): Promise<Row[]> {
  return (await git.statusMatrix({ fs: repo.fs, dir: repo.dir, cache: repo.cache })) as Row[];
}

async function readIni(ctx: LabCommandContext, path: string): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  if (!(await ctx.fs.exists(path))) return values;
  let section = '';
  for (const raw of (await ctx.fs.readFile(path)).split('\n')) {
    const line = raw.trim();
    const header = /^\[([^\]"\s]+)(?:\s+"([^"]*)")?\]$/.exec(line);
    if (header) section = header[2] !== undefined ? `${header[1]}.${header[2]}` : header[1];
    else {
      const kv = /^([A-Za-z0-9-]+)\s*=\s*(.*)$/.exec(line);
      if (kv && section) values.set(`${section}.${kv[1]}`.toLowerCase(), kv[2].replace(/^"(.*)"$/, '$1'));
    }
  }
  return values;
}

async function writeGlobal(ctx: LabCommandContext, key: string, value: string): Promise<void> {
  const path = joinPath(ctx.home, '.gitconfig');
  const values = await readIni(ctx, path);
  values.set(key.toLowerCase(), value);
  const sections = new Map<string, string[]>();
  for (const [k, v] of values) {
    const dot = k.lastIndexOf('.');
    const section = k.slice(0, dot);
    const list = sections.get(section) ?? [];
    list.push(`\t${k.slice(dot + 1)} = ${v}`);
    sections.set(section, list);
  }
  await ctx.fs.mkdir(ctx.home, { recursive: true });
  await ctx.fs.writeFile(path, [...sections].map(([s, lines]) => `[${s}]\n${lines.join('\n')}\n`).join(''));
}

async function identity(repo: Repo): Promise<{ name: string; email: string }> {
  const global = await readIni(repo.ctx, joinPath(repo.ctx.home, '.gitconfig'));
  const local = async (path: string) => (await git.getConfig({ fs: repo.fs, dir: repo.dir, path })) as string | undefined;
  return {
    name: repo.ctx.env.GIT_AUTHOR_NAME || (await local('user.name')) || global.get('user.name') || DEFAULT_IDENTITY.name,
    email: repo.ctx.env.GIT_AUTHOR_EMAIL || (await local('user.email')) || global.get('user.email') || DEFAULT_IDENTITY.email,
  };
}

/** Blob contents at HEAD, in the index (stage) and in the working tree, for every path in play. */
async function snapshots(
  repo: Repo,
): Promise<Map<string, { head?: Uint8Array; stage?: Uint8Array; work?: Uint8Array; headOid?: string; stageOid?: string; mode?: number }>> {
  const out = new Map<string, { head?: Uint8Array; stage?: Uint8Array; work?: Uint8Array; headOid?: string; stageOid?: string; mode?: number }>();
  const head = await headOid(repo);
  const trees = [git.STAGE(), git.WORKDIR(), ...(head ? [git.TREE({ ref: 'HEAD' })] : [])];
  await git.walk({
    fs: repo.fs,
    dir: repo.dir,
    cache: repo.cache,
    trees,
    map: async (filepath, entries) => {
      if (filepath === '.') return true;
      const [stage, work, tree] = entries;
      const types = await Promise.all([stage?.type(), work?.type(), tree?.type()]);
      if (types.some((t) => t === 'tree')) {
        if (filepath === '.git' || filepath.startsWith('.git/')) return null;
        return true;
      }
      const entry: { head?: Uint8Array; stage?: Uint8Array; work?: Uint8Array; headOid?: string; stageOid?: string; mode?: number } = {};
      // STAGE entries carry no content, so both sides are read from the object store by oid.
      const blob = async (oid: string) => (await git.readBlob({ fs: repo.fs, dir: repo.dir, oid, cache: repo.cache })).blob;
      if (tree && types[2] === 'blob') {
        entry.headOid = await tree.oid();
        entry.head = await blob(entry.headOid);
        entry.mode = await tree.mode();
      }
      if (stage && types[0] === 'blob') {
        entry.stageOid = await stage.oid();
        entry.stage = await blob(entry.stageOid);
        entry.mode = (await stage.mode()) ?? entry.mode;
      }
      if (work && types[1] === 'blob' && (entry.stage || entry.head)) entry.work = (await work.content()) ?? new Uint8Array(0);
      if (entry.head || entry.stage) out.set(filepath, entry);
      return null;
    },
  });
  return out;
}

const short = (oid: string) => oid.slice(0, 7);

function gitDate(seconds: number, offsetMinutes: number): string {
  const d = new Date((seconds - offsetMinutes * 60) * 1000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  const sign = offsetMinutes <= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()} ${sign}${two(Math.floor(abs / 60))}${two(abs % 60)}`;
}

// ---- subcommands ----

async function init(args: string[], ctx: LabCommandContext): Promise<number> {
  const target = args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '-b' && args[i - 1] !== '--initial-branch');
  const dir = target ? resolvePath(ctx, target) : ctx.cwd;
  const fs = gitFs(ctx.fs);
  const existed = await ctx.fs.exists(joinPath(dir, '.git'));
  await ctx.fs.mkdir(dir, { recursive: true });
  const flag = args.findIndex((a) => a === '-b' || a === '--initial-branch');
  const branch = args.find((a) => a.startsWith('--initial-branch='))?.split('=')[1] ?? (flag >= 0 ? args[flag + 1] : undefined) ?? 'main';
  await git.init({ fs, dir, defaultBranch: branch });
  if (!args.includes('-q') && !args.includes('--quiet')) ctx.stdout(`${existed ? 'Reinitialized existing' : 'Initialized empty'} Git repository in ${joinPath(dir, '.git')}/\n`);
  return 0;
}

async function add(args: string[], ctx: LabCommandContext): Promise<number> {
  const repo = await findRepo(ctx);
  const all = args.includes('-A') || args.includes('--all');
  const specs = args.filter((a) => !a.startsWith('-')).map((a) => repoPath(repo, a));
  if (specs.length === 0 && !all) {
    ctx.stderr("Nothing specified, nothing added.\nhint: Maybe you wanted to say 'git add .'?\n");
    return 0;
  }
  const rows = await matrix(repo);
  for (const spec of specs) {
    if (!rows.some(([path]) => matchesSpec(path, [spec])) && !(await ctx.fs.exists(joinPath(repo.dir, spec)))) {
      throw new GitFatal(`pathspec '${spec}' did not match any files`);
    }
  }
  for (const [path, head, work, stage] of rows) {
    if (!all && !matchesSpec(path, specs)) continue;
    if (work === 0) {
      if (stage !== 0) await git.remove({ fs: repo.fs, dir: repo.dir, filepath: path, cache: repo.cache });
    } else if (!(head === 1 && work === 1 && stage === 1)) {
      await git.add({ fs: repo.fs, dir: repo.dir, filepath: path, cache: repo.cache });
    }
  }
  return 0;
}

async function rm(args: string[], ctx: LabCommandContext): Promise<number> {
  const repo = await findRepo(ctx);
  const cached = args.includes('--cached');
  const recursive = args.includes('-r') || args.some((a) => /^-[a-z]*r/.test(a));
  const specs = args.filter((a) => !a.startsWith('-')).map((a) => repoPath(repo, a));
  if (specs.length === 0) throw new CommandUsageError('usage: git rm [--cached] [-r] <file>...', 129);
  const tracked = (await matrix(repo)).filter(([, head, , stage]) => head === 1 || stage !== 0).map(([path]) => path);
  for (const spec of specs) {
    const matched = tracked.filter((path) => matchesSpec(path, [spec]));
    if (matched.length === 0) throw new GitFatal(`pathspec '${spec}' did not match any files`);
    if (matched.some((path) => path !== spec) && !recursive) throw new GitFatal(`not removing '${spec}' recursively without -r`);
    for (const path of matched) {
      await git.remove({ fs: repo.fs, dir: repo.dir, filepath: path, cache: repo.cache });
      if (!cached && (await ctx.fs.exists(joinPath(repo.dir, path)))) await ctx.fs.rm(joinPath(repo.dir, path));
      ctx.stdout(`rm '${path}'\n`);
    }
  }
  return 0;
}

async function commit(args: string[], ctx: LabCommandContext): Promise<number> {
  const repo = await findRepo(ctx);
  const messages: string[] = [];
  let all = false;
  let allowEmpty = false;
  let quiet = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-m' || arg === '--message') {
      if (args[i + 1] === undefined) throw new CommandUsageError("switch `m' requires a value", 129);
      messages.push(args[++i]);
    } else if (arg.startsWith('--message=')) messages.push(arg.slice(10));
    else if (arg === '-a' || arg === '--all') all = true;
    else if (arg === '-am') {
      all = true;
      if (args[i + 1] === undefined) throw new CommandUsageError("switch `m' requires a value", 129);
      messages.push(args[++i]);
    } else if (arg === '--allow-empty') allowEmpty = true;
    else if (arg === '-q' || arg === '--quiet') quiet = true;
    else throw new CommandUsageError(`option '${arg}' is not supported here; use git commit -m "message" [-a]`, 129);
  }
  if (messages.length === 0) throw new CommandUsageError('no commit message: this terminal has no editor for it; use git commit -m "what changed"', 1);
  if (all) {
    for (const [path, head, work, stage] of await matrix(repo)) {
      if (head === 0 && stage === 0) continue; // untracked files stay out, as with git commit -a
      if (work === 0 && stage !== 0) await git.remove({ fs: repo.fs, dir: repo.dir, filepath: path, cache: repo.cache });
      else if (work === 2 && stage !== 2) await git.add({ fs: repo.fs, dir: repo.dir, filepath: path, cache: repo.cache });
    }
  }
  const files = await snapshots(repo);
  const changes = [...files].filter(([, f]) => f.headOid !== f.stageOid).sort(([a], [b]) => a.localeCompare(b));
  const parent = await headOid(repo);
  if (changes.length === 0 && !allowEmpty) {
    ctx.stdout(await statusLong(repo));
    return 1;
  }
  const author = await identity(repo);
  const oid = await git.commit({ fs: repo.fs, dir: repo.dir, cache: repo.cache, message: messages.join('\n\n'), author });
  let insertions = 0;
  let deletions = 0;
  const modes: string[] = [];
  for (const [path, f] of changes) {
    const counts = countChanges(diffLines(splitLines(utf8(f.head ?? new Uint8Array(0))), splitLines(utf8(f.stage ?? new Uint8Array(0)))));
    insertions += counts.added;
    deletions += counts.removed;
    if (!f.headOid) modes.push(` create mode ${(f.mode ?? 0o100644).toString(8)} ${path}`);
    else if (!f.stageOid) modes.push(` delete mode ${(f.mode ?? 0o100644).toString(8)} ${path}`);
  }
  const branch = await branchName(repo);
  const title = messages[0].split('\n')[0];
  const summary = [`${changes.length} file${changes.length === 1 ? '' : 's'} changed`];
  if (insertions || !deletions) summary.push(`${insertions} insertion${insertions === 1 ? '' : 's'}(+)`);
  if (deletions) summary.push(`${deletions} deletion${deletions === 1 ? '' : 's'}(-)`);
  if (quiet) return 0;
  ctx.stdout(`[${branch}${parent ? '' : ' (root-commit)'} ${short(oid)}] ${title}\n ${summary.join(', ')}\n${modes.map((m) => `${m}\n`).join('')}`);
  return 0;
}

interface StatusEntry {
  path: string;
  index: string;
  work: string;
}

function statusEntries(rows: Row[]): { entries: StatusEntry[]; untracked: string[] } {
  const entries: StatusEntry[] = [];
  const untracked: string[] = [];
  for (const [path, head, work, stage] of rows) {
    let index = ' ';
    let wt = ' ';
    if (head === 0 && stage === 0) {
      if (work === 2) untracked.push(path);
      continue;
    }
    if (head === 0) index = 'A';
    else if (stage === 0) index = 'D';
    else if (stage === 2 || stage === 3) index = 'M';
    if (stage === 0) {
      if (work !== 0) untracked.push(path);
    } else if (work === 0) wt = 'D';
    else if (stage === 3 || (stage === 1 && work === 2)) wt = 'M';
    if (index !== ' ' || wt !== ' ') entries.push({ path, index, work: wt });
  }
  return { entries, untracked };
}

/** Untracked files under a folder with nothing tracked are shown as the folder, as git does. */
function collapseUntracked(untracked: string[], rows: Row[]): string[] {
  const trackedDirs = new Set<string>();
  for (const [path, head, , stage] of rows) {
    if (head === 0 && stage === 0) continue;
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) trackedDirs.add(parts.slice(0, i).join('/'));
  }
  const shown = new Set<string>();
  for (const path of untracked) {
    const parts = path.split('/');
    let cut = parts.length;
    for (let i = 1; i < parts.length; i++) {
      if (!trackedDirs.has(parts.slice(0, i).join('/'))) {
        cut = i;
        break;
      }
    }
    shown.add(cut < parts.length ? `${parts.slice(0, cut).join('/')}/` : path);
  }
  return [...shown].sort();
}

async function statusLong(repo: Repo): Promise<string> {
  const rows = await matrix(repo);
  const { entries, untracked } = statusEntries(rows);
  const shownUntracked = collapseUntracked(untracked, rows);
  const branch = await branchName(repo);
  const hasHead = (await headOid(repo)) !== null;
  const staged = entries.filter((e) => e.index !== ' ');
  const unstaged = entries.filter((e) => e.work !== ' ');
  const label = (code: string) => (code === 'A' ? 'new file:   ' : code === 'D' ? 'deleted:    ' : 'modified:   ');
  // git's layout: each section ends with a blank line; the summary follows only when nothing is staged.
  const lines = [`On branch ${branch}`];
  if (!hasHead) lines.push('', 'No commits yet', '');
  if (staged.length) {
    lines.push('Changes to be committed:', hasHead ? '  (use "git restore --staged <file>..." to unstage)' : '  (use "git rm --cached <file>..." to unstage)');
    for (const e of staged) lines.push(`\t${label(e.index)}${shownPath(repo, e.path)}`);
    lines.push('');
  }
  if (unstaged.length) {
    lines.push('Changes not staged for commit:', '  (use "git add <file>..." to update what will be committed)', '  (use "git restore <file>..." to discard changes in working directory)');
    for (const e of unstaged) lines.push(`\t${label(e.work)}${shownPath(repo, e.path)}`);
    lines.push('');
  }
  if (shownUntracked.length) {
    lines.push('Untracked files:', '  (use "git add <file>..." to include in what will be committed)');
    for (const path of shownUntracked) lines.push(`\t${shownPath(repo, path)}`);
    lines.push('');
  }
  if (staged.length === 0) {
    if (unstaged.length) lines.push('no changes added to commit (use "git add" and/or "git commit -a")');
    else if (shownUntracked.length) lines.push('nothing added to commit but untracked files present (use "git add" to track)');
    else if (!hasHead) lines.push('nothing to commit (create/copy files and use "git add" to track)');
    else lines.push('nothing to commit, working tree clean');
  }
  return `${lines.join('\n')}\n`;
}

async function status(args: string[], ctx: LabCommandContext): Promise<number> {
  const repo = await findRepo(ctx);
  if (args.includes('-s') || args.includes('--short') || args.includes('--porcelain')) {
    const rows = await matrix(repo);
    const { entries, untracked } = statusEntries(rows);
    const lines = entries.map((e) => `${e.index}${e.work} ${shownPath(repo, e.path)}`);
    for (const path of collapseUntracked(untracked, rows)) lines.push(`?? ${shownPath(repo, path)}`);
    if (args.includes('-b') || args.includes('--branch')) lines.unshift(`## ${await branchName(repo)}`);
    ctx.stdout(lines.map((l) => `${l}\n`).join(''));
    return 0;
  }
  ctx.stdout(await statusLong(repo));
  return 0;
}

async function log(args: string[], ctx: LabCommandContext): Promise<number> {
  const repo = await findRepo(ctx);
  const oneline = args.includes('--oneline');
  let depth: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const count = /^-(\d+)$/.exec(args[i]) ?? (args[i] === '-n' ? [args[i], args[i + 1]] : /^--max-count=(\d+)$/.exec(args[i]));
    if (count && count[1] !== undefined) depth = Number(count[1]);
  }
  const branch = await branchName(repo);
  if ((await headOid(repo)) === null) throw new GitFatal(`your current branch '${branch}' does not have any commits yet`);
  const commits = await git.log({ fs: repo.fs, dir: repo.dir, cache: repo.cache, ...(depth !== undefined ? { depth } : {}) });
  const out: string[] = [];
  commits.forEach((entry, index) => {
    const decoration = index === 0 ? ` (HEAD -> ${branch})` : '';
    const message = entry.commit.message.replace(/\n+$/, '');
    if (oneline) out.push(`${short(entry.oid)}${decoration} ${message.split('\n')[0]}`);
    else {
      const a = entry.commit.author;
      out.push(
        `commit ${entry.oid}${decoration}`,
        `Author: ${a.name} <${a.email}>`,
        `Date:   ${gitDate(a.timestamp, a.timezoneOffset)}`,
        '',
        ...message.split('\n').map((l) => `    ${l}`),
      );
      if (index < commits.length - 1) out.push('');
    }
  });
  ctx.stdout(`${out.join('\n')}\n`);
  return 0;
}

async function diff(args: string[], ctx: LabCommandContext): Promise<number> {
  const repo = await findRepo(ctx);
  const staged = args.includes('--staged') || args.includes('--cached');
  const positional = args.filter((a) => !a.startsWith('-'));
  const againstHead = positional[0] === 'HEAD';
  const stat = args.includes('--stat');
  const nameOnly = args.includes('--name-only');
  const specs = (againstHead ? positional.slice(1) : positional).filter((a) => a !== '--').map((a) => repoPath(repo, a));
  if ((staged || againstHead) && (await headOid(repo)) === null && againstHead)
    throw new GitFatal("ambiguous argument 'HEAD': unknown revision (no commits yet)");
  const files = await snapshots(repo);
  let out = '';
  const stats: string[] = [];
  for (const [path, f] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (specs.length && !matchesSpec(path, specs)) continue;
    // Old side and new side per mode: index vs work tree (default), HEAD vs index (--staged), HEAD vs work tree (HEAD).
    const oldBytes = staged || againstHead ? f.head : f.stage;
    const newBytes = staged ? f.stage : f.work;
    if (!staged && !againstHead && f.stage === undefined) continue; // untracked in the index: not shown
    if (oldBytes === undefined && newBytes === undefined) continue;
    const oldText = oldBytes ? utf8(oldBytes) : '';
    const newText = newBytes ? utf8(newBytes) : '';
    if (oldBytes && newBytes && oldText === newText) continue;
    const hunks = unifiedHunks(oldText, newText);
    const mode = (f.mode ?? 0o100644).toString(8);
    const oldOid = oldBytes ? ((await git.hashBlob({ object: oldBytes })).oid as string) : '0000000';
    const newOid = newBytes ? ((await git.hashBlob({ object: newBytes })).oid as string) : '0000000';
    if (nameOnly) {
      stats.push(shownPath(repo, path));
      continue;
    }
    if (stat) {
      const c = countChanges(diffLines(splitLines(oldText), splitLines(newText)));
      stats.push(` ${shownPath(repo, path)} | ${c.added + c.removed} ${'+'.repeat(Math.min(c.added, 40))}${'-'.repeat(Math.min(c.removed, 40))}`);
      continue;
    }
    out += `diff --git a/${path} b/${path}\n`;
    if (!oldBytes) out += `new file mode ${mode}\nindex 0000000..${short(newOid)}\n--- /dev/null\n+++ b/${path}\n`;
    else if (!newBytes) out += `deleted file mode ${mode}\nindex ${short(oldOid)}..0000000\n--- a/${path}\n+++ /dev/null\n`;
    else out += `index ${short(oldOid)}..${short(newOid)} ${mode}\n--- a/${path}\n+++ b/${path}\n`;
    out += hunks;
  }
  if (nameOnly || stat) out = stats.map((s) => `${s}\n`).join('');
  ctx.stdout(out);
  return args.includes('--exit-code') && out ? 1 : 0;
}

async function branch(args: string[], ctx: LabCommandContext): Promise<number> {
  const repo = await findRepo(ctx);
  const names = args.filter((a) => !a.startsWith('-'));
  if (args.includes('-d') || args.includes('-D')) {
    for (const ref of names) {
      if (ref === (await branchName(repo))) throw new GitFatal(`cannot delete branch '${ref}' used by worktree at '${repo.dir}'`, 1);
      await git.deleteBranch({ fs: repo.fs, dir: repo.dir, ref });
      ctx.stdout(`Deleted branch ${ref}.\n`);
    }
    return 0;
  }
  if (names.length === 0) {
    const current = await branchName(repo);
    const branches = await git.listBranches({ fs: repo.fs, dir: repo.dir });
    if (!branches.includes(current) && (await headOid(repo)) === null) return 0;
    ctx.stdout(
      branches
        .sort()
        .map((b) => `${b === current ? '*' : ' '} ${b}\n`)
        .join(''),
    );
    return 0;
  }
  if ((await headOid(repo)) === null) throw new GitFatal(`not a valid object name: '${await branchName(repo)}' (commit something first)`);
  try {
    await git.branch({ fs: repo.fs, dir: repo.dir, ref: names[0] });
  } catch (error) {
    throw new GitFatal(/already exists/i.test(String(error)) ? `a branch named '${names[0]}' already exists` : (error as Error).message);
  }
  return 0;
}

async function checkout(args: string[], ctx: LabCommandContext, create: string[]): Promise<number> {
  const repo = await findRepo(ctx);
  const creating = args.some((a) => create.includes(a));
  const names = args.filter((a) => !a.startsWith('-'));
  const ref = names[0];
  if (!ref) throw new CommandUsageError(`usage: git ${create.includes('-c') ? 'switch [-c] <branch>' : 'checkout [-b] <branch>'}`, 129);
  if (creating) {
    if ((await headOid(repo)) === null) {
      // Before the first commit git just points HEAD at the new branch name.
      await ctx.fs.writeFile(joinPath(repo.dir, '.git/HEAD'), `ref: refs/heads/${ref}\n`);
    } else {
      try {
        await git.branch({ fs: repo.fs, dir: repo.dir, ref, checkout: true });
      } catch (error) {
        throw new GitFatal(/already exists/i.test(String(error)) ? `a branch named '${ref}' already exists` : (error as Error).message);
      }
    }
    ctx.stderr(`Switched to a new branch '${ref}'\n`);
    return 0;
  }
  const branches = await git.listBranches({ fs: repo.fs, dir: repo.dir });
  if (!branches.includes(ref)) {
    if (!create.includes('-c') && (await ctx.fs.exists(resolvePath(ctx, ref)))) return restore([ref], ctx);
    throw new GitFatal(`invalid reference: ${ref}`, 1);
  }
  try {
    await git.checkout({ fs: repo.fs, dir: repo.dir, ref, cache: repo.cache });
  } catch (error) {
    throw new GitFatal(`Your local changes would be overwritten by checkout (${(error as Error).message}). Commit them first (git commit -am "...").`, 1);
  }
  ctx.stderr(`Switched to branch '${ref}'\n`);
  return 0;
}

async function restore(args: string[], ctx: LabCommandContext): Promise<number> {
  const repo = await findRepo(ctx);
  const staged = args.includes('--staged') || args.includes('-S');
  const specs = args.filter((a) => !a.startsWith('-')).map((a) => repoPath(repo, a));
  if (specs.length === 0) throw new GitFatal('you must specify path(s) to restore', 128);
  const rows = await matrix(repo);
  for (const spec of specs) {
    const matched = rows.filter(([path, head, , stage]) => matchesSpec(path, [spec]) && (head === 1 || stage !== 0));
    if (matched.length === 0) throw new GitFatal(`pathspec '${spec}' did not match any file(s) known to git`, 1);
    for (const [path] of matched) {
      if (staged) await git.resetIndex({ fs: repo.fs, dir: repo.dir, filepath: path, cache: repo.cache });
      else
        await git.checkout({ fs: repo.fs, dir: repo.dir, filepaths: [path], force: true, cache: repo.cache, noUpdateHead: true, ref: await branchName(repo) });
    }
  }
  return 0;
}

async function config(args: string[], ctx: LabCommandContext): Promise<number> {
  const global = args.includes('--global');
  const rest = args.filter((a) => a !== '--global' && a !== '--local');
  if (rest[0] === '--list' || rest[0] === '-l') {
    const values = await readIni(ctx, joinPath(ctx.home, '.gitconfig'));
    ctx.stdout([...values].map(([k, v]) => `${k}=${v}\n`).join(''));
    return 0;
  }
  const [key, value] = rest;
  if (!key || !/^[A-Za-z][\w-]*\.[\w.-]+$/.test(key))
    throw new CommandUsageError(`key '${key ?? ''}' does not contain a section: use e.g. git config user.name "Maya"`, key ? 1 : 129);
  if (global) {
    if (value === undefined) {
      const found = (await readIni(ctx, joinPath(ctx.home, '.gitconfig'))).get(key.toLowerCase());
      if (found === undefined) return 1;
      ctx.stdout(`${found}\n`);
      return 0;
    }
    await writeGlobal(ctx, key, value);
    return 0;
  }
  const repo = await findRepo(ctx).catch(() => {
    throw new GitFatal('not in a git directory: run git init first, or use git config --global', 128);
  });
  if (value === undefined) {
    const found =
      ((await git.getConfig({ fs: repo.fs, dir: repo.dir, path: key })) as string | undefined) ??
      (await readIni(ctx, joinPath(ctx.home, '.gitconfig'))).get(key.toLowerCase());
    if (found === undefined) return 1;
    ctx.stdout(`${found}\n`);
    return 0;
  }
  await git.setConfig({ fs: repo.fs, dir: repo.dir, path: key, value });
  return 0;
}

async function revParse(args: string[], ctx: LabCommandContext): Promise<number> {
  const repo = await findRepo(ctx);
  const shortForm = args.includes('--short');
  if (args.includes('--abbrev-ref')) {
    ctx.stdout(`${await branchName(repo)}\n`);
    return 0;
  }
  for (const arg of args.filter((a) => !a.startsWith('-'))) {
    let oid: string;
    try {
      oid = await git.resolveRef({ fs: repo.fs, dir: repo.dir, ref: arg });
    } catch {
      throw new GitFatal(`ambiguous argument '${arg}': unknown revision or path not in the working tree.`);
    }
    ctx.stdout(`${shortForm ? short(oid) : oid}\n`);
  }
  if (args.includes('--show-toplevel')) ctx.stdout(`${repo.dir}\n`);
  return 0;
}

async function show(args: string[], ctx: LabCommandContext): Promise<number> {
  const repo = await findRepo(ctx);
  const spec = args.find((a) => !a.startsWith('-')) ?? 'HEAD';
  const colon = spec.indexOf(':');
  if (colon < 0) return log(['-1', ...args.filter((a) => a.startsWith('-'))], ctx);
  const ref = spec.slice(0, colon) || 'HEAD';
  const filepath = spec.slice(colon + 1).replace(/^\.\//, '');
  try {
    const oid = await git.resolveRef({ fs: repo.fs, dir: repo.dir, ref });
    const { blob } = await git.readBlob({ fs: repo.fs, dir: repo.dir, oid, filepath, cache: repo.cache });
    ctx.stdout(utf8(blob));
    return 0;
  } catch {
    throw new GitFatal(`path '${filepath}' does not exist in '${ref}'`);
  }
}

export const gitCommand: LabCommand = {
  name: 'git',
  summary: 'Version control: init, add, commit, status, log, diff, branch, checkout -b',
  complete(args, word) {
    if (args.length === 0) return SUBCOMMANDS;
    const flags: Record<string, string[]> = {
      commit: ['-m', '-a', '--allow-empty'],
      status: ['-s', '--short', '-b'],
      log: ['--oneline', '-n'],
      diff: ['--staged', '--cached', '--stat', '--name-only'],
      add: ['-A', '--all'],
      rm: ['--cached', '-r'],
      checkout: ['-b'],
      switch: ['-c'],
      restore: ['--staged'],
      config: ['--global', 'user.name', 'user.email'],
    };
    if (word.startsWith('-') || args[0] === 'config') return flags[args[0]];
    return undefined;
  },
  async run(args, ctx) {
    try {
      git ??= await import('../../workspace/git-api.ts');
      return await runGit(args, ctx);
    } catch (error) {
      if (!(error instanceof GitFatal)) throw error;
      ctx.stderr(`fatal: ${error.message}\n`);
      return error.exitCode;
    }
  },
};

async function runGit(args: string[], ctx: LabCommandContext): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case undefined:
    case '--help':
    case 'help':
      ctx.stdout(
        `usage: git <command> [<args>]\n\nAvailable here: ${SUBCOMMANDS.filter((s) => s !== 'push').join(', ')}.\nStart with: git init && git add . && git commit -m "First version"\n`,
      );
      return sub === undefined ? 1 : 0;
    case '--version':
      ctx.stdout('git version 2.43.0 (isomorphic-git, Beanstalk Academy)\n');
      return 0;
    case 'init':
      return init(rest, ctx);
    case 'add':
      return add(rest, ctx);
    case 'rm':
      return rm(rest, ctx);
    case 'commit':
      return commit(rest, ctx);
    case 'status':
      return status(rest, ctx);
    case 'log':
      return log(rest, ctx);
    case 'diff':
      return diff(rest, ctx);
    case 'branch':
      return branch(rest, ctx);
    case 'checkout':
      return checkout(rest, ctx, ['-b']);
    case 'switch':
      return checkout(rest, ctx, ['-c', '--create']);
    case 'restore':
      return restore(rest, ctx);
    case 'config':
      return config(rest, ctx);
    case 'rev-parse':
      return revParse(rest, ctx);
    case 'show':
      return show(rest, ctx);
    case 'push':
    case 'pull':
    case 'fetch':
    case 'clone':
    case 'remote':
      throw new CommandUsageError(`'${sub}' needs a remote, and this lab has none: deploy with eb deploy (it packages your latest commit).`, 128);
    default:
      throw new CommandUsageError(`'${sub}' is not a git command here. Available: ${SUBCOMMANDS.filter((s) => s !== 'push').join(', ')}.`, 1);
  }
}
