// `eb config`: shows (--display) or changes (--update) an environment's option settings as YAML, and
// manages saved configurations (save, get, put, list, delete) in .elasticbeanstalk/saved_configs/.
import {
  CreateConfigurationTemplateCommand,
  DeleteConfigurationTemplateCommand,
  DescribeApplicationsCommand,
  DescribeConfigurationOptionsCommand,
  DescribeConfigurationSettingsCommand,
  UpdateEnvironmentCommand,
  type ConfigurationOptionSetting,
  type ConfigurationSettingsDescription,
} from '@aws-sdk/client-elastic-beanstalk';
import { parse, stringify } from 'yaml';
import { joinPath } from '../../workspace/fs.ts';
import { stringFlag } from '../args.ts';
import type { EbCommand } from '../command.ts';
import { nowMs, type EbClients } from '../context.ts';
import { describeEnvironment, environmentName, timeoutMinutes } from '../environments.ts';
import { InvalidOptionsError, NotFoundError } from '../errors.ts';
import { waitForEvents } from '../events.ts';
import type { Invocation } from '../invocation.ts';
import { readSavedConfig, uploadSavedConfig } from '../saved-config.ts';

const savedConfigsDir = '.elasticbeanstalk/saved_configs';

type SettingsTree = Record<string, Record<string, string | null>>;

export function settingsTree(settings: ConfigurationOptionSetting[]): SettingsTree {
  const tree: SettingsTree = {};
  for (const s of settings) {
    if (!s.Namespace || !s.OptionName) continue;
    const namespace = s.ResourceName ? `${s.Namespace}.${s.ResourceName}` : s.Namespace;
    (tree[namespace] ??= {})[s.OptionName] = s.Value ?? '';
  }
  const sorted: SettingsTree = {};
  for (const ns of Object.keys(tree).sort()) {
    sorted[ns] = Object.fromEntries(Object.entries(tree[ns]).sort(([a], [b]) => a.localeCompare(b)));
  }
  return sorted;
}

function splitNamespace(key: string): { Namespace: string; ResourceName?: string } {
  const dot = key.indexOf('.', key.lastIndexOf(':'));
  return dot > 0 ? { Namespace: key.slice(0, dot), ResourceName: key.slice(dot + 1) } : { Namespace: key };
}

async function environmentSettings(clients: EbClients, app: string, envName: string): Promise<ConfigurationSettingsDescription> {
  const response = await clients.eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: app, EnvironmentName: envName }));
  const found = response.ConfigurationSettings?.[0];
  if (!found) throw new NotFoundError(`Environment "${envName}" not Found.`);
  return found;
}

/** Reads `--update` text: a YAML string or the path of a YAML file. */
async function updateText(inv: Invocation, value: string): Promise<string> {
  if (value.includes('\n')) return value;
  const path = joinPath(inv.ctx.cwd, value);
  const isFile = await inv.ctx.fs.exists(path).catch(() => false);
  return isFile ? inv.ctx.fs.readFile(path, 'utf8') : value;
}

export function changesFromYaml(text: string, current: ConfigurationOptionSetting[]): { set: ConfigurationOptionSetting[]; remove: ConfigurationOptionSetting[] } {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new InvalidOptionsError(`The configuration settings you provided contain an error. The environment will not be updated. (${(error as Error).message.split('\n')[0]})`);
  }
  const settings = (doc as { settings?: unknown } | null)?.settings ?? doc;
  if (!settings || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new InvalidOptionsError('The --update YAML needs a "settings:" mapping of namespaces to options, e.g. "settings: {aws:autoscaling:asg: {MinSize: 2}}".');
  }
  const existing = new Map(current.map((s) => [`${s.Namespace}|${s.ResourceName ?? ''}|${s.OptionName}`, s.Value]));
  const set: ConfigurationOptionSetting[] = [];
  const remove: ConfigurationOptionSetting[] = [];
  for (const [nsKey, options] of Object.entries(settings as Record<string, unknown>)) {
    if (!options || typeof options !== 'object' || Array.isArray(options)) {
      throw new InvalidOptionsError(`In the --update YAML, "${nsKey}" must map option names to values.`);
    }
    const ns = splitNamespace(nsKey);
    for (const [name, raw] of Object.entries(options as Record<string, unknown>)) {
      if (raw === null) {
        remove.push({ ...ns, OptionName: name });
        continue;
      }
      const value = typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
      if (existing.get(`${ns.Namespace}|${ns.ResourceName ?? ''}|${name}`) === value) continue;
      set.push({ ...ns, OptionName: name, Value: value });
    }
  }
  return { set, remove };
}

