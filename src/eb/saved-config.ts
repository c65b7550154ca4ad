// Saved configuration files (`.elasticbeanstalk/saved_configs/<name>.cfg.yml`): finding one the way ebcli
// resolves `--cfg`, reading it with precise errors, and uploading it as the application's configuration template.
import {
  CreateConfigurationTemplateCommand,
  DeleteConfigurationTemplateCommand,
  DescribeApplicationsCommand,
  type ConfigurationOptionSetting,
} from '@aws-sdk/client-elastic-beanstalk';
import { parse } from 'yaml';
import { joinPath, type WorkspaceFs } from '../workspace/fs.ts';
import type { EbClients } from './context.ts';
import { InvalidOptionsError, NotFoundError } from './errors.ts';
import { resolvePlatform } from './platforms.ts';

export const SAVED_CONFIGS_DIR = '.elasticbeanstalk/saved_configs';

/** What a saved configuration file holds that Elastic Beanstalk needs. */
export interface SavedConfigFile {
  /** Where it was read from. */
  path: string;
  /** The template name it is uploaded as: the file name without its extensions (`prod.cfg.yml` → `prod`). */
  name: string;
  platform?: { PlatformArn?: string; SolutionStackName?: string };
  description?: string;
  optionSettings: ConfigurationOptionSetting[];
}

async function isFile(fs: WorkspaceFs, path: string): Promise<boolean> {
  try {
    return (await fs.stat(path)).isFile;
  } catch {
    return false;
  }
}

/**
 * The local file a `--cfg` value names, as ebcli's resolve_config_location finds it: a path to a file, else
 * (for a bare name) `.elasticbeanstalk/saved_configs/<name>.cfg.yml`, `saved_configs/<name>`,
 * `.elasticbeanstalk/<name>.cfg.yml`, `.elasticbeanstalk/<name>`. Null means "a saved configuration already
 * in the application"; a path that is not there is an error.
 */
export async function findSavedConfigFile(fs: WorkspaceFs, projectRoot: string, cwd: string, cfg: string): Promise<string | null> {
  const direct = joinPath(cfg.startsWith('/') ? '/' : cwd, cfg);
  if (await isFile(fs, direct)) return direct;
  if (cfg.includes('/')) throw new NotFoundError(`File ${cfg} not found.`);
  for (const folder of [SAVED_CONFIGS_DIR, '.elasticbeanstalk']) {
    for (const extension of ['.cfg.yml', '']) {
      const candidate = joinPath(projectRoot, folder, cfg + extension);
      if (await isFile(fs, candidate)) return candidate;
    }
  }
  return null;
}

/**
 * Files that look like the saved configuration `cfg` but that ebcli would not find (`prod.cfg.yaml`, `prod.yml`,
 * one in the project root), for an error that says what to rename or move.
 */
export async function nearMissSavedConfigs(fs: WorkspaceFs, projectRoot: string, cfg: string): Promise<string[]> {
  const found: string[] = [];
  for (const folder of [SAVED_CONFIGS_DIR, '.elasticbeanstalk', '.']) {
    const dir = joinPath(projectRoot, folder);
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.startsWith(`${cfg}.`) || !/\.ya?ml$/.test(name)) continue;
      const path = joinPath(dir, name);
      if (folder !== '.' && /\.cfg\.yml$/.test(name)) continue;
      if (await isFile(fs, path)) found.push(folder === '.' ? name : `${folder}/${name}`);
    }
  }
  return found;
}

/** `prod.cfg.yml` → `prod` (every extension goes, as ebcli's get_filename_without_extension does). */
export function templateNameOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.indexOf('.', 1);
  return dot > 0 ? base.slice(0, dot) : base;
}

