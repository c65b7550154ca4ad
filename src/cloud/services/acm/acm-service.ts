// AWS Certificate Manager in the sandbox (AWS JSON 1.1, `CertificateManager.*`): requested certificates
// pass DNS validation on the virtual clock, imported ones are read from their PEM; tags, listing, deletion.
import type { Clock } from '../../clock.ts';
import { AwsError } from '../../protocol/errors.ts';
import type { JsonService } from '../../protocol/json.ts';
import type { RequestContext } from '../service.ts';
import { createAuthority, issueCertificate, type AuthorityState } from './issuer.ts';
import { CertificateFormatError, checkPrivateKeyDer, parseCertificate, pemBlocks } from './x509.ts';

/**
 * There is no DNS in the sandbox: a requested certificate's validation record counts as published, and the
 * certificate is ISSUED this long (virtual time) after the request, as a real one is minutes after its
 * CNAME appears.
 */
export const VALIDATION_DELAY_MS = 60_000;
/** ACM-issued certificates are valid for 395 days (13 months). */
const AMAZON_VALIDITY_MS = 395 * 86_400_000;
const IDEMPOTENCY_WINDOW_MS = 3600_000;
export const MAX_CERTIFICATES = 2500;
const MAX_TAGS = 50;
const MAX_SANS = 10;

type Status = 'PENDING_VALIDATION' | 'ISSUED' | 'INACTIVE' | 'EXPIRED' | 'VALIDATION_TIMED_OUT' | 'REVOKED' | 'FAILED';
const STATUSES: readonly Status[] = ['PENDING_VALIDATION', 'ISSUED', 'INACTIVE', 'EXPIRED', 'VALIDATION_TIMED_OUT', 'REVOKED', 'FAILED'];
const REQUESTABLE_KEYS = ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'] as const;

interface Tag {
  Key: string;
  Value?: string;
}

interface ValidationRecord {
  DomainName: string;
  ValidationDomain: string;
  ResourceRecord: { Name: string; Type: 'CNAME'; Value: string };
}

interface StoredCertificate {
  CertificateArn: string;
  DomainName: string;
  SubjectAlternativeNames: string[];
  Type: 'AMAZON_ISSUED' | 'IMPORTED';
  Status: Status;
  KeyAlgorithm: string;
  SignatureAlgorithm: string;
  Serial?: string;
  Subject: string;
  Issuer: string;
  CreatedAt: number;
  IssuedAt?: number;
  ImportedAt?: number;
  NotBefore?: number;
  NotAfter?: number;
  validation: ValidationRecord[];
  tags: Tag[];
  idempotencyToken?: string;
  certificatePem?: string;
  chainPem?: string;
  transparencyLogging: 'ENABLED' | 'DISABLED';
}

export interface AcmSnapshot {
  certificates: StoredCertificate[];
  /** The sandbox authority that signs bodies of ACM-issued certificates, once one was needed. */
  authority?: AuthorityState;
}

/** Who uses a certificate (Elastic Beanstalk's HTTPS listeners), so in-use certificates cannot be deleted. */
export interface CertificateUsers {
  /** ARNs of resources (load balancers) using the certificate; empty when none. */
  usersOf(accountId: string, region: string, certificateArn: string): string[];
}

export interface AcmOptions {
  clock: Clock;
  users?: CertificateUsers;
}

function validationError(field: string, value: unknown, constraint: string): AwsError {
  const shown = value === undefined || value === null ? 'null' : `'${String(value).slice(0, 200)}'`;
  return new AwsError('ValidationException', `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`, 400);
}

function str(input: Record<string, unknown>, key: string, required: true): string;
function str(input: Record<string, unknown>, key: string, required?: false): string | undefined;
function str(input: Record<string, unknown>, key: string, required = false): string | undefined {
  const value = input[key];
  const field = key[0].toLowerCase() + key.slice(1);
  if (value === undefined || value === null) {
    if (required) throw validationError(field, value, 'Member must not be null');
    return undefined;
  }
  if (typeof value !== 'string') throw new AwsError('SerializationException', `${key} must be a string.`, 400);
  return value;
}

function list(input: Record<string, unknown>, key: string): unknown[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new AwsError('SerializationException', `${key} must be a list.`, 400);
  return value;
}

