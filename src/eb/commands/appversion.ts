// `eb appversion`: lists the application's versions (marking the deployed one), deletes one with
// --delete, and shows or changes the version lifecycle policy (`eb appversion lifecycle`).
import {
  DeleteApplicationVersionCommand,
  DescribeApplicationsCommand,
  DescribeApplicationVersionsCommand,
  UpdateApplicationResourceLifecycleCommand,
  type ApplicationResourceLifecycleConfig,
} from '@aws-sdk/client-elastic-beanstalk';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { parse, stringify } from 'yaml';
import { joinPath } from '../../workspace/fs.ts';
import { stringFlag } from '../args.ts';
import type { EbCommand } from '../command.ts';
import { nowMs } from '../context.ts';
import { listEnvironments } from '../environments.ts';
import { InvalidOptionsError, NotFoundError } from '../errors.ts';
import type { Invocation } from '../invocation.ts';
import { age, table } from '../output.ts';

function dateText(date: Date | undefined): string {
  if (!date) return '-';
  const iso = date.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '/')} ${iso.slice(11, 16)}`;
}

async function run(inv: Invocation): Promise<number> {
  const { args, out } = inv;
  const project = await inv.project();
  const app = project.applicationName;
  const clients = await inv.clients();
  const envs = await listEnvironments(clients, app);
  const deployedTo = (label: string) => envs.filter((e) => e.VersionLabel === label).map((e) => e.EnvironmentName!);

  const toDelete = stringFlag(args, 'delete');
  if (toDelete) {
    const found = await clients.eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: app, VersionLabels: [toDelete] }));
    if (!found.ApplicationVersions?.length) throw new NotFoundError(`Application ${app} does not have Application Version ${toDelete}.`);
    const users = deployedTo(toDelete);
    if (users.length) throw new InvalidOptionsError(`Cannot delete Application version ${toDelete} as it is deployed to Environments: ${users.join(', ')}`);
    await clients.eb.send(new DeleteApplicationVersionCommand({ ApplicationName: app, VersionLabel: toDelete, DeleteSourceBundle: false }));
    out.line(`Application Version ${toDelete} has been deleted.`);
    out.data({ deleted: toDelete });
    return 0;
  }

  const versions = (await clients.eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: app }))).ApplicationVersions ?? [];
  versions.sort((a, b) => (b.DateCreated?.getTime() ?? 0) - (a.DateCreated?.getTime() ?? 0));
  const current = project.defaultEnvironment ? envs.find((e) => e.EnvironmentName === project.defaultEnvironment) : undefined;
  const lines: string[] = [];
  if (current) {
    const index = versions.findIndex((v) => v.VersionLabel === current.VersionLabel);
    lines.push(`Environment: ${current.EnvironmentName}`, `Current version # deployed: ${index >= 0 ? versions.length - index : '-'}`, '');
  }
  const now = nowMs(clients);
  const rows = versions.map((v, i) => [
    `${deployedTo(v.VersionLabel ?? '').length ? '*' : ' '}${versions.length - i}`,
    v.VersionLabel ?? '',
    dateText(v.DateCreated),
    age(v.DateCreated, now),
    v.Status ?? '',
    v.Description ?? '',
  ]);
  lines.push(table([[' #', 'Version Label', 'Date Created', 'Age', 'Status', 'Description'], ...rows]));
  out.result(lines.join('\n'));
  out.data(versions.map((v) => ({ ...v, deployedTo: deployedTo(v.VersionLabel ?? '') })));
  return 0;
}

async function lifecycle(inv: Invocation): Promise<number> {
  const { args, out } = inv;
  const project = await inv.project();
  const app = project.applicationName;
  const clients = await inv.clients();
  const found = await clients.eb.send(new DescribeApplicationsCommand({ ApplicationNames: [app] }));
  const application = found.Applications?.[0];
  if (!application) throw new NotFoundError(`Application "${app}" does not exist. Run "eb init" to create it.`);
  const config: ApplicationResourceLifecycleConfig = application.ResourceLifecycleConfig ?? {};
  const update = stringFlag(args, 'update');
  if (update === undefined) {
    const doc = { Application: { ApplicationName: app, ResourceLifecycleConfig: config } };
    out.result(stringify(doc, { lineWidth: 0 }));
    out.data(doc);
    return 0;
  }
  const path = joinPath(inv.ctx.cwd, update);
  const text = !update.includes('\n') && (await inv.ctx.fs.exists(path).catch(() => false)) ? await inv.ctx.fs.readFile(path, 'utf8') : update;
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new InvalidOptionsError(`The configuration settings you provided contain an error; The lifecycle configuration will not be updated (${(error as Error).message.split('\n')[0]})`);
  }
  const wanted = ((parsed as { Application?: { ResourceLifecycleConfig?: unknown } })?.Application?.ResourceLifecycleConfig ??
    (parsed as { ResourceLifecycleConfig?: unknown })?.ResourceLifecycleConfig ??
    parsed) as ApplicationResourceLifecycleConfig;
  if (!wanted || typeof wanted !== 'object' || !wanted.VersionLifecycleConfig) {
    throw new InvalidOptionsError('The lifecycle YAML needs ResourceLifecycleConfig.VersionLifecycleConfig (MaxCountRule and/or MaxAgeRule). Run "eb appversion lifecycle" to see the current one.');
  }
  let serviceRole = wanted.ServiceRole ?? config.ServiceRole;
  if (!serviceRole) {
    const identity = await clients.sts.send(new GetCallerIdentityCommand({})).catch(() => undefined);
    serviceRole = `arn:aws:iam::${identity?.Account ?? '000000000000'}:role/aws-elasticbeanstalk-service-role`;
  }
  await clients.eb.send(
    new UpdateApplicationResourceLifecycleCommand({ ApplicationName: app, ResourceLifecycleConfig: { ...wanted, ServiceRole: serviceRole } }),
  );
  out.line('Successfully updated application version lifecycle policy');
  out.data({ ApplicationName: app, ResourceLifecycleConfig: { ...wanted, ServiceRole: serviceRole } });
  return 0;
}

export const appversionCommand: EbCommand = {
  name: 'appversion',
  summary: 'Listing and managing application versions',
  usage: '[options ...]',
  positionals: [],
  flags: [{ name: '--delete', aliases: ['-d'], value: 'string', metavar: 'VERSION_LABEL', description: 'delete this application version' }],
  subcommands: [
    {
      name: 'lifecycle',
      summary: 'Modifying application version lifecycle policy',
      usage: '[options ...]',
      epilog: 'Without options the policy is printed. Change it with --update "<yaml>" or a YAML file in the same shape.',
      positionals: [],
      flags: [
        { name: '--print', aliases: ['-p'], description: 'print the lifecycle policy' },
        { name: '--update', value: 'string', metavar: 'YAML_OR_FILE', description: 'apply this lifecycle policy (YAML text or a YAML file)' },
      ],
      run: lifecycle,
    },
  ],
  run,
};
