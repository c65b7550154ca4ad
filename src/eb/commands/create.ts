// `eb create`: packages the project (or launches the sample application), applies the EB CLI's client
// defaults (enhanced health, 30% batches, rolling updates, application load balancer), creates the
// environment, prints its details and streams events until it is launched.
import {
  CheckDNSAvailabilityCommand,
  CreateApplicationCommand,
  CreateEnvironmentCommand,
  DescribeApplicationsCommand,
  DescribeApplicationVersionsCommand,
  type ConfigurationOptionSetting,
} from '@aws-sdk/client-elastic-beanstalk';
import { boolFlag, intFlag, stringFlag } from '../args.ts';
import { createVersionFromProject } from '../bundle/app-version.ts';
import type { EbCommand } from '../command.ts';
import { nowMs, type EbClients } from '../context.ts';
import { environmentNameProblem, describeEnvironment, timeoutMinutes } from '../environments.ts';
import { AlreadyExistsError, InvalidOptionsError, NotFoundError } from '../errors.ts';
import { waitForEvents } from '../events.ts';
import type { Invocation } from '../invocation.ts';
import { environmentDetails } from '../output.ts';
import { resolvePlatform } from '../platforms.ts';
import { envNamespace, option, parseEnvVarList, parseTags } from '../settings.ts';

export async function ensureApplication(clients: EbClients, name: string): Promise<void> {
  const found = await clients.eb.send(new DescribeApplicationsCommand({ ApplicationNames: [name] }));
  if (!found.Applications?.length) {
    await clients.eb.send(new CreateApplicationCommand({ ApplicationName: name, Description: 'Application created from the EB CLI using "eb init"' }));
  }
}

export async function requireVersion(clients: EbClients, app: string, label: string): Promise<void> {
  const found = await clients.eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: app, VersionLabels: [label] }));
  if (!found.ApplicationVersions?.length) {
    throw new NotFoundError(`Application version "${label}" does not exist in application "${app}". Run "eb appversion" to list the versions.`);
  }
}

/** The option settings `eb create` sends for its flags plus ebcli's client defaults (requests.py). */
export function createOptionSettings(inv: Invocation, defaults: { instanceProfile: string | null; keyname: string | null }): ConfigurationOptionSetting[] {
  const { args } = inv;
  const single = boolFlag(args, 'single');
  const tier = (stringFlag(args, 'tier') ?? 'webserver').toLowerCase();
  const worker = tier === 'worker';
  const elbType = stringFlag(args, 'elb-type');
  const scale = intFlag(args, 'scale');
  const min = intFlag(args, 'min-instances');
  const max = intFlag(args, 'max-instances');
  if (!['webserver', 'worker'].includes(tier)) throw new InvalidOptionsError(`--tier "${tier}" is not valid. Use "webserver" or "worker".`);
  if (elbType && !['classic', 'application', 'network'].includes(elbType)) {
    throw new InvalidOptionsError(`--elb-type "${elbType}" is not valid. Use classic, application or network.`);
  }
  if (single && scale !== undefined) throw new InvalidOptionsError('You cannot use the "--single" and "--scale" options together.');
  if (single && elbType) throw new InvalidOptionsError('You cannot use the "--single" and "--elb-type" options together.');
  if (worker && stringFlag(args, 'cname')) throw new InvalidOptionsError('Worker tiers do not support a CNAME.');
  for (const [flag, value] of [['--scale', scale], ['--min-instances', min], ['--max-instances', max]] as const) {
    if (value !== undefined && (value < 1 || value > 10000)) throw new InvalidOptionsError(`${flag} must be between 1 and 10000 (got ${value}).`);
  }
  if (min !== undefined && max !== undefined && min > max) {
    throw new InvalidOptionsError(`--min-instances (${min}) cannot be greater than --max-instances (${max}).`);
  }

  const settings: ConfigurationOptionSetting[] = [];
  const loadBalanced = !single && !worker;
  settings.push(option('aws:autoscaling:launchconfiguration', 'IamInstanceProfile', stringFlag(args, 'instance_profile') ?? defaults.instanceProfile ?? 'aws-elasticbeanstalk-ec2-role'));
  settings.push(option('aws:elasticbeanstalk:environment', 'ServiceRole', stringFlag(args, 'service-role') ?? 'aws-elasticbeanstalk-service-role'));
  if (single) settings.push(option('aws:elasticbeanstalk:environment', 'EnvironmentType', 'SingleInstance'));
  if (loadBalanced) settings.push(option('aws:elasticbeanstalk:environment', 'LoadBalancerType', elbType ?? 'application'));
  settings.push(option('aws:elasticbeanstalk:healthreporting:system', 'SystemType', 'enhanced'));
  settings.push(option('aws:elasticbeanstalk:command', 'BatchSize', '30'));
  settings.push(option('aws:elasticbeanstalk:command', 'BatchSizeType', 'Percentage'));
  if (!single) {
    settings.push(option('aws:autoscaling:updatepolicy:rollingupdate', 'RollingUpdateEnabled', 'true'));
    settings.push(option('aws:autoscaling:updatepolicy:rollingupdate', 'RollingUpdateType', 'Health'));
  }
  if (loadBalanced && elbType === 'classic') {
    settings.push(option('aws:elb:loadbalancer', 'CrossZone', 'true'));
    settings.push(option('aws:elb:policies', 'ConnectionDrainingEnabled', 'true'));
  }
  const instanceType = stringFlag(args, 'instance_type');
  if (instanceType) settings.push(option('aws:autoscaling:launchconfiguration', 'InstanceType', instanceType));
  const instanceTypes = stringFlag(args, 'instance-types');
  if (instanceTypes) settings.push(option('aws:ec2:instances', 'InstanceTypes', instanceTypes));
  const keyname = stringFlag(args, 'keyname') ?? defaults.keyname;
  if (keyname) settings.push(option('aws:autoscaling:launchconfiguration', 'EC2KeyName', keyname));
  if (scale !== undefined) {
    settings.push(option('aws:autoscaling:asg', 'MinSize', String(scale)));
    settings.push(option('aws:autoscaling:asg', 'MaxSize', String(scale)));
  }
  if (min !== undefined) settings.push(option('aws:autoscaling:asg', 'MinSize', String(min)));
  if (max !== undefined) settings.push(option('aws:autoscaling:asg', 'MaxSize', String(max)));
  const envvars = stringFlag(args, 'envvars');
  if (envvars) for (const [key, value] of parseEnvVarList(envvars, '--envvars')) settings.push(option(envNamespace, key, value));
  return settings;
}

