// The sandbox cloud's public surface: createCloud() wires the services behind one request handler
// (usable in-process as an SDK request handler, or behind server.ts) with snapshot/restore of all state.
import { ScaledClock, type Clock } from './clock.ts';
import type { CloudRequest, CloudResponse } from './http.ts';
import { handleControlRequest, isControlRequest, type ControlTarget } from './control.ts';
import { AwsError } from './protocol/errors.ts';
import { parseJsonRequest, serializeJsonError, serializeJsonResult, type JsonService } from './protocol/json.ts';
import { parseQueryRequest, serializeQueryError, serializeQueryResult } from './protocol/query.ts';
import { DEFAULT_ACCOUNT_ID, routeRequest } from './protocol/router.ts';
import { handleS3Request, serializeS3Error } from './protocol/s3-rest.ts';
import type { EnvironmentEvidence, QueryService, RequestContext } from './services/service.ts';
import { S3Service } from './services/s3/s3-service.ts';
import { StsService } from './services/sts/sts-service.ts';
import { ElasticBeanstalkService } from './services/elasticbeanstalk/index.ts';
import { CloudWatchService } from './services/cloudwatch/cloudwatch-service.ts';
import { ElasticBeanstalkMetrics } from './services/cloudwatch/environment-metrics.ts';
import type { Evidence } from './services/elasticbeanstalk/evidence.ts';
import { AcmService } from './services/acm/acm-service.ts';

export type { Clock } from './clock.ts';
export { ManualClock, ScaledClock } from './clock.ts';
export type { CloudRequest, CloudResponse } from './http.ts';
export type { EnvironmentEvidence, EnvironmentHttpRequest, EnvironmentHttpResponse } from './services/service.ts';

export const SNAPSHOT_FORMAT = 'beanstalk-academy-cloud';
export const SNAPSHOT_VERSION = 1;

export interface CloudOptions {
  /** The virtual clock; default a ScaledClock running at `speed`. */
  clock?: Clock;
  /** Simulated seconds per real second for the default clock (default 60). */
  speed?: number;
  /** The account for access keys that are not 12-digit ids (default 000000000000). */
  accountId?: string;
  /** Where internal failures are reported (default console.error). */
  log?: (message: string) => void;
}

/** The whole cloud state as versioned JSON. */
export interface CloudSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  /** Virtual time when taken, epoch ms. */
  time: number;
  /** cloudwatch and acm are absent in snapshots taken before those services existed (restored as empty). */
  services: { s3: unknown; elasticbeanstalk: unknown; cloudwatch?: unknown; acm?: unknown };
}

export interface Cloud {
  readonly clock: Clock;
  readonly accountId: string;
  /** Answers one HTTP request. Never throws: internal failures become 500 InternalFailure. */
  handle(req: CloudRequest): Promise<CloudResponse>;
  snapshot(): CloudSnapshot;
  /** Replaces all state; a snapshot of the wrong format or version, or corrupt, is refused and nothing changes. */
  restore(snapshot: unknown): void;
  reset(): void;
  /** Signing names of the AWS services answered. */
  services(): string[];
  /** Sandbox evidence (timeline, traffic, environment requests). */
  readonly evidence: EnvironmentEvidence;
  /** Calls `listener` after every successful request that may change state and after background work; returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
  dispose(): void;
}

const GENERIC_NAMESPACE = 'https://sandbox.beanstalk-academy.dev/doc/';
const READ_ONLY_ACTION = /^(Describe|List|Get|Check|Validate|Retrieve)/;
const encoder = new TextEncoder();

/** A random UUID v4 (crypto.randomUUID is missing outside secure contexts in browsers). */
function newRequestId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.stack ?? err.message : String(err);
}

function hostId(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(48))));
}

function queryError(err: AwsError, namespace: string, requestId: string): CloudResponse {
  return { status: err.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: encoder.encode(serializeQueryError(err, namespace, requestId)) };
}

/** A Query request; errors come back in the service's own `ErrorResponse` namespace. */
async function answerQuery(service: QueryService, req: CloudRequest, ctx: RequestContext): Promise<{ action: string; response: CloudResponse }> {
  let action = '';
  let result: Record<string, unknown>;
  try {
    const parsed = parseQueryRequest(new TextDecoder().decode(req.body), req.query);
    action = parsed.action;
    result = await service.handle(action, parsed.params, ctx);
  } catch (err) {
    if (err instanceof AwsError) return { action, response: queryError(err, service.xmlNamespace, ctx.requestId) };
    throw err;
  }
  const body = serializeQueryResult(action, service.xmlNamespace, result, ctx.requestId);
  return { action, response: { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId }, body: encoder.encode(body) } };
}