async function displayOrUpdate(inv: Invocation): Promise<number> {
  const { args, out } = inv;
  const project = await inv.project();
  const app = project.applicationName;
  const envName = await environmentName(inv, args.positionals[0], 'config');
  const clients = await inv.clients();
  await describeEnvironment(clients, app, envName);
  const current = await environmentSettings(clients, app, envName);
  const update = stringFlag(args, 'update');
  if (update !== undefined) {
    const { set, remove } = changesFromYaml(await updateText(inv, update), current.OptionSettings ?? []);
    if (set.length === 0 && remove.length === 0) {
      out.line('No changes made; exiting.');
      out.data({ changed: [], removed: [] });
      return 0;
    }
    const startedAt = nowMs(clients);
    const response = await clients.eb.send(
      new UpdateEnvironmentCommand({ ApplicationName: app, EnvironmentName: envName, OptionSettings: set, OptionsToRemove: remove.length ? remove : undefined }),
    );
    const result = await waitForEvents(inv, clients, {
      applicationName: app,
      environmentName: envName,
      requestId: response.$metadata.requestId,
      sinceMs: startedAt,
      timeoutMinutes: timeoutMinutes(inv, 10),
    });
    out.data({ changed: set, removed: remove, events: result.events });
    return 0;
  }
  if (!args.flags.display && !inv.ctx.prompt) {
    // The real CLI opens an editor here; without one, showing the settings is the useful, non-blocking answer.
    out.warning('No editor is available here; showing the settings. Change them with: eb config --update "settings: {...}"');
  } else if (!args.flags.display) {
    out.warning('Editing in place is not available in this terminal; showing the settings. Change them with: eb config --update "settings: {...}"');
  }
  const document = {
    ApplicationName: app,
    DateUpdated: current.DateUpdated?.toISOString(),
    EnvironmentName: envName,
    PlatformArn: current.PlatformArn ?? current.SolutionStackName,
    settings: settingsTree(current.OptionSettings ?? []),
  };
  out.result(stringify(document, { lineWidth: 0 }));
  out.data(document);
  return 0;
}

/** Settings that differ from the platform defaults (what a saved configuration keeps). */
export async function nonDefaultSettings(clients: EbClients, app: string, envName: string, settings: ConfigurationOptionSetting[]): Promise<ConfigurationOptionSetting[]> {
  try {
    const options = await clients.eb.send(new DescribeConfigurationOptionsCommand({ ApplicationName: app, EnvironmentName: envName }));
    const defaults = new Map((options.Options ?? []).map((o) => [`${o.Namespace}|${o.Name}`, o.DefaultValue ?? '']));
    return settings.filter((s) => {
      const key = `${s.Namespace}|${s.OptionName}`;
      return !defaults.has(key) || defaults.get(key) !== (s.Value ?? '');
    });
  } catch {
    return settings;
  }
}

function savedConfigPath(inv: Invocation, root: string, name: string): string {
  if (!/^[A-Za-z0-9][\w.-]{0,99}$/.test(name)) {
    throw new InvalidOptionsError(`"${name}" is not a valid saved configuration name: use up to 100 letters, digits, ".", "_" or "-".`);
  }
  return joinPath(root, savedConfigsDir, `${name}.cfg.yml`);
}

function cfgDocument(settings: ConfigurationSettingsDescription, options: ConfigurationOptionSetting[], description: string, now: Date): string {
  return stringify({
    EnvironmentConfigurationMetadata: { Description: description, DateCreated: String(now.getTime()), DateModified: String(now.getTime()) },
    Platform: settings.PlatformArn ? { PlatformArn: settings.PlatformArn } : { SolutionStackName: settings.SolutionStackName },
    OptionSettings: settingsTree(options),
    AWSConfigurationTemplateVersion: '1.1.0.0',
  }, { lineWidth: 0 });
}

async function save(inv: Invocation): Promise<number> {
  const { args, out } = inv;
  const project = await inv.project();
  const app = project.applicationName;
  const envName = await environmentName(inv, args.positionals[0], 'config save');
  const clients = await inv.clients();
  const env = await describeEnvironment(clients, app, envName);
  const name = stringFlag(args, 'cfg') ?? `${envName}-sc`;
  const path = savedConfigPath(inv, project.root, name);
  const description = 'Configuration created from the EB CLI using "eb config save".';
  await clients.eb.send(new CreateConfigurationTemplateCommand({ ApplicationName: app, TemplateName: name, EnvironmentId: env.EnvironmentId, Description: description }));
  const settings = await environmentSettings(clients, app, envName);
  const kept = await nonDefaultSettings(clients, app, envName, settings.OptionSettings ?? []);
  await project.fs.mkdir(joinPath(project.root, savedConfigsDir), { recursive: true });
  await project.fs.writeFile(path, cfgDocument(settings, kept, description, new Date(nowMs(clients))));
  out.line(`Configuration saved at: ${path}`);
  out.data({ name, path });
  return 0;
}

