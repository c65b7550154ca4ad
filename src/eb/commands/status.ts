// `eb status`: the "Environment details for:" block plus Status and Health; -v adds the instances.
import { DescribeEnvironmentResourcesCommand, DescribeInstancesHealthCommand } from '@aws-sdk/client-elastic-beanstalk';
import { boolFlag } from '../args.ts';
import type { EbCommand } from '../command.ts';
import { describeEnvironment, environmentName } from '../environments.ts';
import type { Invocation } from '../invocation.ts';
import { environmentDetails } from '../output.ts';

async function run(inv: Invocation): Promise<number> {
  const project = await inv.project();
  const app = project.applicationName;
  const envName = await environmentName(inv, inv.args.positionals[0]);
  const clients = await inv.clients();
  const env = await describeEnvironment(clients, app, envName);
  const lines = [environmentDetails(env, clients.region), `  Status: ${env.Status}`, `  Health: ${env.Health}`];
  let instances: Array<{ id: string; health?: string }> = [];
  if (boolFlag(inv.args, 'verbose')) {
    const resources = await clients.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: envName }));
    const ids = (resources.EnvironmentResources?.Instances ?? []).map((i) => i.Id ?? '').filter(Boolean);
    const health = await clients.eb
      .send(new DescribeInstancesHealthCommand({ EnvironmentName: envName, AttributeNames: ['HealthStatus'] }))
      .then((r) => new Map((r.InstanceHealthList ?? []).map((h) => [h.InstanceId, h.HealthStatus])))
      .catch(() => new Map<string | undefined, string | undefined>());
    instances = ids.map((id) => ({ id, health: health.get(id) }));
    lines.push(`  Running instances: ${ids.length}`);
    for (const instance of instances) lines.push(`     ${instance.id}: ${instance.health ?? 'InService'}`);
  }
  inv.out.result(lines.join('\n'));
  inv.out.data({ ...env, ...(boolFlag(inv.args, 'verbose') ? { Instances: instances } : {}) });
  return 0;
}

export const statusCommand: EbCommand = {
  name: 'status',
  summary: 'Gets environment information and status.',
  usage: '<environment_name> [options ...]',
  positionals: [{ name: 'environment_name', optional: true, description: 'environment name (default: the branch default)' }],
  flags: [],
  run,
};
