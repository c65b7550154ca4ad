// Reads what ACM shows of an imported certificate (names, validity, key and signature algorithms) from
// its PEM/DER, without node:crypto so it runs in browsers: a small DER walker over X.509 v3.

export interface ParsedCertificate {
  serial: string;
  subject: string;
  issuer: string;
  commonName?: string;
  subjectAlternativeNames: string[];
  notBefore: number;
  notAfter: number;
  keyAlgorithm: string;
  signatureAlgorithm: string;
}

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

export class CertificateFormatError extends Error {}

function readTlv(der: Uint8Array, at: number, limit: number): Tlv {
  if (at + 2 > limit) throw new CertificateFormatError('truncated DER');
  const tag = der[at];
  let length = der[at + 1];
  let offset = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || offset + bytes > limit) throw new CertificateFormatError('bad DER length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[offset + i];
    offset += bytes;
  }
  if (offset + length > limit) throw new CertificateFormatError('DER element runs past its container');
  return { tag, start: offset, end: offset + length };
}

function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const child = readTlv(der, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

function oid(der: Uint8Array, t: Tlv): string {
  if (t.tag !== 0x06 || t.end <= t.start) throw new CertificateFormatError('expected an OID');
  const parts: number[] = [];
  let value = 0;
  for (let i = t.start; i < t.end; i++) {
    value = value * 128 + (der[i] & 0x7f);
    if (!(der[i] & 0x80)) {
      if (parts.length === 0) parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

function text(der: Uint8Array, t: Tlv): string {
  const bytes = der.subarray(t.start, t.end);
  if (t.tag === 0x1e) {
    let s = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
    return s;
  }
  return new TextDecoder().decode(bytes);
}

function time(der: Uint8Array, t: Tlv): number {
  const s = text(der, t);
  const m = t.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : t.tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : null;
  if (!m) throw new CertificateFormatError(`unreadable validity time '${s.slice(0, 20)}'`);
  let year = Number(m[1]);
  if (t.tag === 0x17) year += year < 50 ? 2000 : 1900;
  return Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

const NAME_KEYS: Record<string, string> = {
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU', '1.2.840.113549.1.9.1': 'emailAddress',
};

function name(der: Uint8Array, t: Tlv): { text: string; cn?: string } {
  const parts: string[] = [];
  let cn: string | undefined;
  for (const rdn of children(der, t)) {
    for (const atv of children(der, rdn)) {
      const [type, value] = children(der, atv);
      if (!type || !value) continue;
      const key = NAME_KEYS[oid(der, type)] ?? oid(der, type);
      const v = text(der, value);
      if (key === 'CN') cn = v;
      parts.push(`${key}=${v}`);
    }
  }
  return { text: parts.join(','), cn };
}

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'SHA1WITHRSA',
  '1.2.840.113549.1.1.11': 'SHA256WITHRSA',
  '1.2.840.113549.1.1.12': 'SHA384WITHRSA',
  '1.2.840.113549.1.1.13': 'SHA512WITHRSA',
  '1.2.840.10045.4.3.2': 'SHA256WITHECDSA',
  '1.2.840.10045.4.3.3': 'SHA384WITHECDSA',
  '1.2.840.10045.4.3.4': 'SHA512WITHECDSA',
};

const CURVES: Record<string, string> = { '1.2.840.10045.3.1.7': 'EC_prime256v1', '1.3.132.0.34': 'EC_secp384r1', '1.3.132.0.35': 'EC_secp521r1' };

function keyAlgorithm(der: Uint8Array, spki: Tlv): string {
  const [algorithm, bits] = children(der, spki);
  const [algOid, params] = children(der, algorithm);
  const id = oid(der, algOid);
  if (id === '1.2.840.10045.2.1') {
    const curve = params ? CURVES[oid(der, params)] : undefined;
    if (!curve) throw new CertificateFormatError('the certificate uses an elliptic curve ACM does not support');
    return curve;
  }
  if (id !== '1.2.840.113549.1.1.1') throw new CertificateFormatError(`the key algorithm ${id} is not RSA or ECDSA`);
  // BIT STRING: one unused-bits byte, then SEQUENCE { modulus INTEGER, exponent INTEGER }.
  const key = readTlv(der, bits.start + 1, bits.end);
  const [modulus] = children(der, key);
  let length = modulus.end - modulus.start;
  if (der[modulus.start] === 0) length -= 1;
  return `RSA_${length * 8}`;
}

/** The DER bytes of each `-----BEGIN <label>-----` block in a PEM text. */
export function pemBlocks(pem: string, label: RegExp): Uint8Array[] {
  const out: Uint8Array[] = [];
  const pattern = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let match = pattern.exec(pem); match; match = pattern.exec(pem)) {
    if (!label.test(match[1])) continue;
    const body = match[2].replace(/\s+/g, '');
    let binary: string;
    try {
      binary = atob(body);
    } catch {
      throw new CertificateFormatError(`the ${match[1]} block is not valid base64`);
    }
    out.push(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  }
  return out;
}

/** Checks the outer DER structure of a key (PKCS#1, SEC1 or PKCS#8) so a truncated paste is caught. */
export function checkPrivateKeyDer(der: Uint8Array): void {
  const outer = readTlv(der, 0, der.length);
  if (outer.tag !== 0x30 || outer.end !== der.length) throw new CertificateFormatError('the private key is not a DER SEQUENCE');
  children(der, outer);
}

export function parseCertificate(der: Uint8Array): ParsedCertificate {
  try {
    const cert = readTlv(der, 0, der.length);
    if (cert.tag !== 0x30 || cert.end !== der.length) throw new CertificateFormatError('the certificate is not one DER SEQUENCE');
    const [tbs, sigAlg] = children(der, cert);
    const fields = children(der, tbs);
    let i = fields[0]?.tag === 0xa0 ? 1 : 0;
    const serialTlv = fields[i++];
    i++; // the signature algorithm inside tbsCertificate repeats the outer one
    const issuer = name(der, fields[i++]);
    const validity = children(der, fields[i++]);
    const subject = name(der, fields[i++]);
    const spki = fields[i++];
    if (!serialTlv || !spki || validity.length !== 2) throw new CertificateFormatError('the certificate is missing required fields');
    const sans: string[] = [];
    for (const extra of fields.slice(i)) {
      if (extra.tag !== 0xa3) continue;
      const [extensions] = children(der, extra);
      for (const ext of children(der, extensions)) {
        const parts = children(der, ext);
        if (oid(der, parts[0]) !== '2.5.29.17') continue;
        const octets = parts[parts.length - 1];
        const generalNames = readTlv(der, octets.start, octets.end);
        for (const gn of children(der, generalNames)) if (gn.tag === 0x82) sans.push(text(der, gn));
      }
    }
    const serial = [...der.subarray(serialTlv.start, serialTlv.end)].map((b) => b.toString(16).padStart(2, '0')).join(':');
    const sigOid = oid(der, children(der, sigAlg)[0]);
    return {
      serial,
      subject: subject.text,
      issuer: issuer.text,
      commonName: subject.cn,
      subjectAlternativeNames: sans,
      notBefore: time(der, validity[0]),
      notAfter: time(der, validity[1]),
      keyAlgorithm: keyAlgorithm(der, spki),
      signatureAlgorithm: SIGNATURE_ALGORITHMS[sigOid] ?? sigOid,
    };
  } catch (err) {
    if (err instanceof CertificateFormatError) throw err;
    throw new CertificateFormatError('the certificate is not a well-formed X.509 DER structure');
  }
}
