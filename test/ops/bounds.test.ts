// Bounds after parsing (issue 11): a hostile feed is cut down on its own, counted in the run log,
// and never freezes the outputs or makes a run unbounded.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readSettings } from '../../src/config';
import type { FetchLike } from '../../src/fetch/fetcher';
import type { StoryRecord } from '../../src/model';
import { MAX_TITLE_CHARS } from '../../src/normalise';
import { fitBundle } from '../../src/render/publish';
import { logRun } from '../../src/runReport';
import { runScheduled } from '../../src/scheduled';
import { sourceId } from '../../src/sources/registry';
import { boundStory, KV_VALUE_LIMIT_BYTES, recordBytes } from '../../src/stories/bounds';
import { StoryShelf } from '../../src/stories/shelf';
import { KV_KEYS } from '../../src/store/keys';
import { readRendered } from '../../src/store/rendered';
import { readSourceState } from '../../src/store/sourceState';
import type { StoriesSnapshot } from '../../src/model';
import { readStories } from '../../src/store/stories';
import { clearKv, runDeps, SEED_URLS, testEnv } from './helpers';

const T0 = new Date('2025-07-23T12:00:00Z');
const at = (minutes: number) => () => new Date(T0.getTime() + minutes * 60_000);
const HOSTILE = 'https://hostile.example/feed.xml';

beforeEach(() => clearKv());

/** The seed feeds plus one more source, served by `hostile()` (which may change between runs). */
function withHostile(hostile: () => string): { env: Env; fetch: FetchLike } {
  const sources = [...SEED_URLS.map((url) => ({ url })), { url: HOSTILE, name: 'Hostile' }];
  const fetchImpl: FetchLike = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url === HOSTILE) return new Response(hostile(), { headers: { 'content-type': 'application/rss+xml' } });
    return fetch(input, init);
  };
  return { env: testEnv({ SOURCES: JSON.stringify(sources) }), fetch: fetchImpl };
}

function rss(items: string): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link>${items}</channel></rss>`;
}

function item(guid: string, title: string, date = 'Wed, 23 Jul 2025 11:00:00 GMT'): string {
  return `<item><guid>${guid}</guid><title>${title}</title><link>https://hostile.example/${guid}</link><pubDate>${date}</pubDate><description>Body of ${guid}.</description></item>`;
}

async function renderedBytes(): Promise<number> {
  return (await env.STATE.get(KV_KEYS.rendered, 'arrayBuffer'))?.byteLength ?? 0;
}

describe('a 4.5 MB title in a polled item', () => {
  it('is cut at a word with an ellipsis; the bundle stays small and later items keep appearing', async () => {
    const huge = Array.from({ length: 900_000 }, (_, i) => `word${i % 10}`).join(' ').slice(0, 4_500_000);
    let items = [item('huge', huge)];
    const hostile = withHostile(() => rss(items.join('')));
    const first = await runScheduled(hostile.env, runDeps({ fetch: hostile.fetch, now: at(0) }));
    expect(first.errors).toEqual([]);
    expect(first.bounds.titlesCut).toBe(1);
    const stories = (await readStories(env.STATE)).stories;
    const cut = stories.flatMap((s) => s.sources).find((s) => s.articleId && s.title.startsWith('word0 word1'))!;
    expect(cut.title.length).toBeLessThanOrEqual(MAX_TITLE_CHARS + 1);
    expect(cut.title).toMatch(/ word\d…$/);
    expect(await renderedBytes()).toBeLessThan(1024 * 1024);

    // Three later runs, each with a new item: each appears in the feeds.
    for (let run = 1; run <= 3; run++) {
      items = [item(`new-${run}`, `Fresh headline number ${run} about the harbour`), ...items];
      const report = await runScheduled(hostile.env, runDeps({ fetch: hostile.fetch, now: at(20 * run), pollEverything: true }));
      expect(report.newArticles, `run ${run}`).toBe(1);
      const feed = (await readRendered(env.STATE))?.body('rss');
      expect(feed, `run ${run}`).toContain(`Fresh headline number ${run}`);
    }
  });

  it('a story record stored by an older version with such a title is cut down, and the feeds publish again', async () => {
    const poisoned: StoryRecord = {
      id: 'old-story', title: 'x '.repeat(2_250_000), summary: 'y', firstSeen: '2025-07-22T00:00:00.000Z', updated: '2025-07-22T00:00:00.000Z',
      sources: [{ articleId: 'a1', sourceId: 's1', outlet: 'Old', title: 'x '.repeat(2_250_000), url: null, published: null, seenAt: '2025-07-22T00:00:00.000Z' }],
    };
    await env.STATE.put(KV_KEYS.stories, JSON.stringify({ version: 1, generated: T0.toISOString(), stories: [poisoned], aliases: {} } satisfies StoriesSnapshot));
    const report = await runScheduled(testEnv(), runDeps());
    expect(report.newArticles).toBe(13);
    expect(report.bounds.storiesCut).toBe(1);
    const stored = (await readStories(env.STATE)).stories.find((s) => s.id === 'old-story')!;
    expect(stored.title.length).toBeLessThanOrEqual(MAX_TITLE_CHARS + 1);
    expect(report.bounds.bundleBytes).toBeLessThan(KV_VALUE_LIMIT_BYTES);
    expect(await renderedBytes()).toBe(report.bounds.bundleBytes);
  });
});