/** Splits `aws:autoscaling:scheduledaction.Nightly` into the namespace and its resource name. */
export function splitNamespaceKey(key: string): { Namespace: string; ResourceName?: string } {
  const dot = key.indexOf('.', key.lastIndexOf(':'));
  return dot > 0 ? { Namespace: key.slice(0, dot), ResourceName: key.slice(dot + 1) } : { Namespace: key };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Reads a saved configuration document; every problem names the file and the key to fix. */
export function parseSavedConfig(text: string, path: string): SavedConfigFile {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    const err = error as Error & { linePos?: Array<{ line: number; col: number }> };
    const at = err.linePos?.[0] ? ` (line ${err.linePos[0].line}, column ${err.linePos[0].col})` : '';
    throw new InvalidOptionsError(`${path} is not valid YAML${at}: ${err.message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isMapping(doc)) throw new InvalidOptionsError(`${path} must be a YAML mapping with OptionSettings (and optionally Platform).`);
  const optionSettings: ConfigurationOptionSetting[] = [];
  const tree = doc.OptionSettings;
  if (tree !== undefined && tree !== null) {
    if (!isMapping(tree)) throw new InvalidOptionsError(`${path}: OptionSettings must map namespaces to options, e.g. "aws:autoscaling:asg: {MinSize: 2}".`);
    for (const [nsKey, options] of Object.entries(tree)) {
      if (!isMapping(options)) throw new InvalidOptionsError(`${path}: OptionSettings.${nsKey} must map option names to values.`);
      for (const [option, value] of Object.entries(options)) {
        if (value === null || value === undefined || typeof value === 'object') {
          throw new InvalidOptionsError(`${path}: OptionSettings.${nsKey}.${option} needs a single value (text, number or true/false); remove the line to leave the option unset.`);
        }
        optionSettings.push({ ...splitNamespaceKey(nsKey), OptionName: option, Value: String(value) });
      }
    }
  }
  let platform: SavedConfigFile['platform'];
  if (doc.Platform !== undefined && doc.Platform !== null) {
    if (!isMapping(doc.Platform)) throw new InvalidOptionsError(`${path}: Platform must be a mapping with PlatformArn or SolutionStackName.`);
    const arn = doc.Platform.PlatformArn;
    const stack = doc.Platform.SolutionStackName;
    if (arn !== undefined && typeof arn !== 'string') throw new InvalidOptionsError(`${path}: Platform.PlatformArn must be text.`);
    if (stack !== undefined && typeof stack !== 'string') throw new InvalidOptionsError(`${path}: Platform.SolutionStackName must be text.`);
    platform = arn ? { PlatformArn: arn } : stack ? { SolutionStackName: stack } : undefined;
  }
  const metadata = doc.EnvironmentConfigurationMetadata;
  const description = isMapping(metadata) && typeof metadata.Description === 'string' ? metadata.Description : undefined;
  return { path, name: templateNameOf(path), platform, description, optionSettings };
}

export async function readSavedConfig(fs: WorkspaceFs, path: string): Promise<SavedConfigFile> {
  return parseSavedConfig(await fs.readFile(path, 'utf8'), path);
}

/** Is there a saved configuration of this name in the application? */
export async function templateExists(clients: EbClients, app: string, name: string): Promise<boolean> {
  const response = await clients.eb.send(new DescribeApplicationsCommand({ ApplicationNames: [app] }));
  return (response.Applications?.[0]?.ConfigurationTemplates ?? []).includes(name);
}

/**
 * Uploads the file as the application's saved configuration `file.name`, replacing one of that name (ebcli
 * overwrites the template's S3 object; here the template is re-created, so options deleted from the file go
 * too). A file without a Platform gets `fallbackPlatform` (the project's, or --platform).
 */
export async function uploadSavedConfig(clients: EbClients, app: string, file: SavedConfigFile, fallbackPlatform: string | null): Promise<void> {
  let platform = file.platform;
  if (!platform) {
    if (!fallbackPlatform) {
      throw new InvalidOptionsError(`${file.path} names no Platform and the project has none. Add "Platform: {PlatformArn: ...}" to the file or run "eb init -p <platform>".`);
    }
    const resolved = await resolvePlatform(clients, fallbackPlatform);
    platform = resolved.platformArn ? { PlatformArn: resolved.platformArn } : { SolutionStackName: resolved.solutionStackName };
  }
  if (await templateExists(clients, app, file.name)) {
    await clients.eb.send(new DeleteConfigurationTemplateCommand({ ApplicationName: app, TemplateName: file.name }));
  }
  await clients.eb.send(
    new CreateConfigurationTemplateCommand({
      ApplicationName: app,
      TemplateName: file.name,
      PlatformArn: platform.PlatformArn,
      SolutionStackName: platform.PlatformArn ? undefined : platform.SolutionStackName,
      OptionSettings: file.optionSettings,
      Description: file.description,
    }),
  );
}
