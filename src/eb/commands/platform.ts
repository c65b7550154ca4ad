// `eb platform list` (the platforms `eb init -p` accepts) and `eb platform use` (the project's default).
import { boolFlag } from '../args.ts';
import type { EbCommand } from '../command.ts';
import type { Invocation } from '../invocation.ts';
import { listBranches, resolvePlatform, shortNameOf } from '../platforms.ts';
import { table } from '../output.ts';

async function list(inv: Invocation): Promise<number> {
  const clients = await inv.clients();
  const branches = (await listBranches(clients)).filter((b) => b.LifecycleState !== 'Retired');
  branches.sort((a, b) => shortNameOf(a).localeCompare(shortNameOf(b), undefined, { numeric: true }));
  if (boolFlag(inv.args, 'verbose')) {
    inv.out.result(table(branches.map((b) => [b.BranchName ?? '', b.LifecycleState ?? ''])));
  } else {
    inv.out.result([...new Set(branches.map(shortNameOf))].join('\n'));
  }
  inv.out.data(branches.map((b) => ({ name: shortNameOf(b), branch: b.BranchName, platform: b.PlatformName, state: b.LifecycleState })));
  return 0;
}

async function use(inv: Invocation): Promise<number> {
  const project = await inv.project();
  const clients = await inv.clients();
  const platform = await resolvePlatform(clients, inv.args.positionals[0]);
  const name = platform.branchName ?? platform.solutionStackName ?? platform.platformArn!;
  (project.config.global ??= {}).default_platform = name;
  await project.save();
  inv.out.line(`Default platform set to ${name}.`);
  inv.out.data({ platform: name, platformArn: platform.platformArn ?? null });
  return 0;
}

export const platformCommand: EbCommand = {
  name: 'platform',
  summary: 'Commands for managing platforms.',
  usage: '{list,use} [options ...]',
  positionals: [],
  flags: [],
  subcommands: [
    { name: 'list', summary: 'Shows a list of platforms for use with "eb init -p". Enter "--verbose" to get the full platform name.', usage: '[options ...]', positionals: [], flags: [], run: list },
    {
      name: 'use',
      summary: 'Selects a default platform for this project (it does not change existing environments).',
      usage: 'platform [options ...]',
      positionals: [{ name: 'platform', description: 'platform, e.g. node.js-22 or python-3.13' }],
      flags: [],
      run: use,
    },
  ],
  async run(inv) {
    inv.out.error('usage: eb platform {list,use} [options ...]\nRun "eb platform --help" for the subcommands.');
    return 2;
  },
};
