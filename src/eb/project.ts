// The EB CLI project: the folder holding `.elasticbeanstalk/config.yml`, its settings (global and
// per git branch), the git repository around it, loaded once per command and saved back on change.
import { parse, stringify } from 'yaml';
import { joinPath, type WorkspaceFs } from '../workspace/fs.ts';
import { gitFs } from '../workspace/git-fs.ts';
import { EbError, NotInitializedError } from './errors.ts';

/** isomorphic-git (about 32 KB gzip in the workbench) loads on first use, so a lab's first prompt does not wait for it. */
const loadGit = () => import('../workspace/git-api.ts');

export const configDir = '.elasticbeanstalk';
export const configFile = '.elasticbeanstalk/config.yml';

/** The parts of config.yml the EB CLI reads and writes (ebcli fileoperations.create_config_file). */
export interface ConfigYaml {
  'branch-defaults'?: Record<string, { environment?: string | null; group_suffix?: string | null } | null>;
  'environment-defaults'?: Record<string, unknown>;
  deploy?: { artifact?: string } | null;
  global?: {
    application_name?: string;
    branch?: string | null;
    default_ec2_keyname?: string | null;
    default_platform?: string | null;
    default_region?: string | null;
    include_git_submodules?: boolean;
    instance_profile?: string | null;
    platform_name?: string | null;
    platform_version?: string | null;
    profile?: string | null;
    repository?: string | null;
    sc?: string | null;
    workspace_type?: string;
  };
  [key: string]: unknown;
}

export class InvalidConfigError extends EbError {}

function dirnameOf(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const index = trimmed.lastIndexOf('/');
  return index <= 0 ? '/' : trimmed.slice(0, index);
}

/** Finds the nearest folder (cwd or a parent) with `.elasticbeanstalk/config.yml`, like ebcli's ProjectRoot. */
export async function findProjectRoot(fs: WorkspaceFs, cwd: string): Promise<string | null> {
  let dir = joinPath(cwd);
  for (;;) {
    if (await fs.exists(joinPath(dir, configFile))) return dir;
    if (dir === '/' || dir === '') return null;
    dir = dirnameOf(dir);
  }
}

/** The git repository containing `dir`, or null when it is not under git. */
export async function findGitRoot(fs: WorkspaceFs, dir: string): Promise<string | null> {
  let current = joinPath(dir);
  for (;;) {
    if (await fs.exists(joinPath(current, '.git'))) return current;
    if (current === '/' || current === '') return null;
    current = dirnameOf(current);
  }
}

/** The current git branch ("default" outside git or on a detached HEAD, as ebcli does). */
export async function currentBranch(fs: WorkspaceFs, gitRoot: string | null): Promise<string> {
  if (!gitRoot) return 'default';
  // Reading HEAD directly is what `git branch --show-current` amounts to, without loading git machinery.
  try {
    const head = (await fs.readFile(joinPath(gitRoot, '.git/HEAD'), 'utf8')).trim();
    const ref = /^ref: refs\/heads\/(.+)$/.exec(head);
    if (ref) return ref[1];
    if (/^[0-9a-f]{40}$/.test(head)) return 'default';
  } catch {
    // `.git` may be a file (worktrees, submodules): let isomorphic-git resolve it.
  }
  try {
    const git = await loadGit();
    return (await git.currentBranch({ fs: gitFs(fs), dir: gitRoot, fullname: false })) ?? 'default';
  } catch {
    return 'default';
  }
}

export class Project {
  private constructor(
    readonly fs: WorkspaceFs,
    readonly root: string,
    readonly gitRoot: string | null,
    readonly branch: string,
    public config: ConfigYaml,
  ) {}

  /** Loads the project around `cwd`; throws NotInitializedError when there is none. */
  static async load(fs: WorkspaceFs, cwd: string): Promise<Project> {
    const root = await findProjectRoot(fs, cwd);
    if (!root) throw new NotInitializedError();
    const config = await readConfig(fs, root);
    const gitRoot = await findGitRoot(fs, root);
    return new Project(fs, root, gitRoot, await currentBranch(fs, gitRoot), config);
  }

  /** A project that `eb init` is about to create (or re-initialise) at `root`. */
  static async forInit(fs: WorkspaceFs, root: string): Promise<Project> {
    const existing = (await fs.exists(joinPath(root, configFile))) ? await readConfig(fs, root) : {};
    const gitRoot = await findGitRoot(fs, root);
    return new Project(fs, root, gitRoot, await currentBranch(fs, gitRoot), existing);
  }

  path(...parts: string[]): string {
    return joinPath(this.root, ...parts);
  }

  get applicationName(): string {
    const name = this.config.global?.application_name;
    if (!name) {
      throw new InvalidConfigError(
        `${configFile} has no global.application_name. Run "eb init <application-name>" to set it.`,
      );
    }
    return name;
  }

  /** A branch-level value wins over the global one (ebcli get_config_setting_from_branch_or_default). */
  setting(key: string): string | null {
    const branchValues = this.config['branch-defaults']?.[this.branch] as Record<string, unknown> | null | undefined;
    const fromBranch = branchValues?.[key];
    if (typeof fromBranch === 'string' && fromBranch) return fromBranch;
    const fromGlobal = (this.config.global as Record<string, unknown> | undefined)?.[key];
    return typeof fromGlobal === 'string' && fromGlobal ? fromGlobal : null;
  }

  get defaultRegion(): string | null {
    return this.setting('default_region');
  }

  get defaultPlatform(): string | null {
    return this.setting('default_platform');
  }

  get profile(): string | null {
    return this.setting('profile');
  }

  get defaultEnvironment(): string | null {
    const env = this.config['branch-defaults']?.[this.branch]?.environment;
    return typeof env === 'string' && env ? env : null;
  }

  setDefaultEnvironment(name: string | null): void {
    const branches = (this.config['branch-defaults'] ??= {});
    const entry = (branches[this.branch] ??= { environment: null, group_suffix: null }) ?? {};
    entry.environment = name;
    branches[this.branch] = entry;
  }

  async save(): Promise<void> {
    await writeConfig(this.fs, this.root, this.config);
  }
}

/** Parsed config.yml by file text: YAML parsing dominates a quick command like `eb status`. */
const parsedConfigs = new Map<string, ConfigYaml>();

async function readConfig(fs: WorkspaceFs, root: string): Promise<ConfigYaml> {
  const text = await fs.readFile(joinPath(root, configFile), 'utf8');
  const cached = parsedConfigs.get(text);
  if (cached) return structuredClone(cached);
  const parsed = parseConfig(text);
  if (parsedConfigs.size > 20) parsedConfigs.clear();
  parsedConfigs.set(text, structuredClone(parsed));
  return parsed;
}

function parseConfig(text: string): ConfigYaml {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new InvalidConfigError(
      `${configFile} is not valid YAML (${(error as Error).message.split('\n')[0]}). Fix the file or delete it and run "eb init" again.`,
    );
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new InvalidConfigError(`${configFile} must be a YAML mapping with a "global" section. Run "eb init" to recreate it.`);
  }
  return data as ConfigYaml;
}

export async function writeConfig(fs: WorkspaceFs, root: string, config: ConfigYaml): Promise<void> {
  const dir = joinPath(root, configDir);
  if (!(await fs.exists(dir))) await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(joinPath(root, configFile), stringify(config, { nullStr: 'null' }));
}
