// Follows the events of one operation the way the EB CLI does (reference §3.5): DescribeEvents filtered
// by the operation's RequestId, printed oldest first as they arrive, until a success event (done) or a
// failure event (ServiceError, exit 4), or the timeout.
import { DescribeEventsCommand, type EventDescription } from '@aws-sdk/client-elastic-beanstalk';
import type { EbClients } from './context.ts';
import { nowMs } from './context.ts';
import { ServiceError, TimeoutError } from './errors.ts';
import { checkSignal, type Invocation } from './invocation.ts';
import { eventLine } from './output.ts';

const successEquals = new Set([
  'Environment update completed successfully.',
  'Successfully deployed new configuration to environment.',
  'terminateEnvironment completed successfully.',
  'Environment health has been set to GREEN',
  'The application has been deleted successfully.',
  'Pulled logs for environment instances.',
]);
// 'Launched environment' also ends a launch that had issues ("Launched environment: X. However, there were issues
// during launch."): ebcli's responses['event.launched_environment'] counts it as the end of `eb create`, exit 0.
const successPrefixes = ['Successfully launched environment:', 'Launched environment', 'Completed swapping CNAMEs for environments'];
const successContains = ['Successfully finished tailing', 'Successfully finished bundling'];

const failureEquals = new Set([
  'Failed to launch environment.',
  'Failed to deploy application.',
  'The environment was reverted to the previous configuration setting.',
  'Failed to deploy configuration.',
  'Environment health has been set to RED',
]);
const failurePrefixes = ['Create environment operation is complete, but with errors', 'Update environment operation is complete, but with errors.'];

export function isSuccessEvent(message: string): boolean {
  return successEquals.has(message) || successPrefixes.some((p) => message.startsWith(p)) || successContains.some((c) => message.includes(c));
}

export function isFailureEvent(message: string): boolean {
  return failureEquals.has(message) || failurePrefixes.some((p) => message.startsWith(p));
}

export interface EventWait {
  applicationName?: string;
  environmentName?: string;
  /** `$metadata.requestId` of the mutating call; without one, events since `sinceMs` are followed. */
  requestId?: string;
  sinceMs: number;
  timeoutMinutes: number;
  /** Extra success test (e.g. `eb restore` accepts the launch message of the restored environment). */
  isSuccess?: (message: string) => boolean;
}

export interface EventWaitResult {
  events: EventDescription[];
  outcome: 'success' | 'failure';
}

/** ebcli polls every 5 seconds; the first polls come sooner so a fast sandbox streams without a lag. */
export const pollIntervalMs = 5000;

export function pollDelay(pollsSoFar: number): number {
  return pollsSoFar < 10 ? 1000 : pollIntervalMs;
}

/** Streams events until the operation ends; throws ServiceError on a failure event. */
export async function waitForEvents(inv: Invocation, clients: EbClients, wait: EventWait): Promise<EventWaitResult> {
  const deadline = nowMs(clients) + wait.timeoutMinutes * 60_000;
  const printed: EventDescription[] = [];
  const seen = new Set<string>();
  let startTime: Date | undefined = wait.requestId ? undefined : new Date(wait.sinceMs);
  const success = (message: string) => isSuccessEvent(message) || (wait.isSuccess?.(message) ?? false);
  for (let polls = 0; ; polls++) {
    checkSignal(inv.ctx);
    const response = await clients.eb.send(
      new DescribeEventsCommand({
        ApplicationName: wait.applicationName,
        EnvironmentName: wait.environmentName,
        RequestId: wait.requestId,
        StartTime: startTime,
      }),
    );
    // The API lists newest first; reverse before the stable sort so same-second events keep their order.
    const fresh = [...(response.Events ?? [])]
      .reverse()
      .filter((e) => !wait.requestId || !e.RequestId || e.RequestId === wait.requestId)
      .sort((a, b) => (a.EventDate?.getTime() ?? 0) - (b.EventDate?.getTime() ?? 0));
    for (const event of fresh) {
      const key = `${event.EventDate?.getTime()}|${event.Severity}|${event.Message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      printed.push(event);
      inv.out.line(eventLine(event));
      const message = event.Message ?? '';
      if (isFailureEvent(message)) throw new ServiceError(message);
      if (success(message)) return { events: printed, outcome: 'success' };
      // StartTime is inclusive: ask again from this event's time and skip what was already printed.
      if (event.EventDate) startTime = event.EventDate;
    }
    if (nowMs(clients) >= deadline) {
      throw new TimeoutError(
        `The EB CLI timed out after ${wait.timeoutMinutes} minute(s). The operation might still be running. To keep viewing events, run 'eb events -f'. To set timeout duration, use '--timeout MINUTES'.`,
      );
    }
    await clients.sleep(pollDelay(polls));
  }
}
