// `eb create`: packages the project (or launches the sample application), applies the EB CLI's client
// defaults (enhanced health, 30% batches, rolling updates, application load balancer) or, with --cfg, a saved
// configuration instead, creates the environment, prints its details and streams events until it is launched.
import {
  CheckDNSAvailabilityCommand,
  CreateApplicationCommand,
  CreateEnvironmentCommand,
  DescribeApplicationsCommand,
  DescribeApplicationVersionsCommand,
  DescribeConfigurationSettingsCommand,
  type ConfigurationOptionSetting,
} from '@aws-sdk/client-elastic-beanstalk';
import { boolFlag, intFlag, stringFlag } from '../args.ts';
import { createVersionFromProject } from '../bundle/app-version.ts';
import type { EbCommand } from '../command.ts';
import { nowMs, type EbClients } from '../context.ts';
import { environmentNameProblem, describeEnvironment, timeoutMinutes } from '../environments.ts';
import { AlreadyExistsError, fromAwsError, InvalidOptionsError, InvalidParameterValueError, NotFoundError, ServiceError } from '../errors.ts';
import { waitForEvents } from '../events.ts';
import type { Invocation } from '../invocation.ts';
import { environmentDetails } from '../output.ts';
import { resolvePlatform } from '../platforms.ts';
import { findSavedConfigFile, nearMissSavedConfigs, readSavedConfig, SAVED_CONFIGS_DIR, templateExists, uploadSavedConfig } from '../saved-config.ts';
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

/**
 * The option settings `eb create` sends for its flags plus ebcli's client defaults (requests.py). With a saved
 * configuration (`template`), ebcli leaves its client defaults out so the template's values apply; the roles
 * are still filled in where the template names none, and explicit flags still win over the template.
 */