describe('100,000 tiny items in one 3.3 MB feed', () => {
  it('keeps the newest 200, says so on the source and in the run log, and files everyone else', async () => {
    // Undated, so the document's order says which are newest (feeds list newest first).
    const many = Array.from({ length: 100_000 }, (_, i) => `<item><title>t${i}</title></item>\n`);
    const body = rss(many.join(''));
    expect(body.length).toBeGreaterThan(3_200_000);
    const hostile = withHostile(() => body);
    const report = await runScheduled(hostile.env, runDeps({ fetch: hostile.fetch }));
    expect(report.errors).toEqual([]);
    expect(report.bounds.itemsDropped).toBe(99_800);
    expect(report.newArticles).toBe(13 + 200);
    const titles = (await readStories(env.STATE)).stories.flatMap((s) => s.sources).filter((s) => s.outlet === 'Hostile').map((s) => s.title);
    expect(titles).toHaveLength(200);
    expect(titles).toContain('t0');
    expect(titles).toContain('t199');
    expect(titles).not.toContain('t200');
    const status = (await readSourceState(env.STATE)).statuses[sourceId(HOSTILE)]!;
    expect(status).toMatchObject({ itemCount: 100_000, lastError: null, notice: 'kept the newest 200 of 100000 items (MAX_ITEMS_PER_FEED)' });

    // The run log line says which bound fired.
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    logRun(report, { trigger: 'cron' });
    const line = JSON.parse(String(log.mock.calls[0]![0])) as { event: string; bounds: Record<string, number> };
    log.mockRestore();
    expect(line).toMatchObject({ event: 'run', bounds: { itemsDropped: 99_800, titlesCut: 0, articlesCarried: 0 } });
  }, 120_000);
});

describe('work per run', () => {
  it('MAX_PARSE_BYTES_PER_RUN: sources past the budget wait for the next runs, and the backlog drains', async () => {
    const small = testEnv({ MAX_PARSE_BYTES_PER_RUN: '1024' });
    const carried: number[] = [];
    let listed = 0;
    for (let run = 0; run < 6 && listed < 13; run++) {
      const report = await runScheduled(small, runDeps({ now: at(run) }));
      expect(report.errors).toEqual([]);
      carried.push(report.bounds.sourcesCarried);
      listed = (await readStories(env.STATE)).stories.flatMap((s) => s.sources).length;
    }
    expect(carried).toEqual([4, 3, 2, 1, 0]); // one document per run: each is larger than the budget
    expect(listed).toBe(13);
  });

  it('MAX_ARTICLES_PER_RUN: articles past the budget are carried over, their sources read again, nothing lost or doubled', async () => {
    const small = testEnv({ MAX_ARTICLES_PER_RUN: '10' });
    const first = await runScheduled(small, runDeps({ now: at(0) }));
    expect(first).toMatchObject({ newArticles: 10, bounds: { articlesCarried: 3 } });
    const second = await runScheduled(small, runDeps({ now: at(1) }));
    expect(second).toMatchObject({ newArticles: 3, bounds: { articlesCarried: 0 } });
    const ids = (await readStories(env.STATE)).stories.flatMap((s) => s.sources.map((src) => src.articleId));
    expect(new Set(ids).size).toBe(13);
    expect(ids).toHaveLength(13);
    const third = await runScheduled(small, runDeps({ now: at(2) }));
    expect(third.sourcesDue).toBe(0); // every source back on its ordinary schedule
  });

  it('MAX_ARTICLES_PER_RUN below ten (a free-plan deployment): a few articles a run until every one is filed once', async () => {
    const tiny = testEnv({ MAX_ARTICLES_PER_RUN: '4' });
    const filed: number[] = [];
    const carried: number[] = [];
    for (let run = 0; run < 4; run++) {
      const report = await runScheduled(tiny, runDeps({ now: at(run) }));
      filed.push(report.newArticles);
      carried.push(report.bounds.articlesCarried);
    }
    expect(filed).toEqual([4, 4, 4, 1]);
    expect(carried).toEqual([9, 5, 1, 0]);
    const ids = (await readStories(env.STATE)).stories.flatMap((s) => s.sources.map((src) => src.articleId));
    expect(ids).toHaveLength(13);
    expect(new Set(ids).size).toBe(13);
  });
});

