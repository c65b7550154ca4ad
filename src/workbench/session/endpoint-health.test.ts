import { describe, it, expect, afterEach } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeEndpointHealth, endpointProblem } from './endpoint-health.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A real HTTP server answering /_localstack/health the way LocalStack or `academy cloud` do. */
async function healthServer(body: unknown, status = 200): Promise<string> {
  server = createServer((req, res) => {
    if (req.url === '/_localstack/health') {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe('describeEndpointHealth', () => {
  it('accepts LocalStack with Elastic Beanstalk and explains what differs from the sandbox', async () => {
    const url = await healthServer({ services: { elasticbeanstalk: 'available', s3: 'running', sts: 'available' }, edition: 'pro', version: '4.0' });
    const report = await describeEndpointHealth(url, fetch);
    expect(report.ok).toBe(true);
    expect(report.summary).toContain('offers elasticbeanstalk, s3, sts');
    expect(report.differences.join(' ')).toMatch(/Ultimate plan/);
    expect(report.differences.join(' ')).toMatch(/no deployment events, health or instance timeline/);
  });

  it('says which needed services are missing (community LocalStack has no Elastic Beanstalk)', async () => {
    const url = await healthServer({ services: { s3: 'running', sts: 'available', elasticbeanstalk: 'disabled' }, edition: 'community' });
    const report = await describeEndpointHealth(url, fetch);
    expect(report.ok).toBe(false);
    expect(report.summary).toContain('does not offer elasticbeanstalk');
  });

  it('reports an endpoint that is down with what to do', async () => {
    const url = await healthServer({});
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const report = await describeEndpointHealth(url, fetch);
    expect(report.ok).toBe(false);
    expect(report.summary).toMatch(/Could not reach .*academy cloud/);
  });

  it('reports a server that is not a cloud endpoint', async () => {
    const url = await healthServer({ error: 'nope' }, 500);
    const report = await describeEndpointHealth(url, fetch);
    expect(report.ok).toBe(false);
    expect(report.summary).toMatch(/answered 500/);
  });
});

describe('endpointProblem', () => {
  it('explains malformed endpoint URLs', () => {
    expect(endpointProblem('localhost:4566')).toMatch(/http:\/\/ or https:\/\//);
    expect(endpointProblem('not a url')).toMatch(/is not a URL/);
    expect(endpointProblem('http://localhost:4566/api')).toMatch(/without a path/);
    expect(endpointProblem('http://localhost:4566')).toBeNull();
  });
});
