import { describe, expect, it } from 'vitest';
import { renderFrontPage, renderStoryPage, RIVER_SOURCES } from '../../src/render/html';
import { defaultQuery } from '../../src/render/query';
import { siteInfo } from '../../src/render/site';
import { buildFeedView, buildStoryView } from '../../src/render/view';
import { hostileStory, manyStories, snapshotOf, source, story, testSettings } from './fixtures';
import { realisticSnapshot } from '../fixtures/stories';

const site = siteInfo(testSettings(), 'https://wire.example');

describe('front page', () => {
  const crowded = story({ id: 'crowded', sources: Array.from({ length: 9 }, (_, i) => source({ outlet: `Outlet ${i}`, url: `https://o${i}.example/x` })) });
  const view = buildFeedView(snapshotOf([story(), hostileStory(), crowded, ...manyStories(3)]), { ...defaultQuery(50) }, site);
  const html = renderFrontPage(view);

  it('is a complete document with feed autodiscovery and no scripts', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<link rel="alternate" type="application/rss+xml" title="Test Wire (RSS)" href="https://wire.example/feed.xml"/>');
    expect(html).toContain('type="application/atom+xml"');
    expect(html).not.toMatch(/<script|<img|javascript:/i);
  });

  it('shows each story with its headline, count, summary and sources', () => {
    expect(html).toContain('<a href="https://planet.example/news/bridge">Bridge reopens after repairs</a>');
    expect(html).toContain('>2 sources</a>');
    expect(html).toContain('The river crossing is open to traffic again.');
    expect(html).toContain('<span class="outlet">Gotham Gazette</span>');
    expect(html).toContain('<time datetime="2026-11-20T08:40:00.000Z">20 Nov 2026, 08:40 UTC</time>');
    expect(html.match(/<article class="story"/g)).toHaveLength(6);
  });

  it('escapes hostile text', () => {
    expect(html).toContain('Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt; ]]&gt;');
    expect(html).toContain('Evil &lt;Outlet&gt; &amp; Co');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('folds long source lists behind a link to the story page', () => {
    expect(html).toContain('<a href="https://wire.example/stories/crowded">and 3 more</a>');
  });
});

it('story page lists every source and links its JSON', () => {
  const crowded = story({ id: 'crowded', sources: Array.from({ length: 9 }, (_, i) => source({ outlet: `Outlet ${i}` })) });
  const html = renderStoryPage(buildStoryView(crowded, 'https://wire.example', '2026-11-22T00:00:00.000Z'), site);
  expect(html.match(/<span class="outlet">/g)).toHaveLength(9);
  expect(html).toContain('href="https://wire.example/stories/crowded.json"');
});

describe('the river from views listing a few sources', () => {
  it('is byte for byte the river built from whole views, lead links and copies included', () => {
    // The lead's own link sits past the sources the river lists; a hostile link comes first.
    const lead = story({
      id: 'lead-late', title: 'Harbour tunnel opens',
      sources: Array.from({ length: 10 }, (_, i) => source({
        articleId: `l${i}`, outlet: `Outlet ${i}`, title: i === 8 ? 'Harbour tunnel opens' : `Report ${i}`,
        url: i === 0 ? 'javascript:alert(1)' : `https://o${i}.example/tunnel`, published: `2026-11-20T0${i}:00:00.000Z`, seenAt: `2026-11-20T0${i}:05:00.000Z`,
      })),
    });
    const snapshot = realisticSnapshot(21, 120, 6);
    const all = { ...snapshot, stories: [lead, ...snapshot.stories] };
    for (const query of [defaultQuery(50, 'top'), defaultQuery(50), { ...defaultQuery(20, 'top'), page: 2 }]) {
      const few = buildFeedView(all, query, site, new Map(), RIVER_SOURCES);
      expect(few.stories.some((s) => s.sources.length < s.sourceCount)).toBe(true);
      expect(renderFrontPage(few)).toBe(renderFrontPage(buildFeedView(all, query, site)));
    }
    const view = buildStoryView(lead, site.base, all.generated, RIVER_SOURCES);
    expect(view).toMatchObject({ sourceCount: 10, leadUrl: 'https://o8.example/tunnel' });
    expect(view.sources).toHaveLength(RIVER_SOURCES);
  });
});

describe('what the story block says', () => {
  it('"updated" is its newest report, not when a run filed it', () => {
    // Reported in July 2025, filed by a run in December 2026.
    const old = story({
      id: 'old', firstSeen: '2025-07-22T09:00:00.000Z', updated: '2026-12-07T06:00:00.000Z',
      sources: [source({ published: '2025-07-22T09:00:00.000Z', seenAt: '2026-12-07T06:00:00.000Z' }), source({ articleId: 'a2', outlet: 'Other', published: '2025-07-22T11:30:00.000Z', seenAt: '2026-12-07T06:00:00.000Z' })],
    });
    const html = renderStoryPage(buildStoryView(old, 'https://wire.example', '2026-12-07T06:00:00.000Z'), site);
    expect(html).toContain('first reported <time datetime="2025-07-22T09:00:00.000Z">22 Jul 2025, 09:00 UTC</time>');
    expect(html).toContain('updated <time datetime="2025-07-22T11:30:00.000Z">22 Jul 2025, 11:30 UTC</time>');
    expect(html).not.toContain('7 Dec 2026');
    // One report: nothing newer than the first to say.
    const single = renderStoryPage(buildStoryView({ ...old, sources: old.sources.slice(0, 1) }, 'https://wire.example', '2026-12-07T06:00:00.000Z'), site);
    expect(single).not.toContain('updated <time');
  });

  it('counts matches in good English', () => {
    const one = renderFrontPage(buildFeedView(snapshotOf([story()]), { ...defaultQuery(50), q: 'bridge' }, site));
    expect(one).toContain('1 story matches');
    const two = renderFrontPage(buildFeedView(snapshotOf([story(), story({ id: 'st-2' })]), { ...defaultQuery(50), q: 'bridge' }, site));
    expect(two).toContain('2 stories match ·');
  });
});
