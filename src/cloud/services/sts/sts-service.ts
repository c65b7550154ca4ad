// STS as the sandbox needs it: GetCallerIdentity, which the AWS CLI and the EB CLI call to learn the
// account. Every access key is the root user of its account (see protocol/router.ts for the mapping).
import { AwsError } from '../../protocol/errors.ts';
import type { QueryParams, QueryService, RequestContext } from '../service.ts';

export const STS_VERSION = '2011-06-15';

export class StsService implements QueryService {
  readonly signingName = 'sts';
  readonly xmlNamespace = 'https://sts.amazonaws.com/doc/2011-06-15/';

  async handle(action: string, _params: QueryParams, ctx: RequestContext): Promise<Record<string, unknown>> {
    switch (action) {
      case 'GetCallerIdentity':
        return { UserId: ctx.accountId, Account: ctx.accountId, Arn: `arn:aws:iam::${ctx.accountId}:root` };
      default:
        throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${STS_VERSION}`, 400);
    }
  }
}