export function createOptionSettings(
  inv: Invocation,
  defaults: { instanceProfile: string | null; keyname: string | null },
  template?: { settings: ConfigurationOptionSetting[] },
): ConfigurationOptionSetting[] {
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
  const templateSets = (namespace: string, name: string) =>
    !!template?.settings.some((s) => s.Namespace === namespace && s.OptionName === name && !s.ResourceName && (s.Value ?? '') !== '');
  const role = (namespace: string, name: string, flag: string | undefined, fallback: string) => {
    if (flag !== undefined || !templateSets(namespace, name)) settings.push(option(namespace, name, flag ?? fallback));
  };
  role('aws:autoscaling:launchconfiguration', 'IamInstanceProfile', stringFlag(args, 'instance_profile'), defaults.instanceProfile ?? 'aws-elasticbeanstalk-ec2-role');
  role('aws:elasticbeanstalk:environment', 'ServiceRole', stringFlag(args, 'service-role'), 'aws-elasticbeanstalk-service-role');
  if (single) settings.push(option('aws:elasticbeanstalk:environment', 'EnvironmentType', 'SingleInstance'));
  if (loadBalanced && (elbType || !template)) settings.push(option('aws:elasticbeanstalk:environment', 'LoadBalancerType', elbType ?? 'application'));
  if (!template) {
    settings.push(option('aws:elasticbeanstalk:healthreporting:system', 'SystemType', 'enhanced'));
    settings.push(option('aws:elasticbeanstalk:command', 'BatchSize', '30'));
    settings.push(option('aws:elasticbeanstalk:command', 'BatchSizeType', 'Percentage'));
    if (!single) {
      settings.push(option('aws:autoscaling:updatepolicy:rollingupdate', 'RollingUpdateEnabled', 'true'));
      settings.push(option('aws:autoscaling:updatepolicy:rollingupdate', 'RollingUpdateType', 'Health'));
    }
  }
  if (!template && loadBalanced && elbType === 'classic') {
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

/**
 * Resolves --cfg as ebcli does: a local saved configuration file is uploaded as the application's template
 * of that name first; otherwise the name must be a saved configuration the application already has.
 */
async function savedConfiguration(inv: Invocation, clients: EbClients, cfg: string, platformFlag: string | undefined): Promise<{ name: string; settings: ConfigurationOptionSetting[] }> {
  const project = await inv.project();
  const app = project.applicationName;
  const path = await findSavedConfigFile(project.fs, project.root, inv.ctx.cwd, cfg);
  let name = cfg;
  if (path) {
    const file = await readSavedConfig(project.fs, path);
    try {
      await uploadSavedConfig(clients, app, file, platformFlag ?? project.defaultPlatform);
    } catch (error) {
      const known = fromAwsError(error);
      if (known instanceof ServiceError || known instanceof InvalidParameterValueError) {
        throw new InvalidOptionsError(`Saved configuration ${path} was refused: ${known.message}`);
      }
      throw error;
    }
    name = file.name;
  } else if (!(await templateExists(clients, app, cfg))) {
    const nearMisses = await nearMissSavedConfigs(project.fs, project.root, cfg);
    const hint = nearMisses.length
      ? ` ${nearMisses.join(' and ')} ${nearMisses.length > 1 ? 'are' : 'is'} not where eb looks: rename or move ${nearMisses.length > 1 ? 'one of them' : 'it'} to ${SAVED_CONFIGS_DIR}/${cfg}.cfg.yml.`
      : ` Write the file, or save an environment's settings with "eb config save --cfg ${cfg}".`;
    throw new NotFoundError(`No saved configuration "${cfg}": there is no ${SAVED_CONFIGS_DIR}/${cfg}.cfg.yml and application "${app}" has no saved configuration of that name.${hint}`);
  }
  const described = await clients.eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: app, TemplateName: name }));
  return { name, settings: described.ConfigurationSettings?.[0]?.OptionSettings ?? [] };
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
  const roleDefaults = { instanceProfile: project.setting('instance_profile'), keyname: project.setting('default_ec2_keyname') };
  // Flags are checked before anything reaches the cloud; with --cfg they are computed again against the template.
  let settings = createOptionSettings(inv, roleDefaults);
  const tags = parseTags(stringFlag(args, 'tags'));
  const worker = (stringFlag(args, 'tier') ?? '').toLowerCase() === 'worker';
  const timeout = timeoutMinutes(inv, 30);
  const cfg = stringFlag(args, 'cfg');
  if (cfg !== undefined && !cfg.trim()) {
    throw new InvalidOptionsError('--cfg needs the name of a saved configuration, e.g. "eb create pettracker-web-prod --cfg prod".');
  }

  const clients = await inv.clients();
  const platformFlag = stringFlag(args, 'platform');
  // A saved configuration carries its platform, so only --platform overrides it (ebcli sends both; the template's wins here).
  const platformInput = platformFlag ?? (cfg ? undefined : project.defaultPlatform);
  if (!platformInput && !cfg) {
    throw new InvalidOptionsError('No platform is set for this project. Run "eb init -p <platform>" or pass --platform (-p), e.g. "eb create -p node.js".');
  }
  const platform = platformInput ? await resolvePlatform(clients, platformInput) : undefined;

  const cname = stringFlag(args, 'cname');
  if (cname) {
    const dns = await clients.eb.send(new CheckDNSAvailabilityCommand({ CNAMEPrefix: cname }));
    if (dns.Available === false) throw new AlreadyExistsError(`The CNAME prefix ${cname} is already in use.`);
  }
  await ensureApplication(clients, app);

  let templateName: string | undefined;
  if (cfg) {
    const template = await savedConfiguration(inv, clients, cfg, platformFlag);
    templateName = template.name;
    settings = createOptionSettings(inv, roleDefaults, { settings: template.settings });
  }

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
      TemplateName: templateName,
      PlatformArn: platform?.platformArn,
      SolutionStackName: platform?.platformArn ? undefined : platform?.solutionStackName,
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
    { name: '--cfg', value: 'string', metavar: 'CONFIG_NAME', description: 'saved configuration to launch with (.elasticbeanstalk/saved_configs/<name>.cfg.yml is uploaded first)' },
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
