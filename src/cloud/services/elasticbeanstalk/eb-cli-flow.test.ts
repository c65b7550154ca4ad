import { afterEach, describe, expect, it } from 'vitest';
import {
  CreateApplicationCommand,
  CreateApplicationVersionCommand,
  CreateEnvironmentCommand,
  CreateStorageLocationCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  TerminateEnvironmentCommand,
  UpdateEnvironmentCommand,
  type EventDescription,
} from '@aws-sdk/client-elastic-beanstalk';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createCloud, ManualClock } from '../../index.ts';
import { clientsForCloud, clientsForEndpoint } from '../../../aws/index.ts';
import { startCloudServer, type CloudServer } from '../../server.ts';
import { NODE_STACK, nodeApp } from './test-helpers.ts';

type Transport = 'in-process' | 'http';
const servers: CloudServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

/** The same scenario runs in-process and over HTTP (port 0), as moto's ServerMode does. */
async function setup(transport: Transport = 'in-process') {
  const clock = new ManualClock();
  const cloud = createCloud({ clock, log: () => {} });
  if (transport === 'in-process') {
    const aws = clientsForCloud(cloud, { region: 'us-east-1' });
    return { clock, cloud, aws, eb: aws.eb };
  }
  const server = await startCloudServer({ cloud, port: 0 });
  servers.push(server);
  const aws = clientsForEndpoint({ endpoint: server.url, region: 'us-east-1' });
  return { clock, cloud, aws, eb: aws.eb };
}

type World = Awaited<ReturnType<typeof setup>>;

async function upload(aws: World['aws'], bucket: string, key: string, body: Uint8Array) {
  await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

async function eventsFor(eb: World['eb'], envName: string, requestId?: string): Promise<EventDescription[]> {
  const out = await eb.send(new DescribeEventsCommand({ EnvironmentName: envName, RequestId: requestId }));
  return out.Events ?? [];
}

describe.each(['in-process', 'http'] as const)('the EB CLI flow against the sandbox (%s)', (transport) => {
  it('creates, launches, deploys and terminates an environment with the events the EB CLI waits for', async () => {
    const { clock, aws, eb, cloud } = await setup(transport);
    const { S3Bucket } = await eb.send(new CreateStorageLocationCommand({}));
    expect(S3Bucket).toBe('elasticbeanstalk-us-east-1-000000000000');
    await upload(aws, S3Bucket!, 'pettracker/v1.zip', nodeApp('v1'));
    await eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));
    const version = await eb.send(
      new CreateApplicationVersionCommand({ ApplicationName: 'pettracker', VersionLabel: 'v1', SourceBundle: { S3Bucket, S3Key: 'pettracker/v1.zip' } }),
    );
    expect(version.ApplicationVersion?.Status).toBe('UNPROCESSED');

    const created = await eb.send(
      new CreateEnvironmentCommand({
        ApplicationName: 'pettracker',
        EnvironmentName: 'pettracker-prod',
        VersionLabel: 'v1',
        SolutionStackName: NODE_STACK,
        OptionSettings: [
          { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '2' },
          { Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'SystemType', Value: 'enhanced' },
        ],
      }),
    );
    expect(created.Status).toBe('Launching');
    expect(created.EnvironmentId).toMatch(/^e-[a-z0-9]{10}$/);
    expect(created.CNAME).toMatch(/^pettracker-prod\.eba-[a-z0-9]{8}\.us-east-1\.elasticbeanstalk\.com$/);
    const createRequest = created.$metadata.requestId!;

    await clock.advance(10 * 60_000);
    const [env] = (await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-prod'] }))).Environments!;
    expect(env.Status).toBe('Ready');
    expect(env.Health).toBe('Green');
    expect(env.HealthStatus).toBe('Ok');
    const launchEvents = (await eventsFor(eb, 'pettracker-prod', createRequest)).map((e) => e.Message);
    expect(launchEvents).toContain('Successfully launched environment: pettracker-prod');
    expect(launchEvents).toContain('createEnvironment is starting.');
    expect(launchEvents.at(-1)).toBe('createEnvironment is starting.');

    const first = await cloud.evidence.request('000000000000', { url: `http://${env.CNAME}/`, method: 'GET', headers: {} });
    expect(first.status).toBe(200);
    expect(first.body).toContain('PetTracker v1');

    await upload(aws, S3Bucket!, 'pettracker/v2.zip', nodeApp('v2'));
    await eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'pettracker', VersionLabel: 'v2', SourceBundle: { S3Bucket, S3Key: 'pettracker/v2.zip' } }));
    const update = await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'pettracker-prod', VersionLabel: 'v2' }));
    expect(update.Status).toBe('Updating');
    await clock.advance(10 * 60_000);
    const deployEvents = (await eventsFor(eb, 'pettracker-prod', update.$metadata.requestId)).map((e) => e.Message);
    expect(deployEvents).toContain('Environment update completed successfully.');
    expect(deployEvents.at(-1)).toBe('Environment update is starting.');
    expect(deployEvents).not.toContain('Failed to deploy application.');
    const after = await cloud.evidence.request('000000000000', { url: `http://${env.CNAME}/pets`, method: 'GET', headers: {} });
    expect(after.body).toContain('PetTracker v2');

    const term = await eb.send(new TerminateEnvironmentCommand({ EnvironmentName: 'pettracker-prod' }));
    expect(term.Status).toBe('Terminating');
    await clock.advance(10 * 60_000);
    const gone = (await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-prod'] }))).Environments!;
    expect(gone.map((e) => e.Status)).toEqual(['Terminated']);
    const termEvents = (await eventsFor(eb, 'pettracker-prod', term.$metadata.requestId)).map((e) => e.Message);
    expect(termEvents[0]).toBe('terminateEnvironment completed successfully.');
  });
});

describe('on a scaled real-time clock (the workbench and `academy cloud`)', () => {
  it('launches an environment to Ready as real time passes', async () => {
    const cloud = createCloud({ speed: 20_000, log: () => {} });
    try {
      const { eb } = clientsForCloud(cloud, { region: 'us-east-1' });
      await eb.send(new CreateApplicationCommand({ ApplicationName: 'live' }));
      await eb.send(new CreateEnvironmentCommand({ ApplicationName: 'live', EnvironmentName: 'live-env', SolutionStackName: NODE_STACK }));
      let status: string | undefined;
      for (let i = 0; i < 200 && status !== 'Ready'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        status = (await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['live-env'] }))).Environments![0].Status;
      }
      expect(status).toBe('Ready');
      expect((await eventsFor(eb, 'live-env')).map((e) => e.Message)).toContain('Successfully launched environment: live-env');
    } finally {
      cloud.dispose();
    }
  });
});

