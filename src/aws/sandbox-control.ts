// A client for the sandbox cloud's `/_sandbox/*` endpoints (evidence the AWS API does not give),
// over the in-process cloud or over HTTP to `academy cloud`, with the caller's access key as account.
import type { CloudRequest, CloudResponse } from '../cloud/http.ts';
import type { EnvironmentHttpRequest, EnvironmentHttpResponse } from '../cloud/services/service.ts';

export interface SandboxScope {
  /** Region of the environment (default: the clients' region). */
  region?: string;
  /** Only entries at or after this virtual time, epoch ms. */
  since?: number;
}

export interface SandboxHealth {
  services: Record<string, string>;
  edition: string;
  version: string;
}

export interface SandboxControl {
  /** Per-instance lanes (version, health, batch, deployment id) over time, plus events. */
  timeline(environment: string, scope?: SandboxScope): Promise<unknown>;
  /** Requests sent to the environment URL and their outcomes. */
  traffic(environment: string, scope?: SandboxScope): Promise<unknown>;
  /** Starts (rps > 0) or stops (0) the steady traffic probe against an environment; `requests` is its mix (`POST /predict`), default `GET /`. */
  probe(environment: string, rps: number, scope?: { region?: string; requests?: string[] }): Promise<void>;
  /** Sends a request to an environment URL. */
  request(req: EnvironmentHttpRequest): Promise<EnvironmentHttpResponse>;
  /** The whole cloud state as a snapshot. */
  state(): Promise<unknown>;
  /** Replaces the whole cloud state with a snapshot. */
  restore(snapshot: unknown): Promise<void>;
  reset(): Promise<void>;
  /** LocalStack-style health: which services run. */
  health(): Promise<SandboxHealth>;
}

/** A `/_sandbox/*` call that failed, with the sandbox's error code. */
export class SandboxControlError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SandboxControlError';
  }
}

/** Sends one control request and returns the response (transport differs: in-process or fetch). */
export type ControlTransport = (req: Omit<CloudRequest, 'headers'> & { headers: Record<string, string> }) => Promise<CloudResponse>;

export function createSandboxControl(transport: ControlTransport, defaults: { region: string; accessKeyId: string }): SandboxControl {
  const call = async (method: string, path: string, params: Record<string, string | number | undefined>, body?: unknown): Promise<unknown> => {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
    const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const headers: Record<string, string> = {
      // Carries the account (by access key id) the way AWS calls do; the sandbox does not check signatures.
      authorization: `AWS4-HMAC-SHA256 Credential=${defaults.accessKeyId}/${date}/${defaults.region}/sandbox/aws4_request, SignedHeaders=host, Signature=0`,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await transport({
      method,
      path,
      query: query.toString(),
      headers,
      body: body === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(body)),
    });
    const text = new TextDecoder().decode(response.body);
    let parsed: unknown = undefined;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new SandboxControlError('NotASandbox', `${path} answered HTTP ${response.status} with a body that is not JSON: is the endpoint a Beanstalk Academy sandbox cloud?`, response.status);
    }
    if (response.status >= 300) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new SandboxControlError(error?.code ?? `HTTP${response.status}`, error?.message ?? `${path} answered HTTP ${response.status}.`, response.status);
    }
    return parsed;
  };
  const regionOf = (scope?: { region?: string }) => scope?.region ?? defaults.region;
  return {
    timeline: (environment, scope) => call('GET', '/_sandbox/timeline', { environment, region: regionOf(scope), since: scope?.since }),
    traffic: (environment, scope) => call('GET', '/_sandbox/traffic', { environment, region: regionOf(scope), since: scope?.since }),
    probe: async (environment, rps, scope) => {
      await call('POST', '/_sandbox/probe', {}, { environment, rps, region: regionOf(scope), ...(scope?.requests ? { requests: scope.requests } : {}) });
    },
    request: async (req) => (await call('POST', '/_sandbox/request', {}, req)) as EnvironmentHttpResponse,
    state: () => call('GET', '/_sandbox/state', {}),
    restore: async (snapshot) => {
      await call('PUT', '/_sandbox/state', {}, snapshot);
    },
    reset: async () => {
      await call('POST', '/_sandbox/reset', {}, {});
    },
    health: async () => (await call('GET', '/_localstack/health', {})) as SandboxHealth,
  };
}

/** A transport that calls an HTTP endpoint with fetch (Node 20 and browsers). */
export function fetchTransport(endpoint: string): ControlTransport {
  const base = endpoint.replace(/\/+$/, '');
  return async (req) => {
    const url = `${base}${req.path}${req.query ? `?${req.query}` : ''}`;
    const response = await fetch(url, { method: req.method, headers: req.headers, body: req.body.length ? (req.body as Uint8Array<ArrayBuffer>) : undefined });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, body: new Uint8Array(await response.arrayBuffer()) };
  };
}
