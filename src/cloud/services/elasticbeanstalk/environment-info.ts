// RequestEnvironmentInfo / RetrieveEnvironmentInfo (`eb logs`): each instance's tail or full log bundle,
// stored in the environment's S3 bucket and handed back as a presigned-looking path-style URL.

import { strToU8, zipSync } from 'fflate';
import type { Ctx } from './context.ts';
import type { QueryParams } from '../service.ts';
import type { Environment, Instance } from './model.ts';
import { findEnvironment } from './environments.ts';
import { oneOf, required } from './params.ts';
import { storageBucket } from './ids.ts';

const INFO_TYPES = ['tail', 'bundle', 'analyze'] as const;
/** Lines per file in a tail. */
const TAIL_LINES = 100;
/** Logs are ready a few seconds after the request. */
const PULL_MS = 5_000;
/** EB keeps retrieved information for 15 minutes. */
const KEEP_MS = 15 * 60_000;

function tail(inst: Instance): string {
  const parts: string[] = [];
  for (const [file, lines] of Object.entries(inst.logs).sort(([a], [b]) => a.localeCompare(b))) {
    parts.push('----------------------------------------', file, '----------------------------------------', ...lines.slice(-TAIL_LINES), '');
  }
  if (parts.length === 0) parts.push('----------------------------------------', '/var/log/eb-engine.log', '----------------------------------------', '');
  return parts.join('\n');
}

function bundle(inst: Instance): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [file, lines] of Object.entries(inst.logs)) files[file.replace(/^\//, '')] = strToU8(lines.join('\n') + '\n');
  if (Object.keys(files).length === 0) files['var/log/eb-engine.log'] = strToU8('');
  return zipSync(files);
}

function analyze(env: Environment, inst: Instance): string {
  const lines = [`Analysis of ${inst.id} in ${env.name}`, `Health: ${inst.health}`];
  for (const c of inst.causes) lines.push(`Cause: ${c}`);
  if (inst.deployFailure) lines.push(`Last deployment failed: ${inst.deployFailure}`);
  if (inst.process?.exit) lines.push(`Web process exited with code ${inst.process.exit.code}: ${inst.process.exit.error}`);
  const errors = Object.entries(inst.logs).flatMap(([file, ls]) => ls.filter((l) => /error|exception|traceback|failed/i.test(l)).slice(-5).map((l) => `${file}: ${l}`));
  lines.push(...errors);
  return lines.join('\n') + '\n';
}

/** The URL of an object in the sandbox's S3, in the presigned path-style form the SDK's router accepts. */
export function presignedUrl(region: string, accountId: string, bucket: string, key: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = stamp.slice(0, 8);
  const query = [
    'X-Amz-Algorithm=AWS4-HMAC-SHA256',
    `X-Amz-Credential=${encodeURIComponent(`${accountId === '000000000000' ? 'test' : accountId}/${day}/${region}/s3/aws4_request`)}`,
    `X-Amz-Date=${stamp}`,
    'X-Amz-Expires=900',
    'X-Amz-SignedHeaders=host',
    `X-Amz-Signature=${'0'.repeat(64)}`,
  ].join('&');
  return `https://s3.${region}.amazonaws.com/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}?${query}`;
}

export function requestEnvironmentInfo(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const env = findEnvironment(ctx, params);
  const type = oneOf('InfoType', required(params, 'InfoType'), INFO_TYPES)!;
  const { state, req } = ctx;
  const bucket = storageBucket(state.region, state.accountId);
  const ready = req.now + PULL_MS;
  env.info = env.info.filter((i) => i.infoType !== type && i.sampleTimestamp > req.now - KEEP_MS);
  for (const inst of env.instances.filter((i) => i.state === 'running' || i.state === 'deploying' || i.state === 'failed')) {
    const ext = type === 'bundle' ? 'zip' : 'txt';
    const key = `resources/environments/logs/${type}/${env.id}/${inst.id}/${type === 'tail' ? 'TailLogs' : type === 'bundle' ? 'BundleLogs' : 'AnalyzeLogs'}-${ready}.${ext}`;
    const body = type === 'bundle' ? bundle(inst) : strToU8(type === 'tail' ? tail(inst) : analyze(env, inst));
    ctx.engine.objects.putObject(state.accountId, state.region, bucket, key, body, type === 'bundle' ? 'application/zip' : 'text/plain');
    env.info.push({ infoType: type, instanceId: inst.id, sampleTimestamp: ready, url: presignedUrl(state.region, state.accountId, bucket, key, ready) });
  }
  const lifecycle = ctx.engine.lifecycle;
  env.lastRequestId = req.requestId;
  lifecycle.emit(state, env, 'INFO', 'requestEnvironmentInfo is starting.', req.requestId);
  const verb = type === 'bundle' ? 'bundling' : type === 'tail' ? 'tailing' : 'analyzing';
  lifecycle.event(state, env, ready, req.requestId, 'INFO', `Successfully finished ${verb} logs on instances.`, false);
  lifecycle.event(state, env, ready, req.requestId, 'INFO', 'Pulled logs for environment instances.', false);
  lifecycle.arm(state, env);
  return {};
}

export function retrieveEnvironmentInfo(ctx: Ctx, params: QueryParams): Record<string, unknown> {
  const env = findEnvironment(ctx, params);
  const type = oneOf('InfoType', required(params, 'InfoType'), INFO_TYPES)!;
  const now = ctx.req.now;
  return {
    EnvironmentInfo: env.info
      .filter((i) => i.infoType === type && i.sampleTimestamp <= now && i.sampleTimestamp > now - KEEP_MS)
      .map((i) => ({ InfoType: i.infoType, Ec2InstanceId: i.instanceId, SampleTimestamp: new Date(i.sampleTimestamp), Message: i.url })),
  };
}
