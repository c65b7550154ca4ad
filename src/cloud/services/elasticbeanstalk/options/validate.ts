// Validation of option settings against the catalogue, with EB's ConfigurationValidationException
// message shapes (reference §1.3, §5.4), for API calls and for option_settings from .ebextensions.

import type { ConfigurationOptionSetting } from '@aws-sdk/client-elastic-beanstalk';
import { AwsError } from '../../../protocol/errors.ts';
import {
  appliesTo,
  ENVIRONMENT_PROPERTIES_NAMESPACE,
  ENVIRONMENT_PROPERTY_LIMITS,
  findOptionDefinition,
  type OptionContext,
  type OptionDefinition,
} from './catalogue.ts';

/** An option setting as the API and .ebextensions carry it (the SDK's ConfigurationOptionSetting). */
export type OptionSettingInput = ConfigurationOptionSetting;

export interface OptionProblem {
  /** ValidateConfigurationSettings severity: errors reject the call, warnings do not. */
  severity: 'error' | 'warning';
  namespace: string;
  optionName: string;
  value?: string;
  /** The reason after the colon (`Value does not satisfy regex: ...`), or the whole text for unknown options. */
  reason: string;
  /** The full message: `Configuration validation exception: Invalid option ...`. */
  message: string;
}

const PREFIX = 'Configuration validation exception: ';

function unknownOption(namespace: string, optionName: string): OptionProblem {
  return {
    severity: 'error',
    namespace,
    optionName,
    reason: 'Unknown configuration setting.',
    message: `${PREFIX}Invalid option specification (Namespace: '${namespace}', OptionName: '${optionName}'): Unknown configuration setting.`,
  };
}

function badValue(namespace: string, optionName: string, value: string, reason: string): OptionProblem {
  return {
    severity: 'error',
    namespace,
    optionName,
    value,
    reason,
    message: `${PREFIX}Invalid option value: '${value}' (Namespace: '${namespace}', OptionName: '${optionName}'): ${reason}`,
  };
}

const INTEGER = /^-?\d+$/;

/** Checks one value against its definition; the reason text, or undefined when the value is fine. */
export function valueProblem(def: OptionDefinition, value: string): string | undefined {
  if (def.maxLength !== undefined && value.length > def.maxLength) {
    return `Value exceeds the maximum length of ${def.maxLength} characters.`;
  }
  if (value === '') return undefined; // an empty value clears the option
  if (def.valueType === 'Boolean') {
    return /^(true|false)$/i.test(value) ? undefined : `Value is not one of the allowed values: [true, false]`;
  }
  if (def.valueType === 'Json') {
    let document: unknown;
    try {
      document = JSON.parse(value);
    } catch {
      return 'Value is not valid JSON.';
    }
    return def.jsonProblem?.(document);
  }
  if (def.valueOptions && def.valueType === 'Scalar' && !def.valueOptions.includes(value)) {
    return `Value is not one of the allowed values: [${def.valueOptions.join(', ')}]`;
  }
  if (def.minValue !== undefined || def.maxValue !== undefined) {
    const trimmed = value.trim();
    if (!INTEGER.test(trimmed)) return 'Value is not an integer.';
    const n = Number(trimmed);
    if (def.minValue !== undefined && n < def.minValue) return `Value is less than minimum allowed value: ${def.minValue}`;
    if (def.maxValue !== undefined && n > def.maxValue) return `Value is greater than maximum allowed value: ${def.maxValue}`;
  }
  if (def.regex && !new RegExp(def.regex.pattern).test(value)) {
    return `Value does not satisfy regex: '${def.regex.pattern}' [${def.regex.label}]`;
  }
  return undefined;
}

function environmentPropertyProblem(name: string, value: string): OptionProblem | undefined {
  const L = ENVIRONMENT_PROPERTY_LIMITS;
  if (name.length > L.maxKeyLength || !L.keyPattern.test(name)) {
    return {
      severity: 'error',
      namespace: ENVIRONMENT_PROPERTIES_NAMESPACE,
      optionName: name,
      reason: `Environment property names can be at most ${L.maxKeyLength} characters of letters, digits and _ . : / + \\ - @.`,
      message: `${PREFIX}Invalid option specification (Namespace: '${ENVIRONMENT_PROPERTIES_NAMESPACE}', OptionName: '${name}'): Environment property names can be at most ${L.maxKeyLength} characters of letters, digits and _ . : / + \\ - @.`,
    };
  }
  if (value.length > L.maxValueLength) {
    return badValue(ENVIRONMENT_PROPERTIES_NAMESPACE, name, value, `Value exceeds the maximum length of ${L.maxValueLength} characters.`);
  }
  if (!L.valuePattern.test(value)) {
    return badValue(
      ENVIRONMENT_PROPERTIES_NAMESPACE,
      name,
      value,
      `Environment property values can contain only letters, digits, whitespace and _ . : / = + \\ - @ ' ".`,
    );
  }
  return undefined;
}

/**
 * Problems with one setting for an environment: unknown namespace or option (including options of another platform,
 * such as WSGIPath on Node.js), a missing ResourceName, or a value out of type, range, regex or allowed values.
 */
