// Editors' corrections over a shelf, reading only the records they touch: the stories they name
// (followed through aliases) and the stories holding the articles they name. Corrections only
// ever change those, so the rest keep their stored facts and records. What pages and story
// lookups read is the same either way (test/stories/correctedShelf.test.ts checks it against
// correcting every record).
import type { StoriesSnapshot, StoryRecord } from '../model';
import { applyCorrections, type Correction } from './corrections';
import { compareNewestChange, storyFacts, type StoryFacts } from './facts';
import type { StoryShelf } from './shelf';

/** What pages and lookups read stories through: a shelf, or a shelf with corrections over it. */
export interface StoryReader {
  readonly generated: string;
  readonly aliases: Record<string, string>;
  /** Every story's facts, newest change first. */
  facts(): Iterable<StoryFacts>;
  read(id: string): StoryRecord | undefined;
  /** What the record read is known by (StoryShelf.revision); null when it has no stored form (corrected here, or changed). */
  revision(id: string): number | null;
  has(id: string): boolean;
  /** Every record (a text search reads them all). */
  toSnapshot(): StoriesSnapshot;
}

export function correctedShelf(shelf: StoryShelf, corrections: readonly Correction[]): StoryReader {
  if (corrections.length === 0) return shelf;
  const touched = touchedStories(shelf, corrections);
  const subset = shelf.subset(touched);
  const corrected = applyCorrections(subset, corrections, (id) => shelf.has(id)).snapshot;
  if (corrected === subset) return shelf; // none of them changes anything now
  const changed = new Map(corrected.stories.map((s) => [s.id, s]));
  const facts = [...shelf.facts()].filter((f) => !touched.has(f.id));
  for (const story of corrected.stories) facts.push(storyFacts(story));
  // The order correcting every record gives (Working.result): newest change first, all sorted.
  facts.sort(compareNewestChange);
  let everything: StoriesSnapshot | null = null;
  return {
    generated: shelf.generated,
    aliases: corrected.aliases,
    facts: () => facts,
    read: (id) => changed.get(id) ?? (touched.has(id) ? undefined : shelf.read(id)),
    revision: (id) => (touched.has(id) || changed.has(id) ? null : shelf.revision(id)),
    has: (id) => changed.has(id) || (!touched.has(id) && shelf.has(id)),
    toSnapshot: () => (everything ??= applyCorrections(shelf.toSnapshot(), corrections).snapshot),
  };
}

/** The live stories the corrections can change: those they name (through aliases) and those holding the articles they name. */
function touchedStories(shelf: StoryShelf, corrections: readonly Correction[]): Set<string> {
  const touched = new Set<string>();
  const articles = new Set<string>();
  const named = (id: string | null) => {
    // Every live story met along the alias chain: the first is the one a correction resolves to.
    const seen = new Set<string>();
    for (let current = id; current !== null && !seen.has(current); current = shelf.aliases[current] ?? null) {
      seen.add(current);
      if (shelf.has(current)) {
        touched.add(current);
        return;
      }
      if (!Object.hasOwn(shelf.aliases, current)) return;
    }
  };
  for (const c of corrections) {
    named(c.story);
    if (c.type === 'merge') named(c.absorb);
    if (c.type === 'split') named(c.into);
    if (c.type !== 'merge' && c.article !== null) articles.add(c.article);
  }
  for (const id of shelf.holdersOf(articles)) touched.add(id);
  return touched;
}
