// Endpoints that are not AWS APIs: LocalStack's health probe (so tools that look for LocalStack accept
// the sandbox), `/_sandbox/*` evidence and state control, and plain HTTP to environment CNAMEs.
import type { CloudRequest, CloudResponse } from './http.ts';
import type { EnvironmentEvidence, EnvironmentHttpRequest } from './services/service.ts';
import { AwsError } from './protocol/errors.ts';
import { accessKeyIdOf, accountIdFor } from './protocol/router.ts';

/** What the control endpoints need from the cloud they belong to. */
export interface ControlTarget {
  /** Signing names of the AWS services this cloud answers. */
  services(): string[];
  snapshot(): unknown;
  restore(snapshot: unknown): void;
  reset(): void;
  /** Sandbox evidence from the Elastic Beanstalk service (undefined while it is not available). */
  evidence(): EnvironmentEvidence | undefined;
  readonly defaultAccountId: string;
}

/** The LocalStack version we answer as; tools only check that the field exists. */
const LOCALSTACK_COMPATIBLE_VERSION = '4.0.0';
/** Environment URLs: CNAMEs and load balancer names, answered by the environment's instances. */
const CNAME_HOST = /^([a-z0-9-]+\.)+(elasticbeanstalk\.com|elb\.amazonaws\.com)(:\d+)?$/i;
const encoder = new TextEncoder();

function json(status: number, value: unknown, headers: Record<string, string> = {}): CloudResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: encoder.encode(JSON.stringify(value)) };
}

function problem(status: number, code: string, message: string): CloudResponse {
  return json(status, { error: { code, message } });
}

function readJson(req: CloudRequest): Record<string, unknown> {
  const text = new TextDecoder().decode(req.body).trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AwsError('InvalidRequest', `The request body of ${req.path} is not valid JSON.`, 400);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AwsError('InvalidRequest', `The request body of ${req.path} must be a JSON object.`, 400);
  }
  return value as Record<string, unknown>;
}

function searchParams(req: CloudRequest): URLSearchParams {
  return new URLSearchParams(req.query);
}

function requiredString(value: unknown, name: string, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new AwsError('MissingParameter', `${where} needs '${name}' (an environment name, e.g. ${name}=pettracker-staging).`, 400);
  }
  return value;
}

function optionalSince(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  const since = Number(value);
  if (!Number.isFinite(since)) throw new AwsError('InvalidParameterValue', `'since' must be a time in epoch milliseconds, got '${value.slice(0, 40)}'.`, 400);
  return since;
}

/** Whether a request is for the control plane or an environment URL rather than an AWS API. */
export function isControlRequest(req: CloudRequest): boolean {
  return req.path.startsWith('/_localstack/') || req.path.startsWith('/_sandbox/') || CNAME_HOST.test(req.headers['host'] ?? '');
}

/** Answers a control request. Errors become JSON `{ error: { code, message } }` with their status. */
export async function handleControlRequest(req: CloudRequest, target: ControlTarget): Promise<CloudResponse> {
  try {
    return await route(req, target);
  } catch (err) {
    if (err instanceof AwsError) return problem(err.status, err.code, err.message);
    if (err instanceof Error && req.path === '/_sandbox/state') return problem(400, 'InvalidSnapshot', err.message);
    throw err;
  }
}

function needEvidence(target: ControlTarget): EnvironmentEvidence {
  const evidence = target.evidence();
  if (!evidence) throw new AwsError('ServiceUnavailable', 'The Elastic Beanstalk service is not available in this sandbox build.', 503);
  return evidence;
}

