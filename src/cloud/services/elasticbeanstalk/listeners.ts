// An environment's load balancer listeners (ALB aws:elbv2:listener:*, its Resources override, Classic aws:elb:listener*):
// planned from the settings, checked as CloudFormation and ELB check them (ACM certificates, policies), answered per port.

import type { EnvironmentHttpResponse } from '../service.ts';
import type { EffectiveSettings } from './options/index.ts';

/** A default action of a listener other than forwarding to a process (from a `Resources` override). */
export type ListenerAction =
  | { type: 'forward' }
  | { type: 'redirect'; protocol: string; port: string; host: string; path: string; query: string; statusCode: 'HTTP_301' | 'HTTP_302' }
  | { type: 'fixed-response'; statusCode: string; contentType?: string; messageBody?: string };

/** One listener as the load balancer has it (plain data: it lives on the environment and in snapshots). */
export interface LoadBalancerListener {
  /** CloudFormation logical id: AWSEBV2LoadBalancerListener (the default, port 80) or AWSEBV2LoadBalancerListener443. */
  logicalId: string;
  /** The option namespace it comes from (aws:elbv2:listener:default, aws:elbv2:listener:443). */
  namespace: string;
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  defaultProcess: string;
  certificateArns: string[];
  sslPolicy?: string;
  action: ListenerAction;
  /** Set once the listener exists on the load balancer. */
  arn?: string;
}

/** What EB needs from ACM to attach certificates (the sandbox's ACM answers it). */
export interface CertificateDirectory {
  /** ACM status (ISSUED, PENDING_VALIDATION ...) of a certificate of this account and region; undefined when there is none. */
  certificateStatus(accountId: string, region: string, certificateArn: string): string | undefined;
  /** Domain name and subject alternative names of the certificate, and whether ACM issued it (publicly trusted). */
  certificateNames?(accountId: string, region: string, certificateArn: string): { names: string[]; amazonIssued: boolean; selfSigned?: boolean } | undefined;
}

/** A listener CloudFormation could not create or update: the ELBv2 error it got. */
export interface ListenerFailure {
  logicalId: string;
  /** create: a new listener; update: an existing one changed. */
  change: 'create' | 'update';
  errorCode: string;
  message: string;
}

/** ELBv2 predefined security policies a listener may name (SSLPolicy). */
export const SSL_POLICIES: readonly string[] = [
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06',
  'ELBSecurityPolicy-TLS13-1-1-2021-06',
  'ELBSecurityPolicy-TLS13-1-0-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-PQ-2025-09',
  'ELBSecurityPolicy-TLS-1-2-Ext-2018-06',
  'ELBSecurityPolicy-TLS-1-2-2017-01',
  'ELBSecurityPolicy-TLS-1-1-2017-01',
  'ELBSecurityPolicy-FS-1-2-Res-2020-10',
  'ELBSecurityPolicy-FS-1-2-Res-2019-08',
  'ELBSecurityPolicy-FS-1-2-2019-08',
  'ELBSecurityPolicy-FS-1-1-2019-08',
  'ELBSecurityPolicy-FS-2018-06',
  'ELBSecurityPolicy-2016-08',
  'ELBSecurityPolicy-2015-05',
];

/** The policy an HTTPS listener gets when SSLPolicy is not set (ELBv2's default for new listeners). */
export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

const DEFAULT_LOGICAL_ID = 'AWSEBV2LoadBalancerListener';
const PORT_NAMESPACE = /^aws:elbv2:listener:(\d{1,5})$/;

/** The kind of load balancer whose listeners the sandbox models for an environment (none for Network Load Balancers). */
export function listenerKindOf(settings: EffectiveSettings, tierName: string): 'application' | 'classic' | undefined {
  if (tierName === 'Worker' || settings.context.environmentType !== 'LoadBalanced') return undefined;
  const type = settings.context.loadBalancerType;
  return type === 'application' || type === 'classic' ? type : undefined;
}

const CLASSIC_LOGICAL_ID = 'AWSEBLoadBalancer';
const CLASSIC_PORT_NAMESPACE = /^aws:elb:listener:(\d{1,5})$/;

/**
 * The listeners of a Classic Load Balancer: `aws:elb:listener` (port 80) and `aws:elb:listener:<port>` with
 * ListenerProtocol (HTTP, HTTPS, TCP, SSL), SSLCertificateId and ListenerEnabled. They are properties of the
 * load balancer resource itself, so failures name AWSEBLoadBalancer.
 */
