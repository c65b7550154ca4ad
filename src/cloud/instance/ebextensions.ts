// Parsing of .ebextensions/*.config files (YAML or JSON) as EB reads them: invalid text fails the deployment,
// an unknown top-level key skips the file with a WARN, option_settings in list or map form (reference §6.1-6.3).

import { parseDocument } from 'yaml';
import type { OptionSettingInput } from '../services/elasticbeanstalk/options/index.ts';
import { ENVIRONMENT_PROPERTIES_NAMESPACE } from '../services/elasticbeanstalk/options/index.ts';
import type { EbextensionsCommand, EbextensionsConfig, EbextensionsContainerCommand, EbextensionsFile, InstanceEvent } from './types.ts';

export const VALID_TOP_LEVEL_KEYS: readonly string[] = [
  'option_settings',
  'packages',
  'groups',
  'users',
  'sources',
  'files',
  'commands',
  'services',
  'container_commands',
  'Resources',
  'Parameters',
  'Outputs',
  'Mappings',
];

export type ParsedConfig =
  | { ok: true; config: EbextensionsConfig; warning?: InstanceEvent }
  | { ok: false; event: InstanceEvent; detail: string };

function emptyConfig(file: string, format: 'yaml' | 'json'): EbextensionsConfig {
  return {
    file,
    format,
    optionSettings: [],
    packages: {},
    groups: {},
    users: {},
    sources: {},
    files: [],
    commands: [],
    services: {},
    containerCommands: [],
    resources: [],
  };
}

// What a Java JSON parser reports for the first character it cannot take (the observed wording in reference §3.4).
function jsonFailure(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch {
    let i = 0;
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) return 'Invalid JSON: Unexpected End Of File position 0: null.';
    const c = text[i];
    if (!'{["-0123456789tfn'.includes(c)) return `Invalid JSON: Unexpected character (${c}) at position ${i}.`;
    // Find where a strict parser stops, by growing prefixes until the parser complains past the end.
    const m = /position (\d+)/.exec(safeJsonError(text));
    const pos = m ? Number(m[1]) : i;
    return `Invalid JSON: Unexpected character (${text[pos] ?? 'EOF'}) at position ${pos}.`;
  }
}

function safeJsonError(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

// SnakeYAML's wording for the mistakes learners make most (tabs, bad indentation), with its line/column convention.
function yamlFailure(text: string, yamlMessage: string, line?: number, col?: number): string {
  const lines = text.split(/\r?\n/);
  const tabLine = lines.findIndex((l) => /^\s*\t/.test(l));
  if (tabLine >= 0) {
    const column = lines[tabLine].indexOf('\t') + 1;
    return `Invalid Yaml: while scanning for the next token found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation) in "<reader>", line ${tabLine + 1}, column ${column}: ${lines[tabLine].trim()}`;
  }
  const where = line !== undefined ? ` in "<reader>", line ${line}, column ${col ?? 1}` : '';
  return `Invalid Yaml: ${yamlMessage.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}${where}`;
}

/** The event EB emits for a config file it cannot parse. */
export function invalidConfigEvent(file: string, versionLabel: string, yamlDetail: string, jsonDetail: string): InstanceEvent {
  return {
    severity: 'ERROR',
    message: `The configuration file ${file} in application version ${versionLabel} contains invalid YAML or JSON. YAML exception: ${yamlDetail}, JSON exception: ${jsonDetail}. Update the configuration file.`,
  };
}

export function invalidKeyEvent(file: string, key: string): InstanceEvent {
  return {
    severity: 'WARN',
    message: `Error processing file (Skipping): '${file}' - Contains invalid key: '${key}'. For information about valid keys, see http://docs.aws.amazon.com/elasticbeanstalk/latest/dg/ebextensions.html`,
  };
}

/** A YAML/JSON scalar as EB stores an option value: always a string. */
export function stringifyOptionValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map((v) => stringifyOptionValue(v)).join(',');
  return JSON.stringify(value);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionSettingsOf(raw: unknown): OptionSettingInput[] {
  const out: OptionSettingInput[] = [];
  if (Array.isArray(raw)) {
    for (const item of raw) {
      if (!isRecord(item)) {
        out.push({ Namespace: ENVIRONMENT_PROPERTIES_NAMESPACE, OptionName: undefined, Value: stringifyOptionValue(item) });
        continue;
      }
      const s: OptionSettingInput = {
        Namespace: typeof item.namespace === 'string' && item.namespace ? item.namespace : ENVIRONMENT_PROPERTIES_NAMESPACE,
        OptionName: item.option_name === undefined ? undefined : stringifyOptionValue(item.option_name),
        Value: stringifyOptionValue(item.value),
      };
      if (typeof item.resource_name === 'string') s.ResourceName = item.resource_name;
      out.push(s);
    }
  } else if (isRecord(raw)) {
    for (const [namespace, options] of Object.entries(raw)) {
      if (isRecord(options)) {
        for (const [name, value] of Object.entries(options)) out.push({ Namespace: namespace, OptionName: name, Value: stringifyOptionValue(value) });
      } else {
        // `option_settings: { MY_VAR: x }` is not the map form; EB reports it as an unknown setting.
        out.push({ Namespace: namespace, OptionName: undefined, Value: stringifyOptionValue(options) });
      }
    }
  }
  return out;
}

function asBool(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.toLowerCase() === 'true');
}

