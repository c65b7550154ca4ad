// A small strict XML 1.0 reader for the request bodies S3 reads (`<Delete>`, `<CompleteMultipartUpload>`, ...):
// it refuses what S3 refuses with MalformedXML (DTDs included, so no entity is ever expanded) and builds plain objects.
import { AwsError } from './errors.ts';

/** S3 request bodies are shallow; anything nested deeper is refused rather than walked. */
export const MAX_XML_DEPTH = 100;

/** Which well-formedness rule a document broke; tests and logs use it, the wire only ever shows S3's MalformedXML text. */
export type XmlRule =
  | 'invalid-character'
  | 'no-root'
  | 'second-root'
  | 'text-outside-root'
  | 'dtd'
  | 'declaration'
  | 'name'
  | 'namespace'
  | 'start-tag'
  | 'attribute-name'
  | 'attribute'
  | 'attribute-value'
  | 'duplicate-attribute'
  | 'end-tag'
  | 'end-tag-syntax'
  | 'unclosed'
  | 'comment'
  | 'markup'
  | 'processing-instruction'
  | 'cdata'
  | 'text'
  | 'entity'
  | 'character-reference'
  | 'too-deep';

export class MalformedXmlError extends AwsError {
  constructor(
    readonly rule: XmlRule,
    /** What was wrong and where, for logs and tests. */
    readonly detail: string,
  ) {
    super('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  }
}

// Char (XML 1.0 production 2); with the `u` flag a lone surrogate is a code point outside every range here.
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
/** Name (XML 1.0 productions 4, 4a, 5), matched in place with lastIndex. */
const NAME = new RegExp(`[${NAME_START}][${NAME_START}.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040-]*`, 'uy');
const SPACE = /[ \t\n]*/y;
/** XMLDecl (production 23): version, then optional encoding and standalone, in that order. */
const XML_DECLARATION =
  /<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(?:"1\.[0-9]+"|'1\.[0-9]+')(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\n]*\?>/y;
const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };
const DECIMAL_REFERENCE = /^#[0-9]+$/;
const HEX_REFERENCE = /^#x[0-9a-fA-F]+$/;

function fail(rule: XmlRule, detail: string): never {
  throw new MalformedXmlError(rule, detail);
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a;
}

/** An element being read: its children in first-seen order (repeats collected into arrays) and its text. */
interface OpenElement {
  readonly rawName: string;
  readonly name: string;
  readonly children: Map<string, unknown>;
  text: string;
}

function addChild(children: Map<string, unknown>, name: string, value: unknown): void {
  const previous = children.get(name);
  if (previous === undefined) children.set(name, value);
  else if (Array.isArray(previous)) previous.push(value);
  else children.set(name, [previous, value]);
}

function toObject(children: Map<string, unknown>): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  // defineProperty, so an element called `__proto__` is data like any other rather than a prototype.
  for (const [name, value] of children) Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

/** An element with only text is its text (`''` when empty); with children, an object with any text under `#text`. */
function elementValue(element: OpenElement): unknown {
  if (element.children.size === 0) return element.text;
  const object = toObject(element.children);
  if (element.text !== '') object['#text'] = element.text;
  return object;
}

/**
 * Decodes the references in character data or an attribute value: the five predefined entities and
 * decimal/hex character references to legal characters. Anything else after `&` is an error, never passed through.
 */
function decodeReferences(raw: string, where: string): string {
  let amp = raw.indexOf('&');
  if (amp === -1) return raw;
  let out = '';
  let from = 0;
  while (amp !== -1) {
    const semicolon = raw.indexOf(';', amp + 1);
    if (semicolon === -1) fail('entity', `'&' not starting a reference in ${where}; write &amp;`);
    const reference = raw.slice(amp + 1, semicolon);
    let decoded = Object.hasOwn(PREDEFINED_ENTITIES, reference) ? PREDEFINED_ENTITIES[reference] : undefined;
    if (decoded === undefined) {
      let codePoint: number;
      if (DECIMAL_REFERENCE.test(reference)) codePoint = Number.parseInt(reference.slice(1), 10);
      else if (HEX_REFERENCE.test(reference)) codePoint = Number.parseInt(reference.slice(2), 16);
      else fail('entity', `unknown entity &${reference.slice(0, 40)}; in ${where}`);
      if (!(codePoint <= 0x10ffff) || INVALID_CHAR.test(String.fromCodePoint(codePoint))) {
        fail('character-reference', `&${reference.slice(0, 40)}; in ${where} is not a legal XML character`);
      }
      decoded = String.fromCodePoint(codePoint);
    }
    out += raw.slice(from, amp) + decoded;
    from = semicolon + 1;
    amp = raw.indexOf('&', from);
  }
  return out + raw.slice(from);
}

/**
 * Reads a whole XML document into the shape request handlers use: the root element (and any processing
 * instruction, the declaration as `?xml`) keyed by local name; namespace prefixes dropped, attributes and comments
 * ignored, values left as the exact text. Throws MalformedXmlError (an AwsError) and nothing else.
 */
export function readXml(input: string): Record<string, unknown> {
  if (INVALID_CHAR.test(input)) fail('invalid-character', 'the document contains a character XML does not allow');
  // End-of-line handling (XML 1.0 section 2.11): the parser sees only \n.
  const xml = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
  const length = xml.length;
  const document = new Map<string, unknown>();
  const open: OpenElement[] = [];
  let rootSeen = false;
  let at = xml.charCodeAt(0) === 0xfeff ? 1 : 0;

  const readName = (what: string, rule: XmlRule = 'name'): string => {
    NAME.lastIndex = at;
    const match = NAME.exec(xml);
    if (!match) fail(rule, `expected ${what} name at offset ${at}`);
    at += match[0].length;
    return match[0];
  };
  const skipSpace = (): boolean => {
    SPACE.lastIndex = at;
    SPACE.exec(xml);
    const skipped = SPACE.lastIndex > at;
    at = SPACE.lastIndex;
    return skipped;
  };
  /** The name handlers see: the local part of a namespace-qualified name (Namespaces in XML, QName). */
  const localName = (rawName: string): string => {
    const colon = rawName.indexOf(':');
    if (colon === -1) return rawName;
    if (colon === 0 || colon === rawName.length - 1 || rawName.indexOf(':', colon + 1) !== -1) {
      fail('namespace', `<${rawName}> is not a valid qualified name`);
    }
    if (rawName.slice(0, colon) === 'xmlns') fail('namespace', `the xmlns prefix cannot name an element (<${rawName}>)`);
    return rawName.slice(colon + 1);
  };
  const addToCurrent = (name: string, value: unknown): void => {
    addChild(open.length > 0 ? open[open.length - 1]!.children : document, name, value);
  };

  if (xml.startsWith('<?xml', at) && (at + 5 >= length || isSpace(xml.charCodeAt(at + 5)) || xml.startsWith('?>', at + 5))) {
    XML_DECLARATION.lastIndex = at;
    if (!XML_DECLARATION.exec(xml)) fail('declaration', 'the XML declaration is malformed (expected <?xml version="1.0" ...?>)');
    at = XML_DECLARATION.lastIndex;
    document.set('?xml', '');
  }

  while (at < length) {
    if (xml.charCodeAt(at) !== 0x3c /* < */) {
      let end = xml.indexOf('<', at);
      if (end === -1) end = length;
      const raw = xml.slice(at, end);
      if (open.length === 0) {
        SPACE.lastIndex = 0;
        SPACE.exec(raw);
        if (SPACE.lastIndex !== raw.length) fail('text-outside-root', `text outside the root element at offset ${at}`);
      } else {
        if (raw.includes(']]>')) fail('text', "']]>' is not allowed in text; write ]]&gt;");
        open[open.length - 1]!.text += decodeReferences(raw, `<${open[open.length - 1]!.rawName}>`);
      }
      at = end;
      continue;
    }
    const next = xml.charCodeAt(at + 1);
    if (next === 0x2f /* / */) {
      at += 2;
      const rawName = readName('end tag');
      skipSpace();
      if (xml.charCodeAt(at) !== 0x3e) fail('end-tag-syntax', `</${rawName} is not closed with '>'`);
      at += 1;
      const element = open.pop();
      if (!element) fail('end-tag', `</${rawName}> has no matching start tag`);
      if (element.rawName !== rawName) fail('end-tag', `</${rawName}> closes <${element.rawName}>`);
      addToCurrent(element.name, elementValue(element));
      if (open.length === 0) rootSeen = true;
    } else if (next === 0x3f /* ? */) {
      at += 2;
      const target = readName('processing instruction target', 'processing-instruction');
      if (target.toLowerCase() === 'xml') fail('declaration', 'the XML declaration is only allowed at the very start');
      if (!xml.startsWith('?>', at)) {
        if (!skipSpace()) fail('processing-instruction', `<?${target} needs whitespace before its content`);
        const end = xml.indexOf('?>', at);
        if (end === -1) fail('processing-instruction', `<?${target} is not closed with '?>'`);
        at = end;
      }
      at += 2;
      addToCurrent(`?${target}`, '');
    } else if (next === 0x21 /* ! */) {
      if (xml.startsWith('<!--', at)) {
        const end = xml.indexOf('--', at + 4);
        if (end === -1) fail('comment', 'a comment is not closed with -->');
        if (xml.charCodeAt(end + 2) !== 0x3e) fail('comment', "'--' is not allowed inside a comment");
        at = end + 3;
      } else if (xml.startsWith('<![CDATA[', at)) {
        if (open.length === 0) fail('cdata', 'a CDATA section outside the root element');
        const end = xml.indexOf(']]>', at + 9);
        if (end === -1) fail('cdata', 'a CDATA section is not closed with ]]>');
        open[open.length - 1]!.text += xml.slice(at + 9, end);
        at = end + 3;
      } else if (xml.startsWith('<!DOCTYPE', at)) {
        fail('dtd', 'document type declarations (DTDs) are not allowed');
      } else {
        fail('markup', `'<!' at offset ${at} starts neither a comment nor a CDATA section`);
      }
    } else {
      at += 1;
      const rawName = readName('element');
      const name = localName(rawName);
      if (open.length === 0 && rootSeen) fail('second-root', `<${rawName}> is a second root element`);
      if (open.length >= MAX_XML_DEPTH) fail('too-deep', `elements are nested more than ${MAX_XML_DEPTH} deep`);
      const attributeNames = new Set<string>();
      let selfClosing = false;
      for (;;) {
        const spaced = skipSpace();
        const code = xml.charCodeAt(at);
        if (code === 0x3e /* > */) {
          at += 1;
          break;
        }
        if (code === 0x2f /* / */) {
          if (xml.charCodeAt(at + 1) !== 0x3e) fail('start-tag', `<${rawName} has '/' not followed by '>'`);
          at += 2;
          selfClosing = true;
          break;
        }
        if (at >= length) fail('start-tag', `<${rawName} is not closed with '>'`);
        if (!spaced) fail('attribute-name', `<${rawName}: attributes must be separated by whitespace`);
        const attribute = readName('attribute', 'attribute-name');
        if (attributeNames.has(attribute)) fail('duplicate-attribute', `<${rawName}> has attribute ${attribute} twice`);
        attributeNames.add(attribute);
        skipSpace();
        if (xml.charCodeAt(at) !== 0x3d /* = */) fail('attribute', `attribute ${attribute} of <${rawName}> has no value`);
        at += 1;
        skipSpace();
        const quote = xml[at];
        if (quote !== '"' && quote !== "'") fail('attribute', `the value of attribute ${attribute} of <${rawName}> must be quoted`);
        const end = xml.indexOf(quote, at + 1);
        if (end === -1) fail('attribute', `the value of attribute ${attribute} of <${rawName}> is not closed`);
        const value = xml.slice(at + 1, end);
        if (value.includes('<')) fail('attribute-value', `'<' in the value of attribute ${attribute} of <${rawName}>`);
        decodeReferences(value, `attribute ${attribute} of <${rawName}>`);
        at = end + 1;
      }
      if (selfClosing) {
        addToCurrent(name, '');
        if (open.length === 0) rootSeen = true;
      } else {
        open.push({ rawName, name, children: new Map(), text: '' });
      }
    }
  }
  if (open.length > 0) fail('unclosed', `<${open[open.length - 1]!.rawName}> is not closed`);
  if (!rootSeen) fail('no-root', 'the document has no root element');
  return toObject(document);
}
