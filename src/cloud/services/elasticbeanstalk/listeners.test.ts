// HTTPS on the Application Load Balancer through the real SDK clients on a manual clock: listeners from
// aws:elbv2:listener:* settings, certificates checked in the sandbox's ACM (issued, pending, unknown, another
// region, missing), ACM InUseBy and DeleteCertificate while in use, single-instance environments.
import { describe, expect, it } from 'vitest';
import {
  AbortEnvironmentUpdateCommand,
  CreateApplicationCommand,
  CreateApplicationVersionCommand,
  CreateEnvironmentCommand,
  CreateStorageLocationCommand,
  DescribeConfigurationSettingsCommand,
  DescribeEnvironmentResourcesCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  TerminateEnvironmentCommand,
  UpdateEnvironmentCommand,
  type ConfigurationOptionSetting,
} from '@aws-sdk/client-elastic-beanstalk';
import { DeleteCertificateCommand, DescribeCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createCloud, ManualClock } from '../../index.ts';
import { clientsForCloud } from '../../../aws/index.ts';
import { VALIDATION_DELAY_MS } from '../acm/acm-service.ts';
import { NODE_STACK, nodeApp, zip } from './test-helpers.ts';
import { applyListenerOverride, planListeners, redirectLocation } from './listeners.ts';
import { resolveEffectiveSettings } from './options/index.ts';

const opt = (Namespace: string, OptionName: string, Value: string): ConfigurationOptionSetting => ({ Namespace, OptionName, Value });
const ALB = opt('aws:elasticbeanstalk:environment', 'LoadBalancerType', 'application');
const https443 = (arn?: string): ConfigurationOptionSetting[] => [
  opt('aws:elbv2:listener:443', 'Protocol', 'HTTPS'),
  ...(arn ? [opt('aws:elbv2:listener:443', 'SSLCertificateArns', arn)] : []),
];

export async function httpsWorld() {
  const clock = new ManualClock();
  const cloud = createCloud({ clock, log: () => {} });
  const aws = clientsForCloud(cloud, { region: 'us-east-1' });
  const west = clientsForCloud(cloud, { region: 'us-west-2' });
  const { S3Bucket } = await aws.eb.send(new CreateStorageLocationCommand({}));
  await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));

  async function version(label: string, body: Uint8Array) {
    await aws.s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: `pettracker/${label}.zip`, Body: body }));
    await aws.eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'pettracker', VersionLabel: label, SourceBundle: { S3Bucket, S3Key: `pettracker/${label}.zip` } }));
  }
  await version('v1', nodeApp('v1'));

  /** An ACM certificate; issued unless `pending`. */
  async function certificate(domain = 'pettracker.example', options: { pending?: boolean; region?: 'us-west-2' } = {}) {
    const client = options.region ? west.acm : aws.acm;
    const { CertificateArn } = await client.send(new RequestCertificateCommand({ DomainName: domain, SubjectAlternativeNames: [`www.${domain}`], ValidationMethod: 'DNS' }));
    if (!options.pending) await clock.advance(VALIDATION_DELAY_MS);
    return CertificateArn!;
  }

  async function launch(name: string, settings: ConfigurationOptionSetting[], label = 'v1') {
    const out = await aws.eb.send(new CreateEnvironmentCommand({ ApplicationName: 'pettracker', EnvironmentName: name, VersionLabel: label, SolutionStackName: NODE_STACK, OptionSettings: settings }));
    await clock.advance(10 * 60_000);
    return out;
  }

  async function update(name: string, input: { settings?: ConfigurationOptionSetting[]; label?: string }) {
    const out = await aws.eb.send(new UpdateEnvironmentCommand({ EnvironmentName: name, OptionSettings: input.settings, VersionLabel: input.label }));
    await clock.advance(10 * 60_000);
    return out.$metadata.requestId!;
  }

  async function messages(name: string, requestId?: string) {
    const events = (await aws.eb.send(new DescribeEventsCommand({ EnvironmentName: name, RequestId: requestId }))).Events ?? [];
    return events.map((e) => `${e.Severity} ${e.Message}`).reverse();
  }

  async function loadBalancer(name: string) {
    const out = await aws.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: name }));
    return out.EnvironmentResources?.LoadBalancers?.[0]?.Name;
  }

  async function setting(name: string, namespace: string, option: string) {
    const out = await aws.eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: 'pettracker', EnvironmentName: name }));
    return out.ConfigurationSettings?.[0]?.OptionSettings?.find((s) => s.Namespace === namespace && s.OptionName === option)?.Value;
  }

  async function describe(name: string) {
    return (await aws.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [name] }))).Environments![0];
  }

  return { clock, cloud, aws, west, version, certificate, launch, update, messages, loadBalancer, setting, describe };
}

