// Which stories stay when there are more than MAX_STORIES: the fair share of storage. A source
// that floods (hundreds of new items every poll, or ids that change on every fetch) must lose
// its own oldest stories, not push every other outlet's out. Stories count for the source of
// their lead article (facts.ts, leadSource). Pure and deterministic.

/**
 * At most `limit` of `stories` (given newest first), in their order. Sources are levelled from
 * the top: every source keeps its newest stories up to a common number L, the largest that fits,
 * so only the sources leading more than L stories lose any, each its oldest; the slots left
 * under `limit` go, one each, to those sources whose next story is newest.
 */
export function keepFairly<T extends { lead: string }>(stories: readonly T[], limit: number): T[] {
  if (stories.length <= limit) return [...stories];
  const counts = new Map<string, number>();
  for (const story of stories) counts.set(story.lead, (counts.get(story.lead) ?? 0) + 1);
  const sizes = [...counts.values()];
  const keptAt = (level: number) => sizes.reduce((sum, size) => sum + Math.min(size, level), 0);
  // The largest level that fits: keptAt grows with the level, and keptAt(0) = 0 <= limit.
  let low = 0;
  let high = Math.max(...sizes);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (keptAt(mid) <= limit) low = mid;
    else high = mid - 1;
  }
  let spare = limit - keptAt(low);
  const seen = new Map<string, number>();
  const kept: T[] = [];
  for (const story of stories) {
    const n = seen.get(story.lead) ?? 0;
    seen.set(story.lead, n + 1);
    if (n < low) kept.push(story);
    else if (n === low && spare > 0) {
      kept.push(story);
      spare--;
    }
  }
  return kept;
}
