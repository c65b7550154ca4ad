// Chapter 10's HTTP-to-HTTPS redirect in nginx, end to end through the real SDK clients: the instances' nginx runs
// `.platform/nginx/conf.d/elasticbeanstalk/*.conf` behind an ALB with a 443 listener, health checks go through the
// same rules, and a file `nginx -t` refuses fails the deployment with nginx's own message in eb-engine.log.
import { describe, expect, it } from 'vitest';
import {
  CreateApplicationCommand,
  CreateApplicationVersionCommand,
  CreateEnvironmentCommand,
  CreateStorageLocationCommand,
  DescribeEnvironmentHealthCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  DescribeInstancesHealthCommand,
  RequestEnvironmentInfoCommand,
  RetrieveEnvironmentInfoCommand,
  UpdateEnvironmentCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { RequestCertificateCommand } from '@aws-sdk/client-acm';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createCloud, ManualClock } from '../../index.ts';
import { clientsForCloud } from '../../../aws/index.ts';
import { VALIDATION_DELAY_MS } from '../acm/acm-service.ts';
import { NODE_STACK, zip } from './test-helpers.ts';
import { CHAPTER_REDIRECT } from '../../instance/test/chapter-nginx-redirect.ts';

const ACCOUNT = '000000000000';
const CONF = '.platform/nginx/conf.d/elasticbeanstalk/10-https-redirect.conf';


/** AWS's other common form: anything not HTTPS is redirected, and nothing exempts the health checker. */
const NOT_HTTPS_WITHOUT_EXEMPTION = `if ($http_x_forwarded_proto != "https") {
    return 301 https://$host$request_uri;
}
`;

function app(label: string, extra: Record<string, string> = {}): Uint8Array {
  return zip({
    'package.json': JSON.stringify({ name: 'pettracker', version: '1.0.0', scripts: { start: 'node app.js' } }),
    'app.js': `require('http').createServer((req, res) => res.end('PetTracker ${label}')).listen(process.env.PORT || 8080);\n`,
    ...extra,
  });
}

async function world() {
  const clock = new ManualClock();
  const cloud = createCloud({ clock, log: () => {} });
  const aws = clientsForCloud(cloud, { region: 'us-east-1' });
  const { S3Bucket } = await aws.eb.send(new CreateStorageLocationCommand({}));
  await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));
  const { CertificateArn } = await aws.acm.send(new RequestCertificateCommand({ DomainName: 'pettracker.example', ValidationMethod: 'DNS' }));
  await clock.advance(VALIDATION_DELAY_MS);

  async function version(label: string, body: Uint8Array) {
    await aws.s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: `pettracker/${label}.zip`, Body: body }));
    await aws.eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'pettracker', VersionLabel: label, SourceBundle: { S3Bucket, S3Key: `pettracker/${label}.zip` } }));
  }

  async function launch(label: string, environmentType: 'LoadBalanced' | 'SingleInstance' = 'LoadBalanced') {
    const options =
      environmentType === 'SingleInstance'
        ? [{ Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'SingleInstance' }]
        : [
            { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'LoadBalancerType', Value: 'application' },
            { Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'SystemType', Value: 'enhanced' },
            { Namespace: 'aws:elbv2:listener:443', OptionName: 'Protocol', Value: 'HTTPS' },
            { Namespace: 'aws:elbv2:listener:443', OptionName: 'SSLCertificateArns', Value: CertificateArn },
          ];
    await aws.eb.send(
      new CreateEnvironmentCommand({ ApplicationName: 'pettracker', EnvironmentName: 'pettracker-prod', VersionLabel: label, SolutionStackName: NODE_STACK, OptionSettings: options }),
    );
    await clock.advance(10 * 60_000);
  }

  async function deploy(label: string) {
    const out = await aws.eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'pettracker-prod', VersionLabel: label }));
    await clock.advance(10 * 60_000);
    return out.$metadata.requestId!;
  }

  const environment = async () => (await aws.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-prod'] }))).Environments![0];
  const health = async () => aws.eb.send(new DescribeEnvironmentHealthCommand({ EnvironmentName: 'pettracker-prod', AttributeNames: ['All'] }));
  const send = (url: string, headers: Record<string, string> = {}) => cloud.evidence.request(ACCOUNT, { url, method: 'GET', headers: { 'user-agent': 'curl/8.5.0', ...headers } });

  async function messages(requestId?: string) {
    const events = (await aws.eb.send(new DescribeEventsCommand({ EnvironmentName: 'pettracker-prod', RequestId: requestId }))).Events ?? [];
    return events.map((e) => `${e.Severity} ${e.Message}`).reverse();
  }

  /** `eb logs`: the last lines of every instance log, as the tail bundle in S3 holds them. */
  async function tailLogs() {
    await aws.eb.send(new RequestEnvironmentInfoCommand({ EnvironmentName: 'pettracker-prod', InfoType: 'tail' }));
    await clock.advance(10_000);
    const info = await aws.eb.send(new RetrieveEnvironmentInfoCommand({ EnvironmentName: 'pettracker-prod', InfoType: 'tail' }));
    const url = new URL(info.EnvironmentInfo!.at(-1)!.Message!);
    const [, bucket, ...key] = url.pathname.split('/');
    const object = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key.map(decodeURIComponent).join('/') }));
    return object.Body!.transformToString();
  }

  return { clock, cloud, aws, version, launch, deploy, environment, health, send, messages, tailLogs };
}

