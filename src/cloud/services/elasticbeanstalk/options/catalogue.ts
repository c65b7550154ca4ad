// The catalogue of Elastic Beanstalk option namespaces and options (reference §4.2, §5.1): defaults,
// value types, ranges, regexes, allowed values and change severity, with the platform each one applies to.

import type { ConfigurationOptionDescription } from '@aws-sdk/client-elastic-beanstalk';
import type { PlatformLanguage } from '../platforms.ts';
import { healthConfigDocumentProblem } from '../../cloudwatch/health-config-document.ts';

/** DescribeConfigurationOptions `ValueType`. Real EB also reports `Boolean` and `Json`. */
export type OptionValueType = 'Scalar' | 'List' | 'Boolean' | 'Json';

export type ChangeSeverity = 'NoInterruption' | 'RestartEnvironment' | 'RestartApplicationServer' | 'Unknown';

export type EnvironmentType = 'LoadBalanced' | 'SingleInstance';
export type LoadBalancerType = 'classic' | 'application' | 'network';
export type EnvironmentTierName = 'WebServer' | 'Worker';

/** What decides which options exist for an environment: its platform, type, load balancer and tier. */
export interface OptionContext {
  language: PlatformLanguage;
  environmentType?: EnvironmentType;
  loadBalancerType?: LoadBalancerType;
  tier?: EnvironmentTierName;
}

export interface OptionDefinition {
  /**
   * The namespace as listed by DescribeConfigurationOptions. For the namespaces named per process, port or rule
   * (`aws:elasticbeanstalk:environment:process:default`, `aws:elbv2:listener:default`) this is the default member;
   * `namespacePattern` matches the others.
   */
  namespace: string;
  namespacePattern?: RegExp;
  name: string;
  defaultValue?: string;
  valueType: OptionValueType;
  changeSeverity: ChangeSeverity;
  /** Options whose names the user chooses (environment properties, custom options). */
  userDefined?: boolean;
  valueOptions?: readonly string[];
  minValue?: number;
  maxValue?: number;
  maxLength?: number;
  regex?: { pattern: string; label: string };
  /** Only on these platform families; all when absent. */
  languages?: readonly PlatformLanguage[];
  environmentTypes?: readonly EnvironmentType[];
  loadBalancerTypes?: readonly LoadBalancerType[];
  tiers?: readonly EnvironmentTierName[];
  /** `aws:autoscaling:scheduledaction` options need a ResourceName (the action's name). */
  requiresResourceName?: boolean;
  /** One line for the effective-configuration inspector. */
  description?: string;
  /** For Json options: why a parsed value is not accepted (the reason of the InvalidParameterValue message). */
  jsonProblem?: (document: unknown) => string | undefined;
}

/** Namespaces whose option names are free: every name is a user-defined option. */
export const ENVIRONMENT_PROPERTIES_NAMESPACE = 'aws:elasticbeanstalk:application:environment';
export const FREE_FORM_NAMESPACES: readonly string[] = [
  ENVIRONMENT_PROPERTIES_NAMESPACE,
  'aws:elasticbeanstalk:application:environmentsecrets',
  'aws:elasticbeanstalk:customoption',
  'aws:elasticbeanstalk:environment:proxy:staticfiles',
];

export const MATCHER_HTTP_CODE_REGEX = '^((\\d{3}(-\\d{3})?)|(\\d{3}(,\\d{3})*))$';

type Def = Omit<OptionDefinition, 'namespace' | 'name'>;

