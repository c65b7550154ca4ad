// The AWS Query protocol (Elastic Beanstalk, STS, CloudWatch for botocore): form-encoded requests in,
// `<XResponse>` / `ErrorResponse` XML out. Reference: shared/reference/elastic-beanstalk.md §1.1-1.3.
import type { QueryParams, QueryValue } from '../services/service.ts';
import { AwsError } from './errors.ts';
import { XML_DECLARATION, escapeXml, writeValue } from './xml.ts';

/** Wire codes that differ from the SDK's exception class names (reference §1.3). */
const WIRE_CODES: Record<string, string> = {
  OperationInProgressException: 'OperationInProgressFailure',
  SourceBundleDeletionException: 'SourceBundleDeletionFailure',
};

export interface QueryRequest {
  action: string;
  version: string | undefined;
  params: QueryParams;
}

/** Percent-decoding as forms use it: `+` is a space, `%20` too; a broken escape is the caller's error. */
function decodeFormComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new AwsError('MalformedQueryString', `The parameter "${text.slice(0, 100)}" contains an invalid percent-encoding.`, 404);
  }
}

/** Splits a form body (or query string) into ordered name/value pairs. */
export function parseFormPairs(body: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (body === '') return pairs;
  for (const part of body.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeFormComponent(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decodeFormComponent(part.slice(eq + 1));
    pairs.push([name, value]);
  }
  return pairs;
}

/** Segments that could reach an object's prototype are never used as keys. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** The largest list index accepted; AWS lists are far shorter, and sparse indexes cost nothing here. */
const MAX_LIST_INDEX = 1_000_000;

/** A tree being built: lists are kept as index maps until the end, so `member.7` before `member.2` works. */
type Draft = string | DraftStruct | DraftList;
interface DraftStruct {
  kind: 'struct';
  fields: Map<string, Draft>;
}
interface DraftList {
  kind: 'list';
  items: Map<number, Draft>;
}

function struct(): DraftStruct {
  return { kind: 'struct', fields: new Map() };
}

function place(root: DraftStruct, segments: string[], value: string): void {
  let container: DraftStruct | DraftList = root;
  let i = 0;
  while (i < segments.length) {
    const isLast = (n: number) => n >= segments.length - 1;
    if (container.kind === 'struct') {
      const key = segments[i];
      if (key === '' || FORBIDDEN_KEYS.has(key)) return;
      if (isLast(i)) {
        const existing = container.fields.get(key);
        // `Name=` only fills a slot nothing else claimed; a later `Name.member.1` replaces it.
        if (existing === undefined || typeof existing === 'string') container.fields.set(key, value);
        return;
      }
      const next = segments[i + 1];
      const wantsList = (next === 'member' || next === 'entry') && /^\d+$/.test(segments[i + 2] ?? '');
      let child: Draft | undefined = container.fields.get(key);
      if (wantsList) {
        if (child === undefined || typeof child === 'string' || child.kind !== 'list') {
          child = { kind: 'list', items: new Map() };
          container.fields.set(key, child);
        }
        container = child;
        i += 2;
      } else {
        if (child === undefined || typeof child === 'string' || child.kind !== 'struct') {
          child = struct();
          container.fields.set(key, child);
        }
        container = child;
        i += 1;
      }
    } else {
      const index = Number(segments[i]);
      if (!Number.isSafeInteger(index) || index < 1 || index > MAX_LIST_INDEX) return;
      if (isLast(i)) {
        container.items.set(index, value);
        return;
      }
      let child: Draft | undefined = container.items.get(index);
      if (child === undefined || typeof child === 'string' || child.kind !== 'struct') {
        child = struct();
        container.items.set(index, child);
      }
      container = child;
      i += 1;
    }
  }
}

function finish(draft: Draft): QueryValue {
  if (typeof draft === 'string') return draft;
  if (draft.kind === 'list') {
    return [...draft.items.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => finish(item));
  }
  const out: { [key: string]: QueryValue } = {};
  for (const [key, child] of draft.fields) out[key] = finish(child);
  return out;
}

/**
 * Decodes Query parameters: `member.N` (and `entry.N` map) lists into arrays ordered by N, dotted
 * names into nested objects, and a bare `Name=` into an empty list (the SDK's encoding of `[]`).
 */
export function decodeQueryParams(pairs: Array<[string, string]>): QueryParams {
  const root = struct();
  for (const [name, value] of pairs) {
    const segments = name.split('.');
    // An empty value with no dotted children is how the SDK encodes an empty list (reference §1.1).
    place(root, segments, value);
  }
  const params = finish(root) as QueryParams;
  for (const [name, value] of pairs) {
    if (value === '' && !name.includes('.') && params[name] === '') params[name] = [];
  }
  return params;
}

/**
 * Parses a Query request from the form body, or from the URL query string of a GET (old clients).
 * `Action` and `Version` are taken out; every other parameter is kept, known or not.
 */
export function parseQueryRequest(body: string, urlQuery: string): QueryRequest {
  const pairs = [...parseFormPairs(urlQuery).filter(([name]) => name === 'Action' || name === 'Version' || !name.startsWith('X-Amz-')), ...parseFormPairs(body)];
  let action: string | undefined;
  let version: string | undefined;
  const rest: Array<[string, string]> = [];
  for (const [name, value] of pairs) {
    if (name === 'Action') action = value;
    else if (name === 'Version') version = value;
    else rest.push([name, value]);
  }
  if (!action) throw new AwsError('MissingAction', 'The request must contain the parameter Action.', 400);
  if (!/^[A-Za-z][A-Za-z0-9]{0,127}$/.test(action)) {
    throw new AwsError('InvalidAction', `The action ${action.slice(0, 128)} is not valid for this web service.`, 400);
  }
  return { action, version, params: decodeQueryParams(rest) };
}

/** Serialises a successful result; an empty result (an operation with no output) omits `<XResult>`. */
export function serializeQueryResult(
  action: string,
  xmlNamespace: string,
  result: Record<string, unknown> | undefined,
  requestId: string,
): string {
  const out: string[] = [XML_DECLARATION, `<${action}Response xmlns="${escapeXml(xmlNamespace)}">`];
  if (result && Object.keys(result).length > 0) {
    out.push(`<${action}Result>`);
    writeValue(result, out);
    out.push(`</${action}Result>`);
  }
  out.push(`<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>`);
  return out.join('');
}

/** The wire code for an error (SDK class names mapped to the two codes that differ). */
export function queryWireCode(code: string): string {
  return WIRE_CODES[code] ?? code;
}

/** Serialises an AwsError as the Query `ErrorResponse` envelope. */
export function serializeQueryError(error: AwsError, xmlNamespace: string, requestId: string): string {
  return (
    XML_DECLARATION +
    `<ErrorResponse xmlns="${escapeXml(xmlNamespace)}"><Error><Type>${error.fault}</Type>` +
    `<Code>${escapeXml(queryWireCode(error.code))}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}
