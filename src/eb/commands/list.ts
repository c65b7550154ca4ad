// `eb list`: the application's environments, `*` on the branch default; -v adds region, application
// and instance ids; --all lists every application.
import { DescribeEnvironmentResourcesCommand, type EnvironmentDescription } from '@aws-sdk/client-elastic-beanstalk';
import { boolFlag } from '../args.ts';
import type { EbCommand } from '../command.ts';
import { listEnvironments } from '../environments.ts';
import type { Invocation } from '../invocation.ts';

async function run(inv: Invocation): Promise<number> {
  const { args, out } = inv;
  const project = await inv.project();
  const all = boolFlag(args, 'all');
  const app = project.applicationName;
  const clients = await inv.clients();
  const envs = (await listEnvironments(clients, all ? undefined : app)).sort((a, b) => (a.EnvironmentName ?? '').localeCompare(b.EnvironmentName ?? ''));
  const current = project.defaultEnvironment;
  const mark = (e: EnvironmentDescription) => (e.EnvironmentName === current && e.ApplicationName === app ? '* ' : '  ');
  if (!boolFlag(args, 'verbose')) {
    out.result(envs.map((e) => `${mark(e)}${e.EnvironmentName}`).join('\n'));
    out.data(envs.map((e) => ({ name: e.EnvironmentName, application: e.ApplicationName, status: e.Status, health: e.Health, default: mark(e) === '* ' })));
    return 0;
  }
  const withInstances: Array<{ env: EnvironmentDescription; instances: string[] }> = [];
  for (const env of envs) {
    const resources = await clients.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentId: env.EnvironmentId }));
    withInstances.push({ env, instances: (resources.EnvironmentResources?.Instances ?? []).map((i) => i.Id ?? '') });
  }
  const lines = [`Region: ${clients.region}`];
  const apps = [...new Set(withInstances.map((w) => w.env.ApplicationName ?? ''))].sort();
  for (const name of apps) {
    const group = withInstances.filter((w) => w.env.ApplicationName === name);
    lines.push(`Application: ${name}`, `    Environments: ${group.length}`);
    for (const { env, instances } of group) {
      lines.push(`      ${mark(env)}${env.EnvironmentName} : [${instances.map((i) => `'${i}'`).join(', ')}]`);
    }
  }
  out.result(lines.join('\n'));
  out.data(withInstances.map(({ env, instances }) => ({ name: env.EnvironmentName, application: env.ApplicationName, instances, default: mark(env) === '* ' })));
  return 0;
}

export const listCommand: EbCommand = {
  name: 'list',
  summary: 'Lists all environments.',
  usage: '[options ...]',
  positionals: [],
  flags: [{ name: '--all', aliases: ['-a'], description: 'list the environments of every application' }],
  run,
};
