// `git remote` / `git push` to a lab-local remote, which runs the pushed commit's .github/workflows in the
// lab shell (src/pipeline), and the `pipeline` command: list runs, read job logs, approve, set secrets.
import { gitFs, type GitFs } from '../../workspace/git-fs.ts';
import { joinPath } from '../../workspace/fs.ts';
import { approveRun, listRuns, readJobLog, startRun, type RunnerHost } from '../../pipeline/runner.ts';
import { parseWorkflow, triggeredBy, WorkflowError } from '../../pipeline/workflow.ts';
import { CommandUsageError, resolvePath, utf8, type LabCommand, type LabCommandContext } from '../command.ts';

/** isomorphic-git (about 32 KB gzip in the workbench) loads on first use, so a lab's first prompt does not wait for it. */
const loadGit = () => import('../../workspace/git-api.ts');

function pipelineDir(ctx: LabCommandContext): string {
  return joinPath(ctx.home, '.pipeline');
}

/**
 * Run records (job logs, step order, approvals) live in the pushing repository's `.git/actions/runs`:
 * never committed, yet part of the workspace, so an exported attempt carries them to `academy grade`.
 */
async function runsDir(ctx: LabCommandContext): Promise<string> {
  const { dir } = await localRepo(ctx);
  return joinPath(dir, '.git', 'actions', 'runs');
}

async function localRepo(ctx: LabCommandContext): Promise<{ fs: GitFs; dir: string }> {
  const git = await loadGit();
  const fs = gitFs(ctx.fs);
  try {
    return { fs, dir: await git.findRoot({ fs, filepath: ctx.cwd }) };
  } catch {
    throw new CommandUsageError('not a git repository (or any of the parent directories): .git', 128);
  }
}

/** The git directory of a remote path: a bare repository, or a work tree's .git. */
async function remoteGitdir(ctx: LabCommandContext, path: string): Promise<string | null> {
  if (await ctx.fs.exists(joinPath(path, '.git', 'HEAD'))) return joinPath(path, '.git');
  if ((await ctx.fs.exists(joinPath(path, 'HEAD'))) && (await ctx.fs.exists(joinPath(path, 'objects')))) return path;
  return null;
}

/** `git remote`, `git remote -v`, `git remote add <name> <path>`, `git remote remove <name>`. */
export async function gitRemote(args: string[], ctx: LabCommandContext): Promise<number> {
  const git = await loadGit();
  const repo = await localRepo(ctx);
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '-v' || sub === '--verbose') {
    for (const r of await git.listRemotes({ ...repo })) ctx.stdout(sub ? `${r.remote}\t${r.url} (fetch)\n${r.remote}\t${r.url} (push)\n` : `${r.remote}\n`);
    return 0;
  }
  if (sub === 'add') {
    const [name, url] = rest.filter((a) => !a.startsWith('-'));
    if (!name || !url) throw new CommandUsageError('usage: git remote add <name> <path-to-repository>', 129);
    if ((await git.listRemotes({ ...repo })).some((r) => r.remote === name)) throw new CommandUsageError(`remote ${name} already exists.`, 3);
    if (/^(https?|ssh|git):\/\/|^[\w.-]+@[\w.-]+:/.test(url))
      throw new CommandUsageError(`the lab is offline: use a local repository path as the remote, e.g. git remote add ${name} /srv/git/pettracker-ml.git`, 128);
    await git.addRemote({ ...repo, remote: name, url: resolvePath(ctx, url) });
    return 0;
  }
  if (sub === 'remove' || sub === 'rm') {
    const [name] = rest;
    if (!name) throw new CommandUsageError('usage: git remote remove <name>', 129);
    if (!(await git.listRemotes({ ...repo })).some((r) => r.remote === name)) throw new CommandUsageError(`No such remote: '${name}'`, 2);
    await git.deleteRemote({ ...repo, remote: name });
    return 0;
  }
  throw new CommandUsageError(`'remote ${sub}' is not available here: use git remote add <name> <path>, git remote -v or git remote remove <name>`, 129);
}

async function copyObjects(ctx: LabCommandContext, from: string, to: string): Promise<void> {
  const walk = async (dir: string): Promise<void> => {
    for (const name of await ctx.fs.readdir(dir)) {
      const path = joinPath(dir, name);
      const target = joinPath(to, path.slice(from.length + 1));
      if ((await ctx.fs.stat(path)).isDirectory) {
        await ctx.fs.mkdir(target, { recursive: true });
        await walk(path);
      } else if (!(await ctx.fs.exists(target))) await ctx.fs.writeFile(target, await ctx.fs.readFileBuffer(path));
    }
  };
  await ctx.fs.mkdir(to, { recursive: true });
  await walk(from);
}