async function run(inv: Invocation): Promise<number> {
  const { args, out, ctx } = inv;
  const project = await inv.project();
  const app = project.applicationName;
  let envName = inv.args.positionals[0];
  if (!envName) {
    const fallback = `${app}-dev`.slice(0, 40);
    envName = ctx.prompt ? (await ctx.prompt(`Enter Environment Name\n(default is ${fallback}): `)).trim() || fallback : fallback;
  }
  const nameProblem = environmentNameProblem(envName);
  if (nameProblem) throw new InvalidOptionsError(nameProblem);
  if (boolFlag(args, 'sample') && stringFlag(args, 'version')) {
    throw new InvalidOptionsError('You cannot use the "--sample" and "--version" options together.');
  }
  const settings = createOptionSettings(inv, { instanceProfile: project.setting('instance_profile'), keyname: project.setting('default_ec2_keyname') });
  const tags = parseTags(stringFlag(args, 'tags'));
  const worker = (stringFlag(args, 'tier') ?? '').toLowerCase() === 'worker';
  const timeout = timeoutMinutes(inv, 30);

  const clients = await inv.clients();
  const platformInput = stringFlag(args, 'platform') ?? project.defaultPlatform;
  if (!platformInput) {
    throw new InvalidOptionsError('No platform is set for this project. Run "eb init -p <platform>" or pass --platform (-p), e.g. "eb create -p node.js".');
  }
  const platform = await resolvePlatform(clients, platformInput);

  const cname = stringFlag(args, 'cname');
  if (cname) {
    const dns = await clients.eb.send(new CheckDNSAvailabilityCommand({ CNAMEPrefix: cname }));
    if (dns.Available === false) throw new AlreadyExistsError(`The CNAME prefix ${cname} is already in use.`);
  }
  await ensureApplication(clients, app);

  let versionLabel: string | undefined;
  const givenVersion = stringFlag(args, 'version');
  if (givenVersion) {
    await requireVersion(clients, app, givenVersion);
    versionLabel = givenVersion;
  } else if (!boolFlag(args, 'sample')) {
    const version = await createVersionFromProject(inv, { timeoutMinutes: timeout, allowEmpty: true, staged: boolFlag(args, 'staged') });
    versionLabel = version?.label;
  }

  const startedAt = nowMs(clients);
  const response = await clients.eb.send(
    new CreateEnvironmentCommand({
      ApplicationName: app,
      EnvironmentName: envName,
      Description: 'Environment created from the EB CLI using "eb create"',
      CNAMEPrefix: cname,
      Tier: worker ? { Name: 'Worker', Type: 'SQS/HTTP', Version: '1.0' } : { Name: 'WebServer', Type: 'Standard', Version: '1.0' },
      VersionLabel: versionLabel,
      PlatformArn: platform.platformArn,
      SolutionStackName: platform.platformArn ? undefined : platform.solutionStackName,
      OptionSettings: settings,
      Tags: tags,
    }),
  );
  project.setDefaultEnvironment(envName);
  await project.save();

  out.line(environmentDetails(response, clients.region));
  if (boolFlag(args, 'nohang')) {
    out.data(response);
    return 0;
  }
  out.line('Printing Status:');
  const result = await waitForEvents(inv, clients, {
    applicationName: app,
    environmentName: envName,
    requestId: response.$metadata.requestId,
    sinceMs: startedAt,
    timeoutMinutes: timeout,
  });
  if (out.json) out.data({ environment: await describeEnvironment(clients, app, envName), events: result.events });
  return 0;
}

