// XML writing and reading shared by the Query and S3 REST protocols: correct escaping, AWS value
// formatting (ISO-8601 dates, `<member>` lists) and a strict parser for request bodies.
import { readXml } from './xml-reader.ts';

/** Characters XML 1.0 cannot carry at all; they are replaced so a response always parses. */
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for element content and double-quoted attributes. `\r` is kept as a reference so it survives parsing. */
const NEEDS_ESCAPING = /[&<>"\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPING.test(text)) return text;
  return text
    .replace(INVALID_XML_CHARS, '\uFFFD')
    .replace(/[&<>"\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#13;'));
}

/** AWS timestamps on the wire: ISO-8601 with milliseconds, UTC. */
export function isoTimestamp(value: Date | number): string {
  const date = typeof value === 'number' ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

/**
 * Serialises a value as the content of an element: objects become child elements in key order,
 * arrays become `<member>` lists (or `listItem` for S3's flattened shapes, see `writeElement`),
 * Dates ISO-8601, booleans and numbers as text. `undefined` and `null` members are left out.
 */
export function writeValue(value: unknown, out: string[], listItemName = 'member'): void {
  if (value === undefined || value === null) return;
  if (value instanceof Date) {
    out.push(isoTimestamp(value));
  } else if (Array.isArray(value)) {
    for (const item of value) writeElement(listItemName, item, out, listItemName);
  } else if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) writeElement(key, child, out, listItemName);
  } else if (typeof value === 'number') {
    out.push(Number.isFinite(value) ? String(value) : '0');
  } else {
    out.push(escapeXml(String(value)));
  }
}

/** Writes `<name>value</name>`; empty lists and empty structures become `<name/>`. */
export function writeElement(name: string, value: unknown, out: string[], listItemName = 'member'): void {
  if (value === undefined || value === null) return;
  const open = out.length;
  out.push(`<${name}>`);
  writeValue(value, out, listItemName);
  if (out.length === open + 1 && (Array.isArray(value) || isPlainObject(value))) out[open] = `<${name}/>`;
  else out.push(`</${name}>`);
}

/**
 * Writes repeated elements without a wrapper, the way S3 lists `<Contents>` and `<Bucket>` entries
 * directly under the result (a "flattened" list).
 */
export function writeFlattened(name: string, items: readonly unknown[], out: string[]): void {
  for (const item of items) writeElement(name, item, out);
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/**
 * Parses an XML request body (S3 `<Delete>`, `<CompleteMultipartUpload>`, `<CreateBucketConfiguration>`).
 * Malformed XML (DTDs included) becomes S3's `MalformedXML` error; see xml-reader.ts for the rules and the shape.
 */
export function parseRequestXml(text: string): Record<string, unknown> {
  return readXml(text);
}

/** A child that may appear once or many times, as an array. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** The text of a parsed element (elements with attributes or children yield undefined). */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
