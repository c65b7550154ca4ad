// `eb terminate`: terminates an environment after the user types its name (or --force), streaming
// events until it is gone; --all deletes the application with everything in it and the local config.
import { DeleteApplicationCommand, DescribeApplicationsCommand, TerminateEnvironmentCommand } from '@aws-sdk/client-elastic-beanstalk';
import { boolFlag } from '../args.ts';
import type { EbCommand } from '../command.ts';
import { nowMs } from '../context.ts';
import { describeEnvironment, environmentName, listEnvironments, timeoutMinutes } from '../environments.ts';
import { InvalidOptionsError, NotFoundError, ValidationError } from '../errors.ts';
import { waitForEvents } from '../events.ts';
import type { Invocation } from '../invocation.ts';

async function confirm(inv: Invocation, warning: string, question: string, expected: string, what: string): Promise<void> {
  if (boolFlag(inv.args, 'force')) return;
  if (!inv.ctx.prompt) {
    throw new InvalidOptionsError(`${warning} Confirmation is needed but nobody can answer here; pass --force to ${what} without the question.`);
  }
  inv.out.line(warning);
  const answer = (await inv.ctx.prompt(`${question}: `)).trim();
  if (answer !== expected) throw new ValidationError('Names do not match. Exiting.');
}

async function run(inv: Invocation): Promise<number> {
  const { args, out } = inv;
  const project = await inv.project();
  const app = project.applicationName;
  const clients = await inv.clients();
  const timeout = timeoutMinutes(inv, 10);

  if (boolFlag(args, 'all')) {
    const found = await clients.eb.send(new DescribeApplicationsCommand({ ApplicationNames: [app] }));
    const application = found.Applications?.[0];
    if (!application) throw new NotFoundError(`Application "${app}" does not exist.`);
    const running = await listEnvironments(clients, app);
    await confirm(
      inv,
      `The application "${app}" and all its resources will be deleted.\nThis application currently has the following:\nRunning environments: ${running.length}\nConfiguration templates: ${application.ConfigurationTemplates?.length ?? 0}\nApplication versions: ${application.Versions?.length ?? 0}\n`,
      'To confirm, type the application name',
      app,
      'delete the application',
    );
    const startedAt = nowMs(clients);
    const response = await clients.eb.send(new DeleteApplicationCommand({ ApplicationName: app, TerminateEnvByForce: true }));
    if (!boolFlag(args, 'nohang')) {
      await waitForEvents(inv, clients, { applicationName: app, requestId: response.$metadata.requestId, sinceMs: startedAt, timeoutMinutes: timeout }).catch(
        (error) => {
          // An application without environments is deleted at once and may emit no event at all.
          if (running.length > 0 || (error as Error).name !== 'TimeoutError') throw error;
        },
      );
    }
    await project.fs.rm(project.path('.elasticbeanstalk'), { recursive: true, force: true });
    out.data({ application: app, deleted: true });
    return 0;
  }

  const envName = await environmentName(inv, args.positionals[0], 'terminate');
  const env = await describeEnvironment(clients, app, envName);
  await confirm(
    inv,
    `The environment "${envName}" and all associated instances will be terminated.`,
    'To confirm, type the environment name',
    envName,
    'terminate it',
  );
  const startedAt = nowMs(clients);
  const response = await clients.eb.send(new TerminateEnvironmentCommand({ EnvironmentName: envName, ForceTerminate: boolFlag(args, 'ignore-links') || undefined }));
  if (boolFlag(args, 'nohang')) {
    out.data({ environment: env.EnvironmentName, environmentId: env.EnvironmentId, status: response.Status });
    return 0;
  }
  const result = await waitForEvents(inv, clients, {
    applicationName: app,
    environmentName: envName,
    requestId: response.$metadata.requestId,
    sinceMs: startedAt,
    timeoutMinutes: timeout,
  });
  out.data({ environment: env.EnvironmentName, environmentId: env.EnvironmentId, events: result.events });
  return 0;
}

export const terminateCommand: EbCommand = {
  name: 'terminate',
  summary: 'Terminates the environment.',
  usage: '<environment_name> [options ...]',
  epilog: 'This command terminates the environment. To terminate the application and everything in it, use the "--all" option.',
  positionals: [{ name: 'environment_name', optional: true, description: 'environment name (default: the branch default)' }],
  flags: [
    { name: '--force', description: 'skip the confirmation prompt' },
    { name: '--all', description: 'terminate every environment and delete the application, its versions and the local .elasticbeanstalk folder' },
    { name: '--ignore-links', description: 'terminate even if other environments link to this one' },
    { name: '--nohang', description: 'return right after the request, without waiting' },
    { name: '--timeout', value: 'integer', metavar: 'MINUTES', description: 'minutes to wait (default 10)' },
  ],
  run,
};
