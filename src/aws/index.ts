// The one place that builds AWS SDK clients: for an in-process sandbox cloud, for an endpoint URL
// (`academy cloud`, LocalStack) or real AWS, or from AWS_* environment variables. Browser-safe.
import type { ACMClient } from '@aws-sdk/client-acm';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { Clock } from '../cloud/clock.ts';
import type { CloudRequest, CloudResponse } from '../cloud/http.ts';
import { CloudRequestHandler } from './cloud-request-handler.ts';
import { createSandboxControl, fetchTransport, type SandboxControl } from './sandbox-control.ts';
import { loadOnce } from './load-once.ts';

export { CloudRequestHandler, readRequestBody } from './cloud-request-handler.ts';
export { SandboxControlError, createSandboxControl, type SandboxControl, type SandboxHealth, type SandboxScope } from './sandbox-control.ts';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The sandbox's default test credentials (any key works; a 12-digit key id selects that account). */
export const TEST_CREDENTIALS: AwsCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface AwsClients {
  region: string;
  eb: ElasticBeanstalkClient;
  s3: S3Client;
  sts: STSClient;
  /** CloudWatch and ACM, which only some labs use: their SDK packages load on the first `send`. */
  cloudwatch: ClientOnFirstUse<CloudWatchClient>;
  acm: ClientOnFirstUse<ACMClient>;
  /** `/_sandbox/*` evidence and control; null against real AWS. */
  sandbox: SandboxControl | null;
  /** Waits `ms` of the cloud's time: a stepped (manual) clock is advanced, a scaled one runs faster than real time. */
  sleep(ms: number): Promise<void>;
  /** The cloud's time (epoch ms); real time for endpoints. */
  now(): number;
}

/** What a client is made with; the aws command copies it for another Region. */
export interface ClientSettings {
  region: string;
  credentials?: AwsCredentials;
  endpoint?: string;
  requestHandler?: unknown;
}

/** A client whose SDK package is imported on its first `send` (or `load()`), so it is downloaded only when used. */
export interface ClientOnFirstUse<C extends { send: unknown }> {
  send: C['send'];
  load(): Promise<C>;
  readonly settings: ClientSettings;
}

function onFirstUse<C extends { send: unknown }>(settings: ClientSettings, make: (settings: ClientSettings) => Promise<C>): ClientOnFirstUse<C> {
  const load = loadOnce(() => make(settings));
  const send = async (...args: unknown[]) => ((await load()).send as (...a: unknown[]) => Promise<unknown>)(...args);
  return { settings, load, send: send as unknown as C['send'] };
}