async function get(inv: Invocation): Promise<number> {
  const project = await inv.project();
  const app = project.applicationName;
  const name = inv.args.positionals[0];
  const path = savedConfigPath(inv, project.root, name);
  const clients = await inv.clients();
  const response = await clients.eb
    .send(new DescribeConfigurationSettingsCommand({ ApplicationName: app, TemplateName: name }))
    .catch((error) => {
      if (/No Configuration Template named|not found/i.test((error as Error).message)) {
        throw new NotFoundError(`Elastic Beanstalk could not find any saved configuration with the name "${name}".`);
      }
      throw error;
    });
  const settings = response.ConfigurationSettings?.[0];
  if (!settings) throw new NotFoundError(`Elastic Beanstalk could not find any saved configuration with the name "${name}".`);
  await project.fs.mkdir(joinPath(project.root, savedConfigsDir), { recursive: true });
  await project.fs.writeFile(path, cfgDocument(settings, settings.OptionSettings ?? [], settings.Description ?? '', new Date(nowMs(clients))));
  inv.out.line(`Configuration saved at: ${path}`);
  inv.out.data({ name, path });
  return 0;
}

async function put(inv: Invocation): Promise<number> {
  const project = await inv.project();
  const app = project.applicationName;
  const name = inv.args.positionals[0];
  const path = savedConfigPath(inv, project.root, name);
  if (!(await project.fs.exists(path))) {
    throw new NotFoundError(`There is no saved configuration file ${path}. Create it with "eb config save" or "eb config get ${name}".`);
  }
  const file = await readSavedConfig(project.fs, path);
  const clients = await inv.clients();
  await uploadSavedConfig(clients, app, file, project.defaultPlatform);
  inv.out.line(`Saved configuration "${name}" uploaded to application "${app}".`);
  inv.out.data({ name, options: file.optionSettings.length });
  return 0;
}

async function list(inv: Invocation): Promise<number> {
  const project = await inv.project();
  const clients = await inv.clients();
  const response = await clients.eb.send(new DescribeApplicationsCommand({ ApplicationNames: [project.applicationName] }));
  const remote = response.Applications?.[0]?.ConfigurationTemplates ?? [];
  const dir = joinPath(project.root, savedConfigsDir);
  const local = (await project.fs.exists(dir)) ? (await project.fs.readdir(dir)).filter((f) => f.endsWith('.cfg.yml')).map((f) => f.slice(0, -'.cfg.yml'.length)) : [];
  const names = [...new Set([...remote, ...local])].sort();
  inv.out.result(names.join('\n'));
  inv.out.data(names.map((name) => ({ name, local: local.includes(name), remote: remote.includes(name) })));
  return 0;
}

async function remove(inv: Invocation): Promise<number> {
  const project = await inv.project();
  const name = inv.args.positionals[0];
  const path = savedConfigPath(inv, project.root, name);
  const clients = await inv.clients();
  await clients.eb.send(new DeleteConfigurationTemplateCommand({ ApplicationName: project.applicationName, TemplateName: name }));
  if (await project.fs.exists(path)) await project.fs.rm(path);
  inv.out.data({ deleted: name });
  return 0;
}

const nameArg = [{ name: 'name', description: 'saved configuration name' }];

export const configCommand: EbCommand = {
  name: 'config',
  summary: "Modify an environment's configuration. Use subcommands to manage saved configurations.",
  usage: '<environment_name> [options ...]',
  epilog:
    'Use --display to print the settings as YAML and --update "<yaml>" (or a YAML file) to change them, e.g.\n  eb config --update "settings: {aws:autoscaling:asg: {MinSize: 2}}"\nA null value removes a setting you applied earlier.',
  positionals: [{ name: 'environment_name', optional: true, description: 'environment name (default: the branch default)' }],
  flags: [
    { name: '--display', description: 'print the settings as YAML' },
    { name: '--update', value: 'string', metavar: 'YAML_OR_FILE', description: 'apply these settings (YAML text or a YAML file)' },
    { name: '--timeout', value: 'integer', metavar: 'MINUTES', description: 'minutes to wait for an update (default 10)' },
    { name: '--format', value: 'string', metavar: 'FORMAT', description: 'accepted for compatibility: yaml' },
  ],
  subcommands: [
    {
      name: 'save',
      summary: "Saves the environment's configuration as a saved configuration.",
      usage: '<environment_name> [options ...]',
      positionals: [{ name: 'environment_name', optional: true, description: 'environment name (default: the branch default)' }],
      flags: [{ name: '--cfg', value: 'string', metavar: 'CONFIG_NAME', description: 'name of the saved configuration (default <env>-sc)' }],
      run: save,
    },
    { name: 'get', summary: 'Downloads a saved configuration into .elasticbeanstalk/saved_configs/.', usage: 'name [options ...]', positionals: nameArg, flags: [], run: get },
    { name: 'put', summary: 'Uploads a saved configuration from .elasticbeanstalk/saved_configs/.', usage: 'name [options ...]', positionals: nameArg, flags: [], run: put },
    { name: 'list', summary: 'Lists saved configurations (local and in the application).', usage: '[options ...]', positionals: [], flags: [], run: list },
    { name: 'delete', summary: 'Deletes a saved configuration.', usage: 'name [options ...]', positionals: nameArg, flags: [], run: remove },
  ],
  run: displayOrUpdate,
};
