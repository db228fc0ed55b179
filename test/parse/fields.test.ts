// What real publishers write around the fields a reader sees first: authors next to empty
// author elements, YouTube-style Atom entries whose only text is Media RSS, dates in
// wrongly-cased or namespace-less elements.
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/parse';

const rss = (item: string, ns = '') =>
  `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"${ns}><channel><title>Harbour Gazette</title><item><title>Ferry resumes</title>${item}</item></channel></rss>`;
const atom = (entry: string) =>
  `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/"><title>Channel</title><id>urn:c</id><entry><id>urn:e1</id><title>Storm footage</title>${entry}</entry></feed>`;
const firstItem = (doc: string) => parseFeed(doc).items[0]!;

describe('authors', () => {
  it.each([
    ['an empty <author> before a dc:creator', '<author></author><dc:creator>Ana Lima</dc:creator>', 'Ana Lima'],
    ['an empty self-closed <author/>', '<author/><dc:creator>Ana Lima</dc:creator>', 'Ana Lima'],
    ['an empty dc:creator before a real one', '<dc:creator><![CDATA[ ]]></dc:creator><dc:creator>Ana Lima</dc:creator>', 'Ana Lima'],
    ['an empty trailing dc:creator after <author>', '<author>desk@gazette.example (Ana Lima)</author><dc:creator/>', 'Ana Lima'],
    ['an empty trailing dc:creator after a real one', '<dc:creator>Ana Lima</dc:creator><dc:creator></dc:creator>', 'Ana Lima'],
    ['an empty author followed by another <author>', '<author> </author><author>Ana Lima</author>', 'Ana Lima'],
  ])('RSS: %s still gives the real author', (_name, item, name) => {
    expect(firstItem(rss(item)).author?.name).toBe(name);
  });

  it('RSS: only empty author elements give no author', () => {
    expect(firstItem(rss('<author></author><dc:creator/>')).author).toBeNull();
  });

  it('Atom: an empty <author> does not hide the next author or a contributor', () => {
    expect(firstItem(atom('<author><name></name></author><author><name>Ben Ortiz</name></author>')).author?.name).toBe('Ben Ortiz');
    expect(firstItem(atom('<author/><contributor><name>Kim Sato</name></contributor>')).author?.name).toBe('Kim Sato');
  });

  it('Atom: dc:creator stands in when the entry has no Atom author', () => {
    expect(firstItem(atom('<dc:creator></dc:creator><dc:creator>Ana Lima</dc:creator>')).author?.name).toBe('Ana Lima');
  });

  it('RSS: an Atom author inside an item', () => {
    const doc = rss('<atom:author><atom:name>Ben Ortiz</atom:name></atom:author>', ' xmlns:atom="http://www.w3.org/2005/Atom"');
    expect(firstItem(doc).author?.name).toBe('Ben Ortiz');
  });

  it('Atom: a name written as the text of <author>', () => {
    expect(firstItem(atom('<author>Ana Lima</author>')).author?.name).toBe('Ana Lima');
    expect(firstItem(atom('<author><uri>https://gazette.example/ana</uri></author>')).author).toEqual({ name: null, email: null, url: 'https://gazette.example/ana' });
  });

  it('JSON Feed: an empty 1.1 authors list does not hide the 1.0 author', () => {
    const doc = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'x', items: [{ id: '1', content_text: 'a', authors: [{}], author: { name: 'Ana Lima' } }] });
    expect(firstItem(doc).author?.name).toBe('Ana Lima');
  });
});