function commandsOf(raw: unknown): EbextensionsContainerCommand[] {
  if (!isRecord(raw)) return [];
  return Object.keys(raw)
    .sort()
    .map((name) => {
      const c = raw[name];
      const spec = isRecord(c) ? c : { command: c };
      const command = Array.isArray(spec.command) ? spec.command.map((x) => stringifyOptionValue(x)) : stringifyOptionValue(spec.command);
      const out: EbextensionsContainerCommand = { name, command, ignoreErrors: asBool(spec.ignoreErrors), leaderOnly: asBool(spec.leader_only) };
      if (typeof spec.cwd === 'string') out.cwd = spec.cwd;
      if (spec.test !== undefined) out.test = stringifyOptionValue(spec.test);
      if (isRecord(spec.env)) out.env = Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, stringifyOptionValue(v)]));
      return out;
    });
}

function filesOf(raw: unknown): EbextensionsFile[] {
  if (!isRecord(raw)) return [];
  return Object.keys(raw)
    .sort()
    .map((path) => {
      const f = isRecord(raw[path]) ? (raw[path] as Record<string, unknown>) : {};
      const out: EbextensionsFile = { path };
      for (const k of ['content', 'source', 'mode', 'owner', 'group', 'encoding'] as const) {
        if (f[k] !== undefined) out[k] = stringifyOptionValue(f[k]);
      }
      return out;
    });
}

function packagesOf(raw: unknown): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  if (!isRecord(raw)) return out;
  for (const [manager, pkgs] of Object.entries(raw)) {
    out[manager] = {};
    if (!isRecord(pkgs)) continue;
    for (const [name, versions] of Object.entries(pkgs)) {
      out[manager][name] = Array.isArray(versions) ? versions.map((v) => stringifyOptionValue(v)) : versions ? [stringifyOptionValue(versions)] : [];
    }
  }
  return out;
}

/**
 * Parses one config file. `versionLabel` goes into the failure event text, as EB writes it.
 * Empty files are valid and do nothing.
 */
export function parseConfigFile(file: string, text: string, versionLabel: string): ParsedConfig {
  const trimmed = text.replace(/^\uFEFF/, '');
  const looksJson = /^\s*[{[]/.test(trimmed);
  const doc = parseDocument(trimmed, { uniqueKeys: false, prettyErrors: false, strict: false });
  let data: unknown;
  if (doc.errors.length) {
    // EB tries YAML, then JSON: valid JSON that YAML rejects (rare) still passes.
    try {
      data = JSON.parse(trimmed);
    } catch {
      const e = doc.errors[0];
      const pos = e.linePos?.[0];
      return { ok: false, event: invalidConfigEvent(file, versionLabel, yamlFailure(trimmed, e.message, pos?.line, pos?.col), jsonFailure(trimmed)), detail: e.message };
    }
  } else {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      // Parsed, but not buildable: an alias to an undefined anchor (`*x`), or an alias bomb.
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, event: invalidConfigEvent(file, versionLabel, yamlFailure(trimmed, message), jsonFailure(trimmed)), detail: message };
    }
  }
  const format: 'yaml' | 'json' = looksJson && safeJsonError(trimmed) === '' ? 'json' : 'yaml';
  const config = emptyConfig(file, format);
  if (data === null || data === undefined) return { ok: true, config };
  if (!isRecord(data)) {
    const detail = 'the document is not a mapping of keys such as option_settings or commands';
    return { ok: false, event: invalidConfigEvent(file, versionLabel, `Invalid Yaml: ${detail}`, jsonFailure(trimmed)), detail };
  }
  const invalid = Object.keys(data).find((k) => !VALID_TOP_LEVEL_KEYS.includes(k));
  if (invalid !== undefined) {
    const warning = invalidKeyEvent(file, invalid);
    return { ok: true, config: { ...config, skipped: { reason: `Contains invalid key: '${invalid}'` } }, warning };
  }
  config.optionSettings = optionSettingsOf(data.option_settings);
  config.packages = packagesOf(data.packages);
  config.groups = isRecord(data.groups) ? data.groups : {};
  config.users = isRecord(data.users) ? data.users : {};
  config.sources = isRecord(data.sources) ? Object.fromEntries(Object.entries(data.sources).map(([k, v]) => [k, stringifyOptionValue(v)])) : {};
  config.files = filesOf(data.files);
  config.commands = commandsOf(data.commands).map(({ leaderOnly: _ignored, ...c }): EbextensionsCommand => c);
  config.services = isRecord(data.services) ? data.services : {};
  config.containerCommands = commandsOf(data.container_commands);
  config.resources = isRecord(data.Resources) ? Object.keys(data.Resources) : [];
  if (isRecord(data.Resources)) config.resourceDefinitions = data.Resources;
  return { ok: true, config };
}
