// docker-compose.localstack.yml cannot be started here (no Docker engine), so this parses it and checks
// what the README promises: LocalStack on port 4566, the auth token from the environment, CORS for the course.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'docker-compose.localstack.yml');

interface ComposeService {
  image?: string;
  ports?: string[];
  environment?: string[] | Record<string, string>;
  healthcheck?: { test?: string[] };
}

function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (!Array.isArray(env)) return env;
  return Object.fromEntries(env.map((entry) => {
    const at = entry.indexOf('=');
    return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
  }));
}

describe('docker-compose.localstack.yml', () => {
  const compose = parse(readFileSync(file, 'utf8')) as { services?: Record<string, ComposeService> };
  const service = compose.services?.localstack;

  it('defines a localstack service from a LocalStack image', () => {
    expect(service, 'services.localstack is missing').toBeDefined();
    expect(service!.image).toMatch(/^localstack\/localstack(-pro)?(:[\w.-]+)?$/);
  });

  it('publishes the LocalStack gateway on port 4566', () => {
    const ports = (service!.ports ?? []).map(String);
    expect(ports.some((p) => /(^|:)4566:4566$/.test(p)), `ports: ${ports.join(', ')}`).toBe(true);
  });

  it('takes LOCALSTACK_AUTH_TOKEN from the environment, never a literal token', () => {
    const token = environmentOf(service!).LOCALSTACK_AUTH_TOKEN;
    expect(token).toMatch(/^\$\{LOCALSTACK_AUTH_TOKEN(:?[?-][^}]*)?\}$/);
  });

  it('allows the course origin through CORS', () => {
    const origins = (environmentOf(service!).EXTRA_CORS_ALLOWED_ORIGINS ?? '').split(',');
    expect(origins).toContain('http://localhost:4321');
  });

  it('enables Elastic Beanstalk and S3', () => {
    const services = (environmentOf(service!).SERVICES ?? '').split(',');
    expect(services).toEqual(expect.arrayContaining(['elasticbeanstalk', 's3']));
  });

  it('health-checks through LocalStack\'s own health endpoint', () => {
    expect((service!.healthcheck?.test ?? []).join(' ')).toContain('/_localstack/health');
  });
});
