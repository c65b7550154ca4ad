import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../protocol/errors.ts';
import {
  assertValidOptionSettings,
  describeOption,
  findOptionDefinition,
  optionsFor,
  resolveEffectiveSettings,
  toOptionSettings,
  validateOptionSetting,
  validateOptionSettings,
  validationMessages,
} from './index.ts';

const node = { language: 'nodejs' } as const;
const python = { language: 'python' } as const;

function thrown(fn: () => void): AwsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AwsError) return err;
    throw err;
  }
  throw new Error('expected an AwsError');
}

describe('option catalogue', () => {
  it('describes options in DescribeConfigurationOptions’ shape', () => {
    expect(describeOption(findOptionDefinition('aws:autoscaling:asg', 'MinSize')!)).toEqual({
      Namespace: 'aws:autoscaling:asg',
      Name: 'MinSize',
      DefaultValue: '1',
      ChangeSeverity: 'NoInterruption',
      UserDefined: false,
      ValueType: 'Scalar',
      MinValue: 1,
      MaxValue: 10000,
    });
    const matcher = describeOption(findOptionDefinition('aws:elasticbeanstalk:environment:process:default', 'MatcherHTTPCode')!);
    expect(matcher.Regex?.Pattern).toBe('^((\\d{3}(-\\d{3})?)|(\\d{3}(,\\d{3})*))$');
    expect(describeOption(findOptionDefinition('aws:elasticbeanstalk:command', 'DeploymentPolicy')!).ValueOptions).toEqual([
      'AllAtOnce',
      'Rolling',
      'RollingWithAdditionalBatch',
      'Immutable',
      'TrafficSplitting',
    ]);
  });

  it('knows per-process and per-listener namespaces by pattern, and free-form environment properties', () => {
    expect(findOptionDefinition('aws:elasticbeanstalk:environment:process:admin', 'HealthCheckPath')?.defaultValue).toBe('/');
    expect(findOptionDefinition('aws:elbv2:listener:443', 'SSLCertificateArns')).toBeDefined();
    expect(findOptionDefinition('aws:elb:listener:443', 'SSLCertificateId')).toBeDefined();
    expect(findOptionDefinition('aws:elbv2:listener:https', 'Protocol')).toBeUndefined();
    expect(findOptionDefinition('aws:elasticbeanstalk:application:environment', 'ANYTHING')?.userDefined).toBe(true);
    expect(findOptionDefinition('aws:autoscaling:asg', 'MinimumSize')).toBeUndefined();
  });

  it('lists platform-specific options only for their platform, and load balancer options by type', () => {
    const pythonNames = optionsFor({ language: 'python' }).map((d) => `${d.namespace}/${d.name}`);
    expect(pythonNames).toContain('aws:elasticbeanstalk:container:python/WSGIPath');
    expect(optionsFor({ language: 'nodejs' }).map((d) => d.name)).not.toContain('WSGIPath');
    const alb = optionsFor({ language: 'nodejs', loadBalancerType: 'application' }).map((d) => d.namespace);
    expect(alb).toContain('aws:elbv2:listener:default');
    expect(alb).not.toContain('aws:elb:healthcheck');
    const single = optionsFor({ language: 'nodejs', environmentType: 'SingleInstance' }).map((d) => d.namespace);
    expect(single).not.toContain('aws:elasticbeanstalk:environment:process:default');
  });
});

