import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed } from '../../src/parse';
import atom03 from '../fixtures/feeds/atom03.xml?raw';
import atom10 from '../fixtures/feeds/atom10-xhtml.xml?raw';
import bomb from '../fixtures/feeds/bomb.xml?raw';
import broken from '../fixtures/feeds/broken.xml?raw';
import entityDeclared from '../fixtures/feeds/entity-declared.xml?raw';
import json11 from '../fixtures/feeds/feed11.json?raw';
import htmlPage from '../fixtures/feeds/html-page.html?raw';
import rss091 from '../fixtures/feeds/rss091-netscape.xml?raw';
import rss1 from '../fixtures/feeds/rss1-rdf.xml?raw';
import rss2 from '../fixtures/feeds/rss2-news.xml?raw';
import hostile from '../fixtures/feeds/sanitize.xml?raw';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('one fixture per format', () => {
  const cases = [
    {
      name: 'RSS 2.0 with content:encoded, a re-prefixed dc namespace and relative links',
      doc: rss2,
      url: 'https://gazette.example/local/feed',
      format: 'rss2.0',
      feed: { title: 'Harbour Gazette — Local', link: 'https://gazette.example/local/', description: 'News from the harbour &amp; the hills', updated: '2024-06-04T12:00:00Z', author: { name: 'News Desk', email: 'desk@gazette.example', url: null } },
      item: {
        id: 'gazette-2024-0604-ferry',
        title: 'Ferry service resumes after storm',
        link: 'https://gazette.example/local/2024/06/04/ferry-resumes?utm_source=rss&utm_medium=feed&id=77#comments',
        summary: '<p>Ferries sailed again on Tuesday.</p>',
        published: '2024-06-04T07:30:00Z',
        author: { name: 'Ana Lima', email: null, url: null },
      },
      items: 2,
    },
    {
      name: 'RSS 0.91 (Netscape DTD, HTML entities)',
      doc: rss091,
      format: 'rss0.91',
      feed: { title: 'Old Town Weekly', description: 'Café society &amp; more' },
      item: { title: 'Market day moves to Saturday', link: 'http://oldtown.example/market', summary: 'Stalls open at 8\u00a0am.', id: null },
      items: 1,
    },
    {
      name: 'RSS 1.0 (RDF) with dc:date and rdf:about ids',
      doc: rss1,
      format: 'rss1.0',
      feed: { title: 'Science Notes', link: 'https://science.example/' },
      item: { id: 'https://science.example/n/1', title: 'Comet visible this week', updated: '2024-06-02T20:00:00Z', published: null, author: { name: 'Obs Team', email: null, url: null } },
      items: 1,
    },
    {
      name: 'Atom 1.0 with xhtml, xml:base chains and an html title',
      doc: atom10,
      format: 'atom1.0',
      feed: { title: 'World Wire', link: 'https://wire.example/world/', description: 'Stories <em>as they happen</em>', id: 'tag:wire.example,2024:world', author: { name: 'Wire Desk', email: 'desk@wire.example', url: 'https://wire.example/about' } },
      item: {
        title: 'Summit ends with <em>joint statement</em>',
        link: 'https://wire.example/world/2024/06/04/summit',
        published: '2024-06-04T06:00:00Z',
        updated: '2024-06-04T09:15:30Z',
        summary: 'Leaders signed a statement on trade.',
        content: '<p>Leaders met for two days.</p><p>Read <a href="https://wire.example/world/2024/06/04/statement">the statement</a>.</p>',
      },
      items: 2,
    },
    {
      name: 'Atom 0.3 with escaped and base64 bodies',
      doc: atom03,
      format: 'atom0.3',
      feed: { title: 'Legacy &lt;Blog&gt;', link: 'http://legacy.example/', updated: '2004-01-02T10:00:00Z' },
      item: { title: 'First post', published: '2004-01-01T17:00:00Z', summary: '<p>Hello <b>world</b></p>', content: '<p>Full <i>text</i></p>' },
      items: 1,
    },
    {
      name: 'JSON Feed 1.1 (wrong-typed id drops the item)',
      doc: json11,
      format: 'json1.1',
      feed: { title: 'Daily Bytes', link: 'https://bytes.example/', id: 'https://bytes.example/feed.json', author: { name: 'Bytes Team', email: null, url: 'https://bytes.example/team' } },
      item: { id: 'b-101', link: 'https://bytes.example/101', summary: 'A new plant.', content: '<p>The plant opened today.</p><p><a href="https://bytes.example/jobs">Jobs</a></p>', published: '2024-06-01T13:00:00Z' },
      items: 2,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const parsed = parseFeed(utf8(c.doc), { url: c.url ?? null });
      expect(parsed.format).toBe(c.format);
      expect(parsed.wellformed).toBe(true);
      expect(parsed.items).toHaveLength(c.items);
      expect(parsed.feed).toMatchObject(c.feed);
      expect(parsed.items[0]).toMatchObject(c.item);
    });
  }

  it('Atom: enclosure links are not the article link; html titles decode one level of escaping', () => {
    const parsed = parseFeed(atom10);
    expect(parsed.items[0]!.link).toBe('https://wire.example/world/2024/06/04/summit');
    expect(parsed.items[1]!.title).toBe('Markets &amp; currencies');
    expect(parsed.items[1]!.content).toBe('<p>Stocks rose.</p>');
  });

  it.each([
    ['https://jsonfeed.org/version/1', 'json1.0'],
    ['http://jsonfeed.org/version/1.1/', 'json1.1'],
    ['https://jsonfeed.org/version/2', 'json'],
    ['', 'json'],
    [['not', 'a', 'string'], 'json'],
    [undefined, 'json'],
  ])('JSON Feed: version %j is reported as %s (an unknown one claims no version)', (version, format) => {
    const doc = JSON.stringify({ version, title: 'Daily Bytes', items: [{ id: '1', content_text: 'a' }] });
    expect(parseFeed(utf8(doc)).format).toBe(format);
  });

  it('JSON Feed: content_text becomes escaped HTML, numeric ids become strings', () => {
    const item = parseFeed(json11).items[1]!;
    expect(item.id).toBe('102');
    expect(item.content).toBe('Plain text only\nsecond line');
    expect(item.updated).toBe('2024-06-02T10:00:00Z');
  });
});