export function planClassicListeners(settings: EffectiveSettings): { listeners: LoadBalancerListener[]; failures: ListenerFailure[] } {
  const failures: ListenerFailure[] = [];
  const listeners: LoadBalancerListener[] = [];
  const ports = new Set<string>(['80']);
  for (const s of settings.settings) {
    const m = CLASSIC_PORT_NAMESPACE.exec(s.namespace);
    if (m) ports.add(m[1]);
  }
  for (const p of [...ports].sort((a, b) => Number(a) - Number(b))) {
    const port = Number(p);
    const own = `aws:elb:listener:${p}`;
    // The port-80 listener reads aws:elb:listener, with aws:elb:listener:80 winning where set.
    const get = (name: string) => settings.get(own, name) ?? (port === 80 ? settings.get('aws:elb:listener', name) : undefined);
    if ((get('ListenerEnabled') ?? 'true').toLowerCase() === 'false') continue;
    if (port < 1 || port > 65535) {
      failures.push({ logicalId: CLASSIC_LOGICAL_ID, change: 'create', errorCode: 'ValidationError', message: `Invalid LoadBalancerPort: ${port}. It must be between 1 and 65535.` });
      continue;
    }
    const protocol = (get('ListenerProtocol') || 'HTTP').toUpperCase();
    const certificate = get('SSLCertificateId')?.trim();
    listeners.push({
      logicalId: CLASSIC_LOGICAL_ID,
      namespace: port === 80 && settings.get(own, 'ListenerProtocol') === undefined ? 'aws:elb:listener' : own,
      port,
      protocol: protocol === 'HTTPS' || protocol === 'SSL' ? 'HTTPS' : 'HTTP',
      defaultProcess: 'default',
      certificateArns: certificate ? [certificate] : [],
      action: { type: 'forward' },
    });
  }
  return { listeners, failures };
}

/**
 * The listeners the environment's stack declares: the default listener on port 80 (aws:elbv2:listener:default,
 * unless ListenerEnabled=false) and one per aws:elbv2:listener:<port> namespace that has any setting. A
 * `Resources.AWSEBV2LoadBalancerListener` override in .ebextensions replaces the default listener's properties.
 * Problems of the override's shape are returned as failures (CloudFormation rejects them when it updates the stack).
 */
