// `eb use <env>`: makes an environment the default for the current git branch in config.yml.
import type { EbCommand } from '../command.ts';
import { describeEnvironment } from '../environments.ts';
import type { Invocation } from '../invocation.ts';

async function run(inv: Invocation): Promise<number> {
  const project = await inv.project();
  const envName = inv.args.positionals[0];
  const clients = await inv.clients();
  await describeEnvironment(clients, project.applicationName, envName);
  project.setDefaultEnvironment(envName);
  await project.save();
  inv.out.data({ branch: project.branch, environment: envName });
  return 0;
}

export const useCommand: EbCommand = {
  name: 'use',
  summary: 'Sets default environment.',
  usage: '[environment_name] [options ...]',
  positionals: [{ name: 'environment_name', description: 'environment to use by default for the current branch' }],
  flags: [],
  run,
};