describe('validation with EB’s messages', () => {
  it('rejects an unknown option with "Unknown configuration setting."', () => {
    expect(validateOptionSetting({ Namespace: 'aws:autoscaling:asg', OptionName: 'MinimumSize', Value: '2' }, node)?.message).toBe(
      "Configuration validation exception: Invalid option specification (Namespace: 'aws:autoscaling:asg', OptionName: 'MinimumSize'): Unknown configuration setting.",
    );
    // An option of another platform does not exist here (Python's WSGIPath on Node.js, AL1's NodeCommand).
    expect(validateOptionSetting({ Namespace: 'aws:elasticbeanstalk:container:python', OptionName: 'WSGIPath', Value: 'app' }, node)?.reason).toBe('Unknown configuration setting.');
    expect(validateOptionSetting({ Namespace: 'aws:elasticbeanstalk:container:nodejs', OptionName: 'NodeCommand', Value: 'npm start' }, node)?.reason).toBe('Unknown configuration setting.');
    expect(validateOptionSetting({ Namespace: 'aws:elasticbeanstalk:container:python', OptionName: 'WSGIPath', Value: 'app:app' }, python)).toBeUndefined();
  });

  it('rejects values out of range, outside the allowed values, not integers or not booleans', () => {
    const msg = (ns: string, name: string, value: string) => validateOptionSetting({ Namespace: ns, OptionName: name, Value: value }, node)?.message;
    expect(msg('aws:autoscaling:asg', 'MinSize', '0')).toBe(
      "Configuration validation exception: Invalid option value: '0' (Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize'): Value is less than minimum allowed value: 1",
    );
    expect(msg('aws:autoscaling:asg', 'MaxSize', '10001')).toContain('Value is greater than maximum allowed value: 10000');
    expect(msg('aws:autoscaling:asg', 'MaxSize', 'four')).toContain('Value is not an integer.');
    expect(msg('aws:elasticbeanstalk:command', 'DeploymentPolicy', 'BlueGreen')).toContain(
      'Value is not one of the allowed values: [AllAtOnce, Rolling, RollingWithAdditionalBatch, Immutable, TrafficSplitting]',
    );
    expect(msg('aws:elasticbeanstalk:command', 'IgnoreHealthCheck', 'yes')).toContain('[true, false]');
    expect(msg('aws:elasticbeanstalk:command', 'IgnoreHealthCheck', 'TRUE')).toBeUndefined();
  });

  it('rejects a MatcherHTTPCode that does not satisfy EB’s regex', () => {
    const p = validateOptionSetting({ Namespace: 'aws:elasticbeanstalk:environment:process:default', OptionName: 'MatcherHTTPCode', Value: '200-' }, node);
    expect(p?.message).toMatch(
      /^Configuration validation exception: Invalid option value: '200-' \(Namespace: 'aws:elasticbeanstalk:environment:process:default', OptionName: 'MatcherHTTPCode'\): Value does not satisfy regex: '\^\(\(\\d\{3\}\(-\\d\{3\}\)\?\)\|\(\\d\{3\}\(,\\d\{3\}\)\*\)\)\$' \[The configured value for 'MatcherHTTPCode' is invalid\./,
    );
    for (const ok of ['200', '200,202', '200-299']) {
      expect(validateOptionSetting({ Namespace: 'aws:elasticbeanstalk:environment:process:default', OptionName: 'MatcherHTTPCode', Value: ok }, node)).toBeUndefined();
    }
  });

  it('enforces environment property limits (name characters, value length, 4,096 bytes in total)', () => {
    const ns = 'aws:elasticbeanstalk:application:environment';
    expect(validateOptionSetting({ Namespace: ns, OptionName: 'DB URL', Value: 'x' }, node)?.message).toContain("Invalid option specification (Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'DB URL')");
    expect(validateOptionSetting({ Namespace: ns, OptionName: 'TOKEN', Value: 'x'.repeat(257) }, node)?.reason).toBe('Value exceeds the maximum length of 256 characters.');
    const many = Array.from({ length: 20 }, (_, i) => ({ Namespace: ns, OptionName: `KEY_${i}`, Value: 'v'.repeat(250) }));
    const problems = validateOptionSettings(many, node);
    expect(problems).toHaveLength(1);
    expect(problems[0].reason).toMatch(/limit is 4096 bytes/);
    expect(validateOptionSettings(many.slice(0, 10), node)).toEqual([]);
  });

  it('checks MinSize against MaxSize, including the current value', () => {
    const current = (ns: string, name: string) => (ns === 'aws:autoscaling:asg' && name === 'MaxSize' ? '4' : undefined);
    expect(validateOptionSettings([{ Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '5' }], node, current)[0].reason).toBe('MinSize (5) must be less than or equal to MaxSize (4).');
    expect(validateOptionSettings([{ Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '5' }, { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '5' }], node, current)).toEqual([]);
  });

  it('limits batch sizes: percentages to 100, fixed sizes to MaxSize', () => {
    const cmd = (name: string, value: string) => ({ Namespace: 'aws:elasticbeanstalk:command', OptionName: name, Value: value });
    expect(validateOptionSettings([cmd('BatchSize', '150')], node)[0].reason).toBe('Value is greater than maximum allowed value: 100');
    expect(validateOptionSettings([cmd('BatchSizeType', 'Fixed'), cmd('BatchSize', '150')], node)[0].reason).toContain("MaxSize (4)");
    expect(validateOptionSettings([cmd('BatchSizeType', 'Fixed'), cmd('BatchSize', '2')], node)).toEqual([]);
  });

  it('throws ConfigurationValidationException (400) for the first problem', () => {
    const err = thrown(() => assertValidOptionSettings([{ Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '-1' }], node));
    expect(err.code).toBe('ConfigurationValidationException');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/^Configuration validation exception: Invalid option value: '-1'/);
  });

  it('shapes ValidateConfigurationSettings messages', () => {
    expect(validationMessages([{ Namespace: 'aws:ec2:instances', OptionName: 'EnableSpot', Value: 'maybe' }], node)).toEqual([
      {
        Message: "Configuration validation exception: Invalid option value: 'maybe' (Namespace: 'aws:ec2:instances', OptionName: 'EnableSpot'): Value is not one of the allowed values: [true, false]",
        Severity: 'error',
        Namespace: 'aws:ec2:instances',
        OptionName: 'EnableSpot',
      },
    ]);
  });
});

