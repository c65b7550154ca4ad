// Control endpoints with a live environment: plain HTTP to its CNAME (what `curl` in the lab does),
// `/_sandbox/request`, timeline, traffic and the probe, in-process and over HTTP.
import { afterAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { CreateApplicationCommand, CreateEnvironmentCommand, DescribeEnvironmentsCommand, ListAvailableSolutionStacksCommand } from '@aws-sdk/client-elastic-beanstalk';
import { ManualClock } from './clock.ts';
import { createCloud, type Cloud } from './index.ts';
import { startCloudServer, type CloudServer } from './server.ts';
import { clientsForCloud, SandboxControlError, type AwsClients } from '../aws/index.ts';

async function launch(): Promise<{ cloud: Cloud; clock: ManualClock; aws: AwsClients; cname: string }> {
  const clock = new ManualClock();
  const cloud = createCloud({ clock, log: () => {} });
  const aws = clientsForCloud(cloud);
  await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));
  const stacks = await aws.eb.send(new ListAvailableSolutionStacksCommand({}));
  const node = stacks.SolutionStacks!.find((s) => s.includes('Node.js'))!;
  await aws.eb.send(new CreateEnvironmentCommand({ ApplicationName: 'pettracker', EnvironmentName: 'pettracker-web', SolutionStackName: node, CNAMEPrefix: 'pettracker-web' }));
  for (let i = 0; i < 60; i++) {
    await clock.advance(30_000);
    const env = (await aws.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-web'] }))).Environments![0];
    if (env.Status === 'Ready') return { cloud, clock, aws, cname: env.CNAME! };
  }
  throw new Error('the environment did not become Ready in 30 simulated minutes');
}

function get(server: CloudServer, host: string, path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('sandbox control endpoints with a running environment', () => {
  const servers: CloudServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it('answers the environment CNAME over HTTP and records the request as traffic', async () => {
    const { cloud, aws, cname } = await launch();
    expect(cname).toMatch(/^pettracker-web\.us-east-1\.elasticbeanstalk\.com$/);
    const server = await startCloudServer({ cloud, port: 0 });
    servers.push(server);
    const page = await get(server, cname, '/');
    expect(page.status).toBe(200);
    const endpointUrl = (await aws.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-web'] }))).Environments![0].EndpointURL!;
    expect(endpointUrl).toMatch(/elb\.amazonaws\.com$/);
    expect((await get(server, endpointUrl, '/')).status).toBe(200);
    const traffic = (await aws.sandbox!.traffic('pettracker-web')) as unknown;
    expect(JSON.stringify(traffic)).toContain('"status":200');
    const timeline = await aws.sandbox!.timeline('pettracker-web');
    expect(JSON.stringify(timeline)).toMatch(/i-[0-9a-f]+/);
  });

  it('sends requests through /_sandbox/request and runs the probe', async () => {
    const { clock, aws, cname } = await launch();
    const answer = await aws.sandbox!.request({ url: `http://${cname}/`, method: 'GET', headers: {} });
    expect(answer.status).toBe(200);
    const before = JSON.stringify(await aws.sandbox!.traffic('pettracker-web')).length;
    await aws.sandbox!.probe('pettracker-web', 2);
    await clock.advance(10_000);
    await aws.sandbox!.probe('pettracker-web', 0);
    expect(JSON.stringify(await aws.sandbox!.traffic('pettracker-web')).length).toBeGreaterThan(before);
    const bad = await aws.sandbox!.probe('pettracker-web', -1).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(SandboxControlError);
    expect((bad as SandboxControlError).message).toContain("'rps'");
  });
});
