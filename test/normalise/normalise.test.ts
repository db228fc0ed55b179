import { describe, expect, it } from 'vitest';
import type { ParsedFeed, ParsedItem, Source } from '../../src/model';
import { canonicalUrl, htmlToText, normaliseItems, summarise } from '../../src/normalise';
import { parseFeed } from '../../src/parse';
import rss2 from '../fixtures/feeds/rss2-news.xml?raw';

const source: Source = { id: 'gazette', url: 'https://gazette.example/local/feed', name: null };
const seenAt = '2024-06-04T12:30:00Z';

function feedWith(items: Partial<ParsedItem>[]): ParsedFeed {
  const blank: ParsedItem = { id: null, title: null, link: null, summary: null, content: null, published: null, updated: null, author: null };
  return {
    format: 'rss2.0', encoding: 'utf-8', wellformed: true,
    feed: { title: 'Feed &amp; Co', link: null, description: null, id: null, updated: null, published: null, author: null },
    items: items.map((item) => ({ ...blank, ...item })),
  };
}

describe('normaliseItems', () => {
  it('turns a parsed feed into complete articles', () => {
    const [first, second] = normaliseItems(parseFeed(rss2, { url: source.url }), source, seenAt);
    expect(first).toMatchObject({
      sourceId: 'gazette',
      outlet: 'Harbour Gazette — Local',
      url: 'https://gazette.example/local/2024/06/04/ferry-resumes?id=77',
      title: 'Ferry service resumes after storm',
      text: 'Ferries sailed again on Tuesday morning after a two-day halt.\nThe operator said the timetable is back to normal.',
      summary: 'Ferries sailed again on Tuesday.',
      published: '2024-06-04T07:30:00Z',
      seenAt,
    });
    expect(second!.published).toBe('2024-06-03T22:05:00Z');
    expect(first!.id).toMatch(/^[0-9a-f]{16}$/);
    expect(first!.id).not.toBe(second!.id);
  });

  it('stamps undated items a millisecond apart in feed order, newest first; dated items with when they were seen', () => {
    const articles = normaliseItems(feedWith([
      { id: 'u1', title: 'First undated' },
      { id: 'd1', title: 'Dated', published: '2024-06-04T10:00:00Z' },
      { id: 'u2', title: 'Second undated' },
      { id: 'u3', title: 'Third undated' },
    ]), source, seenAt);
    expect(articles.map((a) => a.seenAt)).toEqual(['2024-06-04T12:30:00Z', '2024-06-04T12:30:00Z', '2024-06-04T12:29:59.999Z', '2024-06-04T12:29:59.998Z']);
  });

  it('gives the same ids on every poll, and different ids per source', () => {
    const parsed = parseFeed(rss2, { url: source.url });
    const again = normaliseItems(parseFeed(rss2, { url: source.url }), source, '2024-06-05T00:00:00Z');
    expect(again.map((a) => a.id)).toEqual(normaliseItems(parsed, source, seenAt).map((a) => a.id));
    const other = normaliseItems(parsed, { ...source, id: 'mirror' }, seenAt);
    expect(other[0]!.id).not.toBe(again[0]!.id);
  });

  it('identity falls back from guid to canonical URL to title + text', () => {
    const byUrl = normaliseItems(feedWith([{ link: 'https://a.example/x?utm_source=tw#frag', title: 'One' }]), source, seenAt);
    const sameUrl = normaliseItems(feedWith([{ link: 'https://A.example/x', title: 'One, edited' }]), source, seenAt);
    expect(byUrl[0]!.id).toBe(sameUrl[0]!.id);
    const byText = normaliseItems(feedWith([{ title: 'No link', summary: '<p>Body</p>' }]), source, seenAt);
    const changedText = normaliseItems(feedWith([{ title: 'No link', summary: '<p>Other body</p>' }]), source, seenAt);
    expect(byText[0]!.id).not.toBe(changedText[0]!.id);
  });

  it('drops empty items and duplicates, falls back for titles, dates and outlet', () => {
    const articles = normaliseItems(
      feedWith([
        { id: 'a', content: '<p>A story with no title at all, only a body that goes on for a while.</p>', updated: '2024-06-01T00:00:00Z' },
        { id: 'a', title: 'duplicate guid' },
        { id: 'empty' },
      ]),
      { ...source, name: '  The Gazette ' },
      seenAt,
    );
    expect(articles).toHaveLength(1);
    expect(articles[0]).toMatchObject({ outlet: 'The Gazette', title: 'A story with no title at all, only a body that goes on for a while.', published: '2024-06-01T00:00:00Z', url: null });
  });

  it('makes titles plain text and cuts summaries at a word boundary', () => {
    const long = 'word '.repeat(200);
    const [article] = normaliseItems(feedWith([{ id: 'x', title: 'Quake &amp; <b>aftershocks</b>\n  today', summary: `<p>${long}</p>` }]), source, seenAt);
    expect(article!.title).toBe('Quake & aftershocks today');
    expect(article!.summary.length).toBeLessThanOrEqual(301);
    expect(article!.summary.endsWith('word…')).toBe(true);
    expect(article!.outlet).toBe('Feed & Co');
  });
});

describe('htmlToText', () => {
  it('puts block elements on their own lines and drops markup', () => {
    expect(htmlToText('<h2>Head</h2><p>One &amp; <b>two</b></p><ul><li>a</li><li>b</li></ul>Tail<br>end')).toBe('Head\nOne & two\na\nb\nTail\nend');
  });
});

describe('canonicalUrl', () => {
  it.each([
    ['HTTPS://News.Example.COM:443/a/b?utm_source=x&id=2&fbclid=abc#top', 'https://news.example.com/a/b?id=2'],
    ['http://example.com/path?b=2&a=1', 'http://example.com/path?b=2&a=1'],
    ['https://example.com/?utm_campaign=z', 'https://example.com/'],
    ['not a url', 'not a url'],
  ])('%s -> %s', (input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });
});

describe('summarise', () => {
  it('takes whole paragraphs that fit and skips ones repeating the headline', () => {
    const text = 'Talks Proposed\nKyiv asked for new talks on Monday.\nThe Kremlin said it would reply.\n' + 'x'.repeat(400);
    expect(summarise(text, 'Talks proposed', 300)).toBe('Kyiv asked for new talks on Monday. The Kremlin said it would reply.');
  });

  it('cuts a long first paragraph at its last sentence that fits, else at a word', () => {
    const sentences = 'The first sentence is here. ' + 'Another rather long sentence follows it here. '.repeat(10);
    const out = summarise(sentences, 'x', 120);
    expect(out.endsWith('.')).toBe(true);
    expect(out.length).toBeLessThanOrEqual(120);
    const words = 'word '.repeat(100);
    expect(summarise(words, 'x', 50).endsWith('word…')).toBe(true);
  });

  it('is empty for empty text', () => {
    expect(summarise('', 'x', 300)).toBe('');
  });
});
