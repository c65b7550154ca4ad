// Finding the environment a command acts on (argument, else the branch default from config.yml) and
// describing it, with the EB CLI's "not found" and "no default environment" errors.
import { DescribeEnvironmentsCommand, type EnvironmentDescription } from '@aws-sdk/client-elastic-beanstalk';
import type { EbClients } from './context.ts';
import { NoEnvironmentForBranchError, NotFoundError } from './errors.ts';
import type { Invocation } from './invocation.ts';

/** The environment named on the command line, or the current branch's default (`eb use`, `eb create`). */
export async function environmentName(inv: Invocation, given: string | undefined, command = inv.commandPath): Promise<string> {
  if (given) return given;
  const project = await inv.project();
  const fallback = project.defaultEnvironment;
  if (!fallback) throw new NoEnvironmentForBranchError(command);
  return fallback;
}

/** The live (not terminated) environment with this name in the application. */
export async function describeEnvironment(clients: EbClients, applicationName: string | undefined, name: string): Promise<EnvironmentDescription> {
  const response = await clients.eb.send(
    new DescribeEnvironmentsCommand({ ApplicationName: applicationName, EnvironmentNames: [name], IncludeDeleted: false }),
  );
  const live = (response.Environments ?? []).filter((e) => e.Status !== 'Terminated');
  if (live.length === 0) throw new NotFoundError(`Environment "${name}" not Found.`);
  return live[0];
}

export async function listEnvironments(clients: EbClients, applicationName: string | undefined): Promise<EnvironmentDescription[]> {
  const response = await clients.eb.send(new DescribeEnvironmentsCommand({ ApplicationName: applicationName, IncludeDeleted: false }));
  return (response.Environments ?? []).filter((e) => e.Status !== 'Terminated');
}

/** `Environment name must be 4-40 letters, digits or hyphens`, checked before any API call. */
export function environmentNameProblem(name: string): string | null {
  if (name.length < 4 || name.length > 40 || !/^[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]$/.test(name)) {
    return `Environment name "${name}" is not valid: it must be 4 to 40 characters long, contain only letters, numbers, and hyphens, and not start or end with a hyphen.`;
  }
  return null;
}

/** Minutes from --timeout, or the command's default. */
export function timeoutMinutes(inv: Invocation, fallback: number): number {
  const value = inv.args.flags['timeout'];
  return typeof value === 'number' && value > 0 ? value : fallback;
}
