// `eb clone`: creates a copy of an environment (same version, tier and non-default settings) on the
// latest platform version of its branch (--exact keeps the same one), then streams its launch.
import {
  CreateEnvironmentCommand,
  DescribeConfigurationSettingsCommand,
  CheckDNSAvailabilityCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { boolFlag, intFlag, stringFlag } from '../args.ts';
import type { EbCommand } from '../command.ts';
import { nowMs } from '../context.ts';
import { describeEnvironment, environmentName, environmentNameProblem, timeoutMinutes } from '../environments.ts';
import { AlreadyExistsError, InvalidOptionsError } from '../errors.ts';
import { waitForEvents } from '../events.ts';
import type { Invocation } from '../invocation.ts';
import { environmentDetails } from '../output.ts';
import { latestPlatformArn } from '../platforms.ts';
import { option, parseTags } from '../settings.ts';
import { nonDefaultSettings } from './config.ts';

/** Options EB computes per environment; copying them would tie the clone to the source's resources. */
const notCopied = new Set(['aws:cloudformation:template:parameter', 'aws:elasticbeanstalk:sns:topics']);

async function run(inv: Invocation): Promise<number> {
  const { args, out, ctx } = inv;
  const project = await inv.project();
  const app = project.applicationName;
  const sourceName = await environmentName(inv, args.positionals[0], 'clone');
  const clients = await inv.clients();
  const source = await describeEnvironment(clients, app, sourceName);
  let cloneName = stringFlag(args, 'clone_name');
  if (!cloneName) {
    const fallback = `${sourceName}-clone`.slice(0, 40);
    cloneName = ctx.prompt ? (await ctx.prompt(`Enter name for Environment Clone\n(default is ${fallback}): `)).trim() || fallback : fallback;
  }
  const problem = environmentNameProblem(cloneName);
  if (problem) throw new InvalidOptionsError(problem);
  const cname = stringFlag(args, 'cname');
  if (cname) {
    const dns = await clients.eb.send(new CheckDNSAvailabilityCommand({ CNAMEPrefix: cname }));
    if (dns.Available === false) throw new AlreadyExistsError(`The CNAME prefix ${cname} is already in use.`);
  }

  const current = await clients.eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: app, EnvironmentName: sourceName }));
  const settings = (await nonDefaultSettings(clients, app, sourceName, current.ConfigurationSettings?.[0]?.OptionSettings ?? [])).filter(
    (s) => !notCopied.has(s.Namespace ?? ''),
  );
  const scale = intFlag(args, 'scale');
  if (scale !== undefined) {
    if (scale < 1) throw new InvalidOptionsError(`--scale must be at least 1 (got ${scale}).`);
    for (const name of ['MinSize', 'MaxSize']) {
      const index = settings.findIndex((s) => s.Namespace === 'aws:autoscaling:asg' && s.OptionName === name);
      if (index >= 0) settings.splice(index, 1);
      settings.push(option('aws:autoscaling:asg', name, String(scale)));
    }
  }

  let platformArn = source.PlatformArn;
  if (!boolFlag(args, 'exact') && platformArn) {
    const branch = /platform\/(.+)\/[^/]+$/.exec(platformArn)?.[1];
    const latest = branch ? await latestPlatformArn(clients, branch).catch(() => undefined) : undefined;
    if (latest && latest !== platformArn) {
      out.line('Launching environment clone on most recent platform version. Override this behavior by using the "--exact" option.');
      platformArn = latest;
    }
  }
  const startedAt = nowMs(clients);
  const response = await clients.eb.send(
    new CreateEnvironmentCommand({
      ApplicationName: app,
      EnvironmentName: cloneName,
      Description: `Environment cloned from ${sourceName} from the EB CLI using "eb clone"`,
      CNAMEPrefix: cname,
      Tier: source.Tier,
      VersionLabel: source.VersionLabel,
      PlatformArn: platformArn,
      SolutionStackName: platformArn ? undefined : source.SolutionStackName,
      OptionSettings: settings,
      Tags: parseTags(stringFlag(args, 'tags')),
    }),
  );
  out.line(environmentDetails(response, clients.region));
  if (boolFlag(args, 'nohang')) {
    out.data(response);
    return 0;
  }
  out.line('Printing Status:');
  const result = await waitForEvents(inv, clients, {
    applicationName: app,
    environmentName: cloneName,
    requestId: response.$metadata.requestId,
    sinceMs: startedAt,
    timeoutMinutes: timeoutMinutes(inv, 30),
  });
  if (out.json) out.data({ environment: await describeEnvironment(clients, app, cloneName), events: result.events });
  return 0;
}

export const cloneCommand: EbCommand = {
  name: 'clone',
  summary: 'Clones an environment.',
  usage: '<environment_name> [options ...]',
  epilog: 'This command clones your environment and attempts to upgrade the platform to the latest version.\nTo create a clone with the same platform version, use the "--exact" option.',
  positionals: [{ name: 'environment_name', optional: true, description: 'environment to clone (default: the branch default)' }],
  flags: [
    { name: '--clone_name', aliases: ['-n'], value: 'string', metavar: 'CLONE_NAME', description: 'name of the clone (default <env>-clone)' },
    { name: '--cname', aliases: ['-c'], value: 'string', metavar: 'CNAME_PREFIX', description: 'CNAME prefix of the clone' },
    { name: '--scale', value: 'integer', metavar: 'NUMBER', description: 'number of instances of the clone' },
    { name: '--tags', value: 'string', metavar: 'KEY=VALUE,...', description: 'tags, comma-separated' },
    { name: '--exact', description: 'keep the source platform version instead of the latest one' },
    { name: '--timeout', value: 'integer', metavar: 'MINUTES', description: 'minutes to wait (default 30)' },
    { name: '--nohang', description: 'return right after the request, without waiting' },
  ],
  run,
};