/** JSON blobs arrive base64-encoded; ACM wants PEM text inside. */
function blobText(input: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const value = str(input, key, required as true);
  if (value === undefined) return undefined;
  let binary: string;
  try {
    binary = atob(value);
  } catch {
    throw new AwsError('SerializationException', `${key} must be base64-encoded bytes (the SDK and CLI encode a file's bytes for you).`, 400);
  }
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

const DOMAIN = /^(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$/;

function checkDomain(domain: string, field: string): string {
  if (domain.length < 1 || domain.length > 253 || !DOMAIN.test(domain)) {
    throw validationError(field, domain, 'Member must satisfy regular expression pattern: ^(\\*\\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$');
  }
  return domain.toLowerCase();
}

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function uuid(): string {
  const h = randomHex(16).split('');
  h[12] = '4';
  h[16] = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

function tagsOf(input: Record<string, unknown>, key = 'Tags'): Tag[] {
  const raw = list(input, key) ?? [];
  return raw.map((item, i) => {
    if (typeof item !== 'object' || item === null) throw new AwsError('SerializationException', `${key}[${i}] must be an object with Key and Value.`, 400);
    const t = item as Record<string, unknown>;
    const Key = str(t, 'Key', true);
    const Value = str(t, 'Value');
    if (Key.length < 1 || Key.length > 128) throw new AwsError('InvalidTagException', `Tag key '${Key.slice(0, 128)}' must be 1 to 128 characters.`, 400);
    if (Key.toLowerCase().startsWith('aws:')) throw new AwsError('InvalidTagException', `Tag key '${Key}' uses the reserved prefix aws:.`, 400);
    if (Value !== undefined && Value.length > 256) throw new AwsError('InvalidTagException', `The value of tag '${Key}' is longer than 256 characters.`, 400);
    return Value === undefined ? { Key } : { Key, Value };
  });
}

export class AcmService implements JsonService {
  readonly signingName = 'acm';
  readonly targetPrefix = 'CertificateManager';
  private certificates = new Map<string, StoredCertificate>();
  private authority: Promise<AuthorityState> | undefined;
  private authorityState: AuthorityState | undefined;
  private readonly clock: Clock;
  private readonly users?: CertificateUsers;

  constructor(options: AcmOptions) {
    this.clock = options.clock;
    this.users = options.users;
  }

  async handle(operation: string, input: Record<string, unknown>, ctx: RequestContext): Promise<Record<string, unknown>> {
    switch (operation) {
      case 'RequestCertificate':
        return this.requestCertificate(input, ctx);
      case 'ImportCertificate':
        return this.importCertificate(input, ctx);
      case 'DescribeCertificate':
        return { Certificate: this.describe(this.find(input, ctx), ctx) };
      case 'ListCertificates':
        return this.listCertificates(input, ctx);
      case 'GetCertificate':
        return await this.getCertificate(this.find(input, ctx));
      case 'DeleteCertificate':
        return this.deleteCertificate(this.find(input, ctx), ctx);
      case 'AddTagsToCertificate':
        return this.addTags(this.find(input, ctx), input);
      case 'RemoveTagsFromCertificate':
        return this.removeTags(this.find(input, ctx), input);
      case 'ListTagsForCertificate':
        return { Tags: this.find(input, ctx).tags };
      default:
        throw new AwsError('UnknownOperationException', `The sandbox's ACM does not provide ${operation.slice(0, 100)}; it answers RequestCertificate, ImportCertificate, DescribeCertificate, ListCertificates, GetCertificate, DeleteCertificate and certificate tags.`, 400);
    }
  }

  /** The status of a certificate as another sandbox service (Elastic Beanstalk) would check it; undefined when it does not exist. */
  certificateStatus(accountId: string, region: string, certificateArn: string): Status | undefined {
    const cert = this.certificates.get(certificateArn);
    if (!cert || !cert.CertificateArn.startsWith(`arn:aws:acm:${region}:${accountId}:`)) return undefined;
    return this.refresh(cert).Status;
  }

  /** Names a certificate covers (domain and alternative names) and whether ACM issued it, for load balancers presenting it. */
  certificateNames(accountId: string, region: string, certificateArn: string): { names: string[]; amazonIssued: boolean; selfSigned: boolean } | undefined {
    const cert = this.certificates.get(certificateArn);
    if (!cert || !cert.CertificateArn.startsWith(`arn:aws:acm:${region}:${accountId}:`)) return undefined;
    const names = [cert.DomainName, ...(cert.SubjectAlternativeNames ?? [])].filter((n): n is string => typeof n === 'string' && n !== '');
    return { names: [...new Set(names)], amazonIssued: cert.Type === 'AMAZON_ISSUED', selfSigned: cert.Type === 'IMPORTED' && cert.Subject === cert.Issuer };
  }

  /** Brings time-driven status up to date: validation completes, validity ends. */
  private refresh(cert: StoredCertificate): StoredCertificate {
    const now = this.clock.now();
    if (cert.Status === 'PENDING_VALIDATION' && now >= cert.CreatedAt + VALIDATION_DELAY_MS) {
      const issuedAt = cert.CreatedAt + VALIDATION_DELAY_MS;
      cert.Status = 'ISSUED';
      cert.IssuedAt = issuedAt;
      // X.509 validity has whole seconds.
      cert.NotBefore = Math.floor(issuedAt / 1000) * 1000;
      cert.NotAfter = cert.NotBefore + AMAZON_VALIDITY_MS;
    }
    if (cert.Status === 'ISSUED' && cert.NotAfter !== undefined && now >= cert.NotAfter) cert.Status = 'EXPIRED';
    return cert;
  }

  private checkArn(arn: string, ctx: RequestContext): void {
    if (!/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(arn)) {
      throw new AwsError('ValidationException', `1 validation error detected: Value '${arn.slice(0, 200)}' at 'certificateArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:acm:[\\w+=/,.@-]*:[0-9]+:[\\w+=,.@-]+(/[\\w+=,.@-]+)*`, 400);
    }
    const [, , , region, account] = arn.split(':');
    if (region !== ctx.region || account !== ctx.accountId) {
      throw new AwsError('InvalidArnException', `The certificate ARN ${arn} names ${account} in ${region}, but this request is for account ${ctx.accountId} in ${ctx.region}.`, 400);
    }
  }

  private find(input: Record<string, unknown>, ctx: RequestContext): StoredCertificate {
    const arn = str(input, 'CertificateArn', true);
    this.checkArn(arn, ctx);
    const cert = this.certificates.get(arn);
    if (!cert) throw new AwsError('ResourceNotFoundException', `Could not find certificate ${arn}.`, 400);
    return this.refresh(cert);
  }

  private inScope(ctx: RequestContext): StoredCertificate[] {
    const prefix = `arn:aws:acm:${ctx.region}:${ctx.accountId}:certificate/`;
    return [...this.certificates.values()].filter((c) => c.CertificateArn.startsWith(prefix)).map((c) => this.refresh(c));
  }

  private newArn(ctx: RequestContext): string {
    if (this.inScope(ctx).length >= MAX_CERTIFICATES) {
      throw new AwsError('LimitExceededException', `Error: you have reached your limit of ${MAX_CERTIFICATES} certificates in the last year.`, 400);
    }
    return `arn:aws:acm:${ctx.region}:${ctx.accountId}:certificate/${uuid()}`;
  }

  private requestCertificate(input: Record<string, unknown>, ctx: RequestContext): Record<string, unknown> {
    const domain = checkDomain(str(input, 'DomainName', true), 'domainName');
    const method = str(input, 'ValidationMethod') ?? 'DNS';
    if (method === 'EMAIL') throw new AwsError('InvalidParameterException', 'The sandbox validates certificates by DNS only; request with ValidationMethod DNS (which is also what AWS recommends).', 400);
    if (method !== 'DNS') throw validationError('validationMethod', method, 'Member must satisfy enum value set: [EMAIL, DNS, HTTP]');
    if (str(input, 'CertificateAuthorityArn') !== undefined) throw new AwsError('InvalidParameterException', 'The sandbox has no private certificate authorities; leave out CertificateAuthorityArn for a public certificate.', 400);
    const keyAlgorithm = str(input, 'KeyAlgorithm') ?? 'RSA_2048';
    if (!(REQUESTABLE_KEYS as readonly string[]).includes(keyAlgorithm)) throw validationError('keyAlgorithm', keyAlgorithm, `Member must satisfy enum value set: [${REQUESTABLE_KEYS.join(', ')}]`);
    const sans = (list(input, 'SubjectAlternativeNames') ?? []).map((s, i) => checkDomain(String(s), `subjectAlternativeNames.${i + 1}.member`));
    if (sans.length > MAX_SANS) throw new AwsError('LimitExceededException', `A certificate may have at most ${MAX_SANS} subject alternative names; you asked for ${sans.length}.`, 400);
    const token = str(input, 'IdempotencyToken');
    if (token !== undefined && !/^\w{1,32}$/.test(token)) throw validationError('idempotencyToken', token, 'Member must satisfy regular expression pattern: \\w+ and have length at most 32');
    const tags = tagsOf(input);
    if (tags.length > MAX_TAGS) throw new AwsError('TooManyTagsException', `A certificate may have at most ${MAX_TAGS} tags.`, 400);
    const names = [domain, ...sans.filter((s) => s !== domain)];
    if (token !== undefined) {
      const earlier = this.inScope(ctx).find((c) => c.idempotencyToken === token && c.DomainName === domain && ctx.now - c.CreatedAt < IDEMPOTENCY_WINDOW_MS);
      if (earlier) return { CertificateArn: earlier.CertificateArn };
    }
    const logging = (input.Options as { CertificateTransparencyLoggingPreference?: string } | undefined)?.CertificateTransparencyLoggingPreference;
    const arn = this.newArn(ctx);
    this.certificates.set(arn, {
      CertificateArn: arn,
      DomainName: domain,
      SubjectAlternativeNames: names,
      Type: 'AMAZON_ISSUED',
      Status: 'PENDING_VALIDATION',
      KeyAlgorithm: keyAlgorithm,
      SignatureAlgorithm: keyAlgorithm.startsWith('EC') ? 'SHA256WITHECDSA' : 'SHA256WITHRSA',
      Subject: `CN=${domain}`,
      Issuer: 'Amazon',
      CreatedAt: ctx.now,
      validation: names.map((name) => {
        const base = name.replace(/^\*\./, '');
        return {
          DomainName: name,
          ValidationDomain: name,
          ResourceRecord: { Name: `_${randomHex(16)}.${base}.`, Type: 'CNAME' as const, Value: `_${randomHex(16)}.${randomHex(5)}.acm-validations.aws.` },
        };
      }),
      tags,
      idempotencyToken: token,
      transparencyLogging: logging === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    });
    return { CertificateArn: arn };
  }

  private importCertificate(input: Record<string, unknown>, ctx: RequestContext): Record<string, unknown> {
    const certificatePem = blobText(input, 'Certificate', true)!;
    const keyPem = blobText(input, 'PrivateKey', true)!;
    const chainPem = blobText(input, 'CertificateChain', false);
    const reimportArn = str(input, 'CertificateArn');
    const tags = tagsOf(input);
    if (reimportArn !== undefined && tags.length > 0) throw new AwsError('InvalidParameterException', 'Tags cannot be given when re-importing a certificate (CertificateArn is set); use AddTagsToCertificate.', 400);
    if (tags.length > MAX_TAGS) throw new AwsError('TooManyTagsException', `A certificate may have at most ${MAX_TAGS} tags.`, 400);
    const blocks = (pem: string, label: RegExp) => {
      try {
        return pemBlocks(pem, label);
      } catch (err) {
        if (err instanceof CertificateFormatError) throw new AwsError('ValidationException', `Could not parse the PEM: ${err.message}.`, 400);
        throw err;
      }
    };
    const certs = blocks(certificatePem, /^CERTIFICATE$/);
    if (certs.length !== 1) throw new AwsError('ValidationException', `The certificate must be exactly one PEM block '-----BEGIN CERTIFICATE-----'; found ${certs.length}. Put intermediates in CertificateChain.`, 400);
    const keys = blocks(keyPem, /^(RSA |EC )?PRIVATE KEY$/);
    if (keys.length !== 1) {
      const encrypted = /ENCRYPTED PRIVATE KEY/.test(keyPem);
      throw new AwsError('ValidationException', encrypted ? 'The private key is encrypted; ACM needs it unencrypted (openssl pkey -in key.pem -out plain.pem).' : 'The private key must be one PEM block such as -----BEGIN PRIVATE KEY-----.', 400);
    }
    let parsed;
    try {
      checkPrivateKeyDer(keys[0]);
      parsed = parseCertificate(certs[0]);
      if (chainPem !== undefined) {
        const chain = pemBlocks(chainPem, /^CERTIFICATE$/);
        if (chain.length === 0) throw new CertificateFormatError('the certificate chain has no CERTIFICATE blocks');
        chain.forEach((c) => parseCertificate(c));
      }
    } catch (err) {
      if (err instanceof CertificateFormatError) throw new AwsError('ValidationException', `Could not parse the certificate: ${err.message}.`, 400);
      throw err;
    }
    if (parsed.keyAlgorithm === 'RSA_1024' || /^RSA_(512|768)$/.test(parsed.keyAlgorithm)) {
      // ACM still imports RSA_1024 but browsers no longer trust it; smaller keys it refuses.
      if (parsed.keyAlgorithm !== 'RSA_1024') throw new AwsError('ValidationException', `The certificate key ${parsed.keyAlgorithm} is too small; use RSA 2048 or larger.`, 400);
    }
    if (ctx.now >= parsed.notAfter) throw new AwsError('ValidationException', `The certificate expired on ${new Date(parsed.notAfter).toISOString()}.`, 400);
    const domain = (parsed.commonName ?? parsed.subjectAlternativeNames[0] ?? '').toLowerCase();
    if (domain === '') throw new AwsError('ValidationException', 'The certificate has neither a subject common name nor a DNS subject alternative name.', 400);
    let arn: string;
    let previous: StoredCertificate | undefined;
    if (reimportArn !== undefined) {
      previous = this.find(input, ctx);
      if (previous.Type !== 'IMPORTED') throw new AwsError('InvalidParameterException', `Certificate ${reimportArn} was issued by ACM; only imported certificates can be re-imported.`, 400);
      arn = reimportArn;
    } else {
      arn = this.newArn(ctx);
    }
    const sans = parsed.subjectAlternativeNames.map((s) => s.toLowerCase());
    this.certificates.set(arn, {
      CertificateArn: arn,
      DomainName: domain,
      SubjectAlternativeNames: sans.includes(domain) ? sans : [domain, ...sans],
      Type: 'IMPORTED',
      Status: 'ISSUED',
      KeyAlgorithm: parsed.keyAlgorithm,
      SignatureAlgorithm: parsed.signatureAlgorithm,
      Serial: parsed.serial,
      Subject: parsed.subject,
      Issuer: parsed.issuer,
      CreatedAt: previous?.CreatedAt ?? ctx.now,
      ImportedAt: ctx.now,
      NotBefore: parsed.notBefore,
      NotAfter: parsed.notAfter,
      validation: [],
      tags: previous?.tags ?? tags,
      certificatePem: certificatePem.trim() + '\n',
      chainPem: chainPem === undefined ? undefined : chainPem.trim() + '\n',
      transparencyLogging: 'DISABLED',
    });
    return { CertificateArn: arn };
  }

  private describe(cert: StoredCertificate, ctx: RequestContext): Record<string, unknown> {
    const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));
    const inUseBy = this.users?.usersOf(ctx.accountId, ctx.region, cert.CertificateArn) ?? [];
    const validationStatus = cert.Status === 'PENDING_VALIDATION' ? 'PENDING_VALIDATION' : 'SUCCESS';
    return {
      CertificateArn: cert.CertificateArn,
      DomainName: cert.DomainName,
      SubjectAlternativeNames: cert.SubjectAlternativeNames,
      DomainValidationOptions: cert.Type === 'AMAZON_ISSUED' ? cert.validation.map((v) => ({ ...v, ValidationStatus: validationStatus, ValidationMethod: 'DNS' })) : undefined,
      Serial: cert.Serial,
      Subject: cert.Subject,
      Issuer: cert.Issuer,
      CreatedAt: date(cert.CreatedAt),
      IssuedAt: date(cert.IssuedAt),
      ImportedAt: date(cert.ImportedAt),
      Status: cert.Status,
      NotBefore: date(cert.NotBefore),
      NotAfter: date(cert.NotAfter),
      KeyAlgorithm: cert.KeyAlgorithm,
      SignatureAlgorithm: cert.SignatureAlgorithm,
      InUseBy: inUseBy,
      Type: cert.Type,
      KeyUsages: cert.Status === 'ISSUED' ? [{ Name: 'DIGITAL_SIGNATURE' }, { Name: 'KEY_ENCIPHERMENT' }] : [],
      ExtendedKeyUsages: cert.Status === 'ISSUED' ? [{ Name: 'TLS_WEB_SERVER_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.1' }, { Name: 'TLS_WEB_CLIENT_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.2' }] : [],
      RenewalEligibility: cert.Type === 'AMAZON_ISSUED' && inUseBy.length > 0 ? 'ELIGIBLE' : 'INELIGIBLE',
      Options: { CertificateTransparencyLoggingPreference: cert.transparencyLogging },
    };
  }

  private listCertificates(input: Record<string, unknown>, ctx: RequestContext): Record<string, unknown> {
    const statuses = (list(input, 'CertificateStatuses') ?? []).map((s, i) => {
      if (!STATUSES.includes(s as Status)) throw validationError(`certificateStatuses.${i + 1}.member`, s, `Member must satisfy enum value set: [${STATUSES.join(', ')}]`);
      return s as Status;
    });
    const includes = (input.Includes ?? {}) as { keyTypes?: unknown };
    const keyTypes = Array.isArray(includes.keyTypes) && includes.keyTypes.length > 0 ? (includes.keyTypes as string[]) : ['RSA_1024', 'RSA_2048'];
    const maxItems = input.MaxItems === undefined ? 1000 : Number(input.MaxItems);
    if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) throw validationError('maxItems', input.MaxItems, 'Member must have value between 1 and 1000');
    const token = str(input, 'NextToken');
    let from = 0;
    if (token !== undefined) {
      const match = /^acmpage-(\d+)$/.exec(token);
      if (!match) throw new AwsError('InvalidArgsException', 'The NextToken was not returned by a previous ListCertificates call.', 400);
      from = Number(match[1]);
    }
    const sortOrder = str(input, 'SortOrder') ?? 'DESCENDING';
    const matches = this.inScope(ctx)
      .filter((c) => (statuses.length === 0 || statuses.includes(c.Status)) && keyTypes.includes(c.KeyAlgorithm))
      .sort((a, b) => (sortOrder === 'ASCENDING' ? a.CreatedAt - b.CreatedAt : b.CreatedAt - a.CreatedAt));
    const page = matches.slice(from, from + maxItems).map((c) => {
      const d = this.describe(c, ctx);
      return {
        CertificateArn: c.CertificateArn,
        DomainName: c.DomainName,
        SubjectAlternativeNameSummaries: c.SubjectAlternativeNames.slice(0, 100),
        HasAdditionalSubjectAlternativeNames: c.SubjectAlternativeNames.length > 100,
        Status: c.Status,
        Type: c.Type,
        KeyAlgorithm: c.KeyAlgorithm,
        KeyUsages: (d.KeyUsages as Array<{ Name: string }>).map((k) => k.Name),
        ExtendedKeyUsages: (d.ExtendedKeyUsages as Array<{ Name: string }>).map((k) => k.Name),
        InUse: (d.InUseBy as string[]).length > 0,
        RenewalEligibility: d.RenewalEligibility,
        NotBefore: d.NotBefore,
        NotAfter: d.NotAfter,
        CreatedAt: d.CreatedAt,
        IssuedAt: d.IssuedAt,
        ImportedAt: d.ImportedAt,
      };
    });
    const result: Record<string, unknown> = { CertificateSummaryList: page };
    if (from + maxItems < matches.length) result.NextToken = `acmpage-${from + maxItems}`;
    return result;
  }

  private async getCertificate(cert: StoredCertificate): Promise<Record<string, unknown>> {
    if (cert.Status === 'PENDING_VALIDATION') {
      throw new AwsError('RequestInProgressException', `Certificate ${cert.CertificateArn} is still pending validation; it can be retrieved once its status is ISSUED.`, 400);
    }
    if (cert.Type === 'AMAZON_ISSUED' && cert.certificatePem === undefined) {
      // Signed once, on first retrieval, by the sandbox's own (untrusted) authority.
      if (!globalThis.crypto?.subtle) {
        throw new AwsError('RequestInProgressException', 'This page has no WebCrypto (it is not served over https or localhost), so the sandbox cannot sign the certificate body; the certificate ARN works everywhere else.', 400);
      }
      const authority = await this.ensureAuthority();
      if (cert.certificatePem === undefined) {
        cert.certificatePem = await issueCertificate(authority, {
          domainNames: cert.SubjectAlternativeNames,
          keyAlgorithm: cert.KeyAlgorithm,
          notBefore: cert.NotBefore ?? this.clock.now(),
          notAfter: cert.NotAfter ?? this.clock.now() + AMAZON_VALIDITY_MS,
        });
        cert.chainPem = authority.certificatePem;
      }
    }
    return { Certificate: cert.certificatePem, CertificateChain: cert.chainPem };
  }

  private deleteCertificate(cert: StoredCertificate, ctx: RequestContext): Record<string, unknown> {
    const users = this.users?.usersOf(ctx.accountId, ctx.region, cert.CertificateArn) ?? [];
    if (users.length > 0) throw new AwsError('ResourceInUseException', `Certificate ${cert.CertificateArn} in account ${ctx.accountId} is in use by ${users.join(', ')}.`, 400);
    this.certificates.delete(cert.CertificateArn);
    return {};
  }

  private addTags(cert: StoredCertificate, input: Record<string, unknown>): Record<string, unknown> {
    const tags = tagsOf(input);
    if (tags.length === 0) throw validationError('tags', null, 'Member must have length greater than or equal to 1');
    const merged = [...cert.tags];
    for (const tag of tags) {
      const at = merged.findIndex((t) => t.Key === tag.Key);
      if (at === -1) merged.push(tag);
      else merged[at] = tag;
    }
    if (merged.length > MAX_TAGS) throw new AwsError('TooManyTagsException', `A certificate may have at most ${MAX_TAGS} tags; this would make ${merged.length}.`, 400);
    cert.tags = merged;
    return {};
  }

  private removeTags(cert: StoredCertificate, input: Record<string, unknown>): Record<string, unknown> {
    const tags = tagsOf(input);
    cert.tags = cert.tags.filter((t) => !tags.some((r) => r.Key === t.Key && (r.Value === undefined || r.Value === t.Value)));
    return {};
  }

  private ensureAuthority(): Promise<AuthorityState> {
    if (this.authorityState) return Promise.resolve(this.authorityState);
    this.authority ??= createAuthority(this.clock.now()).then((state) => {
      this.authorityState = state;
      return state;
    });
    return this.authority;
  }

  snapshot(): AcmSnapshot {
    return structuredClone({ certificates: [...this.certificates.values()], ...(this.authorityState ? { authority: this.authorityState } : {}) });
  }

  /** Replaces all certificates; undefined (a snapshot from before ACM existed) means none. Corrupt data is refused, nothing changes. */
  restore(data: unknown): void {
    const next = new Map<string, StoredCertificate>();
    let authority: AuthorityState | undefined;
    if (data !== undefined) {
      const saved = (data as AcmSnapshot | null)?.authority;
      if (saved !== undefined) {
        if (typeof saved?.certificatePem !== 'string' || typeof saved.privateKey !== 'object' || saved.privateKey === null) {
          throw new Error('Cloud snapshot services.acm.authority must have certificatePem and privateKey.');
        }
        authority = structuredClone(saved);
      }
      const certificates = (data as AcmSnapshot | null)?.certificates;
      if (!Array.isArray(certificates)) throw new Error('Cloud snapshot field services.acm must be an object with a certificates list.');
      for (const c of structuredClone(certificates)) {
        if (typeof c?.CertificateArn !== 'string' || typeof c.DomainName !== 'string' || !STATUSES.includes(c.Status) || typeof c.CreatedAt !== 'number' || !Array.isArray(c.tags)) {
          throw new Error('Cloud snapshot services.acm has a corrupt certificate.');
        }
        next.set(c.CertificateArn, c);
      }
    }
    this.certificates = next;
    this.authorityState = authority;
    this.authority = undefined;
  }

  reset(): void {
    this.certificates = new Map();
    this.authorityState = undefined;
    this.authority = undefined;
  }
}
