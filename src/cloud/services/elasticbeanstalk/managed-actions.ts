// Managed platform updates: an environment on an older version of its platform branch has a pending
// PlatformUpdate action; applying it updates the environment to the branch's latest version.

import type { Ctx } from './context.ts';
import type { QueryParams } from '../service.ts';
import type { Environment } from './model.ts';
import { managedActionInvalidState, notReady } from './errors.ts';
import { findEnvironment } from './environments.ts';
import { int, oneOf, required, str } from './params.ts';
import { latestVersionOf } from './platforms.ts';

function pendingUpdate(ctx: Ctx, env: Environment): { id: string; description: string; stack: string } | undefined {
  const platform = ctx.engine.runtime.platformOf(env, ctx.state.region);
  const latest = latestVersionOf(platform.branch, ctx.state.region);
  if (latest.version === platform.version) return undefined;
  // Stable per environment and target version, so a later Describe names the same action.
  const id = actionId(`${env.id}:${latest.version}`);
  return { id, description: `Update platform version to ${latest.version}`, stack: latest.solutionStackName };
}

function actionId(seed: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < seed.length; i++) {
    h1 = Math.imul(h1 ^ seed.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 + seed.charCodeAt(i), 2246822519) >>> 0;
  }
  const hex = (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')).repeat(2);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function describeEnvironmentManagedActions(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const env = findEnvironment(ctx, params);
  const status = oneOf('Status', str(params, 'Status'), ['Scheduled', 'Pending', 'Running', 'Unknown'] as const);
  const pending = pendingUpdate(ctx, env);
  const running = env.operation?.data.managedActionId as string | undefined;
  const actions: Record<string, unknown>[] = [];
  if (running) actions.push({ ActionId: running, ActionDescription: 'Update platform version', ActionType: 'PlatformUpdate', Status: 'Running' });
  else if (pending) actions.push({ ActionId: pending.id, ActionDescription: pending.description, ActionType: 'PlatformUpdate', Status: 'Pending' });
  return { ManagedActions: actions.filter((a) => !status || a.Status === status) };
}

export function applyEnvironmentManagedAction(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const env = findEnvironment(ctx, params);
  const id = required(params, 'ActionId');
  const pending = pendingUpdate(ctx, env);
  if (!pending || pending.id !== id) {
    throw managedActionInvalidState(`Managed action ${id} is not pending for environment ${env.name}.`);
  }
  if (env.status !== 'Ready') throw notReady(env.name);
  const from = env.solutionStackName;
  const history = (ctx.state.managedActionHistory[env.id] ??= []);
  const now = ctx.req.now;
  const platform = ctx.engine.runtime.platformOf({ platformArn: '', solutionStackName: pending.stack }, ctx.state.region);
  env.solutionStackName = platform.solutionStackName;
  env.platformArn = platform.platformArn;
  ctx.engine.lifecycle.configure(ctx, env, env.apiSettings, { label: env.versionLabel, policy: 'AllAtOnce' });
  env.operation!.data.managedActionId = id;
  history.unshift({
    actionId: id,
    actionType: 'PlatformUpdate',
    actionDescription: `${pending.description} (from ${from})`,
    status: 'Completed',
    executedTime: now,
    finishedTime: now,
  });
  return { ActionId: id, ActionDescription: pending.description, ActionType: 'PlatformUpdate', Status: 'Running' };
}

export function describeEnvironmentManagedActionHistory(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const env = findEnvironment(ctx, params, true);
  const max = int(params, 'MaxItems', 1, 100) ?? 100;
  const token = str(params, 'NextToken');
  const start = token && /^history-(\d+)$/.test(token) ? Number(token.slice(8)) : 0;
  const all = ctx.state.managedActionHistory[env.id] ?? [];
  const page = all.slice(start, start + max);
  const out: Record<string, unknown> = {
    ManagedActionHistoryItems: page.map((h) => ({
      ActionId: h.actionId,
      ActionType: h.actionType,
      ActionDescription: h.actionDescription,
      Status: h.status,
      ExecutedTime: new Date(h.executedTime),
      ...(h.finishedTime !== undefined ? { FinishedTime: new Date(h.finishedTime) } : {}),
      ...(h.failureType ? { FailureType: h.failureType, FailureDescription: h.failureDescription } : {}),
    })),
  };
  if (start + max < all.length) out.NextToken = `history-${start + max}`;
  return out;
}