describe('charsets', () => {
  const latin1 = (text: string) => Uint8Array.from(text, (ch) => ch.charCodeAt(0));
  const utf16le = (text: string, bom: boolean) => {
    const out = new Uint8Array(text.length * 2 + (bom ? 2 : 0));
    if (bom) out.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) out[(bom ? 2 : 0) + i * 2] = text.charCodeAt(i);
    return out;
  };
  const doc = (decl: string, title: string) => `${decl}<rss version="2.0"><channel><title>${title}</title></channel></rss>`;

  it('uses the XML declaration when HTTP says nothing', () => {
    const parsed = parseFeed(latin1(doc('<?xml version="1.0" encoding="iso-8859-1"?>', 'Caf\u00e9')));
    expect(parsed.encoding).toBe('iso-8859-1');
    expect(parsed.feed.title).toBe('Café');
  });

  it('lets the HTTP charset override the declaration', () => {
    const bytes = latin1(doc('<?xml version="1.0" encoding="iso-8859-1"?>', '\u0080 sign'));
    const parsed = parseFeed(bytes, { contentType: 'application/rss+xml; charset="windows-1252"' });
    expect(parsed.encoding).toBe('windows-1252');
    expect(parsed.feed.title).toBe('€ sign');
  });

  it('reads UTF-16 with and without a BOM', () => {
    const text = doc('<?xml version="1.0" encoding="utf-16"?>', 'Ünïcode');
    expect(parseFeed(utf16le(text, true)).feed.title).toBe('Ünïcode');
    const noBom = parseFeed(utf16le(text, false));
    expect(noBom.encoding).toBe('utf-16le');
    expect(noBom.feed.title).toBe('Ünïcode');
  });

  it('recovers when a UTF-8 declaration is wrong (bytes are windows-1252)', () => {
    const parsed = parseFeed(latin1(doc('<?xml version="1.0" encoding="utf-8"?>', 'na\u00efve \u0093quotes\u0094')));
    expect(parsed.feed.title).toBe('naïve “quotes”');
    expect(parsed.wellformed).toBe(false);
  });

  it('prefers valid UTF-8 over a stale legacy HTTP charset', () => {
    const parsed = parseFeed(utf8(doc('<?xml version="1.0" encoding="utf-8"?>', 'Zürich – Genève')), { contentType: 'text/xml; charset=iso-8859-1' });
    expect(parsed.feed.title).toBe('Zürich – Genève');
  });

  it('reads legacy multi-byte charsets TextDecoder supports', () => {
    // "日本" in Shift_JIS
    const bytes = new Uint8Array([...utf8('<?xml version="1.0" encoding="Shift_JIS"?><rss><channel><title>'), 0x93, 0xfa, 0x96, 0x7b, ...utf8('</title></channel></rss>')]);
    expect(parseFeed(bytes).feed.title).toBe('日本');
  });
});

