// The stories the pre-rendered first pages can show, read from a sealed shelf: the newest
// `pageSize` (the feeds' order) and the first `pageSize` by "top" (the front page's), found from
// the stored facts alone. Every other record stays unread; the views count them in their totals.
import type { StoriesSnapshot } from '../model';
import type { StoryFacts } from './facts';
import { decay } from './rank';
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
 * the same scores, worked out the same way, and the same ties.
 */
function topFacts(facts: readonly StoryFacts[], reference: string, count: number): StoryFacts[] {
  const referenceMs = Date.parse(reference);
  const scores = new Float64Array(facts.length);
  facts.forEach((f, i) => (scores[i] = (f.outlets <= 1 ? f.outlets : f.independent) / decay(referenceMs - Date.parse(f.latest))));
  // Only stories scoring at least the count-th best need the full order (ties at that score included).
  const floor = count >= facts.length ? Number.NEGATIVE_INFINITY : Float64Array.from(scores).sort()[facts.length - count]!;
  const contenders: { f: StoryFacts; score: number }[] = [];
  facts.forEach((f, i) => {
    if (scores[i]! >= floor) contenders.push({ f, score: scores[i]! });
  });
  return contenders
    .sort((a, b) => b.score - a.score || compareText(b.f.updated, a.f.updated) || compareText(a.f.id, b.f.id))
    .slice(0, count)
    .map((c) => c.f);
}
