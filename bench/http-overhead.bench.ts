// HTTP overhead: the same SDK client calling DescribeEnvironments (100 environments) on the sandbox
// over HTTP vs a bare node:http server returning the same bytes. Calls interleave; target at most 1.5x.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateApplicationCommand, CreateEnvironmentCommand, DescribeEnvironmentsCommand, ElasticBeanstalkClient, ListAvailableSolutionStacksCommand } from '@aws-sdk/client-elastic-beanstalk';
import { ManualClock } from '../src/cloud/clock.ts';
import { createCloud } from '../src/cloud/index.ts';
import { startCloudServer } from '../src/cloud/server.ts';
import { clientsForCloud } from '../src/aws/index.ts';

const ENVIRONMENTS = 100;
const WARMUP = 30;
const ROUNDS = 200;

const cloud = createCloud({ clock: new ManualClock(), log: () => {} });
const setup = clientsForCloud(cloud);
await setup.eb.send(new CreateApplicationCommand({ ApplicationName: 'bench' }));
const stack = (await setup.eb.send(new ListAvailableSolutionStacksCommand({}))).SolutionStacks!.find((s) => s.includes('Node.js'))!;
for (let i = 0; i < ENVIRONMENTS; i++) {
  await setup.eb.send(new CreateEnvironmentCommand({ ApplicationName: 'bench', EnvironmentName: `bench-env-${String(i).padStart(3, '0')}`, SolutionStackName: stack }));
}
await (cloud.clock as ManualClock).advance(15 * 60_000);

const sandbox = await startCloudServer({ cloud, port: 0 });
// The bare server answers with exactly what the sandbox answered, so both clients parse the same bytes.
const sample = await cloud.handle({
  method: 'POST',
  path: '/',
  query: '',
  headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/elasticbeanstalk/aws4_request', 'content-type': 'application/x-www-form-urlencoded' },
  body: new TextEncoder().encode('Action=DescribeEnvironments&Version=2010-12-01'),
});
const fixed = Buffer.from(sample.body);
const bare = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': 'fixed-request-id', 'content-length': fixed.length });
    res.end(fixed);
  });
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

const clientFor = (endpoint: string) => new ElasticBeanstalkClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const clients = { sandbox: clientFor(sandbox.url), bare: clientFor(bareUrl) };
const totals = { sandbox: 0, bare: 0 };

for (let round = 0; round < WARMUP + ROUNDS; round++) {
  // Alternate which goes first, so neither side always runs on a warmer machine.
  const order = round % 2 === 0 ? (['sandbox', 'bare'] as const) : (['bare', 'sandbox'] as const);
  for (const side of order) {
    const start = performance.now();
    const out = await clients[side].send(new DescribeEnvironmentsCommand({}));
    const elapsed = performance.now() - start;
    if (out.Environments?.length !== ENVIRONMENTS) throw new Error(`${side} returned ${out.Environments?.length} environments`);
    if (round >= WARMUP) totals[side] += elapsed;
  }
}

const ratio = totals.sandbox / totals.bare;
console.log(`DescribeEnvironments (${ENVIRONMENTS} environments, ${fixed.length} bytes), ${ROUNDS} interleaved calls each`);
console.log(`  sandbox over HTTP: ${(totals.sandbox / ROUNDS).toFixed(2)} ms/call; bare node:http: ${(totals.bare / ROUNDS).toFixed(2)} ms/call`);
console.log(`  HTTP overhead ratio (sandbox / bare): ${ratio.toFixed(2)}x (target <= 1.5x) ${ratio <= 1.5 ? 'MET' : 'NOT MET'}`);

clients.sandbox.destroy();
clients.bare.destroy();
await sandbox.close();
bare.close();
cloud.dispose();