/** `git push [-u] [<remote> [<branch>]]`: updates the remote's branch (fast-forward only) and runs its workflows. */
export async function gitPush(args: string[], ctx: LabCommandContext): Promise<number> {
  const git = await loadGit();
  const repo = await localRepo(ctx);
  const upstream = args.includes('-u') || args.includes('--set-upstream');
  const unknown = args.find((a) => a.startsWith('-') && a !== '-u' && a !== '--set-upstream');
  if (unknown) throw new CommandUsageError(`push ${unknown} is not available here (force pushes rewrite what CI has already built)`, 129);
  const positional = args.filter((a) => !a.startsWith('-'));
  const current = await git.currentBranch({ ...repo, fullname: false });
  const remoteName = positional[0] ?? (current ? await git.getConfig({ ...repo, path: `branch.${current}.remote` }) : undefined) ?? 'origin';
  const remotes = await git.listRemotes({ ...repo });
  const remote = remotes.find((r) => r.remote === remoteName);
  if (!remote) {
    ctx.stderr(remotes.length === 0
      ? `fatal: No configured push destination: this lab has none: deploy with eb deploy (it packages your latest commit).\nTo push to a pipeline, create a remote first: git init --bare /srv/git/pettracker-ml.git && git remote add origin /srv/git/pettracker-ml.git\n`
      : `fatal: '${remoteName}' does not appear to be a git repository\n`);
    return 128;
  }
  const spec = positional[1] ?? current;
  if (!spec) throw new CommandUsageError('You are not currently on a branch; name the branch to push: git push origin main', 128);
  const [source, destination = source] = spec.split(':');
  let oid: string;
  try {
    oid = await git.resolveRef({ ...repo, ref: source });
  } catch {
    ctx.stderr(`error: src refspec ${source} does not match any\nerror: failed to push some refs to '${remote.url}'\n`);
    return 1;
  }
  const gitdir = await remoteGitdir(ctx, remote.url);
  if (!gitdir) {
    ctx.stderr(`fatal: '${remote.url}' does not appear to be a git repository\nfatal: Could not read from remote repository.\nCreate it with: git init --bare ${remote.url}\n`);
    return 128;
  }
  let previous: string | null = null;
  try {
    previous = await git.resolveRef({ fs: repo.fs, gitdir, ref: `refs/heads/${destination}` });
  } catch {
    previous = null;
  }
  ctx.stdout(`To ${remote.url}\n`);
  if (previous === oid) {
    ctx.stdout('Everything up-to-date\n');
    return 0;
  }
  if (previous) {
    let fastForward = false;
    try {
      fastForward = await git.isDescendent({ ...repo, oid, ancestor: previous, depth: -1 });
    } catch {
      fastForward = false;
    }
    if (!fastForward) {
      ctx.stderr(` ! [rejected]        ${source} -> ${destination} (fetch first)\nerror: failed to push some refs to '${remote.url}'\nhint: the remote has commits you do not have; this lab cannot pull, so commit on top of what you pushed.\n`);
      return 1;
    }
  }
  await copyObjects(ctx, joinPath(repo.dir, '.git', 'objects'), joinPath(gitdir, 'objects'));
  await git.writeRef({ fs: repo.fs, gitdir, ref: `refs/heads/${destination}`, value: oid, force: true });
  ctx.stdout(previous ? `   ${previous.slice(0, 7)}..${oid.slice(0, 7)}  ${source} -> ${destination}\n` : ` * [new branch]      ${source} -> ${destination}\n`);
  if (upstream) {
    await git.setConfig({ ...repo, path: `branch.${source}.remote`, value: remoteName });
    await git.setConfig({ ...repo, path: `branch.${source}.merge`, value: `refs/heads/${destination}` });
    ctx.stdout(`branch '${source}' set up to track '${remoteName}/${destination}'.\n`);
  }
  return runWorkflows(ctx, gitdir, oid, destination, remote.url);
}

async function readTreeFiles(fs: GitFs, gitdir: string, oid: string, prefix = ''): Promise<{ path: string; oid: string; mode: string }[]> {
  const git = await loadGit();
  const { tree } = await git.readTree({ fs, gitdir, oid });
  const files: { path: string; oid: string; mode: string }[] = [];
  for (const entry of tree) {
    const path = prefix ? `${prefix}/${entry.path}` : entry.path;
    if (entry.type === 'tree') files.push(...(await readTreeFiles(fs, gitdir, entry.oid, path)));
    else if (entry.type === 'blob') files.push({ path, oid: entry.oid, mode: entry.mode });
  }
  return files;
}