async function route(req: CloudRequest, target: ControlTarget): Promise<CloudResponse> {
  const accountId = accountIdFor(accessKeyIdOf(req), target.defaultAccountId);
  const method = req.method.toUpperCase();
  const host = req.headers['host'] ?? '';
  if (CNAME_HOST.test(host) && !req.path.startsWith('/_')) {
    const body = req.body.length ? new TextDecoder().decode(req.body) : undefined;
    const url = `http://${host.replace(/:\d+$/, '')}${req.path}${req.query ? `?${req.query}` : ''}`;
    const answer = await needEvidence(target).request(accountId, { url, method, headers: req.headers, body });
    const headers = { ...answer.headers };
    if (answer.versionLabel) headers['x-app-version'] = answer.versionLabel;
    return { status: answer.status, headers, body: encoder.encode(answer.body) };
  }
  const allow = (...methods: string[]) => {
    if (!methods.includes(method)) throw new AwsError('MethodNotAllowed', `${req.path} accepts ${methods.join(' or ')}, not ${method}.`, 405);
  };
  const params = searchParams(req);
  switch (req.path) {
    case '/_localstack/health': {
      allow('GET', 'HEAD');
      const services: Record<string, string> = {};
      for (const name of target.services().sort()) services[name] = 'running';
      return json(200, { services, edition: 'community', version: LOCALSTACK_COMPATIBLE_VERSION, features: { initScripts: 'initialized' } });
    }
    case '/_sandbox/reset':
      allow('POST');
      target.reset();
      return json(200, { reset: true });
    case '/_sandbox/state':
      allow('GET', 'PUT');
      if (method === 'GET') return json(200, target.snapshot());
      target.restore(readJson(req));
      return json(200, { restored: true });
    case '/_sandbox/timeline':
    case '/_sandbox/traffic': {
      allow('GET');
      const environment = requiredString(params.get('environment'), 'environment', req.path);
      const region = params.get('region') || 'us-east-1';
      const since = optionalSince(params.get('since'));
      const evidence = needEvidence(target);
      const result = req.path === '/_sandbox/timeline' ? evidence.timeline(accountId, region, environment, since) : evidence.traffic(accountId, region, environment, since);
      return json(200, result);
    }
    case '/_sandbox/probe': {
      allow('POST');
      const body = readJson(req);
      const environment = requiredString(body['environment'], 'environment', req.path);
      const rps = body['rps'];
      if (typeof rps !== 'number' || !Number.isFinite(rps) || rps < 0 || rps > 1000) {
        throw new AwsError('InvalidParameterValue', `${req.path} needs 'rps', requests per simulated second between 0 (stop) and 1000.`, 400);
      }
      const region = typeof body['region'] === 'string' && body['region'] ? body['region'] : 'us-east-1';
      const requests = probeRequests(body['requests'], req.path);
      needEvidence(target).setProbe(accountId, region, environment, rps, requests);
      return json(200, { environment, region, rps, ...(requests ? { requests: requests.map((r) => `${r.method} ${r.path}`) } : {}) });
    }
    case '/_sandbox/request': {
      allow('POST');
      const body = readJson(req);
      const url = requiredString(body['url'], 'url', req.path);
      const request: EnvironmentHttpRequest = {
        url,
        method: typeof body['method'] === 'string' ? body['method'] : 'GET',
        headers: isStringMap(body['headers']) ? body['headers'] : {},
      };
      if (typeof body['body'] === 'string') request.body = body['body'];
      return json(200, await needEvidence(target).request(accountId, request));
    }
    default:
      throw new AwsError('NotFound', `${req.path} is not a sandbox endpoint. Known: /_localstack/health, /_sandbox/{reset,state,timeline,traffic,probe,request}.`, 404);
  }
}

/** The probe's request mix: `["POST /predict", "GET /health"]` (a bare path means GET); undefined keeps the current mix. */
function probeRequests(value: unknown, path: string): { method: string; path: string }[] | undefined {
  if (value === undefined) return undefined;
  const bad = () => new AwsError('InvalidParameterValue', `${path} 'requests' must be a list of "METHOD /path" strings, e.g. ["POST /predict", "GET /health"].`, 400);
  if (!Array.isArray(value) || value.length > 100) throw bad();
  return value.map((item) => {
    const m = typeof item === 'string' ? /^(?:([A-Za-z]+)\s+)?(\/\S*)$/.exec(item.trim()) : null;
    if (!m) throw bad();
    return { method: (m[1] ?? 'GET').toUpperCase(), path: m[2] };
  });
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}
