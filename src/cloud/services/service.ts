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
