// `eb setenv KEY=value ... [KEY=]`: sets environment properties (an empty value removes one) with
// UpdateEnvironment and streams events until the configuration update completes.
import { UpdateEnvironmentCommand } from '@aws-sdk/client-elastic-beanstalk';
import { boolFlag, stringFlag } from '../args.ts';
import type { EbCommand } from '../command.ts';
import { nowMs } from '../context.ts';
import { describeEnvironment, environmentName, timeoutMinutes } from '../environments.ts';
import { InvalidOptionsError } from '../errors.ts';
import { waitForEvents } from '../events.ts';
import type { Invocation } from '../invocation.ts';
import { envNamespace, option, parseSetenvArgs } from '../settings.ts';

async function run(inv: Invocation): Promise<number> {
  const { args, out } = inv;
  if (args.positionals.length === 0) {
    throw new InvalidOptionsError('Give at least one KEY=VALUE pair, e.g. "eb setenv NODE_ENV=production" (KEY= removes a variable).');
  }
  const { set, remove } = parseSetenvArgs(args.positionals);
  const project = await inv.project();
  const app = project.applicationName;
  const envName = await environmentName(inv, stringFlag(args, 'environment'), 'setenv');
  const clients = await inv.clients();
  await describeEnvironment(clients, app, envName);
  const startedAt = nowMs(clients);
  const response = await clients.eb.send(
    new UpdateEnvironmentCommand({
      ApplicationName: app,
      EnvironmentName: envName,
      OptionSettings: set.map(([key, value]) => option(envNamespace, key, value)),
      OptionsToRemove: remove.length ? remove.map((key) => ({ Namespace: envNamespace, OptionName: key })) : undefined,
    }),
  );
  if (boolFlag(args, 'nohang')) return 0;
  const result = await waitForEvents(inv, clients, {
    applicationName: app,
    environmentName: envName,
    requestId: response.$metadata.requestId,
    sinceMs: startedAt,
    timeoutMinutes: timeoutMinutes(inv, 10),
  });
  out.data({ set: Object.fromEntries(set), removed: remove, events: result.events });
  return 0;
}

export const setenvCommand: EbCommand = {
  name: 'setenv',
  summary: 'Sets environment variables.',
  usage: 'VAR_NAME=VALUE [VAR_NAME=VALUE ...] [options ...]',
  epilog:
    'Use this command to set environment variables by typing a space-separated list of key=value pairs.\nFor example, to set HeapSize to 256m and Site_Url to mysite.elasticbeanstalk.com, type:\n  eb setenv HeapSize=256m Site_Url=mysite.elasticbeanstalk.com\nYou can also remove environment variables by specifying no value. For example:\n  eb setenv HeapSize= Site_Url=\nThis removes the environment variables.',
  positionals: [{ name: 'VAR_NAME=VALUE', variadic: true, description: 'environment variables to set (KEY= removes one)' }],
  flags: [
    { name: '--environment', aliases: ['-e'], value: 'string', metavar: 'ENVIRONMENT_NAME', description: 'environment name (default: the branch default)' },
    { name: '--timeout', value: 'integer', metavar: 'MINUTES', description: 'minutes to wait for the update (default 10)' },
    { name: '--nohang', description: 'return right after the request, without waiting' },
  ],
  run,
};
