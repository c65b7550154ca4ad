// What every operation handler gets: the caller's region state, the request, and the shared engine
// (clock, ids, object store, event log, lifecycle). Handlers never see HTTP.

import type { Clock } from '../../clock.ts';
import type { ObjectStore, RequestContext } from '../service.ts';
import type { IdGenerator } from './ids.ts';
import type { RegionState } from './model.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { InstanceRuntime } from './runtime.ts';
import type { CertificateDirectory } from './listeners.ts';

export interface Engine {
  readonly clock: Clock;
  readonly objects: ObjectStore;
  readonly ids: IdGenerator;
  readonly lifecycle: Lifecycle;
  readonly runtime: InstanceRuntime;
  /** ACM, for the certificates of HTTPS listeners (absent: every certificate is unknown). */
  readonly certificates?: CertificateDirectory;
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