export const createCommand: EbCommand = {
  name: 'create',
  summary: 'Creates a new environment.',
  usage: '<environment_name> [options ...]',
  positionals: [{ name: 'environment_name', optional: true, description: 'name of the environment to create (default: <application>-dev)' }],
  flags: [
    { name: '--cname', aliases: ['-c'], value: 'string', metavar: 'CNAME_PREFIX', description: 'CNAME prefix: <prefix>.<region>.elasticbeanstalk.com' },
    { name: '--tier', aliases: ['-t'], value: 'string', metavar: 'TIER', description: 'environment tier: webserver (default) or worker' },
    { name: '--instance_type', aliases: ['-i'], value: 'string', metavar: 'INSTANCE_TYPE', description: 'EC2 instance type, e.g. t3.micro' },
    { name: '--instance-types', aliases: ['-it'], value: 'string', metavar: 'TYPES', description: 'comma-separated list of EC2 instance types' },
    { name: '--platform', aliases: ['-p'], value: 'string', metavar: 'PLATFORM', description: 'platform (default: the one chosen with eb init)' },
    { name: '--keyname', aliases: ['-k'], value: 'string', metavar: 'KEYNAME', description: 'EC2 key pair name' },
    { name: '--scale', value: 'integer', metavar: 'NUMBER', description: 'number of instances (sets MinSize and MaxSize)' },
    { name: '--min-instances', aliases: ['-im'], value: 'integer', metavar: 'NUMBER', description: 'minimum number of instances' },
    { name: '--max-instances', aliases: ['-ix'], value: 'integer', metavar: 'NUMBER', description: 'maximum number of instances' },
    { name: '--single', aliases: ['-s'], description: 'single-instance environment (no load balancer)' },
    { name: '--elb-type', value: 'string', metavar: 'ELB_TYPE', description: 'load balancer type: classic, application (default) or network' },
    { name: '--sample', description: 'launch the sample application instead of your code' },
    { name: '--version', value: 'string', metavar: 'VERSION_LABEL', description: 'deploy this existing application version' },
    { name: '--instance_profile', aliases: ['-ip'], value: 'string', metavar: 'PROFILE', description: 'EC2 instance profile (default aws-elasticbeanstalk-ec2-role)' },
    { name: '--service-role', aliases: ['-sr'], value: 'string', metavar: 'ROLE', description: 'service role (default aws-elasticbeanstalk-service-role)' },
    { name: '--envvars', value: 'string', metavar: 'KEY=VALUE,...', description: 'environment properties, comma-separated' },
    { name: '--tags', value: 'string', metavar: 'KEY=VALUE,...', description: 'tags, comma-separated' },
    { name: '--timeout', value: 'integer', metavar: 'MINUTES', description: 'minutes to wait for the environment (default 30)' },
    { name: '--nohang', description: 'return right after the create request, without waiting' },
    { name: '--process', aliases: ['-pr'], description: 'preprocess and validate the bundle (always done)' },
    { name: '--staged', description: 'deploy files staged in the git index instead of HEAD' },
    { name: '--branch_default', aliases: ['-d'], description: 'make this the default environment of the branch (always done)' },
  ],
  run,
};
