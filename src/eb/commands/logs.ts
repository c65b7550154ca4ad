// `eb logs`: asks EB for instance logs (RequestEnvironmentInfo), waits for them, then fetches each
// instance's log from the returned URL. Tail logs are printed per instance; --all unpacks the bundle
// logs into .elasticbeanstalk/logs/<timestamp>/<instance>/, --zip saves them as one archive.
import {
  RequestEnvironmentInfoCommand,
  RetrieveEnvironmentInfoCommand,
  type EnvironmentInfoDescription,
} from '@aws-sdk/client-elastic-beanstalk';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { boolFlag, stringFlag } from '../args.ts';
import { labelTimestamp } from '../bundle/version-label.ts';
import type { EbCommand } from '../command.ts';
import { nowMs, Output, type EbClients } from '../context.ts';
import { describeEnvironment, environmentName } from '../environments.ts';
import { EbError, InvalidOptionsError, NotFoundError, ServiceError } from '../errors.ts';
import { waitForEvents } from '../events.ts';
import type { Invocation } from '../invocation.ts';

/** Where a pre-signed log URL points: path style (`/bucket/key`) or virtual-hosted (`bucket.s3...`). */
export function s3LocationOf(url: string): { bucket: string; key: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const path = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const virtual = /^(.+?)\.s3[.-]/.exec(parsed.hostname);
  if (virtual) return path ? { bucket: virtual[1], key: path } : null;
  const slash = path.indexOf('/');
  if (slash <= 0) return null;
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

/** Downloads one log through the S3 client (so it reaches the sandbox), falling back to plain HTTP. */
export async function fetchLog(clients: EbClients, url: string): Promise<Uint8Array> {
  const location = s3LocationOf(url);
  if (location) {
    try {
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
      if (object.Body) return await object.Body.transformToByteArray();
    } catch (error) {
      if (typeof fetch !== 'function') throw error;
    }
  }
  const response = await fetch(url);
  if (!response.ok) throw new ServiceError(`Could not download the log from ${url} (HTTP ${response.status}).`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The newest sample per instance. */
function latestPerInstance(infos: EnvironmentInfoDescription[]): EnvironmentInfoDescription[] {
  const byInstance = new Map<string, EnvironmentInfoDescription>();
  for (const info of infos) {
    const id = info.Ec2InstanceId ?? '';
    const known = byInstance.get(id);
    if (!known || (info.SampleTimestamp?.getTime() ?? 0) > (known.SampleTimestamp?.getTime() ?? 0)) byInstance.set(id, info);
  }
  return [...byInstance.values()].sort((a, b) => (a.Ec2InstanceId ?? '').localeCompare(b.Ec2InstanceId ?? ''));
}

async function run(inv: Invocation): Promise<number> {
  const { args, out, ctx } = inv;
  const all = boolFlag(args, 'all');
  const zip = boolFlag(args, 'zip');
  const instance = stringFlag(args, 'instance');
  if (all && zip) throw new InvalidOptionsError('You can\'t use the "--all" and "--zip" options together. They are two different ways to retrieve logs.');
  if (all && instance) throw new InvalidOptionsError('You can\'t use "--instance" with "--all".');
  const project = await inv.project();
  const app = project.applicationName;
  const envName = await environmentName(inv, args.positionals[0], 'logs');
  const clients = await inv.clients();
  await describeEnvironment(clients, app, envName);
  const infoType = all || zip ? 'bundle' : 'tail';

  out.line('Retrieving logs...');
  const startedAt = nowMs(clients);
  const request = await clients.eb.send(new RequestEnvironmentInfoCommand({ EnvironmentName: envName, InfoType: infoType }));
  // The request's own events are not shown; the real CLI prints only "Retrieving logs...".
  const quiet: Invocation = { ...inv, out: new Output(ctx, true, true) };
  await waitForEvents(quiet, clients, {
    applicationName: app,
    environmentName: envName,
    requestId: request.$metadata.requestId,
    sinceMs: startedAt,
    timeoutMinutes: 2,
  }).catch((error) => {
    // The logs may be there even when no completion event was seen; Retrieve tells.
    if (error instanceof EbError && error.name === 'CaughtSignal') throw error;
  });
  const retrieved = await clients.eb.send(new RetrieveEnvironmentInfoCommand({ EnvironmentName: envName, InfoType: infoType }));
  let infos = latestPerInstance(retrieved.EnvironmentInfo ?? []);
  if (instance) {
    infos = infos.filter((i) => i.Ec2InstanceId === instance);
    if (infos.length === 0) throw new NotFoundError(`Instance "${instance}" has no logs in environment "${envName}". Run "eb status -v" to list its instances.`);
  }
  if (infos.length === 0) throw new ServiceError(`No logs were returned for environment "${envName}". Try again in a moment.`);

  if (infoType === 'tail') {
    const logs: Record<string, string> = {};
    for (const info of infos) {
      const text = strFromU8(await fetchLog(clients, info.Message ?? ''));
      logs[info.Ec2InstanceId ?? ''] = text;
      out.result(`============= ${info.Ec2InstanceId} ==============\n${text}`);
    }
    out.data({ environment: envName, logs });
    return 0;
  }

  const stamp = labelTimestamp(new Date(nowMs(clients))).slice(0, 13);
  const logsDir = project.path('.elasticbeanstalk/logs');
  const saved: Record<string, Uint8Array> = {};
  for (const info of infos) {
    const id = info.Ec2InstanceId ?? 'instance';
    const archive = await fetchLog(clients, info.Message ?? '');
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(archive);
    } catch {
      files = { 'bundle.log': archive };
    }
    for (const [name, data] of Object.entries(files)) if (!name.endsWith('/')) saved[`${id}/${name.replace(/^\/+/, '')}`] = data;
  }
  let location: string;
  if (zip) {
    location = `${logsDir}/${stamp}.zip`;
    await ctx.fs.mkdir(logsDir, { recursive: true });
    await ctx.fs.writeFile(location, zipSync(saved));
  } else {
    location = `${logsDir}/${stamp}`;
    for (const [path, data] of Object.entries(saved)) {
      const target = `${location}/${path}`;
      await ctx.fs.mkdir(target.slice(0, target.lastIndexOf('/')), { recursive: true });
      await ctx.fs.writeFile(target, data);
    }
  }
  out.line(`Logs were saved to ${location}`);
  out.data({ environment: envName, location, files: Object.keys(saved).sort() });
  return 0;
}

export const logsCommand: EbCommand = {
  name: 'logs',
  summary: 'Gets recent logs.',
  usage: '<environment_name> [options ...]',
  epilog: 'This command displays the last 100 lines of logs. To retrieve all logs, use the "--all" option.',
  positionals: [{ name: 'environment_name', optional: true, description: 'environment name (default: the branch default)' }],
  flags: [
    { name: '--all', aliases: ['-a'], description: 'retrieve all logs into .elasticbeanstalk/logs/' },
    { name: '--zip', aliases: ['-z'], description: 'retrieve all logs as a .zip in .elasticbeanstalk/logs/' },
    { name: '--instance', aliases: ['-i'], value: 'string', metavar: 'INSTANCE_ID', description: 'only the logs of this instance' },
  ],
  run,
};
