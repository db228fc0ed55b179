// Corrections over a shelf (stories/correctedShelf.ts) read only the records they touch; pages
// and lookups must be exactly those of correcting every record (stories/corrections.ts), for any
// mix of splits, merges and leads, chained through aliases, including ones that no longer apply.
import { describe, expect, it } from 'vitest';
import type { StoriesSnapshot } from '../../src/model';
import { defaultQuery, type ViewQuery } from '../../src/render/query';
import { correctedPages, readPage, snapshotPages } from '../../src/render/select';
import { correctedShelf } from '../../src/stories/correctedShelf';
import { applyCorrections, type Correction } from '../../src/stories/corrections';
import { lookupOnShelf } from '../../src/stories/lookup';
import { storedSnapshot, StoryShelf } from '../../src/stories/shelf';
import { seededRandom } from '../fixtures/random';
import { countingShelf, iso, realisticSnapshot, T0 } from '../fixtures/stories';

/** Corrections an editor might make over these stories: some on stories merged away since, some naming nothing. */
function someCorrections(snapshot: StoriesSnapshot, seed: number, count: number): Correction[] {
  const next = seededRandom(seed);
  const pick = <T,>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const ids = [...snapshot.stories.map((s) => s.id), ...Object.keys(snapshot.aliases), 'no-such-story'];
  const articles = [...snapshot.stories.flatMap((s) => s.sources.map((src) => src.articleId)), 'no-such-article'];
  return Array.from({ length: count }, (_, i): Correction => {
    const base = { id: `c${i}`, at: iso(T0 + (70 + i) * 3_600_000), note: null };
    const kind = next();
    if (kind < 0.4) return { ...base, type: 'split', story: pick(ids), article: pick(articles), into: next() < 0.5 ? null : pick(ids) };
    if (kind < 0.75) return { ...base, type: 'merge', story: pick(ids), absorb: pick(ids) };
    const story = snapshot.stories.find((s) => s.id === pick(ids));
    return { ...base, type: 'lead', story: story?.id ?? pick(ids), article: story && next() < 0.7 ? pick(story.sources).articleId : null, title: next() < 0.3 ? `Editor's headline ${i}` : null };
  });
}

const queries: ViewQuery[] = [];
for (const sort of ['new', 'top'] as const) {
  queries.push(defaultQuery(10, sort), { ...defaultQuery(10, sort), page: 2 }, { ...defaultQuery(8, sort), minSources: 3 }, { ...defaultQuery(20, sort), since: iso(T0 + 50 * 3_600_000) });
}

describe('corrections over a shelf', () => {
  it('give the pages and lookups that correcting every record gives, reading only the records they touch', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const shelf = StoryShelf.fromSnapshot(realisticSnapshot(seed, 80));
      shelf.seal(1000, new Date(T0 + 80 * 3_600_000));
      const sealed = shelf.toSnapshot();
      const corrections = someCorrections(sealed, seed * 7, 1 + (seed % 4) * 3);
      const everything = applyCorrections(sealed, corrections).snapshot;
      const all = snapshotPages(everything);

      const { shelf: stored, parsed } = countingShelf(sealed);
      const few = correctedPages(stored, corrections);
      for (const query of queries) expect(readPage(few, query), `seed ${seed}, ${JSON.stringify(query)}`).toEqual(readPage(all, query));
      expect(parsed.size).toBeLessThan(sealed.stories.length / 2);

      const reader = correctedShelf(StoryShelf.decode(storedSnapshot(sealed)), corrections);
      const ids = new Set([...sealed.stories.map((s) => s.id), ...everything.stories.map((s) => s.id), ...Object.keys(everything.aliases), 'no-such-story']);
      for (const id of ids) {
        const record = everything.stories.find((s) => s.id === id);
        const found = lookupOnShelf(reader, id);
        if (record) expect(found, id).toEqual({ record });
        else if (found !== null) expect(everything.stories.some((s) => s.id === (found as { movedTo: string }).movedTo), id).toBe(true);
      }
    }
  });

  it('a split story\'s new id steers clear of every story on the shelf, not only the ones it read', () => {
    const shelf = StoryShelf.fromSnapshot(realisticSnapshot(9, 20));
    shelf.seal(1000, new Date(T0 + 80 * 3_600_000));
    const sealed = shelf.toSnapshot();
    const holder = sealed.stories.find((s) => s.sources.length >= 2)!;
    const article = holder.sources[1]!.articleId;
    // A story already carrying the id a split of that article would take (as if by chance).
    const squatter = { ...sealed.stories.find((s) => s.id !== holder.id)!, id: applyCorrectionsSplitId(sealed, holder.id, article) };
    const crowded: StoriesSnapshot = { ...sealed, stories: sealed.stories.map((s) => (s.id === sealed.stories.find((x) => x.id !== holder.id)!.id ? squatter : s)) };
    const split: Correction[] = [{ id: 'c1', at: iso(T0 + 90 * 3_600_000), note: null, type: 'split', story: holder.id, article, into: null }];
    const everything = applyCorrections(crowded, split).snapshot;
    const few = correctedPages(StoryShelf.decode(storedSnapshot(crowded)), split);
    for (const query of queries) expect(readPage(few, query)).toEqual(readPage(snapshotPages(everything), query));
  });
});

/** The id a split of `article` out of `story` gets in `snapshot` (the engine's own rule, applied once). */
function applyCorrectionsSplitId(snapshot: StoriesSnapshot, story: string, article: string): string {
  const after = applyCorrections(snapshot, [{ id: 'probe', at: iso(T0 + 90 * 3_600_000), note: null, type: 'split', story, article, into: null }]).snapshot;
  return after.stories.find((s) => s.sources.length === 1 && s.sources[0]!.articleId === article && !snapshot.stories.some((x) => x.id === s.id))!.id;
}