/** A CloudWatch client made on first use (@aws-sdk/client-cloudwatch loads then). */
export function cloudwatchClient(settings: ClientSettings): ClientOnFirstUse<CloudWatchClient> {
  return onFirstUse(settings, async (s) => new (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient(s as never));
}

/** An ACM client made on first use (@aws-sdk/client-acm loads then). */
export function acmClient(settings: ClientSettings): ClientOnFirstUse<ACMClient> {
  return onFirstUse(settings, async (s) => new (await import('@aws-sdk/client-acm')).ACMClient(s as never));
}

/** What clientsForCloud needs of a cloud (createCloud's result satisfies it). */
export interface InProcessCloud {
  readonly clock: Clock;
  handle(req: CloudRequest): Promise<CloudResponse>;
}

/**
 * In browsers the SDK's aws-chunked encoder (used for stream bodies when it adds its default CRC32) writes
 * `${bytes}` as text, so no S3 accepts the upload (SDK 3.1169). There, checksums are added only when an
 * operation requires them, and stream bodies go out plainly.
 */
const S3_BROWSER_SAFE = typeof process === 'undefined' || !process.versions?.node ? { requestChecksumCalculation: 'WHEN_REQUIRED' as const } : {};

/** The nominal endpoint in-process clients address; no network is involved. */
const IN_PROCESS_ENDPOINT = 'http://localhost';

export interface CloudClientOptions {
  region?: string;
  credentials?: AwsCredentials;
}

/** Clients that talk to an in-process cloud through its request handler. */
export function clientsForCloud(cloud: InProcessCloud, options: CloudClientOptions = {}): AwsClients {
  const region = options.region ?? 'us-east-1';
  const credentials = options.credentials ?? TEST_CREDENTIALS;
  const requestHandler = new CloudRequestHandler(cloud);
  const common = { region, credentials, endpoint: IN_PROCESS_ENDPOINT, requestHandler };
  return {
    region,
    eb: new ElasticBeanstalkClient(common),
    s3: new S3Client({ ...common, forcePathStyle: true, ...S3_BROWSER_SAFE }),
    sts: new STSClient(common),
    cloudwatch: cloudwatchClient(common),
    acm: acmClient(common),
    sandbox: createSandboxControl((req) => cloud.handle(req), { region, accessKeyId: credentials.accessKeyId }),
    sleep: (ms) => cloud.clock.sleep(ms),
    now: () => cloud.clock.now(),
  };
}

export interface EndpointClientOptions {
  /** One endpoint for every service (e.g. http://127.0.0.1:4566); none means real AWS. */
  endpoint?: string;
  /** Per-service endpoints, overriding `endpoint`. */
  endpoints?: { elasticbeanstalk?: string; s3?: string; sts?: string; cloudwatch?: string; acm?: string };
  region: string;
  /** Default: test/test for custom endpoints, the SDK's default chain for real AWS. */
  credentials?: AwsCredentials;
}

function checkEndpoint(url: string | undefined, what: string): string | undefined {
  if (url === undefined || url === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${what} '${url}' is not a URL; use one like http://127.0.0.1:4566.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`${what} '${url}' must start with http:// or https://.`);
  }
  return url.replace(/\/+$/, '');
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Clients for an endpoint URL (the sandbox over HTTP, LocalStack) or, without one, real AWS. */
export function clientsForEndpoint(options: EndpointClientOptions): AwsClients {
  if (!options.region) throw new Error('clientsForEndpoint needs a region, e.g. us-east-1.');
  const base = checkEndpoint(options.endpoint, 'Endpoint');
  const per = options.endpoints ?? {};
  const endpointFor = (service: keyof NonNullable<EndpointClientOptions['endpoints']>) =>
    checkEndpoint(per[service], `Endpoint for ${service}`) ?? base;
  const custom = base !== undefined || Object.values(per).some((v) => v);
  const credentials = options.credentials ?? (custom ? TEST_CREDENTIALS : undefined);
  const config = (endpoint: string | undefined) => ({
    region: options.region,
    ...(credentials ? { credentials } : {}),
    ...(endpoint ? { endpoint } : {}),
  });
  const s3Endpoint = endpointFor('s3');
  const controlEndpoint = base ?? endpointFor('elasticbeanstalk');
  return {
    region: options.region,
    eb: new ElasticBeanstalkClient(config(endpointFor('elasticbeanstalk'))),
    s3: new S3Client({ ...config(s3Endpoint), ...(s3Endpoint ? { forcePathStyle: true } : {}), ...S3_BROWSER_SAFE }),
    sts: new STSClient(config(endpointFor('sts'))),
    cloudwatch: cloudwatchClient(config(endpointFor('cloudwatch'))),
    acm: acmClient(config(endpointFor('acm'))),
    sandbox: controlEndpoint
      ? createSandboxControl(fetchTransport(controlEndpoint), { region: options.region, accessKeyId: credentials?.accessKeyId ?? TEST_CREDENTIALS.accessKeyId })
      : null,
    sleep: realSleep,
    now: () => Date.now(),
  };
}

/** A named profile's settings from ~/.aws (read by the Node-only loader in aws-profile.ts). */
export interface AwsProfile {
  credentials?: AwsCredentials;
  region?: string;
  endpointUrl?: string;
}

export interface EnvironmentOverrides {
  region?: string;
  endpoint?: string;
  credentials?: AwsCredentials;
  /** Reads a profile from ~/.aws; only Node provides one (see aws-profile.ts). */
  readProfile?: (name: string) => AwsProfile | undefined;
}

/**
 * Clients configured the way the AWS CLI reads its environment: AWS_ENDPOINT_URL (and the per-service
 * AWS_ENDPOINT_URL_ELASTIC_BEANSTALK, _S3, _STS, _CLOUDWATCH, _ACM), AWS_REGION / AWS_DEFAULT_REGION,
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, then AWS_PROFILE via `readProfile`.
 */
export function clientsFromEnvironment(env: Record<string, string | undefined>, overrides: EnvironmentOverrides = {}): AwsClients {
  const profileName = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE;
  const profile = overrides.readProfile?.(profileName || 'default');
  if (profileName && overrides.readProfile && !profile) {
    throw new Error(`AWS_PROFILE is '${profileName}', but no profile of that name is in ~/.aws/credentials or ~/.aws/config.`);
  }
  const endpoint = overrides.endpoint ?? (env.AWS_ENDPOINT_URL || profile?.endpointUrl || undefined);
  const endpoints = {
    elasticbeanstalk: env.AWS_ENDPOINT_URL_ELASTIC_BEANSTALK || undefined,
    s3: env.AWS_ENDPOINT_URL_S3 || undefined,
    sts: env.AWS_ENDPOINT_URL_STS || undefined,
    cloudwatch: env.AWS_ENDPOINT_URL_CLOUDWATCH || undefined,
    acm: env.AWS_ENDPOINT_URL_ACM || undefined,
  };
  const custom = endpoint !== undefined || Object.values(endpoints).some((v) => v);
  const region = overrides.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || profile?.region || (custom ? 'us-east-1' : undefined);
  if (!region) throw new Error('No AWS region: set AWS_REGION (or AWS_DEFAULT_REGION), or give a region in your AWS profile.');
  let credentials = overrides.credentials;
  if (!credentials && (env.AWS_ACCESS_KEY_ID || env.AWS_SECRET_ACCESS_KEY)) {
    if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) {
      throw new Error(`AWS_${env.AWS_ACCESS_KEY_ID ? 'SECRET_ACCESS_KEY' : 'ACCESS_KEY_ID'} is not set, but AWS_${env.AWS_ACCESS_KEY_ID ? 'ACCESS_KEY_ID' : 'SECRET_ACCESS_KEY'} is: set both (any values, e.g. test/test, work against the sandbox).`);
    }
    credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
  }
  credentials ??= profile?.credentials;
  return clientsForEndpoint({ endpoint, endpoints, region, credentials });
}