describe("nginx's HTTP-to-HTTPS redirect on the instances", () => {
  it('redirects http:// to https:// with 301, serves https:// from the app, and keeps the environment Green', async () => {
    const w = await world();
    await w.version('v1', app('v1', { [CONF]: CHAPTER_REDIRECT }));
    await w.launch('v1');
    const env = await w.environment();
    const cname = env.CNAME!;

    const plain = await w.send(`http://${cname}/pets/7?sort=name`);
    expect(plain.status).toBe(301);
    // nginx answers, not the load balancer and not the app.
    expect(plain.headers).toMatchObject({ location: `https://${cname}/pets/7?sort=name`, server: 'nginx' });
    expect(plain.body).toContain('<center><h1>301 Moved Permanently</h1></center>');

    const secure = await w.send(`https://${cname}/pets/7?sort=name`);
    expect(secure).toMatchObject({ status: 200, body: 'PetTracker v1' });

    await w.clock.advance(5 * 60_000);
    expect(await w.environment()).toMatchObject({ Status: 'Ready', Health: 'Green', HealthStatus: 'Ok' });
    expect((await w.health()).Causes ?? []).toEqual([]);
  });

  it('marks the instances unhealthy when the health check itself is redirected (no ELB-HealthChecker exemption)', async () => {
    const w = await world();
    await w.version('v1', app('v1'));
    await w.launch('v1');
    expect(await w.environment()).toMatchObject({ Health: 'Green' });

    await w.version('v2', app('v2', { [CONF]: NOT_HTTPS_WITHOUT_EXEMPTION }));
    await w.deploy('v2');
    await w.clock.advance(5 * 60_000);
    const env = await w.environment();
    expect(env.HealthStatus).toMatch(/^(Severe|Degraded)$/);
    expect(env.Health).toBe('Red');
    expect((await w.health()).Causes).toEqual(['ELB health is failing or not available for all 1 instance.']);
    const instances = await w.aws.eb.send(new DescribeInstancesHealthCommand({ EnvironmentName: 'pettracker-prod', AttributeNames: ['All'] }));
    expect(instances.InstanceHealthList?.[0]?.Causes ?? []).toContain('Health checks failed with these codes: [301]');
  });

  it("leaves health checks alone with the chapter's X-Forwarded-Proto = \"http\" test: the load balancer's health checks carry no X-Forwarded-Proto", async () => {
    const w = await world();
    const withoutExemption = CHAPTER_REDIRECT.replace(/if \(\$http_user_agent[^}]*\}\n/, '');
    expect(withoutExemption).not.toContain('ELB-HealthChecker');
    await w.version('v1', app('v1', { [CONF]: withoutExemption }));
    await w.launch('v1');
    await w.clock.advance(5 * 60_000);
    const env = await w.environment();
    expect(env).toMatchObject({ Health: 'Green', HealthStatus: 'Ok' });
    expect((await w.send(`http://${env.CNAME}/`)).status).toBe(301);
  });

  it('fails the deployment when nginx -t refuses the file, with its [emerg] line in eb-engine.log, and keeps serving the old version', async () => {
    const w = await world();
    await w.version('v1', app('v1'));
    await w.launch('v1');
    const broken = CHAPTER_REDIRECT.replace('    return 301 https://$host$request_uri;\n}\n', '    return 301 https://$host$request_uri;\n}\n}\n');
    await w.version('v2', app('v2', { [CONF]: broken }));
    const requestId = await w.deploy('v2');

    const events = await w.messages(requestId);
    expect(events).toContain("ERROR Instance deployment failed. For details, see 'eb-engine.log'.");
    expect(events.some((e) => /^ERROR Failed to deploy application\.$/.test(e))).toBe(true);
    const logs = await w.tailLogs();
    expect(logs).toContain('nginx: [emerg] unexpected "}" in /var/proxy/staging/nginx/conf.d/elasticbeanstalk/10-https-redirect.conf:11');
    expect(logs).toContain('nginx: configuration file /var/proxy/staging/nginx/nginx.conf test failed');
    const env = await w.environment();
    expect((await w.send(`http://${env.CNAME}/`)).body).toBe('PetTracker v1');
  });

  it('does nothing on a single-instance environment, where no load balancer sets X-Forwarded-Proto', async () => {
    const w = await world();
    await w.version('v1', app('v1', { [CONF]: CHAPTER_REDIRECT }));
    await w.launch('v1', 'SingleInstance');
    const env = await w.environment();
    expect(await w.send(`http://${env.CNAME}/`)).toMatchObject({ status: 200, body: 'PetTracker v1' });
    // A client that sends the header itself is redirected: nginx cannot tell who set it.
    expect((await w.send(`http://${env.CNAME}/`, { 'X-Forwarded-Proto': 'http' })).status).toBe(301);
  });
});
