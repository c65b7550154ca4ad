// `eb restore [environment_id]`: brings back an environment terminated in the last six weeks
// (RebuildEnvironment with its id); without an id it lists the ones that can be restored.
import { DescribeEnvironmentsCommand, RebuildEnvironmentCommand, type EnvironmentDescription } from '@aws-sdk/client-elastic-beanstalk';
import type { EbCommand } from '../command.ts';
import { nowMs } from '../context.ts';
import { timeoutMinutes } from '../environments.ts';
import { InvalidOptionsError, NotFoundError } from '../errors.ts';
import { waitForEvents } from '../events.ts';
import type { Invocation } from '../invocation.ts';
import { formatDate, table } from '../output.ts';

const sixWeeksMs = 42 * 24 * 3600_000;

async function terminatedEnvironments(inv: Invocation, app: string): Promise<EnvironmentDescription[]> {
  const clients = await inv.clients();
  const response = await clients.eb.send(
    new DescribeEnvironmentsCommand({ ApplicationName: app, IncludeDeleted: true, IncludedDeletedBackTo: new Date(nowMs(clients) - sixWeeksMs) }),
  );
  return (response.Environments ?? [])
    .filter((e) => e.Status === 'Terminated')
    .sort((a, b) => (b.DateUpdated?.getTime() ?? 0) - (a.DateUpdated?.getTime() ?? 0));
}

async function run(inv: Invocation): Promise<number> {
  const { out, ctx } = inv;
  const project = await inv.project();
  const app = project.applicationName;
  const clients = await inv.clients();
  const terminated = await terminatedEnvironments(inv, app);
  let id = inv.args.positionals[0];
  if (!id) {
    if (terminated.length === 0) {
      out.result('No terminated environments found.\nEnvironments are available for six weeks after termination.');
      out.data([]);
      return 0;
    }
    const rows = terminated.map((e, i) => [String(i + 1), e.EnvironmentName ?? '', e.EnvironmentId ?? '', e.VersionLabel ?? '-', formatDate(e.DateUpdated)]);
    out.result(table([['#', 'Name', 'ID', 'Application Version', 'Date Terminated'], ...rows]));
    out.data(terminated);
    if (!ctx.prompt) {
      out.line('To restore one, run "eb restore <environment_id>".');
      return 0;
    }
    const answer = (await ctx.prompt('Enter a environment # to restore. ESC to exit.\n')).trim();
    const chosen = terminated[Number(answer) - 1];
    if (!chosen) return 0;
    id = chosen.EnvironmentId!;
  }
  const target = terminated.find((e) => e.EnvironmentId === id);
  if (!target) {
    if (!/^e-[a-z0-9]+$/.test(id)) throw new InvalidOptionsError(`"${id}" is not an environment id (they look like e-abcd123456). Run "eb restore" to list them.`);
    throw new NotFoundError(`No terminated environment with id ${id} was found in application "${app}" in the last six weeks. Run "eb restore" to list them.`);
  }
  const startedAt = nowMs(clients);
  const response = await clients.eb.send(new RebuildEnvironmentCommand({ EnvironmentId: id }));
  const result = await waitForEvents(inv, clients, {
    applicationName: app,
    environmentName: target.EnvironmentName,
    requestId: response.$metadata.requestId,
    sinceMs: startedAt,
    timeoutMinutes: timeoutMinutes(inv, 30),
    isSuccess: (message) => /^restoreEnvironment completed successfully\.?$/.test(message),
  });
  out.data({ restored: id, environment: target.EnvironmentName, events: result.events });
  return 0;
}

export const restoreCommand: EbCommand = {
  name: 'restore',
  summary: 'Restores a terminated environment.',
  usage: '<environment_id> [options ...]',
  positionals: [{ name: 'environment_id', optional: true, description: 'id of the terminated environment (e-...)' }],
  flags: [{ name: '--timeout', value: 'integer', metavar: 'MINUTES', description: 'minutes to wait (default 30)' }],
  run,
};
