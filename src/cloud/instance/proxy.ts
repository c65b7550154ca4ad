// The nginx-like proxy in front of the web process: answers requests and health checks from the app model.

import type { AppProcess, AppRequest, AppResponse, HealthCheckResult } from './types.ts';

/** Answers one request through the proxy: 502 when nothing listens upstream, 413 over client_max_body_size, 404 for unknown routes. */
export function answerRequest(process: AppProcess | undefined, request: AppRequest): AppResponse {
  void process;
  void request;
  throw new Error('answerRequest: not implemented yet');
}

/** A load balancer health check: the path's status must satisfy MatcherHTTPCode (`200`, `200,202`, `200-299`). */
export function checkHealth(process: AppProcess | undefined, check: { path: string; matcherHttpCode?: string; now?: number }): HealthCheckResult {
  void process;
  void check;
  throw new Error('checkHealth: not implemented yet');
}