describe('story and bundle size bounds (pure)', () => {
  const source = (i: number) => ({ articleId: `a${i}`, sourceId: `s${i}`, outlet: `Outlet ${i}`, title: `Headline ${i} `.repeat(20), url: `https://o${i}.example/x`, published: null, seenAt: '2025-07-23T00:00:00.000Z' });
  const story = (id: string, sources: number): StoryRecord => ({
    id, title: 'Lead', summary: 'Summary', firstSeen: '2025-07-23T00:00:00.000Z', updated: '2025-07-23T00:00:00.000Z',
    sources: Array.from({ length: sources }, (_, i) => source(i)),
  });

  it('cuts one oversize story down (first sources kept), leaves the others alone', () => {
    const { story: cut, cut: wasCut, sourcesDropped } = boundStory(story('big', 2000), 16 * 1024);
    expect(wasCut).toBe(true);
    expect(recordBytes(cut)).toBeLessThanOrEqual(16 * 1024);
    expect(cut.sources[0]!.articleId).toBe('a0');
    expect(sourcesDropped).toBe(2000 - cut.sources.length);
    const small = story('small', 3);
    expect(boundStory(small).story).toBe(small);
  });

  it('leaves the oldest stories out when the list would not fit one value, and strips bidi controls', () => {
    const snapshot: StoriesSnapshot = {
      version: 1, generated: '', aliases: { gone: 's9', kept: 's0' },
      stories: Array.from({ length: 10 }, (_, i) => ({ ...story(`s${i}`, 5), title: `Lead\u202e ${i}`, updated: `2025-07-22T0${9 - i}:00:00.000Z` })),
    };
    const sealed = (stories: StoriesSnapshot['stories'], maxBytes?: number) => StoryShelf.fromSnapshot({ ...snapshot, stories }).seal(100, T0, maxBytes);
    // A value budget halfway between what three and four of these stories take.
    const budget = Math.floor((sealed(snapshot.stories.slice(0, 3)).bytes.length + sealed(snapshot.stories.slice(0, 4)).bytes.length) / 2);
    const { bytes, cuts } = sealed(snapshot.stories, budget);
    const bounded = StoryShelf.decode(bytes).toSnapshot();
    expect(bytes.length).toBeLessThanOrEqual(budget);
    expect(bounded.stories.map((s) => s.id)).toEqual(['s0', 's1', 's2']);
    expect(cuts.storiesDropped).toBe(7);
    expect(bounded.aliases).toEqual({ kept: 's0' });
    expect(bounded.stories[0]!.title).toBe('Lead 0');
  });

  it('fits the pre-rendered bundle under its limit by cutting stories, never by failing the publish', async () => {
    const settings = readSettings(testEnv());
    const snapshot: StoriesSnapshot = { version: 1, generated: T0.toISOString(), aliases: {}, stories: Array.from({ length: 20 }, (_, i) => story(`s${i}`, 200)) };
    const full = await fitBundle(snapshot, settings, { maxBytes: Number.POSITIVE_INFINITY });
    expect(full.report.fitSteps).toBe(0);
    const limit = Math.floor(full.report.bundleBytes / 4);
    const fitted = await fitBundle(snapshot, settings, { maxBytes: limit });
    expect(fitted.report.bundleBytes).toBeLessThanOrEqual(limit);
    expect(fitted.report.fitSteps).toBeGreaterThan(0);
    expect(fitted.report.storiesShown).toBe(20);
    expect(fitted.bundle.views.rss.body).toContain('Headline 0');
  });
});
