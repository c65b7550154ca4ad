// Routing by the SigV4 credential scope, as LocalStack does: the signing name picks the service, the
// scope's region the region, and the access key id the account (reference §1.4).
import type { CloudRequest } from '../http.ts';
import { AwsError } from './errors.ts';

export const DEFAULT_ACCOUNT_ID = '000000000000';

export interface CredentialScope {
  accessKeyId: string;
  /** `yyyymmdd` as signed. */
  date: string;
  region: string;
  /** SigV4 signing name, e.g. `elasticbeanstalk`, `s3`, `sts`, `monitoring`, `acm`. */
  service: string;
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Parses `AKID/yyyymmdd/region/service/aws4_request`; anything else is undefined. */
export function parseCredential(credential: string): CredentialScope | undefined {
  const parts = credential.trim().split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return undefined;
  const [accessKeyId, date, region, service] = parts;
  if (!accessKeyId || !region || !service) return undefined;
  return { accessKeyId, date, region, service };
}

/** The credential scope of the `Authorization` header, or of a presigned URL's `X-Amz-Credential`. */
export function credentialScopeOf(req: CloudRequest): CredentialScope | undefined {
  const authorization = req.headers['authorization'];
  if (authorization) {
    const match = /Credential=([^,\s]+)/.exec(authorization);
    return match ? parseCredential(match[1]) : undefined;
  }
  if (req.query.includes('X-Amz-Credential=')) {
    for (const part of req.query.split('&')) {
      if (!part.startsWith('X-Amz-Credential=')) continue;
      try {
        return parseCredential(decodeURIComponent(part.slice('X-Amz-Credential='.length)));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The access key id of a request (for `/_sandbox/*` calls that carry one), else undefined. */
export function accessKeyIdOf(req: CloudRequest): string | undefined {
  return credentialScopeOf(req)?.accessKeyId;
}

/** Accounts are keyed by access key id: a 12-digit key is its own account, every other key the default. */
export function accountIdFor(accessKeyId: string | undefined, defaultAccountId = DEFAULT_ACCOUNT_ID): string {
  return accessKeyId && /^\d{12}$/.test(accessKeyId) ? accessKeyId : defaultAccountId;
}

/** Query API versions, for unsigned form requests that name their API but carry no scope. */
const QUERY_VERSIONS: Record<string, string> = {
  '2010-12-01': 'elasticbeanstalk',
  '2011-06-15': 'sts',
  '2010-08-01': 'monitoring',
};

export interface Route {
  service: string;
  region: string;
  accountId: string;
}

/**
 * Decides which service answers a request. A signed request goes where its scope says; an unsigned
 * Query form that names a known API version goes to that API in us-east-1; anything else is refused
 * with an error that says how to sign.
 */
export function routeRequest(req: CloudRequest, defaultAccountId = DEFAULT_ACCOUNT_ID): Route {
  const scope = credentialScopeOf(req);
  if (scope) {
    if (!REGION_PATTERN.test(scope.region)) {
      throw new AwsError(
        'InvalidClientTokenId',
        `The credential scope names the region '${scope.region.slice(0, 64)}', which is not an AWS region name such as us-east-1.`,
        403,
      );
    }
    return { service: scope.service, region: scope.region, accountId: accountIdFor(scope.accessKeyId, defaultAccountId) };
  }
  if (req.headers['authorization']) {
    throw new AwsError(
      'IncompleteSignature',
      "The Authorization header has no SigV4 credential scope (expected 'AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, ...').",
      400,
    );
  }
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.startsWith('application/x-www-form-urlencoded') || req.method === 'GET') {
    const text = contentType ? new TextDecoder().decode(req.body) : req.query;
    const version = /(?:^|&)Version=([^&]*)/.exec(text)?.[1];
    const service = version ? QUERY_VERSIONS[version] : undefined;
    if (service && /(?:^|&)Action=/.test(text)) return { service, region: 'us-east-1', accountId: defaultAccountId };
  }
  throw new AwsError(
    'MissingAuthenticationToken',
    'Request is missing Authentication Token: sign it with AWS Signature Version 4 (any access key id, e.g. "test", and any secret work against the sandbox cloud).',
    403,
  );
}
