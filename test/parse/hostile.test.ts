// Hostile and broken feeds (issue 11): feed text that names JavaScript built-ins where it
// becomes a lookup key, entity amplification, a stray invalid byte in declared UTF-8, and a
// huge number of tiny items. Each either parses as a reader would read it or fails with one
// clear `stage: message` error; none may crash or blow up.
import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed } from '../../src/parse';
import { MAX_ATTRIBUTES, MAX_ENTITY_OUTPUT_CHARS, MAX_MARKUP_NODES } from '../../src/parse/xml';
import { parseOpml } from '../../src/sources/opml';
import * as hostile from '../fixtures/hostile';

const URL = 'https://hostile.example/feed';
const parse = (input: string | Uint8Array, contentType: string | null = null) => parseFeed(input, { url: URL, contentType });

describe('feed text named like JavaScript built-ins', () => {
  for (const name of hostile.BUILTIN_NAMES) {
    it(`element prefix "${name}:" reads as an unknown namespace`, () => {
      const feed = parse(hostile.prefixedElement(name));
      expect(feed.items.map((i) => i.title)).toEqual(['Story 1']);
    });

    it(`namespace URI, prefix and attribute named "${name}"`, () => {
      const feed = parse(hostile.builtinAttributes(name));
      expect(feed.items.map((i) => i.link)).toEqual(['https://hostile.example/1']);
    });

    it(`HTML tag and attribute named "${name}" are dropped, their text kept`, () => {
      const summary = parse(hostile.htmlTag(name)).items[0]!.summary!;
      expect(summary).toContain('there');
      expect(summary).toContain('<b>bold</b>');
      expect(summary).not.toContain(`<${name}`);
      expect(summary).not.toContain(`${name}=`);
    });

    it(`a date whose zone or month is "${name}" is not a date`, () => {
      const feed = parse(hostile.dateZone(name));
      expect(feed.items.map((i) => i.published)).toEqual([null, null]);
    });

    it(`an undeclared entity "&${name};" stays text`, () => {
      const summary = parse(hostile.entityNames(name)).items[0]!.summary!;
      expect(summary).toContain(name);
    });

    it(`a charset named "${name}" (declaration and HTTP) falls back to reading the bytes`, () => {
      expect(parse(new TextEncoder().encode(hostile.charsetName(name))).items[0]!.title).toBe('Story 1');
      const plain = new TextEncoder().encode(hostile.rss(hostile.item(1)));
      expect(parse(plain, `application/rss+xml; charset=${name}`).items[0]!.title).toBe('Story 1');
    });

    it(`JSON Feed members named "${name}" are ignored`, () => {
      const feed = parse(hostile.jsonFeed(name));
      expect(feed.feed.title).toBe('Hostile');
      expect(feed.items.map((i) => [i.title, i.link])).toEqual([['Story', 'https://hostile.example/1']]);
    });

    it(`OPML with an outline attribute and prefix named "${name}"`, () => {
      const opml = `<opml version="2.0"><body><outline ${name}="x" text="A" xmlUrl="https://a.example/feed"/><${name}:outline xmlUrl="https://b.example/feed"/></body></opml>`;
      expect(parseOpml(opml)).toEqual([{ url: 'https://a.example/feed', name: 'A' }, { url: 'https://b.example/feed', name: null }]);
    });
  }
});

describe('entity amplification: a budget on what references produce', () => {
  const refused = (doc: string) => expect(() => parse(doc)).toThrow(/^xml: entity expansion (budget|limit) exceeded/);

  it('a 28 KB feed using one 16 KiB entity 4,000 times (64 million characters) is refused', () => {
    const doc = hostile.entityAmplification(16 * 1024, 4000);
    expect(doc.length).toBeLessThan(29_000);
    refused(doc);
    expect(() => parse(doc)).toThrow(FeedParseError);
  });

  it('a 46 KB document with 10,000 references (160 million characters) is refused', () => {
    const doc = hostile.entityAmplification(16 * 1024, 10_000);
    expect(doc.length).toBeLessThan(47_000);
    refused(doc);
  });

  it('references in attribute values count against the same budget', () => {
    refused(hostile.entityAmplificationInAttributes(16 * 1024, 4000));
  });

  it('nested entities: billion laughs and a small nest used many times', () => {
    refused(hostile.billionLaughs());
    refused(hostile.nestedAmplification(2000));
  });

  it('declared entities within the budget expand as written', () => {
    const uses = Math.floor(MAX_ENTITY_OUTPUT_CHARS / 1024) - 1;
    const summary = parse(hostile.entityAmplification(1024, uses)).items[0]!.summary!;
    expect(summary.length).toBe(1024 * uses);
  });
});

describe('declared UTF-8 with an invalid byte', () => {
  for (const declaration of ['bom', 'xml', 'http'] as const) {
    it(`stays UTF-8, with a replacement character (declared by ${declaration})`, () => {
      const feed = parse(hostile.utf8WithOneBadByte(declaration), declaration === 'http' ? 'application/rss+xml; charset=utf-8' : null);
      expect(feed.feed.title).toBe('Café München');
      expect(feed.items[0]!.title).toBe('Café München');
      expect(feed.items[0]!.summary).toBe('a \ufffdb');
      expect(feed.encoding).toBe('utf-8');
      expect(feed.wellformed).toBe(false);
    });
  }

  it('a windows-1252 document that wrongly declares UTF-8 is still read as windows-1252', () => {
    const text = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Café München – Zürich</title></channel></rss>';
    const bytes = Uint8Array.from(text, (ch) => (ch === '–' ? 0x96 : ch.charCodeAt(0)));
    expect(parse(bytes).feed.title).toBe('Café München – Zürich');
  });
});

describe('size bounds', () => {
  it('100,000 tiny items in one 3.3 MB feed all parse', () => {
    const doc = hostile.tinyItems(100_000);
    expect(doc.length).toBeGreaterThan(3_200_000);
    const feed = parse(doc);
    expect(feed.items).toHaveLength(100_000);
    expect(feed.items[99_999]!.title).toBe('99999');
  });

  it(`more than ${MAX_MARKUP_NODES} elements and attributes is one clear error`, () => {
    const doc = `<rss version="2.0"><channel><title>t</title>${'<a/>'.repeat(MAX_MARKUP_NODES)}</channel></rss>`;
    expect(() => parse(doc)).toThrow(`xml: more than ${MAX_MARKUP_NODES} elements and attributes`);
  });

  it(`attributes past ${MAX_ATTRIBUTES} on one element are dropped`, () => {
    const attrs = Array.from({ length: MAX_ATTRIBUTES + 50 }, (_, i) => `a${i}="${i}"`).join(' ');
    const feed = parse(hostile.rss(hostile.item(1, `<x ${attrs}/>`)));
    expect(feed.items).toHaveLength(1);
    expect(feed.wellformed).toBe(false);
  });
});
