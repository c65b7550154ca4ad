// Custom checks for the production lab: the ACM certificate, production's HTTPS listener, HTTP and HTTPS as a
// visitor sees them, the saved configuration production came from, and staging left with its own settings.
import { DescribeCertificateCommand, ListCertificatesCommand, type CertificateDetail } from '@aws-sdk/client-acm';
import {
  DescribeApplicationsCommand,
  DescribeConfigurationSettingsCommand,
  type ConfigurationOptionSetting,
  type EnvironmentDescription,
} from '@aws-sdk/client-elastic-beanstalk';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { strFromU8, unzipSync } from 'fflate';
import { parse as parseYaml } from 'yaml';
import { CheckFailure, defineChecks, eventEvidence, listEvents, listVersions, requireEnvironment } from '../../src/checks/index.ts';
import type { CheckContext, CheckOutcome, EnvironmentAnswer, Evidence } from '../../src/checks/index.ts';

const LISTENER_443 = 'aws:elbv2:listener:443';
const KEY_TYPES = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'] as const;

/** The environment, which must exist and not be terminated (a terminated one has no settings or URL to grade). */
async function liveEnvironment(ctx: CheckContext, name: string, expected: string): Promise<EnvironmentDescription> {
  const env = await requireEnvironment(ctx, name, expected);
  if (env.Status === 'Terminated' || env.Status === 'Terminating') {
    throw new CheckFailure({ pass: false, expected, found: `${name} is ${env.Status}; create it again.`, reason: 'terminated', hintLevel: 'concept' });
  }
  return env;
}

function acmOf(ctx: CheckContext) {
  const acm = ctx.clients.acm;
  if (!acm) throw new Error('This check reads certificates through an ACM client, and the grading context has none.');
  return acm;
}

/** Every certificate in the account and region, described (a lab has a handful). */
async function allCertificates(ctx: CheckContext): Promise<CertificateDetail[]> {
  const acm = acmOf(ctx);
  const arns: string[] = [];
  let token: string | undefined;
  do {
    const page = await acm.send(new ListCertificatesCommand({ NextToken: token, Includes: { keyTypes: [...KEY_TYPES] } }));
    for (const summary of page.CertificateSummaryList ?? []) if (summary.CertificateArn) arns.push(summary.CertificateArn);
    token = page.NextToken;
  } while (token);
  const described = await Promise.all(arns.map((arn) => acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))));
  return described.map((d) => d.Certificate).filter((c): c is CertificateDetail => !!c);
}

async function describeCertificate(ctx: CheckContext, arn: string): Promise<CertificateDetail | undefined> {
  try {
    return (await acmOf(ctx).send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ResourceNotFoundException' || name === 'InvalidArnException' || name === 'ValidationException') return undefined;
    throw error;
  }
}

/** The names a certificate is good for; `*.example.com` covers exactly one more label. */
function namesOf(cert: CertificateDetail): string[] {
  return [...new Set([cert.DomainName ?? '', ...(cert.SubjectAlternativeNames ?? [])].filter(Boolean))];
}

function covers(cert: CertificateDetail, domain: string): boolean {
  const wanted = domain.toLowerCase();
  return namesOf(cert).some((name) => {
    const n = name.toLowerCase();
    if (n === wanted) return true;
    return n.startsWith('*.') && wanted.endsWith(n.slice(1)) && !wanted.slice(0, -(n.length - 1)).includes('.');
  });
}

function certificateEvidence(cert: CertificateDetail): Evidence {
  const when = cert.IssuedAt ? `, issued ${cert.IssuedAt.toISOString()}` : cert.CreatedAt ? `, requested ${cert.CreatedAt.toISOString()}` : '';
  return { kind: 'setting', text: `${cert.CertificateArn}: ${cert.Status} for ${namesOf(cert).join(', ')}${when}`, source: 'ACM DescribeCertificate' };
}

async function effectiveSettings(ctx: CheckContext, env: EnvironmentDescription): Promise<ConfigurationOptionSetting[]> {
  const out = await ctx.clients.eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: env.ApplicationName, EnvironmentName: env.EnvironmentName }));
  return out.ConfigurationSettings?.[0]?.OptionSettings ?? [];
}

function valueOf(settings: ConfigurationOptionSetting[], namespace: string, option: string): string | undefined {
  return settings.find((s) => s.Namespace === namespace && s.OptionName === option && !s.ResourceName)?.Value;
}