describe('HTTPS listeners on an Application Load Balancer', () => {
  it('creates the 443 listener with an issued certificate; ACM lists the load balancer in InUseBy and refuses to delete it until the environment is gone', async () => {
    const w = await httpsWorld();
    const arn = await w.certificate();
    await w.launch('web-prod', [ALB, ...https443(arn)]);
    const events = await w.messages('web-prod');
    const lb = await w.loadBalancer('web-prod');
    expect(lb).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer\/app\//);
    const created = events.filter((m) => m.startsWith('INFO Created Load Balancer listener named: '));
    expect(created).toHaveLength(2);
    for (const m of created) expect(m).toContain(lb!.replace(':loadbalancer/', ':listener/'));
    expect(events).toContain('INFO Successfully launched environment: web-prod');
    expect((await w.describe('web-prod')).Health).toBe('Green');

    const { Certificate } = await w.aws.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }));
    expect(Certificate?.InUseBy).toEqual([lb]);
    await expect(w.aws.acm.send(new DeleteCertificateCommand({ CertificateArn: arn }))).rejects.toMatchObject({ name: 'ResourceInUseException', message: expect.stringContaining(lb!) });

    await w.aws.eb.send(new TerminateEnvironmentCommand({ EnvironmentName: 'web-prod' }));
    await w.clock.advance(10 * 60_000);
    expect((await w.aws.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate?.InUseBy).toEqual([]);
    await w.aws.acm.send(new DeleteCertificateCommand({ CertificateArn: arn }));
  });

  it('adds the listener with UpdateEnvironment once the certificate is issued', async () => {
    const w = await httpsWorld();
    await w.launch('web-app', [ALB]);
    const arn = await w.certificate();
    const rid = await w.update('web-app', { settings: https443(arn) });
    const events = await w.messages('web-app', rid);
    expect(events.filter((m) => m.startsWith('INFO Created Load Balancer listener named: '))).toHaveLength(1);
    expect(events).toContain('INFO Successfully deployed new configuration to environment.');
    expect(await w.setting('web-app', 'aws:elbv2:listener:443', 'SSLCertificateArns')).toBe(arn);
    expect((await w.aws.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate?.InUseBy).toEqual([await w.loadBalancer('web-app')]);
  });

  it.each([
    ['a certificate still pending validation', 'pending', 'UnsupportedCertificate', (arn: string) => `The certificate '${arn}' must have a fully-qualified domain name, a supported signature, and a supported key size.`],
    ['an unknown certificate', 'unknown', 'CertificateNotFound', (arn: string) => `Certificate '${arn}' not found`],
    ['a certificate of another region', 'west', 'CertificateNotFound', (arn: string) => `Certificate '${arn}' not found`],
    ['no certificate at all', 'none', 'ValidationError', () => 'A certificate must be specified for HTTPS listeners'],
  ] as const)('fails the update with %s, and rolls the configuration back', async (_what, kind, code, reason) => {
    const w = await httpsWorld();
    await w.launch('web-app', [ALB]);
    const arn =
      kind === 'pending' ? await w.certificate('pettracker.example', { pending: true })
      : kind === 'west' ? await w.certificate('pettracker.example', { region: 'us-west-2' })
      : kind === 'unknown' ? 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-4000-8000-000000000000'
      : undefined;
    const rid = await w.update('web-app', { settings: https443(arn) });
    const events = await w.messages('web-app', rid);
    const failure = events.find((m) => m.startsWith('ERROR Creating Load Balancer listener failed Reason: '));
    expect(failure).toContain(`Reason: ${reason(arn ?? '')} (Service: AmazonElasticLoadBalancingV2; Status Code: 400; Error Code: ${code}; Request ID: `);
    expect(events).toContainEqual(expect.stringMatching(/^ERROR Stack named 'awseb-e-[a-z0-9]+-stack' aborted operation\. Current state: 'UPDATE_ROLLBACK_IN_PROGRESS' {2}Reason: The following resource\(s\) failed to create: \[AWSEBV2LoadBalancerListener443\]\./));
    expect(events).toContain('ERROR Failed to deploy configuration.');
    expect(events.some((m) => m.startsWith('INFO Created Load Balancer listener'))).toBe(false);
    // The stack rolled back: the environment keeps its previous configuration and is usable.
    expect(await w.setting('web-app', 'aws:elbv2:listener:443', 'Protocol')).toBeUndefined();
    expect((await w.describe('web-app')).Status).toBe('Ready');
    if (kind === 'pending') {
      expect((await w.aws.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate?.InUseBy).toEqual([]);
      await w.clock.advance(VALIDATION_DELAY_MS);
      const retry = await w.update('web-app', { settings: https443(arn) });
      expect(await w.messages('web-app', retry)).toContain('INFO Successfully deployed new configuration to environment.');
    }
  });

  it('reports a failed launch when the listener cannot be created', async () => {
    const w = await httpsWorld();
    // A certificate requested with the environment is validated (60 s) before the listener is created (~150 s).
    const pending = await w.certificate('pettracker.example', { pending: true });
    await w.launch('web-ok', [ALB, ...https443(pending)]);
    expect(await w.messages('web-ok')).toContain('INFO Successfully launched environment: web-ok');
    await w.launch('web-new', [ALB, ...https443('arn:aws:acm:us-east-1:000000000000:certificate/11111111-1111-4111-8111-111111111111')]);
    const events = await w.messages('web-new');
    expect(events).toContainEqual(expect.stringMatching(/^ERROR Creating Load Balancer listener failed Reason: Certificate 'arn:aws:acm:us-east-1:000000000000:certificate\/1{8}-.*' not found/));
    expect(events).toContainEqual(expect.stringMatching(/Current state: 'CREATE_FAILED' {2}Reason: The following resource\(s\) failed to create: \[AWSEBV2LoadBalancerListener443\]/));
    expect(events).toContain('ERROR Create environment operation is complete, but with errors. For more information, see troubleshooting documentation.');
    expect(events).not.toContain('INFO Successfully launched environment: web-new');
  });

  it('takes listener settings from .ebextensions on deploy, and fails that deployment (keeping the old version) for a bad certificate', async () => {
    const w = await httpsWorld();
    await w.launch('web-app', [ALB]);
    const pending = await w.certificate('pending.example', { pending: true });
    const app = (label: string, arn: string) =>
      zip({
        'package.json': JSON.stringify({ name: 'pettracker', version: '1.0.0', scripts: { start: 'node app.js' } }),
        'app.js': `require('http').createServer((req, res) => res.end('PetTracker ${label}')).listen(process.env.PORT || 8080);\n`,
        '.ebextensions/https.config': `option_settings:\n  aws:elbv2:listener:443:\n    Protocol: HTTPS\n    SSLCertificateArns: ${arn}\n`,
      });
    await w.version('v2-pending', app('v2', pending));
    const bad = await w.update('web-app', { label: 'v2-pending' });
    const events = await w.messages('web-app', bad);
    expect(events).toContainEqual(expect.stringMatching(/^ERROR Creating Load Balancer listener failed Reason: The certificate/));
    expect(events).toContain('ERROR Failed to deploy application.');
    expect((await w.describe('web-app')).VersionLabel).toBe('v1');

    const issued = await w.certificate('pettracker.example');
    await w.version('v2', app('v2', issued));
    const good = await w.update('web-app', { label: 'v2' });
    const ok = await w.messages('web-app', good);
    expect(ok.filter((m) => m.startsWith('INFO Created Load Balancer listener named: '))).toHaveLength(1);
    expect((await w.describe('web-app')).VersionLabel).toBe('v2');
    expect(await w.setting('web-app', 'aws:elbv2:listener:443', 'SSLCertificateArns')).toBe(issued);
  });

  it('removes the listener when ListenerEnabled is false, and frees the certificate', async () => {
    const w = await httpsWorld();
    const arn = await w.certificate();
    await w.launch('web-app', [ALB, ...https443(arn)]);
    const rid = await w.update('web-app', { settings: [opt('aws:elbv2:listener:443', 'ListenerEnabled', 'false')] });
    expect((await w.messages('web-app', rid)).filter((m) => m.startsWith('INFO Deleted Load Balancer listener named: '))).toHaveLength(1);
    expect((await w.aws.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate?.InUseBy).toEqual([]);
  });

  it('takes the listener away again when the update is aborted', async () => {
    const w = await httpsWorld();
    await w.launch('web-app', [ALB]);
    const arn = await w.certificate();
    await w.aws.eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'web-app', OptionSettings: https443(arn) }));
    await w.clock.advance(6_000);
    expect((await w.aws.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate?.InUseBy).toHaveLength(1);
    await w.aws.eb.send(new AbortEnvironmentUpdateCommand({ EnvironmentName: 'web-app' }));
    await w.clock.advance(10 * 60_000);
    expect(await w.messages('web-app')).toContainEqual(expect.stringMatching(/^INFO Deleted Load Balancer listener named: /));
    expect((await w.aws.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate?.InUseBy).toEqual([]);
    expect(await w.setting('web-app', 'aws:elbv2:listener:443', 'Protocol')).toBeUndefined();
  });

  it('keeps the listeners in snapshots, and refuses a snapshot whose listeners are corrupt', async () => {
    const w = await httpsWorld();
    const arn = await w.certificate();
    await w.launch('web-app', [ALB, ...https443(arn)]);
    const snapshot = w.cloud.snapshot();
    const copy = createCloud({ clock: new ManualClock(w.clock.now()), log: () => {} });
    copy.restore(snapshot);
    const cname = (await w.describe('web-app')).CNAME!;
    expect((await copy.evidence.request(ACCOUNT, { url: `https://${cname}/`, method: 'GET', headers: {} })).status).toBe(200);
    const corrupt = JSON.parse(JSON.stringify(snapshot)) as { services: { elasticbeanstalk: { regions: { environments: Record<string, { listeners: unknown }> }[] } } };
    for (const env of Object.values(corrupt.services.elasticbeanstalk.regions[0].environments)) env.listeners = [{ port: '443' }];
    expect(() => copy.restore(corrupt)).toThrow(/listeners must be a list of listeners/);
  });

  it('ignores listener settings on a single-instance environment, which has no load balancer', async () => {
    const w = await httpsWorld();
    await w.launch('web-single', [opt('aws:elasticbeanstalk:environment', 'EnvironmentType', 'SingleInstance'), ...https443('arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-4000-8000-000000000000')]);
    const events = await w.messages('web-single');
    expect(events).toContain('INFO Successfully launched environment: web-single');
    expect(events.some((m) => m.includes('Load Balancer listener'))).toBe(false);
  });
});

