// The sandbox's certificate authority: signs real X.509 certificates (WebCrypto, so browsers can too) for
// ACM-issued certificates, so GetCertificate returns a body that openssl and TLS libraries can read.
// The authority is not trusted by anything; its certificates are for inspection, not for serving TLS.

/** DER building blocks. */
function length(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}
function tlv(tag: number, content: Uint8Array | number[]): Uint8Array {
  const body = content instanceof Uint8Array ? [...content] : content;
  return Uint8Array.from([tag, ...length(body.length), ...body]);
}
function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
const seq = (...parts: Uint8Array[]) => tlv(0x30, concat(...parts));
const set = (...parts: Uint8Array[]) => tlv(0x31, concat(...parts));
const utf8 = (s: string) => tlv(0x0c, new TextEncoder().encode(s));
const octets = (b: Uint8Array) => tlv(0x04, b);
const bits = (b: Uint8Array) => tlv(0x03, concat(Uint8Array.of(0), b));
function integer(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.subarray(i);
  return tlv(0x02, trimmed[0] & 0x80 ? concat(Uint8Array.of(0), trimmed) : trimmed);
}
function oid(dotted: string): Uint8Array {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, out);
}
function time(ms: number): Uint8Array {
  const iso = new Date(ms).toISOString();
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  const year = new Date(ms).getUTCFullYear();
  return year < 2050 ? tlv(0x17, new TextEncoder().encode(`${digits.slice(2)}Z`)) : tlv(0x18, new TextEncoder().encode(`${digits}Z`));
}
const name = (cn: string, org: string) => seq(set(seq(oid('2.5.4.10'), utf8(org))), set(seq(oid('2.5.4.3'), utf8(cn))));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

function pem(label: string, der: Uint8Array): string {
  const b64 = btoa(String.fromCharCode(...der));
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

/** WebCrypto's ECDSA signature is r||s; X.509 wants SEQUENCE { r INTEGER, s INTEGER }. */
function derSignature(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  return seq(integer(raw.subarray(0, half)), integer(raw.subarray(half)));
}

export interface AuthorityState {
  /** The authority's private key (JWK), kept in snapshots so reissued bodies chain to the same certificate. */
  privateKey: JsonWebKey;
  certificatePem: string;
}

const AUTHORITY_NAME = ['Beanstalk Academy Sandbox CA (untrusted)', 'Beanstalk Academy Sandbox'] as const;
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;

async function sign(tbs: Uint8Array, key: CryptoKey): Promise<Uint8Array> {
  const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, new Uint8Array(tbs)));
  return seq(tbs, ECDSA_SHA256, bits(derSignature(raw)));
}

function serial(): Uint8Array {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] &= 0x7f;
  return integer(bytes);
}

/** A new self-signed authority valid for ten years from `now`. */
export async function createAuthority(now: number): Promise<AuthorityState> {
  const keys = (await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const subject = name(...AUTHORITY_NAME);
  const basicConstraints = seq(oid('2.5.29.19'), tlv(0x01, [0xff]), octets(seq(tlv(0x01, [0xff]))));
  const keyUsage = seq(oid('2.5.29.15'), tlv(0x01, [0xff]), octets(tlv(0x03, [0x01, 0x06])));
  const tbs = seq(tlv(0xa0, integer(Uint8Array.of(2))), serial(), ECDSA_SHA256, subject, seq(time(now), time(now + 3650 * 86_400_000)), subject, spki, tlv(0xa3, seq(basicConstraints, keyUsage)));
  const der = await sign(tbs, keys.privateKey);
  return { privateKey: await crypto.subtle.exportKey('jwk', keys.privateKey), certificatePem: pem('CERTIFICATE', der) };
}

const KEY_PARAMS: Record<string, RsaHashedKeyGenParams | EcKeyGenParams> = {
  RSA_2048: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' },
  EC_prime256v1: { name: 'ECDSA', namedCurve: 'P-256' },
  EC_secp384r1: { name: 'ECDSA', namedCurve: 'P-384' },
};

export interface IssueRequest {
  domainNames: string[];
  keyAlgorithm: string;
  notBefore: number;
  notAfter: number;
}

/** A server certificate for the names, with a fresh key of the requested algorithm, signed by the authority. */
export async function issueCertificate(authority: AuthorityState, request: IssueRequest): Promise<string> {
  const params = KEY_PARAMS[request.keyAlgorithm];
  if (!params) throw new Error(`no key parameters for ${request.keyAlgorithm}`);
  const caKey = await crypto.subtle.importKey('jwk', authority.privateKey, ALGORITHM, false, ['sign']);
  const leaf = (await crypto.subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', leaf.publicKey));
  const san = seq(oid('2.5.29.17'), octets(seq(...request.domainNames.map((d) => tlv(0x82, new TextEncoder().encode(d))))));
  const basicConstraints = seq(oid('2.5.29.19'), tlv(0x01, [0xff]), octets(seq()));
  const keyUsage = seq(oid('2.5.29.15'), tlv(0x01, [0xff]), octets(tlv(0x03, [0x05, 0xa0])));
  const extKeyUsage = seq(oid('2.5.29.37'), octets(seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))));
  const tbs = seq(
    tlv(0xa0, integer(Uint8Array.of(2))),
    serial(),
    ECDSA_SHA256,
    name(...AUTHORITY_NAME),
    seq(time(request.notBefore), time(request.notAfter)),
    seq(set(seq(oid('2.5.4.3'), utf8(request.domainNames[0])))),
    spki,
    tlv(0xa3, seq(san, basicConstraints, keyUsage, extKeyUsage)),
  );
  return pem('CERTIFICATE', await sign(tbs, caKey));
}