describe('text, entities and URLs', () => {
  it('decodes CDATA, numeric, undeclared HTML and DTD-declared entities', () => {
    expect(parseFeed(entityDeclared).items[0]!.id).toBe('tag:entities.example,2024:item-1');
    const parsed = parseFeed('<rss><channel><title>A &#8216;quote&#x2019; &mdash; &amp;co <![CDATA[1 < 2 & more]]></title></channel></rss>');
    expect(parsed.feed.title).toBe('A ‘quote’ — &co 1 < 2 & more');
  });

  it('maps windows-1252 numeric references (&#146;) to punctuation', () => {
    expect(parseFeed('<rss><channel><title>don&#146;t</title></channel></rss>').feed.title).toBe('don’t');
  });

  it('ignores a javascript: document URL as a base', () => {
    const parsed = parseFeed('<feed xmlns="http://www.w3.org/2005/Atom"><link href="/x"/></feed>', { url: 'javascript:alert(1)' });
    expect(parsed.feed.link).toBe('/x');
  });
});

describe('sanitising', () => {
  it('removes scripts, handlers, frames, objects, forms and javascript: URLs, keeps safe markup', () => {
    const summary = parseFeed(hostile).items[0]!.summary!;
    for (const bad of ['<script', 'onclick', 'onerror', '<iframe', '<object', 'javascript:', '<style', '<form', '<input', 'alert(']) {
      expect(summary.toLowerCase()).not.toContain(bad);
    }
    expect(summary).toContain('<p>Hello</p>');
    expect(summary).toContain('<b>kept</b>');
    expect(summary).toContain('click');
  });
});

describe('bad input', () => {
  it('recovers a document with bare ampersands, undeclared entities and a cut-off end', () => {
    const parsed = parseFeed(broken);
    expect(parsed.wellformed).toBe(false);
    expect(parsed.feed.title).toBe('Broken & Proud');
    expect(parsed.items.map((item) => item.title)).toEqual(['Unescaped ampersand: Q&A with the mayor', 'Second item']);
    expect(parsed.items[0]!.link).toBe('https://broken.example/qa?x=1&y=2');
    expect(parsed.items[0]!.summary).toBe('Entities été and \u00a0spaces');
  });

  it('reads a feed printed after a server warning, flagged not well-formed', () => {
    const doc = '<br />\n<b>Warning</b>: Cannot modify header information in <b>/var/www/feed.php</b><br />\n' +
      '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Gazette</title><item><title>Ferry resumes</title></item></channel></rss>';
    const parsed = parseFeed(doc);
    expect(parsed.wellformed).toBe(false);
    expect(parsed.items.map((item) => item.title)).toEqual(['Ferry resumes']);
    expect(parseFeed('Notice: undefined index\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title><entry><id>urn:1</id><title>Hello</title></entry></feed>').items).toHaveLength(1);
    expect(parseFeed('<b>Deprecated</b>: function x() is deprecated<br />\n<rss version="2.0"><channel><item><title>Hi</title></item></channel></rss>').items).toHaveLength(1);
  });

  it('does not cut a feed at an XML declaration quoted inside it', () => {
    const doc = '<rss version="2.0"><channel><title>Dev notes</title><item><title>Prolog</title><description><![CDATA[Start with <?xml version="1.0"?>]]></description></item></channel></rss>';
    const parsed = parseFeed(doc);
    expect(parsed.wellformed).toBe(true);
    expect(parsed.feed.title).toBe('Dev notes');
    expect(parsed.items[0]!.title).toBe('Prolog');
  });

  const failures: [string, string | Uint8Array, RegExp][] = [
    ['an HTML page', htmlPage, /^parse: not a feed \(html page\)/],
    ['an entity-expansion bomb', bomb, /^xml: entity expansion limit exceeded/],
    ['binary junk', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]), /^parse: not a feed \(binary data\)/],
    ['an empty body', '   ', /^parse: empty document/],
    ['plain text', 'Service unavailable', /^parse: not a feed/],
    ['plain text that mentions a tag', 'Use an <rss> reader', /^parse: not a feed/],
    ['an unknown XML vocabulary', '<?xml version="1.0"?><opml><body/></opml>', /^parse: not a feed \(root element <opml>\)/],
    ['broken JSON', '{"version": "https://jsonfeed.org/version/1.1", "items": [', /^json: /],
    ['absurdly deep nesting', '<rss>' + '<a>'.repeat(5000) + '</a>'.repeat(5000) + '</rss>', /^xml: /],
  ];
  for (const [name, input, message] of failures) {
    it(`rejects ${name} with a stage-prefixed FeedParseError`, () => {
      expect(() => parseFeed(input)).toThrow(FeedParseError);
      expect(() => parseFeed(input)).toThrow(message);
    });
  }

  it('parses the same bytes to the same result (re-polling is stable)', () => {
    expect(parseFeed(utf8(rss2))).toEqual(parseFeed(utf8(rss2)));
  });
});