describe('effective settings', () => {
  const asg = (name: string, value: string) => ({ Namespace: 'aws:autoscaling:asg', OptionName: name, Value: value });

  it('lets API settings beat a saved template beat .ebextensions beat defaults, and remembers who won', () => {
    const eff = resolveEffectiveSettings({
      context: node,
      api: [asg('MinSize', '3')],
      template: [asg('MinSize', '2'), asg('MaxSize', '8')],
      ebextensions: [asg('MinSize', '1'), asg('MaxSize', '6'), asg('Cooldown', '120')],
    });
    expect(eff.get('aws:autoscaling:asg', 'MinSize')).toBe('3');
    expect(eff.sourceOf('aws:autoscaling:asg', 'MinSize')).toBe('api');
    expect(eff.get('aws:autoscaling:asg', 'MaxSize')).toBe('8');
    expect(eff.sourceOf('aws:autoscaling:asg', 'MaxSize')).toBe('template');
    expect(eff.get('aws:autoscaling:asg', 'Cooldown')).toBe('120');
    expect(eff.sourceOf('aws:autoscaling:asg', 'Cooldown')).toBe('ebextensions');
    expect(eff.sourceOf('aws:elasticbeanstalk:command', 'DeploymentPolicy')).toBe('default');
    const min = eff.settings.find((s) => s.optionName === 'MinSize')!;
    expect(min.overridden).toEqual([
      { source: 'template', value: '2' },
      { source: 'ebextensions', value: '1' },
      { source: 'default', value: '1' },
    ]);
  });

  it('lets a later .ebextensions file override an earlier one', () => {
    const eff = resolveEffectiveSettings({ context: node, ebextensions: [asg('MaxSize', '6'), asg('MaxSize', '9')] });
    expect(eff.get('aws:autoscaling:asg', 'MaxSize')).toBe('9');
  });

  it('materialises defaults for the environment’s load balancer type and platform', () => {
    const classic = resolveEffectiveSettings({ context: node });
    expect(classic.context).toEqual({ language: 'nodejs', environmentType: 'LoadBalanced', loadBalancerType: 'classic', tier: 'WebServer' });
    expect(classic.get('aws:elb:policies', 'ConnectionDrainingTimeout')).toBe('20');
    expect(classic.get('aws:elbv2:listener:default', 'ListenerEnabled')).toBeUndefined();
    const alb = resolveEffectiveSettings({ context: node, api: [{ Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'LoadBalancerType', Value: 'application' }] });
    expect(alb.get('aws:elbv2:listener:default', 'ListenerEnabled')).toBe('true');
    expect(alb.get('aws:elasticbeanstalk:environment:process:default', 'HealthCheckPath')).toBe('/');
    const py = resolveEffectiveSettings({ context: python });
    expect(py.get('aws:elasticbeanstalk:container:python', 'WSGIPath')).toBe('application');
    expect(py.get('aws:elasticbeanstalk:environment:proxy:staticfiles', '/static')).toBe('static');
    expect(classic.get('aws:elasticbeanstalk:container:python', 'WSGIPath')).toBeUndefined();
    expect(toOptionSettings(classic).length).toBeGreaterThan(60);
  });

  it('collects environment properties and keeps scheduled actions apart by ResourceName', () => {
    const eff = resolveEffectiveSettings({
      context: node,
      api: [
        { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'NODE_ENV', Value: 'production' },
        { ResourceName: 'nightly', Namespace: 'aws:autoscaling:scheduledaction', OptionName: 'MinSize', Value: '0' },
      ],
      ebextensions: [{ Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'LOG_LEVEL', Value: 'info' }],
    });
    expect(eff.environmentProperties).toEqual({ LOG_LEVEL: 'info', NODE_ENV: 'production' });
    expect(eff.get('aws:autoscaling:scheduledaction', 'MinSize', 'nightly')).toBe('0');
    expect(eff.get('aws:autoscaling:scheduledaction', 'MinSize')).toBeUndefined();
    expect(toOptionSettings(eff).find((s) => s.ResourceName === 'nightly')).toEqual({ ResourceName: 'nightly', Namespace: 'aws:autoscaling:scheduledaction', OptionName: 'MinSize', Value: '0' });
  });
});
