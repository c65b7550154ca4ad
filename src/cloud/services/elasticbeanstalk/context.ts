// What every operation handler gets: the caller's region state, the request, and the shared engine
// (clock, ids, object store, event log, lifecycle). Handlers never see HTTP.

import type { Clock } from '../../clock.ts';
import type { ObjectStore, RequestContext } from '../service.ts';
import type { IdGenerator } from './ids.ts';
import type { EbEvent, Environment, RegionState } from './model.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { InstanceRuntime } from './runtime.ts';
import { addEvent } from './events.ts';

export interface Engine {
  readonly clock: Clock;
  readonly objects: ObjectStore;
  readonly ids: IdGenerator;
  readonly lifecycle: Lifecycle;
  readonly runtime: InstanceRuntime;
  /** Every region state of every account (CNAME availability is global within a region across accounts). */
  allRegions(): RegionState[];
  region(accountId: string, region: string): RegionState;
}

export interface Ctx {
  state: RegionState;
  req: RequestContext;
  engine: Engine;
}

export type Handler = (ctx: Ctx, params: import('../service.ts').QueryParams) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** Records an event for an environment, stamped with the clock's time and the causing request. */
export function envEvent(
  state: RegionState,
  now: number,
  env: Environment,
  severity: EbEvent['severity'],
  message: string,
  requestId: string | undefined,
): void {
  const event: EbEvent = {
    date: now,
    message,
    severity,
    applicationName: env.applicationName,
    environmentName: env.name,
    requestId,
  };
  if (env.versionLabel) event.versionLabel = env.versionLabel;
  addEvent(state, event);
}
