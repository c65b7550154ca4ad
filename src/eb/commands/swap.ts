// `eb swap [env] -n <destination>`: swaps the CNAMEs of two running environments (blue/green) and
// streams events until EB reports the swap complete.
import { SwapEnvironmentCNAMEsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { stringFlag } from '../args.ts';
import type { EbCommand } from '../command.ts';
import { nowMs } from '../context.ts';
import { describeEnvironment, environmentName, listEnvironments, timeoutMinutes } from '../environments.ts';
import { InvalidOptionsError } from '../errors.ts';
import { waitForEvents } from '../events.ts';
import type { Invocation } from '../invocation.ts';

async function run(inv: Invocation): Promise<number> {
  const { args, out, ctx } = inv;
  const project = await inv.project();
  const app = project.applicationName;
  const source = await environmentName(inv, args.positionals[0], 'swap');
  const clients = await inv.clients();
  await describeEnvironment(clients, app, source);
  let destination = stringFlag(args, 'destination_name');
  if (!destination) {
    const others = (await listEnvironments(clients, app)).map((e) => e.EnvironmentName!).filter((n) => n !== source);
    if (others.length === 0) throw new InvalidOptionsError('You must have at least 2 running environments to swap CNAMEs.');
    if (others.length === 1) destination = others[0];
    else if (ctx.prompt) {
      out.line('Select the environment with which you want to swap CNAMEs.');
      others.forEach((name, i) => out.line(`${i + 1}) ${name}`));
      const answer = (await ctx.prompt('(default is 1): ')).trim();
      destination = others[(Number(answer) || 1) - 1] ?? answer;
    } else {
      throw new InvalidOptionsError(`Several environments could swap CNAMEs with "${source}" (${others.join(', ')}). Name one with --destination_name (-n).`);
    }
  }
  if (destination === source) throw new InvalidOptionsError(`An environment cannot swap CNAMEs with itself ("${source}"). Name another environment with -n.`);
  await describeEnvironment(clients, app, destination);
  const startedAt = nowMs(clients);
  const response = await clients.eb.send(new SwapEnvironmentCNAMEsCommand({ SourceEnvironmentName: source, DestinationEnvironmentName: destination }));
  const result = await waitForEvents(inv, clients, {
    applicationName: app,
    requestId: response.$metadata.requestId,
    sinceMs: startedAt,
    timeoutMinutes: timeoutMinutes(inv, 10),
  });
  if (out.json) {
    out.data({ source: await describeEnvironment(clients, app, source), destination: await describeEnvironment(clients, app, destination), events: result.events });
  }
  return 0;
}

export const swapCommand: EbCommand = {
  name: 'swap',
  summary: 'Swaps two environment CNAMEs with each other.',
  usage: '<environment_name> [options ...]',
  positionals: [{ name: 'environment_name', optional: true, description: 'source environment (default: the branch default)' }],
  flags: [
    { name: '--destination_name', aliases: ['-n'], value: 'string', metavar: 'DESTINATION_NAME', description: 'the environment to swap CNAMEs with' },
    { name: '--timeout', value: 'integer', metavar: 'MINUTES', description: 'minutes to wait (default 10)' },
  ],
  run,
};
