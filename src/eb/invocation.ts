// One run of one `eb` command: parsed arguments, output, and the project and clients, each loaded
// once and only when the command needs them.
import type { ParsedArgs } from './args.ts';
import type { EbClients, EbContext, Output } from './context.ts';
import type { Project } from './project.ts';
import { CaughtSignal } from './errors.ts';

export interface Invocation {
  ctx: EbContext;
  args: ParsedArgs;
  out: Output;
  /** e.g. "create" or "config save", for messages that name the command. */
  commandPath: string;
  /** The project around cwd; throws NotInitializedError when there is none. */
  project(): Promise<Project>;
  /** SDK clients for `region` (default: --region, config.yml, env, profile) and the endpoint. */
  clients(region?: string): Promise<EbClients>;
  /** Region from AWS_REGION / AWS_DEFAULT_REGION or the profile's ~/.aws/config (no flag, no config.yml). */
  environmentRegion(): Promise<string | undefined>;
  /** The endpoint in use, for error messages (undefined for in-process or default AWS). */
  endpoint(): string | undefined;
}

/** Throws CaughtSignal when the host aborted the command (Ctrl-C in the lab terminal). */
export function checkSignal(ctx: EbContext): void {
  if (ctx.signal?.aborted) throw new CaughtSignal();
}
