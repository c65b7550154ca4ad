// Public surface of the option catalogue: definitions, validation with EB's messages, effective settings.
// The Elastic Beanstalk provider and the simulated instances import from here.

export {
  appliesTo,
  describeOption,
  ENVIRONMENT_PROPERTIES_NAMESPACE,
  ENVIRONMENT_PROPERTY_LIMITS,
  findOptionDefinition,
  FREE_FORM_NAMESPACES,
  MATCHER_HTTP_CODE_REGEX,
  OPTION_DEFINITIONS,
  optionsFor,
} from './catalogue.ts';
export type {
  ChangeSeverity,
  EnvironmentTierName,
  EnvironmentType,
  LoadBalancerType,
  OptionContext,
  OptionDefinition,
  OptionValueType,
} from './catalogue.ts';
export {
  assertValidOptionSettings,
  configurationValidationError,
  validateOptionSetting,
  validateOptionSettings,
  validationMessages,
  valueProblem,
} from './validate.ts';
export type { OptionProblem, OptionSettingInput } from './validate.ts';
export { resolveEffectiveSettings, SOURCE_PRECEDENCE, toOptionSettings } from './effective.ts';
export type { EffectiveOptionSetting, EffectiveSettings, OptionLookup, SettingSource, SettingsSources } from './effective.ts';