const bool = (defaultValue: string, changeSeverity: ChangeSeverity = 'NoInterruption', extra: Partial<Def> = {}): Def => ({
  defaultValue,
  valueType: 'Boolean',
  valueOptions: ['true', 'false'],
  changeSeverity,
  ...extra,
});
const int = (defaultValue: string | undefined, minValue: number, maxValue: number, changeSeverity: ChangeSeverity = 'NoInterruption', extra: Partial<Def> = {}): Def => ({
  defaultValue,
  valueType: 'Scalar',
  minValue,
  maxValue,
  changeSeverity,
  ...extra,
});
const oneOf = (defaultValue: string | undefined, valueOptions: readonly string[], changeSeverity: ChangeSeverity = 'NoInterruption', extra: Partial<Def> = {}): Def => ({
  defaultValue,
  valueType: 'Scalar',
  valueOptions,
  changeSeverity,
  ...extra,
});
const text = (defaultValue: string | undefined, changeSeverity: ChangeSeverity = 'NoInterruption', extra: Partial<Def> = {}): Def => ({
  defaultValue,
  valueType: 'Scalar',
  changeSeverity,
  ...extra,
});
const list = (defaultValue: string | undefined, changeSeverity: ChangeSeverity = 'NoInterruption', extra: Partial<Def> = {}): Def => ({
  defaultValue,
  valueType: 'List',
  changeSeverity,
  ...extra,
});

const LOG_RETENTION_DAYS = ['1', '3', '5', '7', '14', '30', '60', '90', '120', '150', '180', '365', '400', '545', '731', '1827', '3653'];
const TRIGGER_MEASURES = ['CPUUtilization', 'NetworkIn', 'NetworkOut', 'DiskWriteOps', 'DiskReadBytes', 'DiskReadOps', 'DiskWriteBytes', 'Latency', 'RequestCount', 'HealthyHostCount', 'UnhealthyHostCount', 'TargetResponseTime'];
const TRIGGER_UNITS = ['Seconds', 'Percent', 'Bytes', 'Bits', 'Count', 'Bytes/Second', 'Bits/Second', 'Count/Second', 'None'];
const LB = { environmentTypes: ['LoadBalanced'] as const };
const ALB_NLB = { environmentTypes: ['LoadBalanced'] as const, loadBalancerTypes: ['application', 'network'] as const };
const ALB = { environmentTypes: ['LoadBalanced'] as const, loadBalancerTypes: ['application'] as const };
const CLB = { environmentTypes: ['LoadBalanced'] as const, loadBalancerTypes: ['classic'] as const };
const WORKER = { tiers: ['Worker'] as const };
const ISO_DURATION = { pattern: '^PT(\\d+H)?(\\d+M)?(\\d+S)?$', label: 'ISO 8601 duration, for example PT30M' };