describe('Atom text from Media RSS', () => {
  const youtube = '<media:group><media:title>Storm footage</media:title><media:description>Waves over the pier at noon.\nFilmed from the lighthouse.</media:description></media:group>';

  it('reads media:group/media:description when the entry has no summary or content', () => {
    expect(firstItem(atom(youtube)).summary).toBe('Waves over the pier at noon.\nFilmed from the lighthouse.');
  });

  it('reads a bare media:description, and an empty summary does not hide it', () => {
    expect(firstItem(atom('<summary></summary><media:description>Waves &amp; wind.</media:description>')).summary).toBe('Waves &amp; wind.');
  });

  it('keeps the entry own text first', () => {
    expect(firstItem(atom(`<summary>Own words.</summary>${youtube}`)).summary).toBe('Own words.');
    const withContent = firstItem(atom(`<content type="html">&lt;p&gt;Body&lt;/p&gt;</content>${youtube}`));
    expect(withContent.content).toBe('<p>Body</p>');
    expect(withContent.summary).toBeNull();
  });

  it('escapes a description Media RSS declares plain, sanitises one declared html', () => {
    expect(firstItem(atom('<media:description type="plain">a &lt;b&gt; tag</media:description>')).summary).toBe('a &lt;b&gt; tag');
    expect(firstItem(atom('<media:description type="html">&lt;b&gt;bold&lt;/b&gt;&lt;script&gt;x()&lt;/script&gt;</media:description>')).summary).toBe('<b>bold</b>');
  });

  it('RSS: an empty <description/> does not hide media:description', () => {
    expect(firstItem(rss('<description></description><media:group><media:description>Waves.</media:description></media:group>')).summary).toBe('Waves.');
  });

  const itunes = ' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"';
  const caption = '<media:content url="https://img.example/pier.jpg" medium="image"><media:description>The pier at dawn.</media:description></media:content>';

  it('a media:content caption is the text of last resort, in RSS and Atom', () => {
    expect(firstItem(rss(caption)).summary).toBe('The pier at dawn.');
    expect(firstItem(rss(`<media:group>${caption}</media:group>`)).summary).toBe('The pier at dawn.');
    expect(firstItem(atom(caption)).summary).toBe('The pier at dawn.');
    expect(firstItem(rss(`<description>Ferries run again.</description>${caption}`)).summary).toBe('Ferries run again.');
    expect(firstItem(rss(`${caption}<itunes:summary>Episode notes.</itunes:summary>`, itunes)).summary).toBe('Episode notes.');
  });

  it('Atom: a Dublin Core or iTunes description stands in for a missing summary', () => {
    const podcast = (entry: string) => atom(entry).replace('<feed ', `<feed${itunes} `);
    expect(firstItem(podcast('<itunes:summary>Episode notes.</itunes:summary>')).summary).toBe('Episode notes.');
    expect(firstItem(atom('<dc:description>Harbour news in brief.</dc:description>')).summary).toBe('Harbour news in brief.');
    expect(firstItem(podcast('<summary>Own words.</summary><itunes:summary>Episode notes.</itunes:summary>')).summary).toBe('Own words.');
    expect(firstItem(podcast('<itunes:author>Kim Sato</itunes:author>')).author?.name).toBe('Kim Sato');
  });
});

describe('other names publishers give text and dates', () => {
  it('RSS: <summary>, <abstract> and atom:summary are a summary, <content> is content', () => {
    expect(firstItem(rss('<summary>Boats run again.</summary>')).summary).toBe('Boats run again.');
    expect(firstItem(rss('<abstract>Boats run again.</abstract>')).summary).toBe('Boats run again.');
    expect(firstItem(rss('<atom:summary>Boats run again.</atom:summary>', ' xmlns:atom="http://www.w3.org/2005/Atom"')).summary).toBe('Boats run again.');
    expect(firstItem(rss('<content>&lt;p&gt;Boats run again.&lt;/p&gt;</content>')).content).toBe('<p>Boats run again.</p>');
  });

  it('Atom: <description> or <abstract> stands in for a missing summary', () => {
    expect(firstItem(atom('<description>Waves over the pier.</description>')).summary).toBe('Waves over the pier.');
    expect(firstItem(atom('<abstract>Waves over the pier.</abstract>')).summary).toBe('Waves over the pier.');
  });

  it('RSS: an unprefixed <date> or an item <lastBuildDate> is the updated date; Atom reads <pubDate>', () => {
    expect(firstItem(rss('<date>2024-06-04T09:30:00Z</date>')).updated).toBe('2024-06-04T09:30:00Z');
    expect(firstItem(rss('<lastBuildDate>Tue, 04 Jun 2024 09:30:00 GMT</lastBuildDate>')).updated).toBe('2024-06-04T09:30:00Z');
    expect(firstItem(atom('<pubDate>Tue, 04 Jun 2024 09:30:00 GMT</pubDate>')).published).toBe('2024-06-04T09:30:00Z');
  });
});

