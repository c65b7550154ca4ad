// `eb scale N`: sets the Auto Scaling group's MinSize and MaxSize to N; a single-instance environment
// must first become load balanced (asked, or --force when nobody can answer).
import { DescribeConfigurationSettingsCommand, UpdateEnvironmentCommand } from '@aws-sdk/client-elastic-beanstalk';
import { boolFlag } from '../args.ts';
import type { EbCommand } from '../command.ts';
import { nowMs } from '../context.ts';
import { describeEnvironment, environmentName, timeoutMinutes } from '../environments.ts';
import { InvalidOptionsError } from '../errors.ts';
import { waitForEvents } from '../events.ts';
import type { Invocation } from '../invocation.ts';
import { option } from '../settings.ts';

async function run(inv: Invocation): Promise<number> {
  const { args, out, ctx } = inv;
  const countText = args.positionals[0];
  if (!/^\d+$/.test(countText) || Number(countText) < 1 || Number(countText) > 10000) {
    throw new InvalidOptionsError(`"${countText}" is not a number of instances. Give a whole number from 1 to 10000, e.g. "eb scale 3".`);
  }
  const count = Number(countText);
  const project = await inv.project();
  const app = project.applicationName;
  const envName = await environmentName(inv, args.positionals[1], 'scale');
  const clients = await inv.clients();
  await describeEnvironment(clients, app, envName);

  const settings = [option('aws:autoscaling:asg', 'MaxSize', String(count)), option('aws:autoscaling:asg', 'MinSize', String(count))];
  const current = await clients.eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: app, EnvironmentName: envName }));
  const type = current.ConfigurationSettings?.[0]?.OptionSettings?.find(
    (s) => s.Namespace === 'aws:elasticbeanstalk:environment' && s.OptionName === 'EnvironmentType',
  )?.Value;
  if (type === 'SingleInstance' && count > 1) {
    let switchToLoadBalanced = boolFlag(args, 'force');
    if (!switchToLoadBalanced && ctx.prompt) {
      out.line('If you choose yes, the environment and your application will be temporarily unavailable.');
      const answer = (await ctx.prompt('The environment is currently a single-instance. Do you want to change to a load-balancing environment?\n(y/N): ')).trim();
      switchToLoadBalanced = answer.toLowerCase().startsWith('y');
      if (!switchToLoadBalanced) return 0;
    }
    if (!switchToLoadBalanced) {
      throw new InvalidOptionsError(
        `The environment "${envName}" is a single-instance environment, so it cannot run ${count} instances. Run "eb scale ${count} --force" to switch it to a load-balancing environment (the application is briefly unavailable).`,
      );
    }
    settings.push(option('aws:elasticbeanstalk:environment', 'EnvironmentType', 'LoadBalanced'));
  }
  const startedAt = nowMs(clients);
  const response = await clients.eb.send(new UpdateEnvironmentCommand({ ApplicationName: app, EnvironmentName: envName, OptionSettings: settings }));
  const result = await waitForEvents(inv, clients, {
    applicationName: app,
    environmentName: envName,
    requestId: response.$metadata.requestId,
    sinceMs: startedAt,
    timeoutMinutes: timeoutMinutes(inv, 10),
  });
  out.data({ environment: envName, instances: count, events: result.events });
  return 0;
}

export const scaleCommand: EbCommand = {
  name: 'scale',
  summary: 'Changes the number of running instances.',
  usage: '{number} <environment_name> [options ...]',
  positionals: [
    { name: 'number', description: 'number of instances' },
    { name: 'environment_name', optional: true, description: 'environment name (default: the branch default)' },
  ],
  flags: [
    { name: '--force', description: 'switch a single-instance environment to load balanced without asking' },
    { name: '--timeout', value: 'integer', metavar: 'MINUTES', description: 'minutes to wait for the update (default 10)' },
  ],
  run,
};
