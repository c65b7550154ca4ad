// The strict XML reader behind S3 request bodies: one test per well-formedness rule, the output shape, and a
// differential property test against fast-xml-parser (the parser it replaced; kept for tests only).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AwsError } from './errors.ts';
import { MAX_XML_DEPTH, MalformedXmlError, readXml, type XmlRule } from './xml-reader.ts';
import { parseRequestXml } from './xml.ts';

function refusal(text: string): XmlRule {
  try {
    readXml(text);
  } catch (err) {
    expect(err).toBeInstanceOf(AwsError);
    expect(err).toMatchObject({
      code: 'MalformedXML',
      message: 'The XML you provided was not well-formed or did not validate against our published schema',
      status: 400,
    });
    return (err as MalformedXmlError).rule;
  }
  throw new Error(`accepted: ${JSON.stringify(text)}`);
}

describe('readXml output shape (the one parseRequestXml has always returned)', () => {
  it('reads the S3 request bodies the SDK sends', () => {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a.txt</Key></Object><Object><Key>b &amp; c</Key><VersionId>v1</VersionId></Object><Quiet>true</Quiet></Delete>';
    expect(parseRequestXml(body)).toEqual({
      '?xml': '',
      Delete: { Object: [{ Key: 'a.txt' }, { Key: 'b & c', VersionId: 'v1' }], Quiet: 'true' },
    });
  });

  it('keeps text exactly: not trimmed, not type-parsed; empty elements are empty strings', () => {
    expect(readXml('<a><n> 007 </n><t>true</t><e/><f></f></a>')).toEqual({ a: { n: ' 007 ', t: 'true', e: '', f: '' } });
  });

  it('drops namespace prefixes from element names and ignores attributes', () => {
    expect(readXml('<s3:A xmlns:s3="urn:x" s3:id="1"><s3:B x=\'y\'>1</s3:B></s3:A>')).toEqual({ A: { B: '1' } });
  });

  it('puts text mixed with children under #text, concatenated', () => {
    expect(readXml('<a>t<b>1</b>u<!-- c -->v</a>')).toEqual({ a: { b: '1', '#text': 'tuv' } });
    expect(readXml('<a> <b/> </a>')).toEqual({ a: { b: '', '#text': '  ' } });
  });

  it('decodes the predefined entities and character references once, and CDATA literally', () => {
    expect(readXml('<a>&lt;&gt;&amp;&apos;&quot;&amp;lt;</a>')).toEqual({ a: '<>&\'"&lt;' });
    // The SDK escapes \r and \n in keys as hex references; they must come back as the characters.
    expect(readXml('<a>x&#x0A;y&#x0D;&#65;&#x1F600;</a>')).toEqual({ a: 'x\ny\rA😀' });
    expect(readXml('<a>1<![CDATA[<&amp;>]]>3</a>')).toEqual({ a: '1<&amp;>3' });
    expect(readXml('<a><![CDATA[]]></a>')).toEqual({ a: '' });
  });

  it('normalises line ends to \\n like every XML parser', () => {
    expect(readXml('<a>\r\nx\ry</a>')).toEqual({ a: '\nx\ny' });
  });

  it('lists processing instructions as ?target keys, as fast-xml-parser did', () => {
    expect(readXml('<?xml version="1.0"?>\n<?pi data?><!-- c --><a><?q?></a>\n')).toEqual({ '?xml': '', '?pi': '', a: { '?q': '' } });
  });

  it('treats an element called __proto__ as data', () => {
    const doc = readXml('<__proto__><polluted>1</polluted></__proto__>');
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(Object.keys(doc)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('accepts a byte order mark and whitespace around the root', () => {
    expect(readXml('\uFEFF \n<a/>\t\n')).toEqual({ a: '' });
  });
});

describe('readXml refuses what is not well-formed XML, with MalformedXML', () => {
  it.each<[string, XmlRule]>([
    ['', 'no-root'],
    ['   ', 'no-root'],
    ['<!-- only a comment -->', 'no-root'],
    ['<a>1</a><b/>', 'second-root'],
    ['<a/>x', 'text-outside-root'],
    ['x<a/>', 'text-outside-root'],
    ['<a></b>', 'end-tag'],
    ['<a><b></a></b>', 'end-tag'],
    ['</a>', 'end-tag'],
    ['<a>x</a', 'end-tag-syntax'],
    ['<a>x</a/>', 'end-tag-syntax'],
    ['<a><b>', 'unclosed'],
    ['<a', 'start-tag'],
    ['<a/ >', 'start-tag'],
    ['<a b="1"c="2"/>', 'attribute-name'],
    ['<a x=""=/>', 'attribute-name'],
    ['< a/>', 'name'],
    ['<1a/>', 'name'],
    ['<a b=1/>', 'attribute'],
    ['<a b/>', 'attribute'],
    ['<a b="1/>', 'attribute'],
    ['<a b="<"/>', 'attribute-value'],
    ['<a b="&x;"/>', 'entity'],
    ['<a b="1" b="2"/>', 'duplicate-attribute'],
    ['<a>&foo;</a>', 'entity'],
    ['<a>&amp</a>', 'entity'],
    ['<a>a & b</a>', 'entity'],
    ['<a>&#0;</a>', 'character-reference'],
    ['<a>&#xD800;</a>', 'character-reference'],
    ['<a>&#x110000;</a>', 'character-reference'],
    ['<a>&#99999999999999999999;</a>', 'character-reference'],
    ['<a>&#x;</a>', 'entity'],
    ['<a>\u0001</a>', 'invalid-character'],
    ['<a>\uD800</a>', 'invalid-character'],
    ['<a>\uFFFE</a>', 'invalid-character'],
    ['<a>]]></a>', 'text'],
    ['<!DOCTYPE a><a/>', 'dtd'],
    ['<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', 'dtd'],
    ['<a><!DOCTYPE a></a>', 'dtd'],
    ['<a><!ELEMENT a></a>', 'markup'],
    ['<a/><!-a-->', 'markup'],
    ['<a><!-- x -- y --></a>', 'comment'],
    ['<a><!-- x ---></a>', 'comment'],
    ['<a><!-- x </a>', 'comment'],
    ['<![CDATA[x]]><a/>', 'cdata'],
    ['<a><![CDATA[x</a>', 'cdata'],
    ['<a><?pi x</a>', 'processing-instruction'],
    ['<a><?pi"x"?></a>', 'processing-instruction'],
    ['<a><?-y?></a>', 'processing-instruction'],
    [' <?xml version="1.0"?><a/>', 'declaration'],
    ['<a/><?xml version="1.0"?>', 'declaration'],
    ['<?xml?><a/>', 'declaration'],
    ['<?xml version="2.0"?><a/>', 'declaration'],
    ['<?xml encoding="UTF-8" version="1.0"?><a/>', 'declaration'],
    ['<a:b:c/>', 'namespace'],
    ['<:a/>', 'namespace'],
    ['<a:/>', 'namespace'],
    ['<xmlns:a/>', 'namespace'],
  ])('%j is refused (%s)', (text, rule) => {
    expect(refusal(text)).toBe(rule);
  });

  it(`refuses nesting deeper than ${MAX_XML_DEPTH} without recursion, and accepts exactly ${MAX_XML_DEPTH}`, () => {
    const nested = (depth: number) => '<a>'.repeat(depth) + '</a>'.repeat(depth);
    expect(readXml(nested(MAX_XML_DEPTH))).toBeTruthy();
    expect(refusal(nested(MAX_XML_DEPTH + 1))).toBe('too-deep');
    expect(refusal('<a>'.repeat(200_000))).toBe('too-deep');
  });

  it('reads large adversarial inputs to an answer, with no error but MalformedXML', () => {
    // Shapes that make backtracking parsers quadratic: many attributes, long runs of '&', '<', spaces, open comments.
    // No timed assertion here; measured by hand on these shapes, 8x the input took 7-12x the time (quadratic would be 64x).
    const n = 200_000;
    const inputs = [
      `<a ${Array.from({ length: 20_000 }, (_, i) => `a${i}="1"`).join(' ')}/>`,
      `<a>${'&amp;'.repeat(n / 5)}</a>`,
      `<a>${'&'.repeat(n)}</a>`,
      `<?xml version="1.0"${' '.repeat(n)}`,
      `<a><!--${'-'.repeat(n)}`,
      `<a>${'<b/>'.repeat(n / 4)}</a>`,
      `<a>${' '.repeat(n)}`,
    ];
    for (const input of inputs) {
      try {
        readXml(input);
      } catch (err) {
        expect(err).toBeInstanceOf(MalformedXmlError);
      }
    }
  });
});

// --- Differential test against fast-xml-parser, configured exactly as parseRequestXml used it. ---

const fxp = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  isArray: () => false,
});

type Verdict = { ok: true; doc: unknown } | { ok: false; rule?: XmlRule };

function previousParser(text: string): Verdict {
  try {
    if (text.trim() === '' || XMLValidator.validate(text) !== true) return { ok: false };
    const doc = fxp.parse(text) as unknown;
    return typeof doc === 'object' && doc !== null ? { ok: true, doc } : { ok: false };
  } catch {
    return { ok: false };
  }
}

function reader(text: string): Verdict {
  try {
    return { ok: true, doc: readXml(text) };
  } catch (err) {
    if (!(err instanceof MalformedXmlError)) throw err;
    return { ok: false, rule: err.rule };
  }
}

/**
 * Where fast-xml-parser is stricter than XML 1.0, the reader accepts: processing-instruction data may hold quotes
 * and '<' (only the first '?>' ends it), which fast-xml-parser's quote-aware tag scanner refuses or reads past.
 */
const PI_WITH_QUOTE_OR_LT = /<\?(?:(?!\?>)[\s\S])*?["'<]/;

/**
 * Where fast-xml-parser's validator accepts what XML 1.0 (and S3) refuses. The reader follows XML 1.0:
 * a second root or text after/before the root, a DOCTYPE, an unknown entity or bare '&', a character reference to an
 * illegal character, characters XML forbids, ']]>' in text, '--' inside a comment, an XML declaration that is
 * malformed or not first, an end tag with more than its name (`</a/>`), stray characters among attributes, '<' inside an attribute value, '<!' starting anything but a comment or CDATA, a PI whose target is not a Name or has no space before its data, and names that are not namespace-valid QNames
 * (`a:b:c`, `xmlns:a` as an element). It also decodes character references (`&#x0A;`), which fast-xml-parser 5.12
 * left as literal text even though the AWS SDK writes them for \r and \n in keys.
 */
const STRICTER_THAN_FAST_XML_PARSER = new Set<XmlRule>([
  'second-root',
  'text-outside-root',
  'dtd',
  'entity',
  'character-reference',
  'invalid-character',
  'text',
  'comment',
  'declaration',
  'markup',
  'attribute-value',
  'attribute-name',
  'end-tag-syntax',
  'processing-instruction',
  'namespace',
]);

const nameArb = fc.constantFrom('a', 'b', 'Key', 'Object', 'Part', 'x-y', '_z', 'n.1', 'é', 's3:Key', 'p:a', 'p:b');
const textUnit = fc.oneof(
  fc.constantFrom('a', 'Z', '0', ' ', '\n', '\t', '\r\n', '>', '"', "'", ']', '-', 'é', '😀', '/', '=', '?'),
  fc.constantFrom('&amp;', '&lt;', '&gt;', '&quot;', '&apos;'),
);
const textArb = fc.string({ unit: textUnit, maxLength: 8 }).filter((text) => !text.includes(']]>'));
const attributeValueArb = fc.string({ unit: fc.constantFrom('a', ' ', '>', '/', '&amp;', '&lt;', '?'), maxLength: 5 });
const commentArb = fc.string({ unit: fc.constantFrom('a', ' ', '<', '>', '-', '&'), maxLength: 6 }).filter((text) => !text.includes('--') && !text.endsWith('-'));
const piArb = fc.tuple(fc.constantFrom('pi', 'go', 'x-y'), fc.string({ unit: fc.constantFrom('a', ' ', '<', '>', '&'), maxLength: 5 }));

const { element: elementArb } = fc.letrec<{ element: string; content: string }>((tie) => ({
  element: fc
    .tuple(
      nameArb,
      fc.uniqueArray(fc.tuple(fc.constantFrom('id', 'x', 'xmlns', 'xmlns:p', 'p:at'), attributeValueArb, fc.constantFrom('"', "'")), {
        selector: ([name]) => name,
        maxLength: 2,
      }),
      fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.array(tie('content'), { maxLength: 4 })),
      fc.constantFrom('', ' ', '\n'),
    )
    .map(([name, attributes, content, space]) => {
      const attributeText = attributes.map(([attribute, value, quote]) => ` ${attribute}=${quote}${value}${quote}`).join('');
      return content === null ? `<${name}${attributeText}${space}/>` : `<${name}${attributeText}${space}>${content.join('')}</${name}${space}>`;
    }),
  content: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    textArb,
    textArb.map((text) => `<![CDATA[${text}]]>`),
    commentArb.map((text) => `<!--${text}-->`),
    piArb.map(([target, data]) => `<?${target}${data === '' ? '' : ` ${data}`}?>`),
    tie('element'),
  ),
}));

