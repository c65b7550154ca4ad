// `eb init`: chooses the region, application and platform, creates the application when it does not
// exist, writes `.elasticbeanstalk/config.yml` and adds the EB CLI's lines to `.gitignore` in git projects.
import { CreateApplicationCommand, DescribeApplicationsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { joinPath } from '../../workspace/fs.ts';
import { stringFlag, boolFlag } from '../args.ts';
import type { EbCommand } from '../command.ts';
import { InvalidOptionsError, NoRegionError } from '../errors.ts';
import { findProjectRoot, Project } from '../project.ts';
import { detectPlatform, listBranches, resolvePlatform, shortNameOf } from '../platforms.ts';
import type { Invocation } from '../invocation.ts';

const gitignoreLines = ['# Elastic Beanstalk Files', '.elasticbeanstalk/*', '!.elasticbeanstalk/*.cfg.yml', '!.elasticbeanstalk/*.global.yml'];

function folderName(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() || 'my-app';
}

async function ask(inv: Invocation, question: string, fallback: string): Promise<string> {
  if (!inv.ctx.prompt) return fallback;
  const answer = (await inv.ctx.prompt(`${question}\n(default is "${fallback}"): `)).trim();
  return answer || fallback;
}

async function run(inv: Invocation): Promise<number> {
  const { ctx, args, out } = inv;
  const root = (await findProjectRoot(ctx.fs, ctx.cwd)) ?? joinPath(ctx.cwd);
  const project = await Project.forInit(ctx.fs, root);
  const interactive = boolFlag(args, 'interactive') && !!ctx.prompt;
  const global = (project.config.global ??= {});

  let region = stringFlag(args, 'region') ?? (interactive ? null : global.default_region) ?? (await inv.environmentRegion()) ?? null;
  if (!region && ctx.prompt) region = await ask(inv, 'Select a default region', 'us-east-1');
  if (!region) throw new NoRegionError();
  const clients = await inv.clients(region);

  const positional = inv.args.positionals[0];
  let appName = positional ?? (interactive ? undefined : global.application_name) ?? undefined;
  if (!appName) appName = await ask(inv, 'Enter Application Name', folderName(root));
  if (appName.length < 1 || appName.length > 100 || appName.includes('/')) {
    throw new InvalidOptionsError(`Application name "${appName}" is not valid: use 1 to 100 characters and no "/".`);
  }
  const existing = await clients.eb.send(new DescribeApplicationsCommand({ ApplicationNames: [appName] }));
  let created = false;
  if (!existing.Applications?.length) {
    await clients.eb.send(new CreateApplicationCommand({ ApplicationName: appName, Description: 'Application created from the EB CLI using "eb init"' }));
    created = true;
    out.line(`Application ${appName} has been created.`);
  }

  let platformInput = stringFlag(args, 'platform') ?? (interactive ? undefined : global.default_platform ?? undefined);
  if (!platformInput) {
    const detected = await detectPlatform((name) => ctx.fs.exists(joinPath(root, name)));
    if (detected) {
      const yes = ctx.prompt ? (await ctx.prompt(`It appears you are using ${detected.label}. Is this correct?\n(Y/n): `)).trim().toLowerCase() : 'y';
      if (yes === '' || yes.startsWith('y')) platformInput = detected.key;
    }
  }
  if (!platformInput && ctx.prompt) {
    const names = [...new Set((await listBranches(clients)).map(shortNameOf))].sort();
    out.line('Select a platform.');
    names.forEach((name, i) => out.line(`${i + 1}) ${name}`));
    const answer = (await ctx.prompt('(make a selection): ')).trim();
    platformInput = names[Number(answer) - 1] ?? answer;
  }
  if (!platformInput) {
    throw new InvalidOptionsError('No platform was given and none could be detected from your files. Pass one with --platform (-p), e.g. "eb init -p node.js".');
  }
  const platform = await resolvePlatform(clients, platformInput);
  const platformName = platform.branchName ?? platform.solutionStackName ?? platform.platformArn ?? platformInput;

  const keyname = stringFlag(args, 'keyname');
  Object.assign(global, {
    application_name: appName,
    branch: global.branch ?? null,
    default_ec2_keyname: keyname ?? global.default_ec2_keyname ?? null,
    default_platform: platformName,
    default_region: region,
    include_git_submodules: global.include_git_submodules ?? true,
    instance_profile: global.instance_profile ?? null,
    platform_name: global.platform_name ?? null,
    platform_version: global.platform_version ?? null,
    profile: stringFlag(args, 'profile') ?? global.profile ?? null,
    repository: global.repository ?? null,
    sc: project.gitRoot ? 'git' : null,
    workspace_type: 'Application',
  });
  const branches = (project.config['branch-defaults'] ??= {});
  if (project.gitRoot && !branches[project.branch]) branches[project.branch] = { environment: null, group_suffix: null };
  if (!project.gitRoot) {
    project.config['environment-defaults'] ??= {};
    if (!branches.default) branches.default = { environment: null, group_suffix: null };
  }
  const ordered = { 'branch-defaults': project.config['branch-defaults'], ...project.config, global };
  project.config = ordered;
  await project.save();

  if (project.gitRoot) await addGitignoreLines(inv, project.gitRoot);
  out.data({ application: appName, created, region, platform: platformName, platformArn: platform.platformArn ?? null, configFile: project.path('.elasticbeanstalk/config.yml') });
  return 0;
}

async function addGitignoreLines(inv: Invocation, gitRoot: string): Promise<void> {
  const path = joinPath(gitRoot, '.gitignore');
  const current = (await inv.ctx.fs.exists(path)) ? await inv.ctx.fs.readFile(path, 'utf8') : '';
  const present = new Set(current.split('\n').map((l) => l.trim()));
  const missing = gitignoreLines.filter((line) => !present.has(line));
  if (missing.length === 0 || present.has('.elasticbeanstalk/*')) return;
  const prefix = current && !current.endsWith('\n') ? '\n' : '';
  await inv.ctx.fs.writeFile(path, `${current}${prefix}\n${gitignoreLines.join('\n')}\n`);
}

export const initCommand: EbCommand = {
  name: 'init',
  summary: 'Initializes your directory with the EB CLI. Creates the application.',
  usage: '<application_name> [options ...]',
  epilog:
    'This command is safe when run in a previously initialized directory. To re-initialize with different options, use the -i option.',
  positionals: [{ name: 'application_name', optional: true, description: 'application name (default: the folder name)' }],
  flags: [
    { name: '--platform', aliases: ['-p'], value: 'string', metavar: 'PLATFORM', description: 'default platform, e.g. node.js, python-3.13, docker' },
    { name: '--keyname', aliases: ['-k'], value: 'string', metavar: 'KEYNAME', description: 'default EC2 key name' },
    { name: '--interactive', aliases: ['-i'], description: 'force interactive mode (ask every question again)' },
    { name: '--tags', value: 'string', metavar: 'TAGS', description: 'a comma-separated list of tags as key=value pairs' },
  ],
  run,
};
