// The effective option settings of an environment: API settings over a saved template over .ebextensions over
// defaults (reference §5.2), remembering which source won each value and what it overrode.

import type { ConfigurationOptionSetting } from '@aws-sdk/client-elastic-beanstalk';
import {
  appliesTo,
  findOptionDefinition,
  OPTION_DEFINITIONS,
  type EnvironmentType,
  type LoadBalancerType,
  type OptionContext,
} from './catalogue.ts';
import { ENVIRONMENT_PROPERTIES_NAMESPACE } from './catalogue.ts';
import type { OptionSettingInput } from './validate.ts';

/** Where a value came from, strongest first. */
export type SettingSource = 'api' | 'template' | 'ebextensions' | 'default';

export const SOURCE_PRECEDENCE: readonly SettingSource[] = ['api', 'template', 'ebextensions', 'default'];

export interface EffectiveOptionSetting {
  namespace: string;
  optionName: string;
  resourceName?: string;
  value: string;
  source: SettingSource;
  /** Values from weaker sources that this one overrode, strongest first (for the inspector and checks). */
  overridden: { source: SettingSource; value: string }[];
}

/** Looks up one effective value (what instances and deployment policies read). */
export type OptionLookup = (namespace: string, optionName: string, resourceName?: string) => string | undefined;

export interface SettingsSources {
  /** Platform family and tier; environment and load balancer types are read from the settings when not given. */
  context: OptionContext;
  /** Settings stored on the environment from CreateEnvironment/UpdateEnvironment (after OptionsToRemove). */
  api?: readonly OptionSettingInput[];
  /** The saved configuration the environment was created from. */
  template?: readonly OptionSettingInput[];
  /** option_settings of the deployed bundle's .ebextensions, in file order (later files override earlier ones). */
  ebextensions?: readonly OptionSettingInput[];
}

export interface EffectiveSettings {
  /** Every setting with a value, defaults materialised, sorted by namespace then option name. */
  settings: EffectiveOptionSetting[];
  /** The context after reading EnvironmentType and LoadBalancerType from the settings. */
  context: Required<Pick<OptionContext, 'language' | 'environmentType' | 'loadBalancerType' | 'tier'>>;
  get: OptionLookup;
  /** Which source won a value (undefined when the option has no value). */
  sourceOf(namespace: string, optionName: string, resourceName?: string): SettingSource | undefined;
  /** `aws:elasticbeanstalk:application:environment` as a plain object (what the app sees). */
  environmentProperties: Record<string, string>;
}

const key = (namespace: string, optionName: string, resourceName?: string) => `${resourceName ?? ''}\u0000${namespace}\u0000${optionName}`;

function layer(settings: readonly OptionSettingInput[] | undefined): Map<string, OptionSettingInput> {
  const out = new Map<string, OptionSettingInput>();
  for (const s of settings ?? []) {
    if (!s.Namespace || !s.OptionName) continue;
    out.set(key(s.Namespace, s.OptionName, s.ResourceName), s);
  }
  return out;
}

// Defaults EB sets per platform that are not option defaults of the catalogue (the Python platform serves /static).
function platformDefaults(ctx: OptionContext): OptionSettingInput[] {
  if (ctx.language === 'python') {
    return [{ Namespace: 'aws:elasticbeanstalk:environment:proxy:staticfiles', OptionName: '/static', Value: 'static' }];
  }
  return [];
}

/** Merges the sources into the effective settings. Pure: the same sources give the same result. */
export function resolveEffectiveSettings(sources: SettingsSources): EffectiveSettings {
  const layers: [SettingSource, Map<string, OptionSettingInput>][] = [
    ['api', layer(sources.api)],
    ['template', layer(sources.template)],
    ['ebextensions', layer(sources.ebextensions)],
  ];
  const explicit = (namespace: string, optionName: string): string | undefined => {
    for (const [, l] of layers) {
      const s = l.get(key(namespace, optionName));
      if (s && s.Value !== undefined && s.Value !== '') return s.Value;
    }
    return undefined;
  };
  const environmentType = (sources.context.environmentType ??
    explicit('aws:elasticbeanstalk:environment', 'EnvironmentType') ??
    'LoadBalanced') as EnvironmentType;
  const loadBalancerType = (sources.context.loadBalancerType ??
    explicit('aws:elasticbeanstalk:environment', 'LoadBalancerType') ??
    'classic') as LoadBalancerType;
  const context = { language: sources.context.language, environmentType, loadBalancerType, tier: sources.context.tier ?? 'WebServer' } as const;

  const defaults = new Map<string, OptionSettingInput>();
  for (const def of OPTION_DEFINITIONS) {
    if (def.defaultValue === undefined || def.requiresResourceName || !appliesTo(def, context)) continue;
    defaults.set(key(def.namespace, def.name), { Namespace: def.namespace, OptionName: def.name, Value: def.defaultValue });
  }
  for (const s of platformDefaults(context)) defaults.set(key(s.Namespace!, s.OptionName!), s);
  const all: [SettingSource, Map<string, OptionSettingInput>][] = [...layers, ['default', defaults]];

  const keys = new Set<string>();
  for (const [, l] of all) for (const k of l.keys()) keys.add(k);
  const byKey = new Map<string, EffectiveOptionSetting>();
  for (const k of keys) {
    const found: { source: SettingSource; setting: OptionSettingInput }[] = [];
    for (const [source, l] of all) {
      const s = l.get(k);
      if (s) found.push({ source, setting: s });
    }
    const [winner, ...rest] = found;
    const value = winner.setting.Value ?? '';
    // An option EB does not know (a template from another platform) is still stored, as EB stores it.
    const def = findOptionDefinition(winner.setting.Namespace!, winner.setting.OptionName!);
    if (def && !def.userDefined && !appliesTo(def, context) && winner.source === 'default') continue;
    const eff: EffectiveOptionSetting = {
      namespace: winner.setting.Namespace!,
      optionName: winner.setting.OptionName!,
      value,
      source: winner.source,
      overridden: rest.map((r) => ({ source: r.source, value: r.setting.Value ?? '' })),
    };
    if (winner.setting.ResourceName) eff.resourceName = winner.setting.ResourceName;
    byKey.set(k, eff);
  }
  const settings = [...byKey.values()].sort(
    (a, b) =>
      a.namespace.localeCompare(b.namespace) ||
      a.optionName.localeCompare(b.optionName) ||
      (a.resourceName ?? '').localeCompare(b.resourceName ?? ''),
  );
  const environmentProperties: Record<string, string> = {};
  for (const s of settings) if (s.namespace === ENVIRONMENT_PROPERTIES_NAMESPACE) environmentProperties[s.optionName] = s.value;
  const get: OptionLookup = (namespace, optionName, resourceName) => byKey.get(key(namespace, optionName, resourceName))?.value;
  return {
    settings,
    context,
    get,
    sourceOf: (namespace, optionName, resourceName) => byKey.get(key(namespace, optionName, resourceName))?.source,
    environmentProperties,
  };
}

/** The effective settings in DescribeConfigurationSettings' `OptionSettings` shape. */
export function toOptionSettings(effective: EffectiveSettings): ConfigurationOptionSetting[] {
  return effective.settings.map((s) => {
    const o: ConfigurationOptionSetting = { Namespace: s.namespace, OptionName: s.optionName, Value: s.value };
    if (s.resourceName) o.ResourceName = s.resourceName;
    return o;
  });
}