const ACCOUNT = '000000000000';

/** A Node.js app whose .ebextensions add the 443 listener and, optionally, the documented redirect override. */
function httpsApp(label: string, arn: string, redirect?: string): Uint8Array {
  const override =
    redirect === undefined
      ? ''
      : `Resources:\n  AWSEBV2LoadBalancerListener:\n    Type: 'AWS::ElasticLoadBalancingV2::Listener'\n    Properties:\n      LoadBalancerArn:\n        Ref: AWSEBV2LoadBalancer\n      Port: 80\n      Protocol: HTTP\n${redirect}`;
  return zip({
    'package.json': JSON.stringify({ name: 'pettracker', version: '1.0.0', scripts: { start: 'node app.js' } }),
    'app.js': `require('http').createServer((req, res) => res.end('PetTracker ${label}')).listen(process.env.PORT || 8080);\n`,
    '.ebextensions/https.config': `option_settings:\n  aws:elbv2:listener:443:\n    Protocol: HTTPS\n    SSLCertificateArns: ${arn}\n    SSLPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06\n`,
    ...(redirect === undefined ? {} : { '.ebextensions/https-redirect.config': override }),
  });
}

const DOCUMENTED_REDIRECT = `      DefaultActions:
        - Type: redirect
          RedirectConfig:
            Host: "#{host}"
            Path: "/#{path}"
            Port: "443"
            Protocol: "HTTPS"
            Query: "#{query}"
            StatusCode: "HTTP_301"
`;