const documentArb = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.oneof(fc.constant(' '), fc.constant('\n'), commentArb.map((text) => `<!--${text}-->`)), { maxLength: 2 }),
    elementArb,
    fc.array(fc.oneof(fc.constant('\n'), commentArb.map((text) => `<!--${text}-->`)), { maxLength: 2 }),
  )
  .map(([declaration, before, root, after]) => `${declaration ? '<?xml version="1.0" encoding="UTF-8"?>' : ''}${before.join('')}${root}${after.join('')}`);

const significant = ['<', '>', '&', '/', '"', "'", '=', '!', '?', '-', ']', ';', '#', ':', ' ', 'a', '<!DOCTYPE a>', '&#10;', '<a>', '</a>', '<![CDATA[', ']]>', '\u0000'];
const mutatedArb = fc
  .tuple(documentArb, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(...significant)), { minLength: 1, maxLength: 3 }))
  .map(([text, edits]) => {
    let out = text;
    for (const [position, kind, insert] of edits) {
      const at = position % (out.length + 1);
      if (kind === 0) out = out.slice(0, at) + out.slice(at + 1);
      else if (kind === 1) out = out.slice(0, at) + insert + out.slice(at);
      else if (kind === 2) out = out.slice(0, at) + insert + out.slice(at + 1);
      else out = out.slice(0, at);
    }
    return out;
  });

