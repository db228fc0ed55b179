import { parseFeed as parseWithRowanmanning } from '@rowanmanning/feed-parser';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderStoryJson, renderStoryListJson } from '../../src/render/api';
import { renderAtom } from '../../src/render/atom';
import { renderFrontPage, renderStoryPage } from '../../src/render/html';
import { renderJsonFeed } from '../../src/render/json';
import { defaultQuery } from '../../src/render/query';
import { renderRss } from '../../src/render/rss';
import { siteInfo } from '../../src/render/site';
import { renderStoryAtom, renderStoryJsonFeed } from '../../src/render/storyFeed';
import { buildFeedView, buildStoryView, type FeedView } from '../../src/render/view';
import { hasForbiddenChars } from '../../src/util/xmlChars';
import { HOSTILE_TITLE, hostileStory, manyStories, snapshotOf, story, testSettings } from './fixtures';

const settings = testSettings({ WEBSUB_HUB: 'https://hub.example/', FEED_PAGE_SIZE: '5' });

function viewOf(stories = [story(), hostileStory(), ...manyStories(8)], page = 1): FeedView {
  return buildFeedView(snapshotOf(stories), { ...defaultQuery(5), page }, siteInfo(settings, 'https://wire.example'));
}

/** What the hostile title becomes: XML-forbidden characters dropped, the rest kept verbatim. */
const CLEAN_HOSTILE = 'Tom & Jerry <script>alert(1)</script> ]]> "quoted" \'apos\' end';

const stringsIn = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(stringsIn) : [];

const isAbsoluteHttp = (url: unknown) => typeof url === 'string' && /^https?:\/\/[^/]/.test(url);

describe('RSS 2.0', () => {
  const xml = renderRss(viewOf());

  it('is well-formed XML even with hostile titles', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it('reads back in two independent parsers with one item per story', () => {
    const rowan = parseWithRowanmanning(xml);
    expect(rowan.title).toBe('Test Wire');
    expect(rowan.items).toHaveLength(5);
    expect(rowan.items[1]?.title).toBe(CLEAN_HOSTILE);

    const feed = parseRssFeed(xml);
    const guids = feed.items?.map((item) => item.guid?.value) ?? [];
    expect(new Set(guids).size).toBe(5);
    for (const item of feed.items ?? []) {
      expect(isAbsoluteHttp(item.link)).toBe(true);
      expect(item.guid?.isPermaLink).toBe(true);
    }
    expect(feed.items?.[0]?.pubDate).toBe('Fri, 20 Nov 2026 08:05:00 GMT');
  });

  it('lists every source in the description and never emits live markup from publishers', () => {
    const feed = parseRssFeed(xml);
    const hostile = feed.items?.[1]?.description ?? '';
    expect(hostile).toContain('&lt;script&gt;');
    expect(hostile).not.toMatch(/<script|<img|javascript:/i);
    const first = feed.items?.[0]?.description ?? '';
    expect(first).toContain('<strong>Daily Planet</strong>');
    expect(first).toContain('<a href="https://gazette.example/b?x=1&amp;y=2">City bridge open again</a>');
  });

  it('carries self, paging and hub links', () => {
    const rowan = parseWithRowanmanning(xml);
    expect(rowan.self).toBe('https://wire.example/feed.xml');
    expect(xml).toContain('<atom:link href="https://wire.example/feed.xml?page=2" rel="next"/>');
    expect(xml).toContain('<atom:link href="https://wire.example/feed.xml?page=2" rel="last"/>');
    expect(xml).toContain('<atom:link href="https://hub.example/" rel="hub"/>');
    expect(xml).not.toContain('rel="previous"');
  });

  it('links back from the last page', () => {
    const last = renderRss(viewOf(undefined, 2));
    expect(last).toContain('<atom:link href="https://wire.example/feed.xml" rel="previous"/>');
    expect(last).not.toContain('rel="next"');
  });
});

describe('Atom 1.0', () => {
  const xml = renderAtom(viewOf());

  it('is well-formed and parses with one entry per story', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = parseAtomFeed(xml);
    expect(feed.entries).toHaveLength(5);
    expect(new Set(feed.entries?.map((e) => e.id)).size).toBe(5);
    expect(feed.entries?.[1]?.title?.value).toBe(CLEAN_HOSTILE);
  });

  it('keeps published fixed at firstSeen and updated at the last change', () => {
    const entry = parseAtomFeed(xml).entries?.[0];
    expect(entry?.published).toBe('2026-11-20T08:05:00.000Z');
    expect(entry?.updated).toBe('2026-11-20T09:00:00.000Z');
  });

  it('adds a related link per source with an http(s) URL, all absolute', () => {
    const entries = parseAtomFeed(xml).entries ?? [];
    const related = entries[0]?.links?.filter((l) => l.rel === 'related').map((l) => l.href);
    expect(related).toEqual(['https://planet.example/news/bridge', 'https://gazette.example/b?x=1&y=2']);
    // The hostile story's javascript: URL is dropped; its odd but http URL is kept, encoded.
    const hostileRelated = entries[1]?.links?.filter((l) => l.rel === 'related').map((l) => l.href);
    expect(hostileRelated).toEqual(['https://evil.example/a%22b%3Cc%3E']);
    for (const entry of entries) for (const link of entry.links ?? []) expect(isAbsoluteHttp(link.href)).toBe(true);
  });

  it('names the outlets in one author line (readers show one author) and has feed-level self and hub links', () => {
    const feed = parseAtomFeed(xml);
    expect(feed.entries?.[0]?.authors?.map((a) => a.name)).toEqual(['Daily Planet and Gotham Gazette']);
    const rels = feed.links?.map((l) => l.rel);
    expect(rels).toEqual(expect.arrayContaining(['self', 'alternate', 'first', 'last', 'next', 'hub']));
  });
});

