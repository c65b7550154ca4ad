// `eb events`: the environment's recent events, oldest first; -f keeps following new ones until
// interrupted.
import { DescribeEventsCommand, type EventDescription } from '@aws-sdk/client-elastic-beanstalk';
import { boolFlag } from '../args.ts';
import type { EbCommand } from '../command.ts';
import { describeEnvironment, environmentName } from '../environments.ts';
import { pollIntervalMs } from '../events.ts';
import type { Invocation } from '../invocation.ts';
import { eventLine } from '../output.ts';

async function run(inv: Invocation): Promise<number> {
  const { args, out, ctx } = inv;
  const project = await inv.project();
  const app = project.applicationName;
  const envName = await environmentName(inv, args.positionals[0], 'events');
  const clients = await inv.clients();
  await describeEnvironment(clients, app, envName);
  const response = await clients.eb.send(new DescribeEventsCommand({ ApplicationName: app, EnvironmentName: envName, MaxRecords: 100 }));
  const events = [...(response.Events ?? [])].reverse();
  const seen = new Set(events.map(key));
  for (const event of events) out.result(eventLine(event));
  out.data(events);
  if (!boolFlag(args, 'follow') || !ctx.signal) return 0;
  out.line('Streaming new events. Use CTRL+C to exit.');
  let since = events.at(-1)?.EventDate;
  while (!ctx.signal.aborted) {
    await clients.sleep(pollIntervalMs);
    if (ctx.signal.aborted) break;
    const fresh = await clients.eb.send(new DescribeEventsCommand({ ApplicationName: app, EnvironmentName: envName, StartTime: since }));
    for (const event of [...(fresh.Events ?? [])].reverse()) {
      if (seen.has(key(event))) continue;
      seen.add(key(event));
      out.result(eventLine(event));
      since = event.EventDate ?? since;
    }
  }
  return 0;
}

function key(event: EventDescription): string {
  return `${event.EventDate?.getTime()}|${event.Severity}|${event.Message}`;
}

export const eventsCommand: EbCommand = {
  name: 'events',
  summary: 'Gets recent events.',
  usage: '<environment_name> [options ...]',
  positionals: [{ name: 'environment_name', optional: true, description: 'environment name (default: the branch default)' }],
  flags: [{ name: '--follow', aliases: ['-f'], description: 'keep printing new events until interrupted (Ctrl-C)' }],
  run,
};