describe('requests through the listeners', () => {
  async function ready(bundle: (arn: string) => Uint8Array, settings: ConfigurationOptionSetting[] = [ALB]) {
    const w = await httpsWorld();
    const arn = await w.certificate();
    await w.version('v2', bundle(arn));
    await w.launch('web-https', settings, 'v2');
    const cname = (await w.describe('web-https')).CNAME!;
    const send = (url: string, headers: Record<string, string> = {}) => w.cloud.evidence.request(ACCOUNT, { url, method: 'GET', headers: { 'user-agent': 'curl/8.5.0', ...headers } });
    return { w, arn, cname, send };
  }

  it('forwards https:// to the instances with X-Forwarded-* headers and presents the certificate; http:// still works without a redirect', async () => {
    const { w, arn, cname, send } = await ready((arn) => httpsApp('v2', arn));
    const secure = await send(`https://${cname}/pets?id=1`);
    expect(secure).toMatchObject({ status: 200, body: 'PetTracker v2', versionLabel: 'v2' });
    expect(secure.tls).toEqual({ certificateArn: arn, names: ['pettracker.example', 'www.pettracker.example'], trusted: true, selfSigned: false, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    expect((await send(`http://${cname}/`)).status).toBe(200);
    const info = (w.cloud.evidence.traffic(ACCOUNT, 'us-east-1', 'web-https') as { requests: { path: string; status: number }[] }).requests;
    expect(info.map((r) => [r.path, r.status])).toEqual([['/pets?id=1', 200], ['/', 200]]);
    // nginx on the instance logs the client address the load balancer forwarded (X-Forwarded-For, the last field).
    const state = w.cloud.snapshot().services.elasticbeanstalk as { regions: { environments: Record<string, { name: string; instances: { logs: Record<string, string[]> }[] }> }[] };
    const env = Object.values(state.regions[0].environments).find((e) => e.name === 'web-https')!;
    expect(env.instances[0].logs['/var/log/nginx/access.log'][0]).toMatch(/"GET \/pets\?id=1 HTTP\/1\.1" 200 13 "-" "curl\/8\.5\.0" "203\.0\.113\.10"$/);
  });

  it('redirects port 80 to HTTPS the documented way, without reaching an instance', async () => {
    const { w, cname, send } = await ready((arn) => httpsApp('v2', arn, DOCUMENTED_REDIRECT));
    const events = await w.messages('web-https');
    expect(events.filter((m) => m.startsWith('INFO Created Load Balancer listener named: '))).toHaveLength(2);
    const redirected = await send(`http://${cname}/pets/7?sort=name&x=1`);
    expect(redirected.status).toBe(301);
    expect(redirected.headers).toMatchObject({ location: `https://${cname}:443/pets/7?sort=name&x=1`, server: 'awselb/2.0' });
    expect(redirected.body).toContain('<h1>301 Moved Permanently</h1>');
    expect(redirected.instanceId).toBeUndefined();
    expect((await send(`http://${cname}/`)).headers.location).toBe(`https://${cname}:443/`);
    expect((await send(redirected.headers.location)).body).toBe('PetTracker v2');
  });

  it.each([
    ['a StatusCode ALB does not know', DOCUMENTED_REDIRECT.replace('HTTP_301', 'HTTP_308'), "Value 'HTTP_308' at 'defaultActions.1.member.redirectConfig.statusCode' failed to satisfy constraint: Member must satisfy enum value set: [HTTP_301, HTTP_302]"],
    ['a redirect without RedirectConfig', '      DefaultActions:\n        - Type: redirect\n', 'A redirect action must have a redirect configuration (RedirectConfig) in DefaultActions.'],
  ])('fails the deployment for %s, naming the listener, and keeps port 80 forwarding', async (_what, redirect, reason) => {
    const w = await httpsWorld();
    await w.launch('web-app', [ALB]);
    const arn = await w.certificate();
    await w.version('v2', httpsApp('v2', arn, redirect));
    const rid = await w.update('web-app', { label: 'v2' });
    const events = await w.messages('web-app', rid);
    expect(events.find((m) => m.startsWith('ERROR Updating Load Balancer listener failed Reason: '))).toContain(reason);
    expect(events).toContainEqual(expect.stringContaining('The following resource(s) failed to update: [AWSEBV2LoadBalancerListener]'));
    expect(events).toContain('ERROR Failed to deploy application.');
    const cname = (await w.describe('web-app')).CNAME!;
    expect(await w.cloud.evidence.request(ACCOUNT, { url: `http://${cname}/`, method: 'GET', headers: {} })).toMatchObject({ status: 200, body: 'PetTracker v1' });
    expect((await w.cloud.evidence.request(ACCOUNT, { url: `https://${cname}/`, method: 'GET', headers: {} })).connectionError?.kind).toBe('refused');
  });

  it('refuses connections to a port without a listener, fails TLS on a plain HTTP listener, and answers plain HTTP on the HTTPS port with 400', async () => {
    const w = await httpsWorld();
    await w.launch('web-app', [ALB]);
    const cname = (await w.describe('web-app')).CNAME!;
    const send = (url: string) => w.cloud.evidence.request(ACCOUNT, { url, method: 'GET', headers: {} });
    const refused = await send(`https://${cname}/`);
    expect(refused.status).toBe(0);
    expect(refused.connectionError).toMatchObject({ kind: 'refused', message: expect.stringMatching(new RegExp(`^Failed to connect to ${cname.replace(/\./g, '\\.')} port 443 after \\d+ ms: Couldn't connect to server$`)) });
    expect((await send(`https://${cname}:80/`)).connectionError?.kind).toBe('tls');
    expect((await send(`http://${cname}:8080/`)).connectionError?.kind).toBe('refused');

    const arn = await w.certificate();
    await w.update('web-app', { settings: https443(arn) });
    const plain = await send(`http://${cname}:443/`);
    expect(plain.status).toBe(400);
    expect(plain.body).toContain('The plain HTTP request was sent to HTTPS port');
    expect((await send(`https://${cname}/`)).status).toBe(200);
  });

  it('answers a single-instance environment on http:// only', async () => {
    const w = await httpsWorld();
    await w.launch('web-single', [opt('aws:elasticbeanstalk:environment', 'EnvironmentType', 'SingleInstance')]);
    const cname = (await w.describe('web-single')).CNAME!;
    expect((await w.cloud.evidence.request(ACCOUNT, { url: `http://${cname}/`, method: 'GET', headers: {} })).status).toBe(200);
    expect((await w.cloud.evidence.request(ACCOUNT, { url: `https://${cname}/`, method: 'GET', headers: {} })).connectionError?.kind).toBe('refused');
  });
});

describe('listener plans and overrides (pure)', () => {
  const settingsWith = (pairs: [string, string, string][]) =>
    resolveEffectiveSettings({ context: { language: 'nodejs' }, api: [ALB, ...pairs.map(([ns, name, value]) => opt(ns, name, value))] });
  const base = planListeners(settingsWith([])).listeners[0];

  it('plans the default listener, numbered ports, :80 over :default, disabled listeners and impossible ports', () => {
    expect(planListeners(settingsWith([])).listeners.map((l) => [l.logicalId, l.port, l.protocol])).toEqual([['AWSEBV2LoadBalancerListener', 80, 'HTTP']]);
    const plan = planListeners(
      settingsWith([
        ['aws:elbv2:listener:443', 'Protocol', 'HTTPS'],
        ['aws:elbv2:listener:443', 'SSLCertificateArns', ' arn:a , arn:b '],
        ['aws:elbv2:listener:80', 'DefaultProcess', 'api'],
        ['aws:elbv2:listener:8443', 'ListenerEnabled', 'false'],
        ['aws:elbv2:listener:99999', 'Protocol', 'HTTP'],
      ]),
    );
    expect(plan.listeners.map((l) => [l.logicalId, l.port, l.protocol, l.defaultProcess, l.certificateArns])).toEqual([
      ['AWSEBV2LoadBalancerListener', 80, 'HTTP', 'api', []],
      ['AWSEBV2LoadBalancerListener443', 443, 'HTTPS', 'default', ['arn:a', 'arn:b']],
    ]);
    expect(plan.failures).toEqual([expect.objectContaining({ logicalId: 'AWSEBV2LoadBalancerListener99999', message: expect.stringContaining('less than or equal to 65535') })]);
    expect(planListeners(settingsWith([['aws:elbv2:listener:default', 'ListenerEnabled', 'false']])).listeners).toEqual([]);
  });

  it.each([
    ['a string', 'redirect please', 'must be a mapping with Type and Properties'],
    ['another resource type', { Type: 'AWS::S3::Bucket' }, "has Type 'AWS::S3::Bucket'"],
    ['Properties as a list', { Properties: [] }, 'Properties of AWSEBV2LoadBalancerListener must be a mapping'],
    ['a port out of range', { Properties: { Port: 70000 } }, "Value '70000' at 'port'"],
    ['a TCP protocol', { Properties: { Protocol: 'TCP' } }, "Value 'TCP' at 'protocol'"],
    ['DefaultActions as a mapping', { Properties: { DefaultActions: { Type: 'redirect' } } }, 'must be a list with at least one action'],
    ['an unknown action', { Properties: { DefaultActions: [{ Type: 'teleport' }] } }, "Value 'teleport' at 'defaultActions.1.member.type'"],
    ['a redirect to ftp', { Properties: { DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'FTP', StatusCode: 'HTTP_301' } }] } }, "The redirect protocol 'FTP' is not valid"],
    ['a redirect path without /', { Properties: { DefaultActions: [{ Type: 'redirect', RedirectConfig: { Path: '#{path}', StatusCode: 'HTTP_302' } }] } }, "The redirect path '#{path}' is not valid"],
    ['a fixed response without config', { Properties: { DefaultActions: [{ Type: 'fixed-response' }] } }, 'FixedResponseConfig'],
    ['a fixed response of 302', { Properties: { DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '302' } }] } }, "Value '302' at 'defaultActions.1.member.fixedResponseConfig.statusCode'"],
  ])('refuses an override with %s, saying what is wrong', (_what, resource, reason) => {
    const out = applyListenerOverride(base, resource);
    expect('failure' in out && out.failure.message).toContain(reason);
  });

  it('fills the redirect placeholders as ALB does', () => {
    const request = { protocol: 'http', host: 'web.example', port: 80, path: '/a/b', query: 'x=1' };
    expect(redirectLocation({ type: 'redirect', protocol: 'HTTPS', port: '443', host: '#{host}', path: '/#{path}', query: '#{query}', statusCode: 'HTTP_301' }, request)).toBe('https://web.example:443/a/b?x=1');
    expect(redirectLocation({ type: 'redirect', protocol: '#{protocol}', port: '#{port}', host: 'new.example', path: '/moved/#{path}', query: '', statusCode: 'HTTP_302' }, request)).toBe('http://new.example:80/moved/a/b');
    const fixed = applyListenerOverride(base, { Properties: { DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'maintenance' } }] } });
    expect('listener' in fixed && fixed.listener.action).toEqual({ type: 'fixed-response', statusCode: '503', contentType: 'text/plain', messageBody: 'maintenance' });
  });
});