describe('JSON Feed 1.1', () => {
  const text = renderJsonFeed(viewOf());

  it('parses as JSON Feed with unique ids, absolute URLs and next_url', () => {
    const feed = parseJsonFeed(JSON.parse(text));
    expect(feed.items).toHaveLength(5);
    expect(new Set(feed.items?.map((i) => i.id)).size).toBe(5);
    expect(feed.next_url).toBe('https://wire.example/feed.json?page=2');
    expect(feed.hubs).toEqual([{ type: 'WebSub', url: 'https://hub.example/' }]);
    for (const item of feed.items ?? []) expect(isAbsoluteHttp(item.url)).toBe(true);
  });

  it('carries sources as a structured _sources extension', () => {
    const raw = JSON.parse(text) as { items: { title: string; date_published: string; date_modified: string; _sources: { count: number; items: { outlet: string; url: string | null }[] } }[] };
    const first = raw.items[0]!;
    expect(first.date_published).toBe('2026-11-20T08:05:00.000Z');
    expect(first.date_modified).toBe('2026-11-20T09:00:00.000Z');
    expect(first._sources.count).toBe(2);
    expect(first._sources.items.map((s) => s.outlet)).toEqual(['Daily Planet', 'Gotham Gazette']);
    const hostile = raw.items[1]!;
    expect(hostile.title).toBe(CLEAN_HOSTILE);
    expect(hostile._sources.items[0]?.url).toBeNull();
  });
});

it('removes only the characters XML forbids from a hostile title', () => {
  expect(HOSTILE_TITLE).toContain('\u0000');
  expect(renderRss(viewOf([hostileStory()]))).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uD800]/);
});

it('lets no noncharacter or XML-forbidden code point into any format, stored records from before the parser removed them included', () => {
  const hostile = hostileStory();
  expect(hasForbiddenChars(HOSTILE_TITLE) && hasForbiddenChars(hostile.summary) && hasForbiddenChars(hostile.sources[0]!.outlet)).toBe(true);
  const site = siteInfo(testSettings({ SITE_TITLE: 'Wire \uFFFF\u0001', SITE_DESCRIPTION: 'All \uFDD0 news' }), 'https://wire.example');
  const view = buildFeedView(snapshotOf([hostile, story()]), defaultQuery(5), site);
  const storyView = buildStoryView(hostile, site.base, '2026-11-21T12:00:00.000Z');
  const outputs = {
    rss: renderRss(view), atom: renderAtom(view), json: renderJsonFeed(view), html: renderFrontPage(view), api: renderStoryListJson(view),
    storyApi: renderStoryJson(storyView), storyPage: renderStoryPage(storyView, site),
    storyAtom: renderStoryAtom(storyView, site), storyJson: renderStoryJsonFeed(storyView, site),
  };
  for (const [format, output] of Object.entries(outputs)) {
    expect(hasForbiddenChars(output), format).toBe(false);
    // JSON could still carry one as an escape (\u0001): every string read back is checked too.
    if (/^(json|api|storyApi|storyJson)$/.test(format)) expect(stringsIn(JSON.parse(output)).filter(hasForbiddenChars), format).toEqual([]);
  }
  expect(outputs.rss).toContain('<title>Wire</title>');
  expect(XMLValidator.validate(outputs.atom)).toBe(true);
  expect(XMLValidator.validate(outputs.storyAtom)).toBe(true);
});