/** ERROR/WARN events of the environment since the preset that speak of the listener or a certificate. */
async function listenerTrouble(ctx: CheckContext, environment: string): Promise<Evidence[]> {
  const events = await listEvents(ctx, { environment, afterPreset: true, max: 200 });
  return events
    .filter((e) => (e.Severity === 'ERROR' || e.Severity === 'WARN') && /certificate|listener|443|https/i.test(e.Message ?? ''))
    .slice(0, 3)
    .map(eventEvidence);
}

/** Asks an environment URL through the sandbox, as a browser would. */
async function visit(ctx: CheckContext, url: string): Promise<EnvironmentAnswer | { error: string }> {
  const request = ctx.clients.sandbox?.request;
  if (!request) throw new Error('This check asks the environment URL through the sandbox cloud, and this backend has no sandbox evidence (use the built-in sandbox or academy cloud).');
  try {
    return await request.call(ctx.clients.sandbox, { url, method: 'GET', headers: { 'user-agent': 'beanstalk-academy-check' } });
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function header(answer: EnvironmentAnswer, name: string): string | undefined {
  const found = Object.entries(answer.headers).find(([k]) => k.toLowerCase() === name);
  return found?.[1];
}

function answerEvidence(url: string, answer: EnvironmentAnswer | { error: string }): Evidence {
  if ('error' in answer) return { kind: 'traffic', text: `GET ${url} → no answer: ${answer.error}`, source: 'request' };
  if (answer.status === 0) return { kind: 'traffic', text: `GET ${url} → no answer: ${answer.connectionError?.message ?? 'no connection'}`, source: 'request' };
  const location = header(answer, 'location');
  const body = answer.body.replace(/\s+/g, ' ').trim().slice(0, 120);
  return { kind: 'traffic', text: `GET ${url} → ${answer.status}${location ? ` Location: ${location}` : ''}${!location && body ? ` ${body}` : ''}`, source: answer.versionLabel ? `answered by ${answer.versionLabel}` : 'request' };
}

interface BundleOption {
  namespace: string;
  option: string;
  value: string;
  file: string;
  line: number;
}

/** The option_settings (both forms) of the .ebextensions files inside the version an environment runs. */
async function bundleOptions(ctx: CheckContext, env: EnvironmentDescription): Promise<{ label?: string; options: BundleOption[] }> {
  const label = env.VersionLabel;
  if (!label || !env.ApplicationName) return { options: [] };
  const version = (await listVersions(ctx, env.ApplicationName)).find((v) => v.VersionLabel === label);
  const bucket = version?.SourceBundle?.S3Bucket;
  const key = version?.SourceBundle?.S3Key;
  if (!bucket || !key) return { label, options: [] };
  const object = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(await object.Body!.transformToByteArray(), { filter: (f) => /^\.ebextensions\/[^/]+\.config$/.test(f.name) });
  } catch {
    return { label, options: [] };
  }
  const options: BundleOption[] = [];
  for (const [file, bytes] of Object.entries(files)) {
    const text = strFromU8(bytes);
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch {
      continue;
    }
    const settings = (doc as { option_settings?: unknown } | null)?.option_settings;
    const lines = text.split(/\r?\n/);
    const lineOf = (needle: string) => Math.max(1, lines.findIndex((l) => l.includes(needle)) + 1);
    if (Array.isArray(settings)) {
      for (const s of settings as Array<Record<string, unknown>>) {
        if (!s || typeof s !== 'object') continue;
        const option = String(s.option_name ?? '');
        options.push({ namespace: String(s.namespace ?? ''), option, value: String(s.value ?? ''), file, line: lineOf(option) });
      }
    } else if (settings && typeof settings === 'object') {
      for (const [namespace, opts] of Object.entries(settings as Record<string, unknown>)) {
        if (!opts || typeof opts !== 'object') continue;
        for (const [option, value] of Object.entries(opts as Record<string, unknown>)) options.push({ namespace, option, value: String(value ?? ''), file, line: lineOf(option) });
      }
    }
  }
  return { label, options };
}

export default defineChecks({
  'certificate-issued': async (params, ctx): Promise<CheckOutcome> => {
    const domain = String(params.domain);
    const expected = `An ACM certificate for ${domain} with status ISSUED.`;
    const certificates = await allCertificates(ctx);
    const forDomain = certificates.filter((c) => covers(c, domain));
    const issued = forDomain.find((c) => c.Status === 'ISSUED');
    if (issued) return { pass: true, expected, found: `${issued.CertificateArn} is ISSUED for ${namesOf(issued).join(', ')}.`, evidence: [certificateEvidence(issued)] };
    const pending = forDomain.find((c) => c.Status === 'PENDING_VALIDATION');
    if (pending) {
      const record = pending.DomainValidationOptions?.[0]?.ResourceRecord;
      return {
        pass: false,
        expected,
        found: `Your certificate for ${domain} is still PENDING_VALIDATION: ACM has not seen its DNS validation record yet.`,
        reason: 'pending-validation',
        hintLevel: 'concept',
        evidence: [certificateEvidence(pending), ...(record ? [{ kind: 'setting' as const, text: `${record.Name} ${record.Type} ${record.Value}`, source: 'the DNS record ACM waits for' }] : [])],
      };
    }
    if (forDomain.length > 0) {
      return {
        pass: false,
        expected,
        found: `Your certificate for ${domain} is ${forDomain[0].Status}, so nothing can use it; request a new one.`,
        reason: 'not-issued',
        hintLevel: 'concept',
        evidence: forDomain.map(certificateEvidence),
      };
    }
    if (certificates.length > 0) {
      return {
        pass: false,
        expected,
        found: `You have certificates for ${[...new Set(certificates.flatMap(namesOf))].join(', ')}, none for ${domain}, the address in LAUNCH.md.`,
        reason: 'wrong-domain',
        hintLevel: 'fix',
        evidence: certificates.map(certificateEvidence),
      };
    }
    return { pass: false, expected, found: `There is no certificate in ACM (${ctx.clients.region}) yet.`, reason: 'no-certificate', hintLevel: 'nudge' };
  },

  'https-listener': async (params, ctx): Promise<CheckOutcome> => {
    const environment = String(params.environment);
    const domain = String(params.domain);
    const expected = `${environment}'s load balancer listens on port 443 with Protocol HTTPS and an ISSUED certificate for ${domain}.`;
    const env = await liveEnvironment(ctx, environment, expected);
    const settings = await effectiveSettings(ctx, env);
    const listener = settings.filter((s) => s.Namespace === LISTENER_443);
    const enabled = valueOf(settings, LISTENER_443, 'ListenerEnabled');
    const protocol = valueOf(settings, LISTENER_443, 'Protocol');
    const arns = (valueOf(settings, LISTENER_443, 'SSLCertificateArns') ?? '').split(',').map((a) => a.trim()).filter(Boolean);
    const shown: Evidence[] = listener.map((s) => ({ kind: 'setting', text: `${LISTENER_443} ${s.OptionName}: ${s.Value ?? ''}`, source: `DescribeConfigurationSettings ${environment}` }));
    if (listener.length === 0 || enabled === 'false') {
      if ((valueOf(settings, 'aws:elbv2:listener:default', 'Protocol') ?? '').toUpperCase() === 'HTTPS') {
        return {
          pass: false,
          expected,
          found: `Port 80 of ${environment} (aws:elbv2:listener:default) speaks HTTPS, and there is no listener on 443: browsers ask https:// on port 443, and port 80 should keep HTTP for the redirect.`,
          reason: 'wrong-port',
          hintLevel: 'fix',
          evidence: [...shown, { kind: 'setting', text: 'aws:elbv2:listener:default Protocol: HTTPS', source: `DescribeConfigurationSettings ${environment}` }],
        };
      }
      const trouble = await listenerTrouble(ctx, environment);
      if (trouble.length > 0) {
        return {
          pass: false,
          expected,
          found: `${environment} has no listener on port 443: the update that should have added it failed (see the events).`,
          reason: 'update-failed',
          hintLevel: 'concept',
          evidence: [...shown, ...trouble],
        };
      }
      return { pass: false, expected, found: `${environment}'s load balancer listens on port 80 only.`, reason: 'no-listener', hintLevel: 'nudge', evidence: shown };
    }
    if ((protocol ?? 'HTTP').toUpperCase() !== 'HTTPS') {
      return { pass: false, expected, found: `Port 443 of ${environment} speaks ${protocol ?? 'HTTP'}, not HTTPS.`, reason: 'wrong-protocol', hintLevel: 'fix', evidence: shown };
    }
    if (arns.length === 0) {
      return { pass: false, expected, found: `Port 443 of ${environment} speaks HTTPS but names no certificate (SSLCertificateArns is empty).`, reason: 'no-certificate', hintLevel: 'fix', evidence: shown };
    }
    const certificate = await describeCertificate(ctx, arns[0]);
    if (!certificate) {
      return { pass: false, expected, found: `Port 443 names ${arns[0]}, which is not a certificate in ACM (${ctx.clients.region}).`, reason: 'unknown-certificate', hintLevel: 'fix', evidence: shown };
    }
    const evidence = [...shown, certificateEvidence(certificate)];
    if (certificate.Status !== 'ISSUED') {
      return { pass: false, expected, found: `Port 443 uses ${certificate.CertificateArn}, which is ${certificate.Status}, not ISSUED.`, reason: 'certificate-not-issued', hintLevel: 'concept', evidence: [...evidence, ...(await listenerTrouble(ctx, environment))] };
    }
    if (!covers(certificate, domain)) {
      return { pass: false, expected, found: `Port 443 uses a certificate for ${namesOf(certificate).join(', ')}; visitors come to ${domain}.`, reason: 'wrong-domain', hintLevel: 'fix', evidence };
    }
    return { pass: true, expected, found: `Port 443 speaks HTTPS with ${certificate.CertificateArn} (ISSUED for ${namesOf(certificate).join(', ')}).`, evidence };
  },

  'http-redirects': async (params, ctx): Promise<CheckOutcome> => {
    const environment = String(params.environment);
    const expected = `http://<${environment} CNAME>/ answers 301 with a Location that starts with https://.`;
    const env = await liveEnvironment(ctx, environment, expected);
    if (!env.CNAME) throw new Error(`${environment} has no CNAME to visit`);
    const url = `http://${env.CNAME}/`;
    const answer = await visit(ctx, url);
    const evidence = [answerEvidence(url, answer)];
    if ('error' in answer || answer.status === 0) return { pass: false, expected, found: `${url} did not answer.`, reason: 'no-answer', hintLevel: 'concept', evidence };
    const location = header(answer, 'location') ?? '';
    const redirect = answer.status >= 300 && answer.status < 400;
    if (redirect && !/^https:\/\//i.test(location)) {
      return { pass: false, expected, found: `HTTP redirects to ${location || 'nowhere (no Location header)'}, not to https://.`, reason: 'wrong-location', hintLevel: 'fix', evidence };
    }
    if (answer.status === 301 || answer.status === 308) return { pass: true, expected, found: `HTTP answers ${answer.status} to ${location}.`, evidence };
    if (redirect) {
      return { pass: false, expected, found: `HTTP answers ${answer.status}, a temporary redirect: browsers and search engines keep coming back over HTTP.`, reason: 'temporary-redirect', hintLevel: 'fix', evidence };
    }
    if (answer.status >= 200 && answer.status < 300) {
      return { pass: false, expected, found: `HTTP serves the page itself (${answer.status}), in clear text.`, reason: 'no-redirect', hintLevel: 'concept', evidence };
    }
    return { pass: false, expected, found: `HTTP answers ${answer.status}.`, reason: 'http-failed', hintLevel: 'concept', evidence };
  },

  'https-serves-app': async (params, ctx): Promise<CheckOutcome> => {
    const environment = String(params.environment);
    const expected = `https://<${environment} CNAME>/ answers 200 from the app.`;
    const env = await liveEnvironment(ctx, environment, expected);
    if (!env.CNAME) throw new Error(`${environment} has no CNAME to visit`);
    const url = `https://${env.CNAME}/`;
    const answer = await visit(ctx, url);
    const evidence = [answerEvidence(url, answer)];
    if ('error' in answer) return { pass: false, expected, found: `${url} did not answer: ${answer.error}`, reason: 'no-answer', hintLevel: 'concept', evidence };
    if (answer.status === 0 && answer.connectionError?.kind === 'tls') {
      return { pass: false, expected, found: `Port 443 answers, but not with TLS: the listener there speaks plain HTTP.`, reason: 'not-tls', hintLevel: 'fix', evidence };
    }
    if (answer.status === 0) {
      return { pass: false, expected, found: `Nothing answers HTTPS: ${answer.connectionError?.message ?? 'the connection was refused'}.`, reason: 'no-connection', hintLevel: 'concept', evidence };
    }
    if (answer.status >= 300 && answer.status < 400 && /^https:/i.test(header(answer, 'location') ?? '')) {
      return { pass: false, expected, found: `HTTPS redirects to ${header(answer, 'location')} again: the redirect is on port 443 too, so visitors go round in circles.`, reason: 'redirect-loop', hintLevel: 'fix', evidence };
    }
    if (answer.status !== 200) return { pass: false, expected, found: `HTTPS answers ${answer.status}.`, reason: 'https-failed', hintLevel: 'concept', evidence };
    return { pass: true, expected, found: `HTTPS answers 200${answer.versionLabel ? ` from ${answer.versionLabel}` : ''}.`, evidence };
  },

  'prod-from-saved-config': async (params, ctx): Promise<CheckOutcome> => {
    const environment = String(params.environment);
    const suggested = String(params.template ?? 'prod');
    const expected = `${environment} was launched from a saved configuration of its own (e.g. "${suggested}", from .elasticbeanstalk/saved_configs/${suggested}.cfg.yml).`;
    const env = await liveEnvironment(ctx, environment, expected);
    const app = await ctx.clients.eb.send(new DescribeApplicationsCommand({ ApplicationNames: [env.ApplicationName ?? ''] }));
    const templates = app.Applications?.[0]?.ConfigurationTemplates ?? [];
    const evidence: Evidence[] = [
      { kind: 'setting', text: `${environment} TemplateName: ${env.TemplateName ?? '(none)'}`, source: 'DescribeEnvironments' },
      { kind: 'setting', text: `saved configurations of ${env.ApplicationName}: ${templates.join(', ') || '(none)'}`, source: 'DescribeApplications' },
    ];
    if (env.TemplateName && templates.includes(env.TemplateName)) {
      return { pass: true, expected, found: `${environment} was launched from the saved configuration "${env.TemplateName}".`, evidence };
    }
    if (env.TemplateName) {
      return { pass: false, expected, found: `${environment} was launched from "${env.TemplateName}", which the application no longer has.`, reason: 'template-deleted', hintLevel: 'concept', evidence };
    }
    return { pass: false, expected, found: `${environment} was launched without a saved configuration, so its settings live nowhere but in the environment itself.`, reason: 'no-saved-config', hintLevel: 'concept', evidence };
  },

  'staging-unchanged': async (params, ctx): Promise<CheckOutcome> => {
    const environment = String(params.environment);
    const preset = ctx.lab.manifest.preset.environments.find((e) => e.name === environment);
    if (!preset) throw new Error(`The lab preset has no environment ${environment} to compare with`);
    // The preset's own settings plus the defaults staging runs on (params.settings): all must be as they were.
    const extra = (params.settings as Array<{ namespace: string; option: string; value: string }> | undefined) ?? [];
    const wanted = [...preset.optionSettings, ...extra.map((s) => ({ namespace: String(s.namespace), option: String(s.option), value: String(s.value) }))];
    const expected = `${environment} still has its own settings: ${wanted.map((s) => `${s.option}=${s.value}`).join(', ')}.`;
    const env = await liveEnvironment(ctx, environment, expected);
    const settings = await effectiveSettings(ctx, env);
    const changed = wanted
      .map((s) => ({ ...s, now: valueOf(settings, s.namespace, s.option) }))
      .filter((s) => s.now !== s.value)
      .map((s) => ({ ...s, words: `${s.option} is ${s.now ?? 'unset'} (was ${s.value})`, setting: `${s.namespace} ${s.option}: ${s.now ?? '(unset)'} (was ${s.value})` }));
    // Production's certificate on staging's port 443 is production's setting too (a browser refuses it there).
    const productionDomain = params.productionDomain ? String(params.productionDomain) : undefined;
    const stagingArns = (valueOf(settings, LISTENER_443, 'SSLCertificateArns') ?? '').split(',').map((a) => a.trim()).filter(Boolean);
    if (productionDomain && stagingArns.length > 0 && ctx.clients.acm) {
      for (const arn of stagingArns) {
        const certificate = await describeCertificate(ctx, arn);
        if (certificate && covers(certificate, productionDomain)) {
          changed.push({
            namespace: LISTENER_443,
            option: 'SSLCertificateArns',
            value: '',
            now: arn,
            words: `port 443 uses production's certificate for ${productionDomain}`,
            setting: `${LISTENER_443} SSLCertificateArns: ${arn} (production's certificate for ${productionDomain})`,
          });
        }
      }
    }
    if (changed.length === 0) return { pass: true, expected, found: `${environment} kept all ${wanted.length} of its settings.` };
    const evidence: Evidence[] = changed.map((s) => ({ kind: 'setting', text: s.setting, source: `DescribeConfigurationSettings ${environment}` }));
    const { label, options } = await bundleOptions(ctx, env);
    const fromBundle = options.filter((o) => changed.some((c) => c.namespace === o.namespace && c.option === o.option));
    const list = changed.map((s) => s.words).join(', ');
    if (fromBundle.length > 0) {
      return {
        pass: false,
        expected,
        found: `${environment} changed: ${list}. The values come from ${[...new Set(fromBundle.map((o) => o.file))].join(', ')} in the version it runs (${label}): .ebextensions travel with the bundle to every environment.`,
        reason: 'settings-in-bundle',
        hintLevel: 'concept',
        evidence: [...evidence, ...fromBundle.map((o): Evidence => ({ kind: 'file', text: `${o.namespace} ${o.option}: ${o.value}`, source: `${label}: ${o.file}:${o.line}` }))],
      };
    }
    return { pass: false, expected, found: `${environment} changed: ${list}.`, reason: 'settings-changed', hintLevel: 'concept', evidence };
  },
});
