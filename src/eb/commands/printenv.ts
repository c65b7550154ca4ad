// `eb printenv`: the environment properties from DescribeConfigurationSettings.
import { DescribeConfigurationSettingsCommand } from '@aws-sdk/client-elastic-beanstalk';
import type { EbCommand } from '../command.ts';
import { describeEnvironment, environmentName } from '../environments.ts';
import type { Invocation } from '../invocation.ts';
import { envNamespace } from '../settings.ts';

export async function environmentVariables(inv: Invocation, app: string, envName: string): Promise<Array<[string, string]>> {
  const clients = await inv.clients();
  const response = await clients.eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: app, EnvironmentName: envName }));
  const settings = response.ConfigurationSettings?.[0]?.OptionSettings ?? [];
  return settings
    .filter((s) => s.Namespace === envNamespace && s.OptionName)
    .map((s) => [s.OptionName!, s.Value ?? ''] as [string, string])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

async function run(inv: Invocation): Promise<number> {
  const project = await inv.project();
  const app = project.applicationName;
  const envName = await environmentName(inv, inv.args.positionals[0]);
  const clients = await inv.clients();
  await describeEnvironment(clients, app, envName);
  const variables = await environmentVariables(inv, app, envName);
  inv.out.result([' Environment Variables:', ...variables.map(([key, value]) => `     ${key} = ${value}`)].join('\n'));
  inv.out.data(Object.fromEntries(variables));
  return 0;
}

export const printenvCommand: EbCommand = {
  name: 'printenv',
  summary: 'Shows the environment variables.',
  usage: '<environment_name> [options ...]',
  positionals: [{ name: 'environment_name', optional: true, description: 'environment name (default: the branch default)' }],
  flags: [],
  run,
};
