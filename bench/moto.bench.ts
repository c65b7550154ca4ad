// Against a peer: moto's server (`moto_server`) and the sandbox over HTTP, the same SDK client
// configuration, DescribeApplications with 30 applications, calls interleaved. Target: sandbox <= 0.6x moto.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { CreateApplicationCommand, DescribeApplicationsCommand, ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import { createCloud } from '../src/cloud/index.ts';
import { startCloudServer } from '../src/cloud/server.ts';

const APPLICATIONS = 30;
const WARMUP = 30;
const ROUNDS = 300;

if (spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status !== 0) {
  console.log('Skipped: moto_server is not installed (pip install "moto[server]").');
  process.exit(0);
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

async function waitForHttp(url: string, child: ChildProcess, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`);
    try {
      await fetch(`${url}/moto-api/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`moto_server did not answer on ${url} within ${seconds} s`);
}

const motoPort = await freePort();
const moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(motoPort)], { stdio: 'ignore' });
const motoUrl = `http://127.0.0.1:${motoPort}`;
const cloud = createCloud({ speed: 60, log: () => {} });
const sandbox = await startCloudServer({ cloud, port: 0 });
try {
  await waitForHttp(motoUrl, moto, 60);
  const clientFor = (endpoint: string) => new ElasticBeanstalkClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const clients = { sandbox: clientFor(sandbox.url), moto: clientFor(motoUrl) };
  for (const client of Object.values(clients)) {
    for (let i = 0; i < APPLICATIONS; i++) await client.send(new CreateApplicationCommand({ ApplicationName: `app-${i}`, Description: `Application number ${i}` }));
  }
  const totals = { sandbox: 0, moto: 0 };
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const order = round % 2 === 0 ? (['sandbox', 'moto'] as const) : (['moto', 'sandbox'] as const);
    for (const side of order) {
      const start = performance.now();
      const out = await clients[side].send(new DescribeApplicationsCommand({}));
      const elapsed = performance.now() - start;
      if (out.Applications?.length !== APPLICATIONS) throw new Error(`${side} returned ${out.Applications?.length} applications`);
      if (round >= WARMUP) totals[side] += elapsed;
    }
  }
  const ratio = totals.sandbox / totals.moto;
  console.log(`DescribeApplications (${APPLICATIONS} applications), ${ROUNDS} interleaved calls each, same SDK client configuration`);
  console.log(`  sandbox over HTTP: ${(totals.sandbox / ROUNDS).toFixed(2)} ms/call; moto_server: ${(totals.moto / ROUNDS).toFixed(2)} ms/call`);
  console.log(`  sandbox / moto time: ${ratio.toFixed(2)}x (target <= 0.6x) ${ratio <= 0.6 ? 'MET' : 'NOT MET'}`);
  clients.sandbox.destroy();
  clients.moto.destroy();
} finally {
  moto.kill('SIGTERM');
  await sandbox.close();
  cloud.dispose();
}