function runnerHost(ctx: LabCommandContext, gitdir: string, runs: string): RunnerHost {
  const fs = gitFs(ctx.fs);
  return {
    fs: ctx.fs,
    runsDir: runs,
    output: (text) => ctx.stdout(text),
    secrets: () => readSecrets(ctx),
    async checkout(sha, dir) {
      const git = await loadGit();
      const files = await readTreeFiles(fs, gitdir, sha);
      for (const file of files) {
        const target = joinPath(dir, file.path);
        await ctx.fs.mkdir(target.slice(0, target.lastIndexOf('/')), { recursive: true });
        const { blob } = await git.readBlob({ fs, gitdir, oid: file.oid });
        await ctx.fs.writeFile(target, blob);
        if (file.mode === '100755') await ctx.fs.chmod(target, 0o755);
      }
      return files.length;
    },
    async runScript(script, options) {
      // Loaded when a step runs: the lab shell imports this module through the command list.
      const { createLabShell } = await import('../lab-shell.ts');
      const { runScript } = await import('../run-script.ts');
      const shell = createLabShell({ fs: ctx.fs, clients: ctx.clients, cwd: options.cwd, env: options.env, home: ctx.home });
      const result = await runScript(shell, script, { onStdout: options.output, onStderr: options.output, signal: ctx.signal });
      return result.exitCode;
    },
  };
}

async function runWorkflows(ctx: LabCommandContext, gitdir: string, oid: string, branch: string, url: string): Promise<number> {
  const git = await loadGit();
  const fs = gitFs(ctx.fs);
  const files = (await readTreeFiles(fs, gitdir, oid)).filter((f) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(f.path));
  const repository = url.replace(/\/+$/, '').split('/').pop()!.replace(/\.git$/, '');
  const host = runnerHost(ctx, gitdir, await runsDir(ctx));
  let exitCode = 0;
  for (const file of files) {
    const source = utf8((await git.readBlob({ fs, gitdir, oid: file.oid })).blob);
    let workflow;
    try {
      workflow = parseWorkflow(file.path, source);
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      ctx.stderr(`pipeline: ${error.message}\npipeline: ${file.path} did not run; fix it, commit and push again.\n`);
      exitCode = 1;
      continue;
    }
    if (!triggeredBy(workflow, branch)) continue;
    const run = await startRun(host, workflow, source, { sha: oid, branch, repository, now: new Date(ctx.clients.now()) });
    if (run.status === 'failure') exitCode = 1;
  }
  return exitCode;
}

async function readSecrets(ctx: LabCommandContext): Promise<Record<string, string>> {
  const file = joinPath(pipelineDir(ctx), 'secrets.json');
  return (await ctx.fs.exists(file)) ? (JSON.parse(await ctx.fs.readFile(file, 'utf8')) as Record<string, string>) : {};
}

const USAGE = `usage: pipeline runs                 list the workflow runs (newest last)
       pipeline logs <run> [job]     show a run's job logs
       pipeline approve <run>        approve a run waiting to deploy to a protected environment
       pipeline secret set NAME [VALUE]  store a repository secret (VALUE from stdin when omitted)
       pipeline secret list          list secret names
`;

async function remoteOfRun(ctx: LabCommandContext): Promise<string> {
  const git = await loadGit();
  const repo = await localRepo(ctx);
  const remotes = await git.listRemotes({ ...repo });
  const remote = remotes.find((r) => r.remote === 'origin') ?? remotes[0];
  const gitdir = remote ? await remoteGitdir(ctx, remote.url) : null;
  if (!gitdir) throw new CommandUsageError('approve from the repository that pushed the run (its remote holds the commit to deploy)', 1);
  return gitdir;
}