export function validateOptionSetting(setting: OptionSettingInput, ctx: OptionContext): OptionProblem | undefined {
  const namespace = setting.Namespace ?? '';
  const optionName = setting.OptionName ?? '';
  const value = setting.Value ?? '';
  if (!namespace || !optionName) return unknownOption(namespace || 'null', optionName || 'null');
  const def = findOptionDefinition(namespace, optionName);
  if (!def || !appliesToAnyEnvironmentOf(def, ctx)) return unknownOption(namespace, optionName);
  if (namespace === ENVIRONMENT_PROPERTIES_NAMESPACE) return environmentPropertyProblem(optionName, value);
  if (def.requiresResourceName && !setting.ResourceName) {
    return {
      severity: 'error',
      namespace,
      optionName,
      reason: 'A ResourceName (the scheduled action name) is required for this namespace.',
      message: `${PREFIX}Invalid option specification (Namespace: '${namespace}', OptionName: '${optionName}'): A ResourceName (the scheduled action name) is required for this namespace.`,
    };
  }
  const reason = valueProblem(def, value);
  return reason ? badValue(namespace, optionName, value, reason) : undefined;
}

// Load balancer and tier options are known to EB for every environment of a platform; they simply have no effect
// where they do not apply (EB accepts aws:elbv2 settings on a single-instance environment). Only the platform
// family decides whether an option exists.
function appliesToAnyEnvironmentOf(def: OptionDefinition, ctx: OptionContext): boolean {
  return appliesTo({ ...def, environmentTypes: undefined, loadBalancerTypes: undefined, tiers: undefined }, ctx);
}

function lastValue(settings: readonly OptionSettingInput[], namespace: string, optionName: string): string | undefined {
  let out: string | undefined;
  for (const s of settings) if (s.Namespace === namespace && s.OptionName === optionName) out = s.Value;
  return out;
}

/**
 * All problems of a set of settings, in order: each setting on its own, then the rules across settings
 * (MinSize ≤ MaxSize, percentage batch sizes ≤ 100, environment properties within 4,096 bytes in total).
 * `current` holds the values the settings are applied on top of (for the cross-setting rules).
 */
export function validateOptionSettings(
  settings: readonly OptionSettingInput[],
  ctx: OptionContext,
  current: (namespace: string, optionName: string) => string | undefined = () => undefined,
): OptionProblem[] {
  const problems: OptionProblem[] = [];
  for (const s of settings) {
    const p = validateOptionSetting(s, ctx);
    if (p) problems.push(p);
  }
  if (problems.length) return problems;
  const value = (ns: string, name: string) => lastValue(settings, ns, name) ?? current(ns, name);
  const min = Number(value('aws:autoscaling:asg', 'MinSize') ?? '1');
  const max = Number(value('aws:autoscaling:asg', 'MaxSize') ?? '4');
  if (min > max) {
    const given = lastValue(settings, 'aws:autoscaling:asg', 'MinSize') !== undefined ? 'MinSize' : 'MaxSize';
    const v = given === 'MinSize' ? String(min) : String(max);
    problems.push(badValue('aws:autoscaling:asg', given, v, `MinSize (${min}) must be less than or equal to MaxSize (${max}).`));
  }
  const batchType = value('aws:elasticbeanstalk:command', 'BatchSizeType') ?? 'Percentage';
  const batch = value('aws:elasticbeanstalk:command', 'BatchSize');
  if (batchType === 'Percentage' && batch !== undefined && batch !== '' && Number(batch) > 100) {
    problems.push(badValue('aws:elasticbeanstalk:command', 'BatchSize', batch, 'Value is greater than maximum allowed value: 100'));
  }
  if (batchType === 'Fixed' && batch !== undefined && batch !== '' && Number(batch) > max) {
    problems.push(badValue('aws:elasticbeanstalk:command', 'BatchSize', batch, `A fixed batch size cannot be greater than the Auto Scaling group's MaxSize (${max}).`));
  }
  const total = new Map<string, string>();
  for (const s of settings) {
    if (s.Namespace === ENVIRONMENT_PROPERTIES_NAMESPACE && s.OptionName) total.set(s.OptionName, s.Value ?? '');
  }
  let bytes = 0;
  for (const [k, v] of total) bytes += new TextEncoder().encode(`${k}=${v}`).length;
  if (bytes > ENVIRONMENT_PROPERTY_LIMITS.maxTotalBytes) {
    const lastKey = [...total.keys()].pop() ?? '';
    problems.push({
      severity: 'error',
      namespace: ENVIRONMENT_PROPERTIES_NAMESPACE,
      optionName: lastKey,
      reason: `The environment properties take ${bytes} bytes as key=value pairs; the limit is ${ENVIRONMENT_PROPERTY_LIMITS.maxTotalBytes} bytes.`,
      message: `${PREFIX}Invalid option specification (Namespace: '${ENVIRONMENT_PROPERTIES_NAMESPACE}', OptionName: '${lastKey}'): The environment properties take ${bytes} bytes as key=value pairs; the limit is ${ENVIRONMENT_PROPERTY_LIMITS.maxTotalBytes} bytes.`,
    });
  }
  return problems;
}

/** The AwsError EB answers with for a problem (HTTP 400 ConfigurationValidationException). */
export function configurationValidationError(problem: OptionProblem): AwsError {
  return new AwsError('ConfigurationValidationException', problem.message, 400);
}

/** Throws ConfigurationValidationException for the first problem, as CreateEnvironment/UpdateEnvironment do. */
export function assertValidOptionSettings(
  settings: readonly OptionSettingInput[],
  ctx: OptionContext,
  current?: (namespace: string, optionName: string) => string | undefined,
): void {
  const first = validateOptionSettings(settings, ctx, current).find((p) => p.severity === 'error');
  if (first) throw configurationValidationError(first);
}

/** ValidateConfigurationSettings `Messages[]`. */
export function validationMessages(
  settings: readonly OptionSettingInput[],
  ctx: OptionContext,
): { Message: string; Severity: 'error' | 'warning'; Namespace: string; OptionName: string }[] {
  return validateOptionSettings(settings, ctx).map((p) => ({ Message: p.message, Severity: p.severity, Namespace: p.namespace, OptionName: p.optionName }));
}