const SPEC: Record<string, Record<string, Def>> = {
  'aws:autoscaling:asg': {
    MinSize: int('1', 1, 10000, 'NoInterruption', { description: 'Minimum number of instances in the Auto Scaling group.' }),
    MaxSize: int('4', 1, 10000, 'NoInterruption', { description: 'Maximum number of instances in the Auto Scaling group.' }),
    Cooldown: int('360', 0, 10000, 'NoInterruption', { description: 'Seconds after a scaling activity before another can start.' }),
    'Availability Zones': oneOf('Any', ['Any', 'Any 1', 'Any 2', 'Any 3'], 'RestartEnvironment'),
    'Custom Availability Zones': list(undefined, 'RestartEnvironment'),
    EnableCapacityRebalancing: bool('false'),
  },
  'aws:autoscaling:trigger': {
    MeasureName: oneOf('NetworkOut', TRIGGER_MEASURES, 'NoInterruption', { description: 'Metric that triggers scaling.' }),
    Statistic: oneOf('Average', ['Minimum', 'Maximum', 'Sum', 'Average']),
    Unit: oneOf('Bytes', TRIGGER_UNITS),
    UpperThreshold: int('6000000', 0, 20000000),
    LowerThreshold: int('2000000', 0, 20000000),
    BreachDuration: int('5', 1, 600),
    Period: int('5', 1, 600),
    EvaluationPeriods: int('1', 1, 600),
    UpperBreachScaleIncrement: int('1', -10000, 10000),
    LowerBreachScaleIncrement: int('-1', -10000, 10000),
  },
  'aws:autoscaling:launchconfiguration': {
    InstanceType: text('t3.micro', 'RestartEnvironment', { description: 'Obsolete in favour of aws:ec2:instances InstanceTypes.' }),
    EC2KeyName: text(undefined, 'RestartEnvironment'),
    IamInstanceProfile: text(undefined, 'RestartEnvironment', { maxLength: 2048, description: 'Instance profile the instances run with (aws-elasticbeanstalk-ec2-role).' }),
    SecurityGroups: list(undefined, 'RestartEnvironment'),
    ImageId: text(undefined, 'RestartEnvironment'),
    MonitoringInterval: oneOf('5 minute', ['1 minute', '5 minute'], 'RestartEnvironment'),
    SSHSourceRestriction: text(undefined, 'NoInterruption'),
    BlockDeviceMappings: text(undefined, 'RestartEnvironment'),
    RootVolumeType: oneOf(undefined, ['standard', 'gp2', 'gp3', 'io1', 'io2'], 'RestartEnvironment'),
    RootVolumeSize: int(undefined, 8, 16384, 'RestartEnvironment'),
    RootVolumeIOPS: int(undefined, 100, 64000, 'RestartEnvironment'),
    RootVolumeThroughput: int(undefined, 125, 1000, 'RestartEnvironment'),
    DisableIMDSv1: bool('false', 'RestartEnvironment'),
    DisableDefaultEC2SecurityGroup: bool('false', 'RestartEnvironment'),
  },
  'aws:autoscaling:updatepolicy:rollingupdate': {
    RollingUpdateEnabled: bool('false', 'NoInterruption', { description: 'Roll configuration changes that replace instances.' }),
    RollingUpdateType: oneOf('Time', ['Time', 'Health', 'Immutable']),
    MaxBatchSize: int(undefined, 1, 10000),
    MinInstancesInService: int(undefined, 0, 9999),
    PauseTime: text(undefined, 'NoInterruption', { regex: { pattern: '^PT(\\d+H)?(\\d+M)?(\\d+S)?$', label: 'ISO 8601 duration from PT0S to PT1H' } }),
    Timeout: text('PT30M', 'NoInterruption', { regex: ISO_DURATION }),
  },
  'aws:ec2:instances': {
    InstanceTypes: list('t3.micro, t3.small', 'RestartEnvironment', { description: 'Instance types; the first one is used when EnableSpot is false.' }),
    EnableSpot: bool('false', 'RestartEnvironment'),
    SupportedArchitectures: list(undefined, 'RestartEnvironment'),
    SpotFleetOnDemandBase: int('0', 0, 10000, 'RestartEnvironment'),
    SpotFleetOnDemandAboveBasePercentage: int('0', 0, 100, 'RestartEnvironment'),
    SpotMaxPrice: text(undefined, 'RestartEnvironment'),
  },
  'aws:ec2:vpc': {
    VPCId: text(undefined, 'Unknown'),
    Subnets: list(undefined, 'Unknown'),
    ELBSubnets: list(undefined, 'Unknown'),
    ELBScheme: oneOf('public', ['public', 'internal'], 'Unknown'),
    DBSubnets: list(undefined, 'Unknown'),
    AssociatePublicIpAddress: bool('false', 'Unknown'),
  },
  'aws:elasticbeanstalk:application': {
    'Application Healthcheck URL': text('', 'NoInterruption', { description: 'Basic health: path the load balancer checks (TCP:80 when empty).' }),
  },
  'aws:elasticbeanstalk:cloudwatch:logs': {
    StreamLogs: bool('false'),
    DeleteOnTerminate: bool('false'),
    RetentionInDays: oneOf('7', LOG_RETENTION_DAYS),
  },
  'aws:elasticbeanstalk:cloudwatch:logs:health': {
    HealthStreamingEnabled: bool('false'),
    DeleteOnTerminate: bool('false'),
    RetentionInDays: oneOf('7', LOG_RETENTION_DAYS),
  },
  'aws:elasticbeanstalk:command': {
    DeploymentPolicy: oneOf('AllAtOnce', ['AllAtOnce', 'Rolling', 'RollingWithAdditionalBatch', 'Immutable', 'TrafficSplitting'], 'NoInterruption', { description: 'How new application versions reach the instances.' }),
    Timeout: int('600', 1, 3600, 'NoInterruption', { description: 'Seconds an instance has to finish deploying and become healthy.' }),
    BatchSize: int('100', 1, 10000, 'NoInterruption', { description: 'Instances (or percentage) per batch of a rolling deployment.' }),
    BatchSizeType: oneOf('Percentage', ['Percentage', 'Fixed']),
    IgnoreHealthCheck: bool('false'),
  },
  'aws:elasticbeanstalk:environment': {
    EnvironmentType: oneOf('LoadBalanced', ['LoadBalanced', 'SingleInstance'], 'RestartEnvironment', { description: 'Load balanced (with an Auto Scaling group) or a single instance.' }),
    ServiceRole: text(undefined, 'NoInterruption', { maxLength: 1024 }),
    LoadBalancerType: oneOf('classic', ['classic', 'application', 'network'], 'RestartEnvironment', { ...LB, description: 'Set at creation; cannot change afterwards.' }),
    LoadBalancerIsShared: bool('false', 'RestartEnvironment', ALB),
  },
  'aws:elasticbeanstalk:environment:process:default': {
    DeregistrationDelay: int('20', 0, 3600, 'NoInterruption', ALB_NLB),
    HealthCheckInterval: int('15', 5, 300, 'NoInterruption', ALB_NLB),
    HealthCheckPath: text('/', 'NoInterruption', { ...ALB_NLB, description: 'Path the load balancer requests to check each instance.' }),
    HealthCheckTimeout: int('5', 1, 60, 'NoInterruption', ALB_NLB),
    HealthyThresholdCount: int('3', 2, 10, 'NoInterruption', ALB_NLB),
    UnhealthyThresholdCount: int('5', 2, 10, 'NoInterruption', ALB_NLB),
    MatcherHTTPCode: text('200', 'NoInterruption', {
      ...ALB_NLB,
      regex: { pattern: MATCHER_HTTP_CODE_REGEX, label: "The configured value for 'MatcherHTTPCode' is invalid. Specify a single HTTP code, a comma-separated list (200,202) or a range (200-299)." },
      description: 'HTTP codes a health check must answer with.',
    }),
    Port: int('80', 1, 65535, 'NoInterruption', ALB_NLB),
    Protocol: oneOf('HTTP', ['HTTP', 'HTTPS', 'TCP'], 'NoInterruption', ALB_NLB),
    StickinessEnabled: bool('false', 'NoInterruption', ALB),
    StickinessLBCookieDuration: int('86400', 1, 604800, 'NoInterruption', ALB),
    StickinessType: oneOf('lb_cookie', ['lb_cookie'], 'NoInterruption', ALB),
  },
  'aws:elasticbeanstalk:environment:proxy': {
    ProxyServer: oneOf('nginx', ['nginx', 'apache', 'none'], 'RestartApplicationServer', { description: 'The reverse proxy in front of the web process.' }),
  },
  'aws:elasticbeanstalk:healthreporting:system': {
    SystemType: oneOf('basic', ['basic', 'enhanced'], 'NoInterruption', { description: 'Basic or enhanced health reporting.' }),
    HealthCheckSuccessThreshold: oneOf('Ok', ['Ok', 'Warning', 'Degraded', 'Severe']),
    EnhancedHealthAuthEnabled: bool('true'),
    ConfigDocument: { valueType: 'Json', changeSeverity: 'NoInterruption', jsonProblem: healthConfigDocumentProblem },
  },
  'aws:elasticbeanstalk:hostmanager': {
    LogPublicationControl: bool('false'),
  },
  'aws:elasticbeanstalk:managedactions': {
    ManagedActionsEnabled: bool('false'),
    PreferredStartTime: text(undefined, 'NoInterruption', { regex: { pattern: '^(Sun|Mon|Tue|Wed|Thu|Fri|Sat):([01]\\d|2[0-3]):[0-5]\\d$', label: 'DAY:HOUR:MINUTE, for example Tue:09:00' } }),
    ServiceRoleForManagedUpdates: text(undefined),
  },
  'aws:elasticbeanstalk:managedactions:platformupdate': {
    UpdateLevel: oneOf(undefined, ['patch', 'minor']),
    InstanceRefreshEnabled: bool('false'),
  },
  'aws:elasticbeanstalk:monitoring': {
    'Automatically Terminate Unhealthy Instances': bool('true'),
  },
  'aws:elasticbeanstalk:sns:topics': {
    'Notification Endpoint': text(undefined),
    'Notification Protocol': oneOf('email', ['http', 'https', 'email', 'email-json', 'sqs']),
    'Notification Topic ARN': text(undefined),
    'Notification Topic Name': text(undefined),
  },
  'aws:elasticbeanstalk:sqsd': {
    WorkerQueueURL: text(undefined, 'NoInterruption', WORKER),
    HttpPath: text('/', 'NoInterruption', WORKER),
    MimeType: text('application/json', 'NoInterruption', WORKER),
    HttpConnections: int('50', 1, 100, 'NoInterruption', WORKER),
    ConnectTimeout: int('5', 1, 60, 'NoInterruption', WORKER),
    InactivityTimeout: int('299', 1, 36000, 'NoInterruption', WORKER),
    VisibilityTimeout: int('300', 0, 43200, 'NoInterruption', WORKER),
    ErrorVisibilityTimeout: int('2', 0, 43200, 'NoInterruption', WORKER),
    RetentionPeriod: int('345600', 60, 1209600, 'NoInterruption', WORKER),
    MaxRetries: int('10', 1, 100, 'NoInterruption', WORKER),
  },
  'aws:elasticbeanstalk:trafficsplitting': {
    NewVersionPercent: int('10', 1, 100, 'NoInterruption', ALB),
    EvaluationTime: int('5', 3, 600, 'NoInterruption', ALB),
  },
  'aws:elasticbeanstalk:xray': {
    XRayEnabled: bool('false'),
  },
  'aws:elb:loadbalancer': {
    CrossZone: bool('false', 'NoInterruption', CLB),
    SecurityGroups: list(undefined, 'NoInterruption', CLB),
    ManagedSecurityGroup: text(undefined, 'NoInterruption', CLB),
  },
  'aws:elb:listener': {
    ListenerProtocol: oneOf('HTTP', ['HTTP', 'HTTPS', 'TCP', 'SSL'], 'NoInterruption', CLB),
    InstancePort: int('80', 1, 65535, 'NoInterruption', CLB),
    InstanceProtocol: oneOf('HTTP', ['HTTP', 'HTTPS', 'TCP', 'SSL'], 'NoInterruption', CLB),
    PolicyNames: list(undefined, 'NoInterruption', CLB),
    ListenerEnabled: bool('true', 'NoInterruption', CLB),
    SSLCertificateId: text(undefined, 'NoInterruption', CLB),
  },
  'aws:elb:healthcheck': {
    HealthyThreshold: int('3', 2, 10, 'NoInterruption', CLB),
    Interval: int('10', 5, 300, 'NoInterruption', CLB),
    Timeout: int('5', 2, 60, 'NoInterruption', CLB),
    UnhealthyThreshold: int('5', 2, 10, 'NoInterruption', CLB),
  },
  'aws:elb:policies': {
    ConnectionDrainingEnabled: bool('false', 'NoInterruption', CLB),
    ConnectionDrainingTimeout: int('20', 1, 3600, 'NoInterruption', CLB),
    ConnectionSettingIdleTimeout: int('60', 1, 3600, 'NoInterruption', CLB),
    'Stickiness Cookie Expiration': int('0', 0, 1000000, 'NoInterruption', CLB),
    'Stickiness Policy': bool('false', 'NoInterruption', CLB),
  },
  'aws:elbv2:loadbalancer': {
    AccessLogsS3Bucket: text(undefined, 'NoInterruption', ALB),
    AccessLogsS3Enabled: bool('false', 'NoInterruption', ALB),
    AccessLogsS3Prefix: text(undefined, 'NoInterruption', ALB),
    IdleTimeout: int('60', 1, 3600, 'NoInterruption', ALB),
    ManagedSecurityGroup: text(undefined, 'NoInterruption', ALB),
    SecurityGroups: list(undefined, 'NoInterruption', ALB),
  },
  'aws:elbv2:listener:default': {
    DefaultProcess: text('default', 'NoInterruption', ALB_NLB),
    ListenerEnabled: bool('true', 'NoInterruption', ALB_NLB),
    Protocol: oneOf('HTTP', ['HTTP', 'HTTPS', 'TCP'], 'NoInterruption', ALB_NLB),
    Rules: list(undefined, 'NoInterruption', ALB),
    SSLCertificateArns: text(undefined, 'NoInterruption', ALB_NLB),
    SSLPolicy: text(undefined, 'NoInterruption', ALB_NLB),
  },
  'aws:elbv2:listenerrule:default': {
    HostHeaders: list(undefined, 'NoInterruption', ALB),
    PathPatterns: list(undefined, 'NoInterruption', ALB),
    Priority: int('1', 1, 1000, 'NoInterruption', ALB),
    Process: text('default', 'NoInterruption', ALB),
  },
  'aws:autoscaling:scheduledaction': {
    StartTime: text(undefined, 'NoInterruption', { requiresResourceName: true }),
    EndTime: text(undefined, 'NoInterruption', { requiresResourceName: true }),
    MaxSize: int(undefined, 0, 10000, 'NoInterruption', { requiresResourceName: true }),
    MinSize: int(undefined, 0, 10000, 'NoInterruption', { requiresResourceName: true }),
    DesiredCapacity: int(undefined, 0, 10000, 'NoInterruption', { requiresResourceName: true }),
    Recurrence: text(undefined, 'NoInterruption', { requiresResourceName: true }),
    Suspend: bool('false', 'NoInterruption', { requiresResourceName: true }),
  },
  'aws:rds:dbinstance': {
    HasCoupledDatabase: bool('false', 'RestartEnvironment'),
    DBEngine: oneOf('mysql', ['mysql', 'postgres', 'mariadb', 'oracle-se2', 'sqlserver-ex', 'sqlserver-web', 'sqlserver-se'], 'RestartEnvironment'),
    DBEngineVersion: text(undefined, 'RestartEnvironment'),
    DBInstanceClass: text('db.t3.micro', 'RestartEnvironment'),
    DBAllocatedStorage: int('5', 5, 1024, 'RestartEnvironment'),
    DBUser: text('ebroot', 'RestartEnvironment'),
    DBPassword: text(undefined, 'RestartEnvironment'),
    DBDeletionPolicy: oneOf('Delete', ['Snapshot', 'Delete', 'Retain'], 'NoInterruption'),
    MultiAZDatabase: bool('false', 'RestartEnvironment'),
  },
  'aws:elasticbeanstalk:container:python': {
    WSGIPath: text('application', 'RestartApplicationServer', { languages: ['python'], description: 'Module (and callable) Gunicorn serves, e.g. application or app:app.' }),
    NumProcesses: int('1', 1, 10000, 'RestartApplicationServer', { languages: ['python'] }),
    NumThreads: int('15', 1, 10000, 'RestartApplicationServer', { languages: ['python'] }),
  },
  'aws:elasticbeanstalk:container:php:phpini': {
    document_root: text('/', 'RestartApplicationServer', { languages: ['php'] }),
    memory_limit: text('256M', 'RestartApplicationServer', { languages: ['php'] }),
    'zlib.output_compression': oneOf('Off', ['On', 'Off', 'true', 'false'], 'RestartApplicationServer', { languages: ['php'] }),
    allow_url_fopen: oneOf('On', ['On', 'Off', 'true', 'false'], 'RestartApplicationServer', { languages: ['php'] }),
    display_errors: oneOf('Off', ['On', 'Off'], 'RestartApplicationServer', { languages: ['php'] }),
    max_execution_time: int('60', 0, 2147483647, 'RestartApplicationServer', { languages: ['php'] }),
    composer_options: text(undefined, 'RestartApplicationServer', { languages: ['php'] }),
  },
};

