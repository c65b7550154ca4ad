// The sandbox cloud's view of HTTP: one request in, one response out. Both hosts (the in-process
// SDK request handler and node:http in server.ts) convert to and from these shapes.

export interface CloudRequest {
  method: string;
  /** Path without the query string, e.g. `/` or `/elasticbeanstalk-us-east-1-000000000000/app/v1.zip`. */
  path: string;
  /** Raw query string without the leading `?` (may be empty). */
  query: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface CloudResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Uint8Array;
}