describe('RSS element names in the wrong case', () => {
  it('reads <Item>, <Title>, <Link>, <Description>, <Author> and <Guid> as their proper names', () => {
    const doc = '<rss version="2.0"><Channel><Title>Harbour Gazette</Title><Link>https://gazette.example/</Link>' +
      '<Item><Title>Ferry resumes</Title><Link>https://gazette.example/ferry</Link><Description>Boats run again.</Description>' +
      '<AUTHOR>desk@gazette.example (Ana Lima)</AUTHOR><Guid isPermaLink="false">ferry-1</Guid><PubDate>Tue, 04 Jun 2024 09:30:00 GMT</PubDate></Item>' +
      '</Channel></rss>';
    const parsed = parseFeed(doc);
    expect(parsed.feed).toMatchObject({ title: 'Harbour Gazette', link: 'https://gazette.example/' });
    expect(parsed.items).toHaveLength(1);
    expect(parsed.items[0]).toMatchObject({
      title: 'Ferry resumes', link: 'https://gazette.example/ferry', summary: 'Boats run again.', id: 'ferry-1',
      author: { name: 'Ana Lima', email: 'desk@gazette.example' }, published: '2024-06-04T09:30:00Z',
    });
  });
});

describe('date elements', () => {
  it.each([
    ['<pubdate>', '<pubdate>Tue, 04 Jun 2024 09:30:00 GMT</pubdate>', 'published'],
    ['<PubDate>', '<PubDate>Tue, 04 Jun 2024 09:30:00 GMT</PubDate>', 'published'],
    ['<PUBDATE>', '<PUBDATE>Tue, 04 Jun 2024 09:30:00 GMT</PUBDATE>', 'published'],
    ['an unprefixed <modified>', '<modified>2024-06-04T09:30:00+00:00</modified>', 'updated'],
    ['an unprefixed <updated>', '<updated>2024-06-04T09:30:00Z</updated>', 'updated'],
    ['an unprefixed <published>', '<published>2024-06-04T09:30:00Z</published>', 'published'],
  ] as const)('RSS: reads %s', (_name, item, field) => {
    expect(firstItem(rss(item))[field]).toBe('2024-06-04T09:30:00Z');
  });

  it('RSS: an unreadable pubDate does not hide a readable dc:date, nor does the date go wrong', () => {
    const item = firstItem(rss('<pubDate>sometime soon</pubDate><dc:date>2024-06-04T09:30:00Z</dc:date>'));
    expect(item.published).toBeNull();
    expect(item.updated).toBe('2024-06-04T09:30:00Z');
  });

  it('RSS: the real-world forms with slashes and 12-hour clocks', () => {
    expect(firstItem(rss('<pubDate>2020/1/10 14:33:00</pubDate>')).published).toBe('2020-01-10T14:33:00Z');
    expect(firstItem(rss('<pubDate>Sat, Dec 16 2023 02:02:33 PM</pubDate>')).published).toBe('2023-12-16T14:02:33Z');
  });

  it('Atom: Dublin Core dates stand in for missing Atom dates', () => {
    const item = firstItem(atom('<dc:date>2024-06-04T09:30:00Z</dc:date>'));
    expect(item.updated).toBe('2024-06-04T09:30:00Z');
  });
});

describe('a feed wrapped in an HTML page', () => {
  const page = (inner: string) =>
    `<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"><body>${inner}</body></html>`;

  it('reads an Atom feed inside <body>, flagged not well-formed', () => {
    const parsed = parseFeed(page('<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title><entry><id>urn:1</id><title>Down time</title><author><name>Tomaž</name></author><updated>2014-07-21T21:14:39+02:00</updated></entry></feed>'));
    expect(parsed.format).toBe('atom1.0');
    expect(parsed.wellformed).toBe(false);
    expect(parsed.items.map((item) => [item.title, item.author?.name, item.updated])).toEqual([['Down time', 'Tomaž', '2014-07-21T19:14:39Z']]);
  });

  it('still refuses an ordinary page, even one that talks about feeds', () => {
    expect(() => parseFeed(page('<p>Subscribe to our &lt;rss&gt; feed</p><feed>not Atom</feed>'))).toThrow(/^parse: not a feed \(html page\)/);
    expect(() => parseFeed('<!DOCTYPE html><html><body><p>Hello</p></body></html>')).toThrow(/^parse: not a feed \(html page\)/);
  });
});
