// A fresh in-process sandbox cloud on a stepped clock, with SDK clients for it: what `verify` and
// `grade` run labs against (restoring a snapshot is how a preset is reused and how attempts are graded).
import { createCloud, ManualClock, type Cloud, type CloudSnapshot } from '../cloud/index.ts';
import { clientsForCloud, type AwsClients } from '../aws/index.ts';

export interface Sandbox {
  cloud: Cloud;
  clock: ManualClock;
  clients: AwsClients;
  /** Internal failures the cloud logged (a sandbox defect, reported rather than hidden). */
  internalErrors: string[];
  dispose(): void;
}

export function createSandbox(options: { region: string; snapshot?: CloudSnapshot | unknown }): Sandbox {
  const snapshot = options.snapshot as { time?: unknown } | undefined;
  const start = snapshot && typeof snapshot.time === 'number' ? snapshot.time : undefined;
  const clock = new ManualClock(start);
  const internalErrors: string[] = [];
  const cloud = createCloud({ clock, log: (message) => internalErrors.push(message) });
  if (options.snapshot !== undefined) cloud.restore(options.snapshot);
  const clients = clientsForCloud(cloud, { region: options.region });
  return { cloud, clock, clients, internalErrors, dispose: () => cloud.dispose() };
}