export function planListeners(settings: EffectiveSettings, override?: unknown): { listeners: LoadBalancerListener[]; failures: ListenerFailure[] } {
  const failures: ListenerFailure[] = [];
  const ports = new Set<string>();
  for (const s of settings.settings) {
    const m = PORT_NAMESPACE.exec(s.namespace);
    if (m) ports.add(m[1]);
  }
  const listeners: LoadBalancerListener[] = [];
  const fromNamespace = (namespace: string, port: number, logicalId: string): LoadBalancerListener | undefined => {
    const get = (name: string) => settings.get(namespace, name);
    if ((get('ListenerEnabled') ?? 'true').toLowerCase() === 'false') return undefined;
    const protocol = (get('Protocol') || 'HTTP').toUpperCase() === 'HTTPS' ? 'HTTPS' : 'HTTP';
    const certificateArns = (get('SSLCertificateArns') ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    const listener: LoadBalancerListener = { logicalId, namespace, port, protocol, defaultProcess: get('DefaultProcess') || 'default', certificateArns, action: { type: 'forward' } };
    const policy = get('SSLPolicy')?.trim();
    if (policy) listener.sslPolicy = policy;
    return listener;
  };
  // aws:elbv2:listener:80 names the same listener as :default; options set on it win over the :default ones.
  let primary = fromNamespace('aws:elbv2:listener:default', 80, DEFAULT_LOGICAL_ID);
  if (ports.has('80')) {
    const eighty = fromNamespace('aws:elbv2:listener:80', 80, DEFAULT_LOGICAL_ID);
    primary = eighty === undefined ? undefined : primary ? { ...primary, ...explicitOnly(settings, 'aws:elbv2:listener:80', eighty) } : eighty;
    ports.delete('80');
  }
  if (primary && override !== undefined) {
    const applied = applyListenerOverride(primary, override);
    if ('failure' in applied) failures.push(applied.failure);
    else primary = applied.listener;
  }
  if (primary) listeners.push(primary);
  for (const p of [...ports].sort((a, b) => Number(a) - Number(b))) {
    const port = Number(p);
    if (port < 1 || port > 65535) {
      failures.push({
        logicalId: `${DEFAULT_LOGICAL_ID}${p}`,
        change: 'create',
        errorCode: 'ValidationError',
        message: `1 validation error detected: Value '${port}' at 'port' failed to satisfy constraint: Member must have value ${port < 1 ? 'greater than or equal to 1' : 'less than or equal to 65535'}`,
      });
      continue;
    }
    const l = fromNamespace(`aws:elbv2:listener:${p}`, port, `${DEFAULT_LOGICAL_ID}${p}`);
    if (l) listeners.push(l);
  }
  return { listeners, failures };
}

/** The options of aws:elbv2:listener:80 that were set explicitly (they override the :default listener's). */
function explicitOnly(settings: EffectiveSettings, namespace: string, listener: LoadBalancerListener): Partial<LoadBalancerListener> {
  const out: Partial<LoadBalancerListener> = { namespace: 'aws:elbv2:listener:default' };
  const has = (name: string) => settings.get(namespace, name) !== undefined;
  if (has('Protocol')) out.protocol = listener.protocol;
  if (has('SSLCertificateArns')) out.certificateArns = listener.certificateArns;
  if (has('SSLPolicy')) out.sslPolicy = listener.sslPolicy;
  if (has('DefaultProcess')) out.defaultProcess = listener.defaultProcess;
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** ELBv2's own wording for enum and required-field errors on CreateListener/ModifyListener. */
function enumError(logicalId: string, path: string, value: unknown, allowed: string[]): { failure: ListenerFailure } {
  return {
    failure: {
      logicalId,
      change: 'update',
      errorCode: 'ValidationError',
      message: `1 validation error detected: Value '${String(value)}' at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
    },
  };
}

function invalid(logicalId: string, message: string): { failure: ListenerFailure } {
  return { failure: { logicalId, change: 'update', errorCode: 'ValidationError', message } };
}

/**
 * Applies `Resources.AWSEBV2LoadBalancerListener` (Type AWS::ElasticLoadBalancingV2::Listener) to the default
 * listener: Port, Protocol and the first of DefaultActions (forward, redirect with RedirectConfig, fixed-response).
 */
export function applyListenerOverride(listener: LoadBalancerListener, resource: unknown): { listener: LoadBalancerListener } | { failure: ListenerFailure } {
  const id = listener.logicalId;
  if (!isRecord(resource)) return invalid(id, `Resource ${id} must be a mapping with Type and Properties.`);
  if (resource.Type !== undefined && resource.Type !== 'AWS::ElasticLoadBalancingV2::Listener') {
    return invalid(id, `Resource ${id} has Type '${String(resource.Type)}'; the environment's listener is an AWS::ElasticLoadBalancingV2::Listener.`);
  }
  const props = resource.Properties;
  if (props === undefined) return { listener };
  if (!isRecord(props)) return invalid(id, `Properties of ${id} must be a mapping (Port, Protocol, DefaultActions ...).`);
  const out: LoadBalancerListener = { ...listener };
  if (props.Port !== undefined) {
    const port = Number(props.Port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return invalid(id, `1 validation error detected: Value '${String(props.Port)}' at 'port' failed to satisfy constraint: Member must have value between 1 and 65535`);
    out.port = port;
  }
  if (props.Protocol !== undefined) {
    const protocol = String(props.Protocol);
    if (protocol !== 'HTTP' && protocol !== 'HTTPS') return enumError(id, 'protocol', protocol, ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE']);
    out.protocol = protocol;
  }
  if (props.DefaultActions !== undefined) {
    if (!Array.isArray(props.DefaultActions) || props.DefaultActions.length === 0) return invalid(id, `Properties.DefaultActions of ${id} must be a list with at least one action.`);
    const action = props.DefaultActions[0];
    if (!isRecord(action)) return invalid(id, `Properties.DefaultActions of ${id} must be a list of mappings with a Type.`);
    const type = String(action.Type ?? '');
    if (type === 'forward') out.action = { type: 'forward' };
    else if (type === 'redirect') {
      const rc = action.RedirectConfig;
      if (!isRecord(rc)) return invalid(id, 'A redirect action must have a redirect configuration (RedirectConfig) in DefaultActions.');
      const status = String(rc.StatusCode ?? '');
      if (status !== 'HTTP_301' && status !== 'HTTP_302') return enumError(id, 'defaultActions.1.member.redirectConfig.statusCode', rc.StatusCode ?? 'null', ['HTTP_301', 'HTTP_302']);
      const protocol = String(rc.Protocol ?? '#{protocol}');
      if (!['HTTP', 'HTTPS', '#{protocol}'].includes(protocol)) return invalid(id, `The redirect protocol '${protocol}' is not valid: use HTTP, HTTPS or #{protocol}.`);
      const port = String(rc.Port ?? '#{port}');
      if (port !== '#{port}' && !(Number.isInteger(Number(port)) && Number(port) >= 1 && Number(port) <= 65535)) return invalid(id, `The redirect port '${port}' is not valid: use 1-65535 or #{port}.`);
      const path = String(rc.Path ?? '/#{path}');
      if (!path.startsWith('/')) return invalid(id, `The redirect path '${path}' is not valid: it must start with /.`);
      out.action = { type: 'redirect', protocol, port, host: String(rc.Host ?? '#{host}'), path, query: String(rc.Query ?? '#{query}'), statusCode: status };
    } else if (type === 'fixed-response') {
      const fc = action.FixedResponseConfig;
      if (!isRecord(fc)) return invalid(id, 'A fixed-response action must have a fixed response configuration (FixedResponseConfig) in DefaultActions.');
      const status = String(fc.StatusCode ?? '');
      if (!/^(2|4|5)\d\d$/.test(status)) return invalid(id, `1 validation error detected: Value '${status}' at 'defaultActions.1.member.fixedResponseConfig.statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(2|4|5)\\d\\d$`);
      out.action = { type: 'fixed-response', statusCode: status, ...(fc.ContentType !== undefined ? { contentType: String(fc.ContentType) } : {}), ...(fc.MessageBody !== undefined ? { messageBody: String(fc.MessageBody) } : {}) };
    } else {
      return enumError(id, 'defaultActions.1.member.type', type || 'null', ['forward', 'authenticate-oidc', 'authenticate-cognito', 'redirect', 'fixed-response']);
    }
  }
  return { listener: out };
}

/**
 * Checks listeners the way ELBv2 does when CloudFormation creates or modifies them: an HTTPS listener needs a
 * certificate, the certificate must exist in this account and region and be issued, the SSL policy must exist.
 * `previous` are the listeners the load balancer has now (unchanged listeners are not checked again).
 */
export function checkListeners(
  listeners: readonly LoadBalancerListener[],
  previous: readonly LoadBalancerListener[],
  certificates: CertificateDirectory | undefined,
  accountId: string,
  region: string,
  kind: 'application' | 'classic' = 'application',
): ListenerFailure[] {
  const failures: ListenerFailure[] = [];
  for (const l of listeners) {
    const before = kind === 'classic' ? previous.find((p) => p.port === l.port) : previous.find((p) => p.logicalId === l.logicalId);
    if (before && sameListener(before, l)) continue;
    const change = before ? 'update' : 'create';
    if (l.protocol !== 'HTTPS') continue;
    if (l.certificateArns.length === 0) {
      const message = kind === 'classic' ? `A certificate (SSLCertificateId) must be specified for the HTTPS listener on port ${l.port}` : 'A certificate must be specified for HTTPS listeners';
      failures.push({ logicalId: l.logicalId, change, errorCode: 'ValidationError', message });
      continue;
    }
    if (l.sslPolicy && !SSL_POLICIES.includes(l.sslPolicy)) {
      failures.push({ logicalId: l.logicalId, change, errorCode: 'SSLPolicyNotFound', message: `SSL policy '${l.sslPolicy}' not found` });
      continue;
    }
    for (const arn of l.certificateArns) {
      const status = certificates?.certificateStatus(accountId, region, arn);
      if (status === undefined || (kind === 'classic' && status !== 'ISSUED')) {
        // The Classic Load Balancer API words every unusable certificate the same way.
        const message = kind === 'classic' ? `Server Certificate not found for the key: ${arn}` : `Certificate '${arn}' not found`;
        failures.push({ logicalId: l.logicalId, change, errorCode: 'CertificateNotFound', message });
        break;
      }
      if (status !== 'ISSUED') {
        failures.push({
          logicalId: l.logicalId,
          change,
          errorCode: 'UnsupportedCertificate',
          message: `The certificate '${arn}' must have a fully-qualified domain name, a supported signature, and a supported key size.`,
        });
        break;
      }
    }
  }
  return failures;
}

/** Same listener configuration (ARNs aside). */
export function sameListener(a: LoadBalancerListener, b: LoadBalancerListener): boolean {
  const strip = ({ arn: _arn, ...rest }: LoadBalancerListener) => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/** The event text EB shows for a listener CloudFormation failed to create or update (`classic`: the load balancer's name). */
export function listenerFailureEvent(f: ListenerFailure, requestId: string, classic?: string): string {
  const verb = f.change === 'create' ? 'Creating' : 'Updating';
  if (classic !== undefined) {
    return `${verb} load balancer named: ${classic} failed Reason: ${f.message} (Service: AmazonElasticLoadBalancing; Status Code: 400; Error Code: ${f.errorCode}; Request ID: ${requestId})`;
  }
  return `${verb} Load Balancer listener failed Reason: ${f.message} (Service: AmazonElasticLoadBalancingV2; Status Code: 400; Error Code: ${f.errorCode}; Request ID: ${requestId})`;
}

/** The stack event that follows: which resources failed, and the state CloudFormation is left in. */
export function stackAbortedEvent(environmentId: string, failures: readonly ListenerFailure[], launching: boolean): string {
  const state = launching ? 'CREATE_FAILED' : 'UPDATE_ROLLBACK_IN_PROGRESS';
  const verb = failures.every((f) => f.change === 'create') ? 'create' : 'update';
  return `Stack named 'awseb-${environmentId}-stack' aborted operation. Current state: '${state}'  Reason: The following resource(s) failed to ${verb}: [${[...new Set(failures.map((f) => f.logicalId))].join(', ')}]. `;
}

/** How a load balancer answers a redirect: the Location built from the request and the RedirectConfig. */
export function redirectLocation(action: Extract<ListenerAction, { type: 'redirect' }>, request: { protocol: string; host: string; port: number; path: string; query: string }): string {
  const fill = (template: string) =>
    template
      .replace(/#\{protocol\}/g, request.protocol.toLowerCase())
      .replace(/#\{host\}/g, request.host)
      .replace(/#\{port\}/g, String(request.port))
      .replace(/#\{path\}/g, request.path.replace(/^\//, ''))
      .replace(/#\{query\}/g, request.query);
  const protocol = fill(action.protocol).toLowerCase();
  const query = fill(action.query);
  // ALB writes the port even when it is the protocol's default (Location: https://host:443/path).
  return `${protocol}://${fill(action.host)}:${fill(action.port)}${fill(action.path)}${query ? `?${query}` : ''}`;
}

/** The listener ARN for a new listener of a load balancer. */
export function listenerArn(loadBalancerArn: string, hex16: string): string {
  return `${loadBalancerArn.replace(':loadbalancer/', ':listener/')}/${hex16}`;
}

/** The listeners of a load balancer that has not been given any yet: HTTP on port 80, forwarding to the default process. */
export const DEFAULT_LISTENERS: readonly LoadBalancerListener[] = [
  { logicalId: DEFAULT_LOGICAL_ID, namespace: 'aws:elbv2:listener:default', port: 80, protocol: 'HTTP', defaultProcess: 'default', certificateArns: [], action: { type: 'forward' } },
];

/** What the front of an environment does with one request: forward it to the instances, answer it, or fail to connect. */
export type FrontDoorOutcome =
  | { t: 'forward'; headers: Record<string, string>; tls?: EnvironmentHttpResponse['tls'] }
  | { t: 'answer'; response: EnvironmentHttpResponse }
  | { t: 'no-connection'; response: EnvironmentHttpResponse };

/**
 * The first hop of a request to an environment URL. With an Application Load Balancer, the listener on the URL's
 * port decides (forward with X-Forwarded-* headers, redirect, fixed response); a port without a listener is closed
 * by the load balancer's security group. Other environments (single instance, Classic or Network Load Balancer,
 * worker) answer only http:// on port 80 here.
 */
export function frontDoor(input: {
  url: URL;
  headers: Record<string, string>;
  /** The ALB's listeners, or undefined when the environment has no Application Load Balancer. */
  listeners: readonly LoadBalancerListener[] | undefined;
  certificates: CertificateDirectory | undefined;
  accountId: string;
  region: string;
  /** A client address for X-Forwarded-For. */
  clientIp: string;
  /** Simulated milliseconds a client waits before a dropped connection attempt fails. */
  connectTimeoutMs: number;
}): FrontDoorOutcome {
  const { url } = input;
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port ? Number(url.port) : scheme === 'https' ? 443 : 80;
  const host = url.hostname;
  const refused = (): FrontDoorOutcome => ({
    t: 'no-connection',
    response: {
      status: 0,
      headers: {},
      body: '',
      connectionError: { kind: 'refused', message: `Failed to connect to ${host} port ${port} after ${input.connectTimeoutMs} ms: Couldn't connect to server`, elapsedMs: input.connectTimeoutMs },
    },
  });
  if (!input.listeners) {
    if (port !== 80) return refused();
    if (scheme === 'https') return tlsOnPlainHttp(host, port);
    return { t: 'forward', headers: {} };
  }
  const listener = input.listeners.find((l) => l.port === port);
  if (!listener) return refused();
  if (scheme === 'https' && listener.protocol === 'HTTP') return tlsOnPlainHttp(host, port);
  if (scheme === 'http' && listener.protocol === 'HTTPS') {
    return { t: 'answer', response: elbPage(400, 'Bad Request', '400 The plain HTTP request was sent to HTTPS port', '<center>The plain HTTP request was sent to HTTPS port</center>\r\n') };
  }
  let tls: EnvironmentHttpResponse['tls'];
  if (listener.protocol === 'HTTPS') {
    const arn = listener.certificateArns[0] ?? '';
    const names = input.certificates?.certificateNames?.(input.accountId, input.region, arn);
    tls = { certificateArn: arn, names: names?.names ?? [], trusted: names?.amazonIssued ?? false, selfSigned: names?.selfSigned ?? false, sslPolicy: listener.sslPolicy ?? DEFAULT_SSL_POLICY };
  }
  const action = listener.action;
  if (action.type === 'redirect') {
    const path = url.pathname || '/';
    const location = redirectLocation(action, { protocol: scheme, host, port, path, query: url.search.replace(/^\?/, '') });
    const code = action.statusCode === 'HTTP_301' ? 301 : 302;
    const title = code === 301 ? '301 Moved Permanently' : '302 Found';
    const response = elbPage(code, code === 301 ? 'Moved Permanently' : 'Found', title);
    response.headers.location = location;
    if (tls) response.tls = tls;
    return { t: 'answer', response };
  }
  if (action.type === 'fixed-response') {
    const body = action.messageBody ?? '';
    const response: EnvironmentHttpResponse = {
      status: Number(action.statusCode),
      headers: { server: 'awselb/2.0', 'content-type': `${action.contentType ?? 'text/plain'}; charset=utf-8`, 'content-length': String(new TextEncoder().encode(body).length) },
      body,
    };
    if (tls) response.tls = tls;
    return { t: 'answer', response };
  }
  const forwarded: Record<string, string> = {
    'x-forwarded-for': input.headers['x-forwarded-for'] ? `${input.headers['x-forwarded-for']}, ${input.clientIp}` : input.clientIp,
    'x-forwarded-proto': scheme,
    'x-forwarded-port': String(port),
  };
  return { t: 'forward', headers: forwarded, ...(tls ? { tls } : {}) };
}

/** curl's words for a TLS handshake answered by a plain HTTP server. */
function tlsOnPlainHttp(host: string, port: number): FrontDoorOutcome {
  return {
    t: 'no-connection',
    response: {
      status: 0,
      headers: {},
      body: '',
      connectionError: { kind: 'tls', message: `OpenSSL/3.0.13: error:0A00010B:SSL routines::wrong version number (TLS handshake with ${host}:${port}, which speaks plain HTTP)`, elapsedMs: 40 },
    },
  };
}

/** A page the load balancer itself answers with (Server: awselb/2.0). */
function elbPage(status: number, reason: string, title: string, extra = ''): EnvironmentHttpResponse {
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n${extra}</body>\r\n</html>\r\n`;
  return { status, headers: { server: 'awselb/2.0', 'content-type': 'text/html', 'content-length': String(body.length) }, body };
}

