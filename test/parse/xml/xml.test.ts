// The XML scanner and tree builder (src/parse/xmlScan.ts, treeBuilder.ts) through parseXml:
// tree shape, references, and how broken markup is read and flagged.
import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed } from '../../../src/parse';
import rss2 from '../../fixtures/feeds/rss2-news.xml?raw';
import atom10 from '../../fixtures/feeds/atom10-xhtml.xml?raw';
import { parseXml, textContent, type XElement, type XNode } from '../../../src/parse/xml';

const elements = (el: XElement): XElement[] => el.children.filter((n): n is XElement => typeof n !== 'string');
/** Compact view of a tree: name(children) with text in quotes. */
function shape(node: XNode): string {
  if (typeof node === 'string') return JSON.stringify(node);
  return `${node.qname}(${node.children.map(shape).join(',')})`;
}

describe('well-formed documents', () => {
  it('reads elements, text, CDATA and attributes in both quote styles; skips comments and PIs', () => {
    const doc = parseXml(
      `<?xml version="1.0"?><!-- lead --><r a="1 > 0" b='say "hi"'><x/><!-- c --><?pi data?>t<![CDATA[<b>&amp;</b> ]] ]]>u</r>`,
      null,
    );
    expect(doc.wellformed).toBe(true);
    expect(shape(doc.root)).toBe('r(x(),"t","<b>&amp;</b> ]] ","u")');
    expect(doc.root.attrs).toEqual({ a: '1 > 0', b: 'say "hi"' });
  });

  it('expands XML, numeric, windows-1252 and DTD-declared references in text and attributes', () => {
    const doc = parseXml('<!DOCTYPE r [<!ENTITY me "Storywire">]><r t="&lt;&#x41;&#65;&me;">&amp;&#146;&#x1F600;&me;</r>', null);
    expect(doc.wellformed).toBe(true);
    expect(doc.root.attrs.t).toBe('<AAStorywire');
    expect(textContent(doc.root)).toBe('&’😀Storywire');
  });

  it('normalises CRLF and lone CR line ends', () => {
    expect(textContent(parseXml('<r>a\r\nb\rc</r>', null).root)).toBe('a\nb\nc');
  });

  it('resolves namespaces (any prefix bound to Dublin Core reads as dc:) and applies xml:base chains', () => {
    const doc = parseXml(
      '<r xmlns:x="http://purl.org/dc/elements/1.1/" xml:base="https://a.example/feeds/"><x:creator/><e xml:base="sub/"><f/></e></r>',
      'https://ignored.example/',
    );
    const [creator, e] = elements(doc.root);
    expect(creator!.key).toBe('dc:creator');
    expect(creator!.base).toBe('https://a.example/feeds/');
    expect(elements(e!)[0]!.base).toBe('https://a.example/feeds/sub/');
  });
});

describe('broken markup is read, and flagged not well-formed', () => {
  const cases: [string, string, string][] = [
    ['an end tag closes elements left open inside it', '<r><a><b>x</a><c/></r>', 'r(a(b("x")),c())'],
    ['a stray end tag is ignored', '<r><a>x</b></a></r>', 'r(a("x"))'],
    ['elements still open at the end are closed', '<r><a>x', 'r(a("x"))'],
    ['a document cut off inside a tag keeps what came before', '<r><a>x</a><b href="http://exa', 'r(a("x"))'],
    ['a cut-off CDATA section keeps its text', '<r><![CDATA[abc', 'r("abc")'],
    ['a "<" that starts no markup stays text', '<r>1 < 2</r>', 'r("1 ","<"," 2")'],
    ['a bare "&" stays as written', '<r>Q&A &amp; more</r>', 'r("Q&A & more")'],
    ['an undeclared HTML entity is still expanded', '<r>caf&eacute;&nbsp;</r>', 'r("café\u00a0")'],
    ['a second root element is dropped', '<r>a</r><s>b</s>', 'r("a")'],
    ['text outside the root element is dropped', 'junk<r>a</r>', 'r("a")'],
  ];
  for (const [name, xml, expected] of cases) {
    it(name, () => {
      const doc = parseXml(xml, null);
      expect(shape(doc.root)).toBe(expected);
      expect(doc.wellformed).toBe(false);
    });
  }

  it('reads unquoted and valueless attributes; the first of a repeated attribute counts', () => {
    const doc = parseXml('<r a=1 b c="x" c="y"/>', null);
    expect(doc.root.attrs).toEqual({ a: '1', b: '', c: 'x' });
    expect(doc.wellformed).toBe(false);
  });

  it('treats attribute and entity names like __proto__ and constructor as plain names', () => {
    const doc = parseXml('<r __proto__="p" constructor="c">&constructor;&toString;</r>', null);
    expect(doc.root.attrs.constructor).toBe('c');
    // The attribute table has no prototype: `__proto__` is a plain key, nothing is inherited.
    expect(Object.getPrototypeOf(doc.root.attrs)).toBeNull();
    expect(Object.hasOwn(doc.root.attrs, '__proto__')).toBe(true);
    expect(doc.root.attrs['toString']).toBeUndefined();
    expect(textContent(doc.root)).toBe('&constructor;&toString;');
    expect(doc.wellformed).toBe(false);
  });

  it('keeps a reference with no ";" or an unknown name as written', () => {
    const doc = parseXml('<r>&#65 &#xZZ; &nosuchentity; &</r>', null);
    expect(textContent(doc.root)).toBe('&#65 &#xZZ; &nosuchentity; &');
    expect(doc.wellformed).toBe(false);
  });
});

describe('limits and non-XML', () => {
  it('rejects nesting deeper than 256 elements with a stage-prefixed error', () => {
    expect(() => parseXml('<a>'.repeat(300), null)).toThrow(/^xml: elements nested too deeply/);
    expect(parseXml('<a>'.repeat(200) + '</a>'.repeat(200), null).wellformed).toBe(true);
  });

  it('rejects text without any element', () => {
    expect(() => parseXml('just text', null)).toThrow(FeedParseError);
    expect(() => parseXml('<!-- only a comment -->', null)).toThrow(/^xml: no root element/);
  });
});

describe('cut-off downloads', () => {
  it('every prefix of a real feed either parses (flagged not well-formed) or fails with a FeedParseError', () => {
    for (const doc of [rss2, atom10]) {
      for (let cut = 1; cut < doc.trimEnd().length; cut += 3) {
        try {
          const parsed = parseFeed(doc.slice(0, cut));
          expect(parsed.wellformed).toBe(false);
        } catch (err) {
          expect(err).toBeInstanceOf(FeedParseError);
        }
      }
    }
  });
});
