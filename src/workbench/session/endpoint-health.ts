// Tests a cloud endpoint (LocalStack or `academy cloud`) through /_localstack/health and explains, in the
// learner's terms, what works there and what differs from the built-in sandbox.
import type { EndpointReport } from '../protocol.ts';

const NEEDED = ['elasticbeanstalk', 's3', 'sts'];

/** Checks an endpoint URL's form; returns an error message or null. */
export function endpointProblem(endpoint: string): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `"${endpoint}" is not a URL; type one such as http://localhost:4566`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `The endpoint must start with http:// or https://, not ${url.protocol}//`;
  if (url.pathname !== '/' || url.search || url.hash) return `Give only the scheme, host and port (e.g. ${url.origin}), without a path`;
  return null;
}

export async function describeEndpointHealth(endpoint: string, fetcher: typeof fetch, timeoutMs = 5000): Promise<EndpointReport> {
  const problem = endpointProblem(endpoint);
  if (problem) return { ok: false, summary: problem, services: {}, differences: [] };
  const origin = new URL(endpoint).origin;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let body: unknown;
  try {
    const response = await fetcher(`${origin}/_localstack/health`, { signal: controller.signal });
    if (!response.ok) {
      return { ok: false, summary: `${origin} answered ${response.status} ${response.statusText} to /_localstack/health; is it LocalStack or \`academy cloud\`?`, services: {}, differences: [] };
    }
    body = await response.json();
  } catch (error) {
    const reason = controller.signal.aborted ? `no answer within ${timeoutMs / 1000} s` : error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      summary: `Could not reach ${origin} (${reason}). Start it (\`npx academy cloud\` or LocalStack) and check that it allows requests from this page (CORS).`,
      services: {},
      differences: [],
    };
  } finally {
    clearTimeout(timer);
  }
  const services: Record<string, string> = {};
  const raw = (body as { services?: unknown })?.services;
  if (raw && typeof raw === 'object') for (const [name, state] of Object.entries(raw)) services[name] = String(state);
  const edition = String((body as { edition?: unknown })?.edition ?? '');
  const isSandbox = /beanstalk-academy|sandbox/i.test(edition) || 'sandbox' in ((body as object) ?? {});
  const missing = NEEDED.filter((name) => !services[name] || /disabled|error/i.test(services[name]));
  const differences: string[] = [];
  if (!isSandbox) {
    differences.push('LocalStack offers Elastic Beanstalk only in its paid Ultimate plan and needs an auth token; without it, eb commands fail with an error from LocalStack.');
    differences.push('LocalStack’s Elastic Beanstalk is API bookkeeping: no deployment events, health or instance timeline, so checks that need that evidence report an error instead of a pass or fail.');
  }
  differences.push('Time runs at real speed there: an environment launch takes as long as that cloud makes it take.');
  if (missing.length > 0) differences.unshift(`It does not offer ${missing.join(', ')}, which the labs need.`);
  const ok = missing.length === 0;
  const summary = ok
    ? `${origin} is up${edition ? ` (${edition})` : ''} and offers ${NEEDED.join(', ')}.`
    : `${origin} is up but does not offer ${missing.join(', ')}.`;
  return { ok, summary, services, differences };
}
