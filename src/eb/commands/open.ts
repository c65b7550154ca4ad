// `eb open`: opens the environment's URL in a browser when the host can, and prints it otherwise.
import type { EbCommand } from '../command.ts';
import { describeEnvironment, environmentName } from '../environments.ts';
import { InvalidStateError } from '../errors.ts';
import type { Invocation } from '../invocation.ts';

async function run(inv: Invocation): Promise<number> {
  const project = await inv.project();
  const app = project.applicationName;
  const envName = await environmentName(inv, inv.args.positionals[0], 'open');
  const clients = await inv.clients();
  const env = await describeEnvironment(clients, app, envName);
  const host = env.CNAME || env.EndpointURL;
  if (!host) throw new InvalidStateError(`Environment "${envName}" has no URL (worker environments have none; a launching one gets it shortly).`);
  const url = `http://${host}`;
  if (inv.ctx.openUrl) inv.ctx.openUrl(url);
  inv.out.result(url);
  inv.out.data({ environment: envName, url });
  return 0;
}

export const openCommand: EbCommand = {
  name: 'open',
  summary: 'Opens the application URL in a browser.',
  usage: '<environment_name> [options ...]',
  positionals: [{ name: 'environment_name', optional: true, description: 'environment name (default: the branch default)' }],
  flags: [],
  run,
};
