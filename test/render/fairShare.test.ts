// The fair share of a page (render/fairShare.ts): no source leads more than a quarter of a page
// while another has stories to show; every story on exactly one page, in its own source's order.
import { describe, expect, it } from 'vitest';
import { fairPages, fairShareCap } from '../../src/render/fairShare';
import { defaultQuery } from '../../src/render/query';
import { selectStories, shelfPages } from '../../src/render/select';
import { StoryShelf } from '../../src/stories/shelf';
import type { StoryRecord } from '../../src/model';
import { seededRandom } from '../fixtures/random';

function pagesOf(leads: string[], limit: number): string[][] {
  const { order, starts } = fairPages(leads, limit);
  return starts.slice(1).map((end, p) => Array.from(order.subarray(starts[p]!, end), (i) => `${leads[i]}#${i}`));
}

describe('fairPages', () => {
  it('a quarter of the page, at least one story', () => {
    expect([50, 10, 5, 4, 3, 1].map(fairShareCap)).toEqual([12, 2, 1, 1, 1, 1]);
  });

  it('a flood ahead of one ordinary story: the first page holds a quarter of the flood and the ordinary story, the rest of the flood follows in whole pages', () => {
    const leads = [...Array.from({ length: 120 }, () => 'flood'), 'ordinary'];
    const pages = pagesOf(leads, 50);
    expect(pages[0]).toEqual([...Array.from({ length: 12 }, (_, i) => `flood#${i}`), 'ordinary#120']);
    expect(pages.slice(1).map((p) => p.length)).toEqual([50, 50, 8]);
    expect(pages[1]![0]).toBe('flood#12'); // the held-back stories come first, in their order
  });

  it('one source alone fills whole pages; no stories is one empty page', () => {
    expect(pagesOf(Array.from({ length: 7 }, () => 'only'), 3).map((p) => p.length)).toEqual([3, 3, 1]);
    expect(fairPages([], 10).starts).toEqual([0, 0]);
  });

  it('many sources taking turns: the order given, unchanged', () => {
    const leads = Array.from({ length: 100 }, (_, i) => `s${i % 9}`);
    const { order } = fairPages(leads, 10);
    expect(Array.from(order)).toEqual(leads.map((_, i) => i));
  });

  it('random orders: every story once, each source in its own order, pages within the limit and the share', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const random = seededRandom(seed);
      const sources = 1 + Math.floor(random() * 6);
      const n = Math.floor(random() * 300);
      // Skewed: the first source leads most stories.
      const leads = Array.from({ length: n }, () => `s${Math.floor(sources * random() ** 3)}`);
      const limit = 1 + Math.floor(random() * 60);
      const { order, starts } = fairPages(leads, limit);
      expect([...order].sort((a, b) => a - b), `seed ${seed}`).toEqual(leads.map((_, i) => i));
      const lastSeen = new Map<string, number>();
      for (let p = 0; p + 1 < starts.length; p++) {
        const page = Array.from(order.subarray(starts[p]!, starts[p + 1]!));
        expect(page.length, `seed ${seed} page ${p + 1}`).toBeLessThanOrEqual(limit);
        if (starts[p + 1]! < n) expect(page.length, `seed ${seed}: no empty page before the end`).toBeGreaterThan(0);
        const waiting = new Set(Array.from(order.subarray(starts[p]!), (i) => leads[i]));
        const counts = new Map<string, number>();
        for (const i of page) {
          counts.set(leads[i]!, (counts.get(leads[i]!) ?? 0) + 1);
          expect(i, `seed ${seed}: a source's stories keep their order`).toBeGreaterThan(lastSeen.get(leads[i]!) ?? -1);
          lastSeen.set(leads[i]!, i);
        }
        if (waiting.size > 1) for (const count of counts.values()) expect(count, `seed ${seed} page ${p + 1}`).toBeLessThanOrEqual(fairShareCap(limit));
      }
    }
  });
});

describe('pages of stories (selectStories)', () => {
  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 20) + minutes * 60_000).toISOString();
  const story = (id: string, sourceId: string, minutes: number, published: string | null): StoryRecord => ({
    id, title: `Headline ${id}`, summary: '', firstSeen: published ?? at(minutes), updated: at(minutes),
    sources: [{ articleId: `a-${id}`, sourceId, outlet: sourceId, title: `Headline ${id}`, url: null, published, seenAt: at(minutes) }],
  });

  it('both orders: the ordinary story on the first page beside at most a quarter of the flood; every flood story on a later page', () => {
    // The flood was filed last, undated (stamped with when it was seen); the ordinary story is dated an hour earlier.
    const flood = Array.from({ length: 60 }, (_, i) => story(`f${String(i).padStart(2, '0')}`, 'flood', 100 - i / 100, null));
    const stories = [...flood, story('ordinary', 'ordinary', 100 - 1, at(40))];
    const reference = at(101);
    for (const sort of ['new', 'top'] as const) {
      const query = { ...defaultQuery(20), sort };
      const first = selectStories(stories, query, reference);
      expect(first.stories.map((s) => s.id), sort).toContain('ordinary');
      expect(first.stories.filter((s) => s.sources[0]!.sourceId === 'flood'), sort).toHaveLength(5);
      expect(first.lastPage, sort).toBe(4); // 6 on the first page, then 20, 20 and 15
      const all = Array.from({ length: first.lastPage }, (_, p) => selectStories(stories, { ...query, page: p + 1 }, reference).stories.map((s) => s.id)).flat();
      expect(new Set(all).size, sort).toBe(61);
    }
  });

  it('"top": an undated story counts as a day old when first seen, so it never outranks dated news of the last day for being undated', () => {
    const reference = at(24 * 60);
    const undated = story('undated', 'a', 24 * 60, null);
    const dated = story('dated', 'b', 24 * 60, at(24 * 60 - 300)); // five hours old
    const stale = story('stale', 'c', 24 * 60, at(0)); // a day old: ties with the undated one, and a dated story wins the tie
    const page = selectStories([undated, dated, stale], { ...defaultQuery(10), sort: 'top' }, reference);
    expect(page.stories.map((s) => s.id)).toEqual(['dated', 'stale', 'undated']);
  });

  it('"top": an undated report joining a dated story counts as a day old too, worked out from the records and from the stored facts', () => {
    const reference = at(24 * 60 * 8);
    const week = story('week', 'a', 24 * 60 * 8, at(24 * 60)); // dated a week before the reference
    week.sources.push({ ...week.sources[0]!, articleId: 'a-week-2', sourceId: 'b', outlet: 'b', url: null, published: null, seenAt: reference });
    const recent = story('recent', 'c', 24 * 60 * 8, at(24 * 60 * 8 - 600)); // ten hours old, one outlet
    // Two outlets a day old (2 / 2 = 1) outrank one outlet ten hours old (1 / 1.42); a week old (2 / 8) would not.
    const query = { ...defaultQuery(10), sort: 'top' as const };
    expect(selectStories([recent, week], query, reference).stories.map((s) => s.id)).toEqual(['week', 'recent']);
    const shelf = StoryShelf.fromSnapshot({ version: 1, generated: reference, aliases: {}, stories: [recent, week] });
    expect(shelfPages(StoryShelf.decode(shelf.seal(10, new Date(reference)).bytes)).choose(query).ids).toEqual(['week', 'recent']);
  });
});