export const pipelineCommand: LabCommand = {
  name: 'pipeline',
  summary: 'CI runs of .github/workflows after git push: runs, logs, approve, secret',
  complete(args) {
    if (args.length === 0) return ['runs', 'logs', 'approve', 'secret'];
    if (args[0] === 'secret' && args.length === 1) return ['set', 'list'];
    return undefined;
  },
  async run(args, ctx) {
    const [sub, ...rest] = args;
    const store = { fs: ctx.fs, runsDir: sub === 'secret' ? '' : await runsDir(ctx) };
    switch (sub) {
      case 'runs': {
        const runs = await listRuns(store);
        if (runs.length === 0) ctx.stdout('No runs yet: commit a workflow in .github/workflows/ and git push.\n');
        for (const run of runs)
          ctx.stdout(`#${run.number}  ${run.status.padEnd(11)} ${run.workflowName}  ${run.sha.slice(0, 7)} on ${run.branch}  jobs: ${run.jobs.map((j) => `${j.id}=${j.status}`).join(' ')}\n`);
        return 0;
      }
      case 'logs': {
        const run = (await listRuns(store)).find((r) => String(r.number) === rest[0]);
        if (!run) throw new CommandUsageError(`no run ${rest[0] ?? ''} (see pipeline runs)`, 1);
        const jobs = rest[1] ? run.jobs.filter((j) => j.id === rest[1]) : run.jobs;
        if (jobs.length === 0) throw new CommandUsageError(`run #${run.number} has no job ${rest[1]} (jobs: ${run.jobs.map((j) => j.id).join(', ')})`, 1);
        for (const job of jobs) ctx.stdout(`== ${job.id} (${job.status})\n${await readJobLog(store, run.number, job.id)}`);
        return 0;
      }
      case 'approve': {
        const number = Number(rest[0]);
        if (!Number.isInteger(number) || number < 1) throw new CommandUsageError('usage: pipeline approve <run number> (see pipeline runs)', 2);
        const host = runnerHost(ctx, await remoteOfRun(ctx), store.runsDir);
        try {
          const run = await approveRun(host, number, ctx.env.USER || 'learner');
          return run.status === 'failure' ? 1 : 0;
        } catch (error) {
          if (error instanceof WorkflowError) throw error;
          throw new CommandUsageError((error as Error).message, 1);
        }
      }
      case 'secret': {
        const file = joinPath(pipelineDir(ctx), 'secrets.json');
        const secrets = await readSecrets(ctx);
        if (rest[0] === 'list') {
          for (const name of Object.keys(secrets).sort()) ctx.stdout(`${name}\n`);
          return 0;
        }
        if (rest[0] === 'set' && rest[1] && /^[A-Za-z_][A-Za-z0-9_]*$/.test(rest[1])) {
          secrets[rest[1]] = rest[2] ?? utf8(ctx.readStdin()).replace(/\n$/, '');
          await ctx.fs.mkdir(pipelineDir(ctx), { recursive: true });
          await ctx.fs.writeFile(file, JSON.stringify(secrets, null, 2));
          ctx.stdout(`Set secret ${rest[1]} (kept outside the repository, in ${file})\n`);
          return 0;
        }
        throw new CommandUsageError('usage: pipeline secret set NAME [VALUE] | pipeline secret list (NAME: letters, digits, _)', 2);
      }
      default:
        ctx.stdout(USAGE);
        return sub === undefined || sub === '--help' ? 0 : 2;
    }
  },
};

/** `git init --bare <path>`: the lab-local remote a pipeline lab pushes to. */
async function initBare(args: string[], ctx: LabCommandContext): Promise<number> {
  const git = await loadGit();
  const target = args.find((a) => !a.startsWith('-'));
  if (!target) throw new CommandUsageError('usage: git init --bare <path>, e.g. git init --bare /srv/git/pettracker-ml.git', 129);
  const dir = resolvePath(ctx, target);
  const existed = await ctx.fs.exists(joinPath(dir, 'HEAD'));
  await ctx.fs.mkdir(dir, { recursive: true });
  await git.init({ fs: gitFs(ctx.fs), dir, bare: true, defaultBranch: 'main' });
  if (!args.includes('-q') && !args.includes('--quiet')) ctx.stdout(`${existed ? 'Reinitialized existing' : 'Initialized empty'} Git repository in ${dir}/\n`);
  return 0;
}

/** The `git` command with remotes: push, remote and init --bare here, everything else from `base`. */
export function gitWithRemotes(base: LabCommand): LabCommand {
  return {
    ...base,
    async complete(args, word) {
      if (args.length === 0) return [...new Set([...((await base.complete?.(args, word)) ?? []), 'push', 'remote'])];
      if (args[0] === 'remote' && args.length === 1) return ['add', 'remove', '-v'];
      return base.complete?.(args, word);
    },
    async run(args, ctx) {
      const [sub, ...rest] = args;
      const own = sub === 'push' ? gitPush : sub === 'remote' ? gitRemote : sub === 'init' && rest.includes('--bare') ? initBare : undefined;
      if (!own) return base.run(args, ctx);
      try {
        return await own(rest, ctx);
      } catch (error) {
        if (!(error instanceof CommandUsageError)) throw error;
        ctx.stderr(`${error.exitCode === 128 ? 'fatal' : 'error'}: ${error.message}\n`);
        return error.exitCode;
      }
    },
  };
}
