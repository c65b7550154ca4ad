// What a service provider sees of a request: the decoded parameters and who is asking.
// Providers never see HTTP (see shared/ARCHITECTURE.md); the protocol layer parses and serialises.

export interface RequestContext {
  /** 12-digit account id, derived from the access key id (default 000000000000). */
  accountId: string;
  /** Region from the SigV4 credential scope, e.g. `us-east-1`. */
  region: string;
  /** The request id returned in `ResponseMetadata/RequestId` and `x-amzn-RequestId`. */
  requestId: string;
  /** Virtual time of the request, epoch ms. */
  now: number;
}

/**
 * Decoded AWS Query parameters: `member.N` lists become arrays, dotted names become nested objects,
 * scalars stay strings (the provider coerces numbers and booleans). `Name=` with no members is `[]`.
 */
export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };
export type QueryParams = { [key: string]: QueryValue };

/** A service spoken over the AWS Query protocol (Elastic Beanstalk, STS, CloudWatch). */
export interface QueryService {
  /** SigV4 signing name, e.g. `elasticbeanstalk`, `sts`, `monitoring`. */
  readonly signingName: string;
  /** XML namespace of responses, e.g. `http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/`. */
  readonly xmlNamespace: string;
  /**
   * Runs one action. Returns the `<Action>Result` content as a plain object (arrays serialise as
   * `<member>` lists, Dates as ISO-8601) or throws an AwsError.
   */
  handle(action: string, params: QueryParams, ctx: RequestContext): Promise<Record<string, unknown>>;
}

/** Read access to S3 objects, which Elastic Beanstalk needs to fetch source bundles. Implemented by the S3 service. */
export interface ObjectStore {
  /** The object's bytes, or undefined when the bucket or key does not exist in that account. */
  getObject(accountId: string, bucket: string, key: string): Uint8Array | undefined;
  /** Creates the bucket if needed and stores an object (EB writes sample bundles and log bundles this way). */
  putObject(accountId: string, region: string, bucket: string, key: string, body: Uint8Array, contentType?: string): void;
  /** Deletes an object (EB's DeleteSourceBundle and version lifecycle DeleteSourceFromS3); true when it existed. */
  deleteObject?(accountId: string, bucket: string, key: string): boolean;
}

/** A request sent to an environment's URL (its CNAME or load balancer), answered by its simulated instances. */
export interface EnvironmentHttpRequest {
  /** Full URL, e.g. `http://pettracker-web-staging.eba-abc123.us-east-1.elasticbeanstalk.com/health`. */
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export interface EnvironmentHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Which instance answered, and which version label it ran (also sent as `x-app-version`). */
  instanceId?: string;
  versionLabel?: string;
  /**
   * Set when no HTTP answer came back: nothing accepts connections on the URL's port (`refused`), or the TLS
   * handshake failed (`tls`: an https:// URL on a plain HTTP listener). status is 0 then.
   */
  connectionError?: { kind: 'refused' | 'tls'; message: string; elapsedMs: number };
  /** For https:// URLs: the certificate the load balancer presented (clients check its names and trust). */
  tls?: { certificateArn: string; names: string[]; trusted: boolean; selfSigned: boolean; sslPolicy: string };
}

/**
 * Sandbox-only evidence and control that the AWS API does not offer, served by control.ts under
 * `/_sandbox/*`. Implemented by the Elastic Beanstalk service. Environment is found by name within
 * the account and region; all results are plain JSON-serialisable objects.
 */
export interface EnvironmentEvidence {
  /** Answers a request to an environment URL (used by `curl` in the lab shell) and records it as traffic. */
  request(accountId: string, req: EnvironmentHttpRequest): Promise<EnvironmentHttpResponse>;
  /** Per-instance lanes over time: version, health, batch, in/out of service, deployment id; plus events. */
  timeline(accountId: string, region: string, environmentName: string, since?: number): unknown;
  /** Requests sent to the environment (probe and learner) with time, status, version, latency. */
  traffic(accountId: string, region: string, environmentName: string, since?: number): unknown;
  /** Starts/stops the steady traffic probe (requests per simulated second) against an environment. */
  setProbe(accountId: string, region: string, environmentName: string, rps: number, requests?: { method: string; path: string }[]): void;
}