async function answerJson(service: JsonService, req: CloudRequest, ctx: RequestContext): Promise<CloudResponse> {
  const headers = (contentType: string) => ({ 'content-type': contentType, 'x-amzn-requestid': ctx.requestId });
  let contentType = 'application/x-amz-json-1.1';
  try {
    const parsed = parseJsonRequest(service, req.headers, req.body);
    contentType = parsed.contentType;
    const result = await service.handle(parsed.operation, parsed.input, ctx);
    return { status: 200, headers: headers(contentType), body: encoder.encode(serializeJsonResult(result)) };
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    const errorHeaders: Record<string, string> = { ...headers(contentType), 'x-amzn-errortype': err.code };
    if (service.queryCompatible) errorHeaders['x-amzn-query-error'] = `${err.code};${err.fault}`;
    return { status: err.status, headers: errorHeaders, body: encoder.encode(serializeJsonError(err)) };
  }
}

function bySigningName<T extends { signingName: string }>(services: T[]): Map<string, T> {
  return new Map(services.map((service) => [service.signingName, service]));
}

export function createCloud(options: CloudOptions = {}): Cloud {
  const clock = options.clock ?? new ScaledClock(options.speed ?? 60);
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  if (!/^\d{12}$/.test(accountId)) throw new RangeError(`createCloud: accountId must be 12 digits, got '${accountId}'`);
  const log = options.log ?? ((message: string) => console.error(message));
  const listeners = new Set<() => void>();
  const changed = () =>
    listeners.forEach((listener) => {
      try {
        listener();
      } catch (err) {
        log(`sandbox cloud: a change listener failed: ${describe(err)}`);
      }
    });

  const s3 = new S3Service(clock);
  // Background work (launches, batches, health) changes state between requests: its timers notify too.
  const observedClock: Clock = {
    get speed() {
      return clock.speed;
    },
    now: () => clock.now(),
    setTimeout: (fn, delayMs) =>
      clock.setTimeout(() => {
        fn();
        changed();
      }, delayMs),
    clearTimeout: (id) => clock.clearTimeout(id),
    sleep: (ms) => clock.sleep(ms),
  };
  // EB checks HTTPS listener certificates in ACM, and ACM asks EB which load balancers use a certificate.
  const eb: ElasticBeanstalkService = new ElasticBeanstalkService({
    clock: observedClock,
    objects: s3,
    certificates: {
      certificateStatus: (account, region, arn): string | undefined => acm.certificateStatus(account, region, arn),
      certificateNames: (account, region, arn): { names: string[]; amazonIssued: boolean } | undefined => acm.certificateNames(account, region, arn),
    },
  });
  // Registering a service is one entry in one of these lists. A signing name may have both a Query and a
  // JSON service (CloudWatch: botocore and the JS SDK differ); requests with X-Amz-Target go to the JSON one.
  // CloudWatch reads Elastic Beanstalk's metrics from the EB service's evidence (a read-only view, not part of /_sandbox).
  const ebEvidence = eb.evidence as Evidence;
  const environmentMetrics = new ElasticBeanstalkMetrics({ environments: (account, region) => ebEvidence.meteredEnvironments(account, region), now: () => clock.now() });
  const cloudwatch = new CloudWatchService({ clock, sources: [environmentMetrics] });
  const queryServices = bySigningName<QueryService>([eb, new StsService(), cloudwatch.query]);
  const acm: AcmService = new AcmService({ clock, users: eb.certificateUsers });
  const jsonServices = bySigningName<JsonService>([cloudwatch.json, acm]);

  const control: ControlTarget = {
    defaultAccountId: accountId,
    services: () => [...new Set(['s3', ...queryServices.keys(), ...jsonServices.keys()])],
    snapshot: () => cloud.snapshot(),
    restore: (data) => cloud.restore(data),
    reset: () => cloud.reset(),
    evidence: () => eb.evidence,
  };

  // The request pipeline: control endpoints, then routing by credential scope, then the protocol.
  async function handle(req: CloudRequest): Promise<CloudResponse> {
    const requestId = newRequestId();
    try {
      if (isControlRequest(req)) return notifying(req.method !== 'GET' && req.method !== 'HEAD', await handleControlRequest(req, control));
      const route = routeRequest(req, accountId);
      const ctx: RequestContext = { accountId: route.accountId, region: route.region, requestId, now: clock.now() };
      if (route.service === 's3') return notifying(req.method !== 'GET' && req.method !== 'HEAD', answerS3(req, ctx));
      const json = jsonServices.get(route.service);
      const query = queryServices.get(route.service);
      if (json && (req.headers['x-amz-target'] !== undefined || !query)) return notifying(true, await answerJson(json, req, ctx));
      if (query) {
        const { action, response } = await answerQuery(query, req, ctx);
        return notifying(!READ_ONLY_ACTION.test(action), response);
      }
      throw new AwsError('InvalidAction', `The sandbox cloud does not provide the '${route.service}' service; it serves ${control.services().join(', ')}.`, 400);
    } catch (err) {
      if (err instanceof AwsError) return queryError(err, GENERIC_NAMESPACE, requestId);
      log(`sandbox cloud: internal failure for ${req.method} ${req.path} (request ${requestId}): ${describe(err)}`);
      return queryError(new AwsError('InternalFailure', `The sandbox cloud failed to process the request (request id ${requestId}).`, 500), GENERIC_NAMESPACE, requestId);
    }
  }

  function notifying(mayHaveChanged: boolean, response: CloudResponse): CloudResponse {
    if (mayHaveChanged && response.status < 400) changed();
    return response;
  }

  /** S3 answers its own errors (its `<Error>` document), internal failures included. */
  function answerS3(req: CloudRequest, ctx: RequestContext): CloudResponse {
    const s3Headers = { 'x-amz-request-id': ctx.requestId, 'x-amz-id-2': hostId() };
    try {
      const response = handleS3Request(req, s3, ctx);
      return { ...response, headers: { ...s3Headers, ...response.headers } };
    } catch (err) {
      if (err instanceof AwsError) return serializeS3Error(err, req.method, ctx.requestId, s3Headers['x-amz-id-2']);
      log(`sandbox cloud: internal failure for ${req.method} ${req.path} (request ${ctx.requestId}): ${describe(err)}`);
      return serializeS3Error(new AwsError('InternalError', 'We encountered an internal error. Please try again.', 500), req.method, ctx.requestId, s3Headers['x-amz-id-2']);
    }
  }

  const cloud: Cloud = {
    clock,
    accountId,
    handle,
    services: control.services,
    get evidence() {
      return eb.evidence;
    },
    snapshot() {
      return { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, time: clock.now(), services: { s3: s3.snapshot(), elasticbeanstalk: eb.snapshot(), cloudwatch: cloudwatch.snapshot(), acm: acm.snapshot() } };
    },
    restore(input) {
      const snapshot = parseSnapshot(input);
      const installS3 = s3.prepareRestore(snapshot.services.s3);
      const cloudwatchBefore = cloudwatch.snapshot();
      const acmBefore = acm.snapshot();
      try {
        cloudwatch.restore(snapshot.services.cloudwatch);
        acm.restore(snapshot.services.acm);
        eb.restore(snapshot.services.elasticbeanstalk);
      } catch (err) {
        cloudwatch.restore(cloudwatchBefore);
        acm.restore(acmBefore);
        throw err;
      }
      installS3();
    },
    reset() {
      s3.reset();
      eb.reset();
      cloudwatch.reset();
      acm.reset();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      listeners.clear();
      if (clock instanceof ScaledClock && !options.clock) clock.dispose();
    },
  };
  return cloud;
}