/** Namespaces named per instance of a thing: the `default` member stands for all of them. */
const PATTERNED: Record<string, RegExp> = {
  'aws:elasticbeanstalk:environment:process:default': /^aws:elasticbeanstalk:environment:process:[A-Za-z0-9_-]{1,32}$/,
  'aws:elbv2:listener:default': /^aws:elbv2:listener:(default|\d{1,5})$/,
  'aws:elbv2:listenerrule:default': /^aws:elbv2:listenerrule:[A-Za-z0-9_-]{1,64}$/,
  'aws:elb:listener': /^aws:elb:listener(:\d{1,5})?$/,
};

/** Every fixed option of the catalogue, in namespace order. */
export const OPTION_DEFINITIONS: readonly OptionDefinition[] = Object.entries(SPEC).flatMap(([namespace, options]) =>
  Object.entries(options).map(([name, def]) => Object.freeze({ namespace, name, ...def, ...(PATTERNED[namespace] ? { namespacePattern: PATTERNED[namespace] } : {}) })),
);

/** Environment property limits (reference §5.1). */
export const ENVIRONMENT_PROPERTY_LIMITS = {
  maxKeyLength: 128,
  maxValueLength: 256,
  maxTotalBytes: 4096,
  keyPattern: /^[A-Za-z0-9_.:/+\\\-@]+$/,
  valuePattern: /^[A-Za-z0-9\s_.:/=+\\\-@'"]*$/,
} as const;

function userDefinedDefinition(namespace: string, name: string): OptionDefinition {
  const envProps = namespace === ENVIRONMENT_PROPERTIES_NAMESPACE;
  return {
    namespace,
    name,
    valueType: 'Scalar',
    changeSeverity: envProps ? 'RestartApplicationServer' : 'NoInterruption',
    userDefined: true,
    ...(envProps ? { maxLength: ENVIRONMENT_PROPERTY_LIMITS.maxValueLength } : {}),
  };
}

/** Whether an option exists for an environment (platform family, type, load balancer, tier). */
export function appliesTo(def: OptionDefinition, ctx: OptionContext): boolean {
  if (def.languages && !def.languages.includes(ctx.language)) return false;
  if (def.tiers && !def.tiers.includes(ctx.tier ?? 'WebServer')) return false;
  if (def.environmentTypes && !def.environmentTypes.includes(ctx.environmentType ?? 'LoadBalanced')) return false;
  if (def.loadBalancerTypes && !def.loadBalancerTypes.includes(ctx.loadBalancerType ?? 'classic')) return false;
  return true;
}

/**
 * The definition of `namespace`/`name`, or undefined when EB would call it an unknown configuration setting on any
 * platform. Free-form namespaces (environment properties, custom options) accept every name.
 * Platform applicability is a separate question: see appliesTo.
 */
export function findOptionDefinition(namespace: string, name: string): OptionDefinition | undefined {
  if (FREE_FORM_NAMESPACES.includes(namespace)) return name ? userDefinedDefinition(namespace, name) : undefined;
  const exact = OPTION_DEFINITIONS.find((d) => d.namespace === namespace && d.name === name);
  if (exact) return exact;
  return OPTION_DEFINITIONS.find((d) => d.namespacePattern?.test(namespace) && d.name === name);
}

/** The options an environment has (DescribeConfigurationOptions), fixed ones only, in catalogue order. */
export function optionsFor(ctx: OptionContext): OptionDefinition[] {
  return OPTION_DEFINITIONS.filter((d) => appliesTo(d, ctx));
}

/** A definition in the SDK's ConfigurationOptionDescription shape (what DescribeConfigurationOptions returns). */
export function describeOption(def: OptionDefinition): ConfigurationOptionDescription {
  const out: ConfigurationOptionDescription = {
    Namespace: def.namespace,
    Name: def.name,
    ChangeSeverity: def.changeSeverity,
    UserDefined: def.userDefined ?? false,
    ValueType: def.valueType as ConfigurationOptionDescription['ValueType'],
  };
  if (def.defaultValue !== undefined) out.DefaultValue = def.defaultValue;
  if (def.valueOptions) out.ValueOptions = [...def.valueOptions];
  if (def.minValue !== undefined) out.MinValue = def.minValue;
  if (def.maxValue !== undefined) out.MaxValue = def.maxValue;
  if (def.maxLength !== undefined) out.MaxLength = def.maxLength;
  if (def.regex) out.Regex = { Pattern: def.regex.pattern, Label: def.regex.label };
  return out;
}
