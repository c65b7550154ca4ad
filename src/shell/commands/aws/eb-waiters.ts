// `aws elasticbeanstalk wait environment-exists | environment-updated | environment-terminated`: botocore's
// waiters over DescribeEnvironments, polling on the cloud's clock with their delay, attempts and acceptors.
import { DescribeEnvironmentsCommand, type ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import type { LabCommandContext } from '../../command.ts';
import { ebOperations } from './elasticbeanstalk.ts';
import { AwsUsageError, parseParams } from './params.ts';
import { describeError } from './s3.ts';

interface EnvironmentWaiter {
  /** The waiter's name in botocore, used in its messages. */
  name: string;
  /** Every environment has this status: done. */
  success: string;
  /** Every environment has this status: ask again. */
  retry: string;
}

/** botocore's elasticbeanstalk waiters (waiters-2.json). Any other mix of statuses also means "ask again". */
export const ENVIRONMENT_WAITERS: Readonly<Record<string, EnvironmentWaiter>> = {
  'environment-exists': { name: 'EnvironmentExists', success: 'Ready', retry: 'Launching' },
  'environment-updated': { name: 'EnvironmentUpdated', success: 'Ready', retry: 'Updating' },
  'environment-terminated': { name: 'EnvironmentTerminated', success: 'Terminated', retry: 'Terminating' },
};

/** Every 20 seconds, at most 20 times, as botocore does for all three. */
export const ENVIRONMENT_WAIT = { delayMs: 20_000, maxAttempts: 20 };

/** The CLI's help text for the waiters. */
export function environmentWaitHelp(): string {
  const names = Object.keys(ENVIRONMENT_WAITERS).join(' | ');
  return `aws elasticbeanstalk wait ${names} [describe-environments parameters]\n\nWaits until every environment DescribeEnvironments returns is Ready (environment-exists, environment-updated)\nor Terminated (environment-terminated), asking every ${ENVIRONMENT_WAIT.delayMs / 1000} seconds of cloud time, at most ${ENVIRONMENT_WAIT.maxAttempts} times.\nPrints nothing on success; exits 255 after the last attempt or on an error.\n\nExample:\n  aws elasticbeanstalk wait environment-updated --environment-names pettracker-web-prod\n`;
}

/** Runs a waiter: 0 on success, 255 (with botocore's message) on time-out or error, 130 when interrupted. */
export async function waitForEnvironments(tokens: string[], eb: ElasticBeanstalkClient, ctx: LabCommandContext): Promise<number> {
  const [waiterName, ...rest] = tokens;
  const names = Object.keys(ENVIRONMENT_WAITERS);
  if (waiterName === undefined) throw new AwsUsageError(`the following arguments are required: wait_name (aws elasticbeanstalk wait ${names.join(' | ')})`);
  const waiter = ENVIRONMENT_WAITERS[waiterName];
  if (!waiter) throw new AwsUsageError(`argument wait_name: Invalid choice, valid choices are:\n\n${names.join(' | ')}`);
  const input = await parseParams(rest, ebOperations['describe-environments'], ctx);
  let lastMatched: string | undefined;
  for (let attempt = 1; ; attempt++) {
    let statuses: string[];
    try {
      const out = await eb.send(new DescribeEnvironmentsCommand(input));
      statuses = (out.Environments ?? []).map((e) => e.Status ?? '');
    } catch (error) {
      ctx.stderr(`\nWaiter ${waiter.name} failed: ${describeError(error, 'DescribeEnvironments')}\n`);
      return 255;
    }
    if (statuses.length > 0 && statuses.every((s) => s === waiter.success)) return 0;
    if (statuses.length > 0 && statuses.every((s) => s === waiter.retry)) lastMatched = waiter.retry;
    if (attempt >= ENVIRONMENT_WAIT.maxAttempts) {
      const previously = lastMatched
        ? ` Previously accepted state: For expression "Environments[].Status" all members matched expected path: "${lastMatched}"`
        : statuses.length === 0
          ? ' No environment matched the parameters.'
          : ` The environments were ${[...new Set(statuses)].join(', ')}.`;
      ctx.stderr(`\nWaiter ${waiter.name} failed: Max attempts exceeded.${previously}\n`);
      return 255;
    }
    if (ctx.signal.aborted) return 130;
    await ctx.clients.sleep(ENVIRONMENT_WAIT.delayMs);
    if (ctx.signal.aborted) return 130;
  }
}
