// The stories the pre-rendered first pages can show, read from a sealed shelf: the newest
// `pageSize` (the feeds' order) and the first `pageSize` by "top" (the front page's), found from
// the stored facts alone. Every other record stays unread; the views count them in their totals.
import type { StoriesSnapshot } from '../model';
import type { StoryFacts } from './facts';
import { topScore } from './rank';
import { compareText } from '../util/compare';
import type { StoryShelf } from './shelf';

export interface FrontPageStories {
  snapshot: StoriesSnapshot;
  /** Stories with a source left out of `snapshot` (each would be past the first page of both orders). */
  omitted: number;
}

/** `shelf` must be sealed (StoryShelf.seal): then its order is newest change first and its facts are true. */
export function frontPageStories(shelf: StoryShelf, pageSize: number): FrontPageStories {
  const listed = [...shelf.facts()].filter((f) => f.sources >= 1);
  const shown = new Set(listed.slice(0, pageSize).map((f) => f.id));
  for (const f of topFacts(listed, shelf.generated, pageSize)) shown.add(f.id);
  const snapshot = shelf.subset(shown);
  return { snapshot, omitted: listed.length - snapshot.stories.length };
}

/**
 * The first `count` of rankTop's order, from the stories' stored facts alone (no record read):
 * the same scores, the same ties. What the pre-render needs to know which records to read.
 */
function topFacts(facts: readonly StoryFacts[], reference: string, count: number): StoryFacts[] {
  return facts
    .map((f) => ({ f, score: topScore(f.outlets <= 1 ? f.outlets : f.independent, f.latest, reference) }))
    .sort((a, b) => b.score - a.score || compareText(b.f.updated, a.f.updated) || compareText(a.f.id, b.f.id))
    .slice(0, count)
    .map((s) => s.f);
}