/** Checks the envelope of a snapshot (a parsed object or its JSON text) with errors that say what is wrong. */
export function parseSnapshot(input: unknown): CloudSnapshot {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new Error('Cloud snapshot is not valid JSON.');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('Cloud snapshot must be a JSON object.');
  const snapshot = value as Partial<CloudSnapshot>;
  if (snapshot.format !== SNAPSHOT_FORMAT) {
    throw new Error(`Cloud snapshot has format ${JSON.stringify(snapshot.format)}; expected "${SNAPSHOT_FORMAT}" (is this file a cloud snapshot?).`);
  }
  if (snapshot.version !== SNAPSHOT_VERSION) {
    throw new Error(`Cloud snapshot has version ${JSON.stringify(snapshot.version)}; this sandbox reads version ${SNAPSHOT_VERSION}.`);
  }
  if (typeof snapshot.time !== 'number' || !Number.isFinite(snapshot.time)) throw new Error('Cloud snapshot field time must be epoch milliseconds.');
  const services = snapshot.services;
  if (typeof services !== 'object' || services === null) throw new Error('Cloud snapshot field services must be an object with s3 and elasticbeanstalk.');
  if (!('s3' in services)) throw new Error('Cloud snapshot field services.s3 is missing.');
  if (!('elasticbeanstalk' in services)) throw new Error('Cloud snapshot field services.elasticbeanstalk is missing.');
  return snapshot as CloudSnapshot;
}
