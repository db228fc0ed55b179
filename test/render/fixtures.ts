// Story records for render and route tests, including hostile ones.
import { readSettings, type Settings } from '../../src/config';
import type { StoryRecord, StorySource } from '../../src/model';
import type { StoriesSnapshot } from '../../src/model';

export function source(overrides: Partial<StorySource> = {}): StorySource {
  return {
    articleId: 'a1',
    sourceId: 's1',
    outlet: 'Daily Planet',
    title: 'Bridge reopens after repairs',
    url: 'https://planet.example/news/bridge',
    published: '2026-11-20T08:00:00.000Z',
    seenAt: '2026-11-20T08:05:00.000Z',
    ...overrides,
  };
}

export function story(overrides: Partial<StoryRecord> = {}): StoryRecord {
  return {
    id: 'st-1',
    title: 'Bridge reopens after repairs',
    summary: 'The river crossing is open to traffic again.',
    firstSeen: '2026-11-20T08:05:00.000Z',
    updated: '2026-11-20T09:00:00.000Z',
    sources: [
      source(),
      source({ articleId: 'a2', sourceId: 's2', outlet: 'Gotham Gazette', title: 'City bridge open again', url: 'https://gazette.example/b?x=1&y=2', published: '2026-11-20T08:40:00.000Z', seenAt: '2026-11-20T09:00:00.000Z' }),
    ],
    ...overrides,
  };
}

/** Everything a publisher could send to break a document. */
export const HOSTILE_TITLE = 'Tom & Jerry <script>alert(1)</script> ]]> "quoted" \'apos\' \u0000\u0008\u000B\u001F\uFFFE\uD800\uFDD0\uFFFF\uD83F\uDFFE\uDBFF\uDFFF end';

export function hostileStory(): StoryRecord {
  return story({
    id: 'st-hostile/../?x=1&y',
    title: HOSTILE_TITLE,
    summary: 'Summary with <b>tags</b> & ]]> and \u0007 bell \uFDEF\uDBBF\uDFFF',
    firstSeen: '2026-11-21T10:00:00.000Z',
    updated: '2026-11-21T11:00:00.000Z',
    sources: [
      source({ sourceId: 's-evil', outlet: 'Evil <Outlet> & Co\uFFFE', title: HOSTILE_TITLE, summary: 'Noncharacters \uFFFF\uFDD0 dropped', url: 'javascript:alert(1)' }),
      source({ articleId: 'a9', sourceId: 's9', outlet: 'Quote " Outlet', title: '<img src=x onerror=alert(1)>', url: 'https://evil.example/a"b<c>' }),
    ],
  });
}

/** n ordinary stories, newest first by `updated`, with 1..3 sources; twelve stories in a row are led by twelve sources (the fair share of pages, render/fairShare.ts). */
export function manyStories(n: number): StoryRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const minutes = (n - i) * 10;
    const time = new Date(Date.UTC(2026, 10, 1) + minutes * 60_000).toISOString();
    const sources = Array.from({ length: (i % 3) + 1 }, (_, j) =>
      source({ articleId: `a${i}-${j}`, sourceId: `s-river-${(i + j) % 12}`, outlet: `Outlet ${j}`, title: `Story ${i} as told by ${j}`, url: `https://outlet${j}.example/${i}`, published: time, seenAt: time }));
    return story({ id: `river-${i}`, title: `Story number ${i}`, summary: `Summary ${i}`, firstSeen: time, updated: time, sources });
  });
}

export function snapshotOf(stories: StoryRecord[], aliases: Record<string, string> = {}): StoriesSnapshot {
  return { version: 1, generated: '2026-11-22T00:00:00.000Z', stories, aliases };
}

export function testSettings(vars: Record<string, string> = {}): Settings {
  return readSettings({ SITE_TITLE: 'Test Wire', PUBLIC_URL: 'https://wire.example', ...vars });
}