function agree(text: string): void {
  const ours = reader(text);
  const theirs = previousParser(text);
  if (ours.ok) {
    // Never laxer than the parser it replaces, and the same shape wherever no character reference is involved.
    if (!theirs.ok) {
      expect(PI_WITH_QUOTE_OR_LT.test(text), `reader accepted what fast-xml-parser refused: ${JSON.stringify(text)}`).toBe(true);
      return;
    }
    // fast-xml-parser ends a PI at the first '?>' outside quotes; XML at the first '?>'.
    if (!/&#/.test(text) && !PI_WITH_QUOTE_OR_LT.test(text)) expect(ours.doc).toEqual(theirs.doc);
  } else if (theirs.ok && Object.keys(theirs.doc as object).some((key) => !key.startsWith('?'))) {
    // (When fast-xml-parser "accepts" a document and finds no element in it, e.g. `</a/>`, nothing was well-formed.)
    expect(STRICTER_THAN_FAST_XML_PARSER, `reader refused (${ours.rule}) what fast-xml-parser accepted: ${JSON.stringify(text)}`).toContain(ours.rule);
  }
}

describe('readXml against fast-xml-parser (differential)', () => {
  it('gives the same object for generated well-formed documents', () => {
    fc.assert(
      fc.property(documentArb, (text) => {
        const ours = reader(text);
        expect(ours.ok, `refused a well-formed document: ${JSON.stringify(text)}`).toBe(true);
        const theirs = previousParser(text);
        expect(theirs.ok, `fast-xml-parser refused: ${JSON.stringify(text)}`).toBe(true);
        if (ours.ok && theirs.ok) expect(ours.doc).toEqual(theirs.doc);
      }),
      { numRuns: 1500 },
    );
  });

  it('refuses or accepts mutated documents as fast-xml-parser does, except where XML 1.0 is stricter', () => {
    fc.assert(fc.property(mutatedArb, agree), { numRuns: 3000 });
  });

  it('never throws anything but MalformedXML on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: fc.constantFrom(...significant, 'b', '\n', 'é') }), fc.string({ unit: 'binary' })), agree),
      { numRuns: 2000 },
    );
  });
});