describe('HTTPS on a Classic Load Balancer', () => {
  const CLB = opt('aws:elasticbeanstalk:environment', 'LoadBalancerType', 'classic');
  const https = (arn: string) => [opt('aws:elb:listener:443', 'ListenerProtocol', 'HTTPS'), opt('aws:elb:listener:443', 'SSLCertificateId', arn), opt('aws:elb:listener:443', 'InstancePort', '80')];

  it('creates the load balancer with its 443 listener, answers https://, and lists it in InUseBy by ARN', async () => {
    const w = await httpsWorld();
    const arn = await w.certificate();
    await w.launch('web-classic', [CLB, ...https(arn)]);
    const events = await w.messages('web-classic');
    expect(events).toContainEqual(expect.stringMatching(/^INFO Created load balancer named: awseb-e-/));
    expect(events.some((m) => m.includes('Load Balancer listener'))).toBe(false);
    expect(events).toContain('INFO Successfully launched environment: web-classic');
    const name = await w.loadBalancer('web-classic');
    expect((await w.aws.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate?.InUseBy).toEqual([`arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/${name}`]);
    const cname = (await w.describe('web-classic')).CNAME!;
    const answer = await w.cloud.evidence.request(ACCOUNT, { url: `https://${cname}/`, method: 'GET', headers: {} });
    expect(answer).toMatchObject({ status: 200, body: 'PetTracker v1', tls: { certificateArn: arn } });
  });

  it('fails the load balancer update with the Classic API words for a certificate that is not issued', async () => {
    const w = await httpsWorld();
    await w.launch('web-classic', [CLB]);
    const pending = await w.certificate('pettracker.example', { pending: true });
    const rid = await w.update('web-classic', { settings: https(pending) });
    const name = await w.loadBalancer('web-classic');
    const events = await w.messages('web-classic', rid);
    expect(events).toContainEqual(expect.stringContaining(`ERROR Updating load balancer named: ${name} failed Reason: Server Certificate not found for the key: ${pending} (Service: AmazonElasticLoadBalancing; Status Code: 400; Error Code: CertificateNotFound;`));
    expect(events).toContainEqual(expect.stringContaining('The following resource(s) failed to update: [AWSEBLoadBalancer]'));
    expect(events).toContain('ERROR Failed to deploy configuration.');
    const cname = (await w.describe('web-classic')).CNAME!;
    expect((await w.cloud.evidence.request(ACCOUNT, { url: `https://${cname}/`, method: 'GET', headers: {} })).connectionError?.kind).toBe('refused');
  });
});
