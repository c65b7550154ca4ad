// `eb deploy`: packages the project (git HEAD, --staged index, or .ebignore working tree), uploads it,
// creates the application version and updates the environment, streaming events until it completes.
import { UpdateEnvironmentCommand } from '@aws-sdk/client-elastic-beanstalk';
import { boolFlag, stringFlag } from '../args.ts';
import { createVersionFromProject } from '../bundle/app-version.ts';
import type { EbCommand } from '../command.ts';
import { nowMs } from '../context.ts';
import { describeEnvironment, environmentName, timeoutMinutes } from '../environments.ts';
import { InvalidOptionsError, InvalidStateError } from '../errors.ts';
import { waitForEvents } from '../events.ts';
import type { Invocation } from '../invocation.ts';
import { requireVersion } from './create.ts';

async function run(inv: Invocation): Promise<number> {
  const { args, out } = inv;
  const existingVersion = stringFlag(args, 'version');
  if (existingVersion && (stringFlag(args, 'label') || stringFlag(args, 'message'))) {
    throw new InvalidOptionsError('You cannot use the "--version" option with either the "--message" or "--label" option.');
  }
  const project = await inv.project();
  const app = project.applicationName;
  const envName = await environmentName(inv, args.positionals[0]);
  const clients = await inv.clients();
  const env = await describeEnvironment(clients, app, envName);
  if (env.Status !== 'Ready') {
    // Checked before packaging so nothing is uploaded for a deploy EB would refuse.
    throw new InvalidStateError(
      `Environment named ${envName} is in an invalid state for this operation. Must be Ready. It is ${env.Status}: wait with "eb events -f"${env.AbortableOperationInProgress ? ' or cancel the update with "eb abort"' : ''}.`,
    );
  }
  const timeout = timeoutMinutes(inv, 30);

  let label: string;
  if (existingVersion) {
    await requireVersion(clients, app, existingVersion);
    label = existingVersion;
  } else {
    const version = await createVersionFromProject(inv, {
      label: stringFlag(args, 'label'),
      message: stringFlag(args, 'message'),
      staged: boolFlag(args, 'staged'),
      timeoutMinutes: timeout,
    });
    label = version!.label;
  }

  const startedAt = nowMs(clients);
  const response = await clients.eb.send(new UpdateEnvironmentCommand({ ApplicationName: app, EnvironmentName: envName, VersionLabel: label }));
  if (boolFlag(args, 'nohang')) {
    out.data({ environment: response, versionLabel: label });
    return 0;
  }
  const result = await waitForEvents(inv, clients, {
    applicationName: app,
    environmentName: envName,
    requestId: response.$metadata.requestId,
    sinceMs: startedAt,
    timeoutMinutes: timeout,
  });
  if (out.json) out.data({ versionLabel: label, environment: await describeEnvironment(clients, app, envName), events: result.events });
  return 0;
}

export const deployCommand: EbCommand = {
  name: 'deploy',
  summary: 'Deploys your source code to the environment.',
  usage: '<environment_name> [options ...]',
  epilog:
    'In a git repository the committed HEAD is deployed (--staged: the git index). An .ebignore file makes the EB CLI deploy the working directory instead, minus the patterns it lists.',
  positionals: [{ name: 'environment_name', optional: true, description: 'environment name (default: the branch default set by eb create / eb use)' }],
  flags: [
    { name: '--label', aliases: ['-l'], value: 'string', metavar: 'VERSION_LABEL', description: 'label name which version will be given' },
    { name: '--message', aliases: ['-m'], value: 'string', metavar: 'MESSAGE', description: 'description for version' },
    { name: '--version', value: 'string', metavar: 'VERSION_LABEL', description: 'existing version label to deploy' },
    { name: '--staged', description: 'deploy files staged in git rather than the HEAD commit' },
    { name: '--process', aliases: ['-p'], description: 'preprocess and validate the bundle (always done)' },
    { name: '--timeout', value: 'integer', metavar: 'MINUTES', description: 'minutes to wait for the deployment (default 30)' },
    { name: '--nohang', description: 'return right after the deploy request, without waiting' },
  ],
  run,
};
