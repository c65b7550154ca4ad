// `eb abort`: cancels an environment update or deployment in progress (AbortEnvironmentUpdate).
import { AbortEnvironmentUpdateCommand } from '@aws-sdk/client-elastic-beanstalk';
import type { EbCommand } from '../command.ts';
import { describeEnvironment, listEnvironments } from '../environments.ts';
import { InvalidOptionsError, InvalidStateError } from '../errors.ts';
import type { Invocation } from '../invocation.ts';

async function run(inv: Invocation): Promise<number> {
  const { out, ctx } = inv;
  const project = await inv.project();
  const app = project.applicationName;
  const clients = await inv.clients();
  let envName = inv.args.positionals[0];
  if (envName) {
    const env = await describeEnvironment(clients, app, envName);
    if (!env.AbortableOperationInProgress) {
      throw new InvalidStateError(`Environment "${envName}" has no update in progress that can be aborted (status ${env.Status}).`);
    }
  } else {
    const abortable = (await listEnvironments(clients, app)).filter((e) => e.AbortableOperationInProgress).map((e) => e.EnvironmentName!);
    if (abortable.length === 0) {
      out.result('There are no environments currently being updated.');
      out.data({ aborted: null });
      return 0;
    }
    if (abortable.length === 1) envName = abortable[0];
    else if (ctx.prompt) {
      out.line('Select the environment you want to stop updating.');
      abortable.forEach((name, i) => out.line(`${i + 1}) ${name}`));
      const answer = (await ctx.prompt('(default is 1): ')).trim();
      envName = abortable[(Number(answer) || 1) - 1] ?? answer;
    } else {
      throw new InvalidOptionsError(`Several environments are being updated (${abortable.join(', ')}). Name the one to abort: "eb abort <environment_name>".`);
    }
  }
  await clients.eb.send(new AbortEnvironmentUpdateCommand({ EnvironmentName: envName }));
  out.line(`Aborting update to environment "${envName}".`);
  out.data({ aborted: envName });
  return 0;
}

export const abortCommand: EbCommand = {
  name: 'abort',
  summary: 'Cancels an environment update or deployment.',
  usage: '<environment_name> [options ...]',
  positionals: [{ name: 'environment_name', optional: true, description: 'environment name (default: the one being updated)' }],
  flags: [],
  run,
};
