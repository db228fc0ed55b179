// Finding a story by id, following the aliases merges leave behind, on a shelf (corrected or not):
// only that story's record is read.
import type { StoryRecord } from '../model';
import type { StoryReader } from './correctedShelf';

export type StoryLookup = { record: StoryRecord } | { movedTo: string } | null;

/** The story, or where a merged-away id now lives, or null when neither exists: no record is read but the one found. */
export function lookupOnShelf(shelf: StoryReader, id: string): StoryLookup {
  const record = shelf.read(id);
  if (record) return { record };
  const survivor = resolveAlias(shelf.aliases, id, (story) => shelf.has(story));
  return survivor === null ? null : { movedTo: survivor };
}

/** The live story an alias points to, following chains of merges; null if none survives. */
function resolveAlias(aliases: Record<string, string>, id: string, isLive: (id: string) => boolean): string | null {
  const seen = new Set<string>();
  let current = id;
  while (Object.hasOwn(aliases, current) && !seen.has(current)) {
    seen.add(current);
    current = aliases[current] as string;
    if (isLive(current)) return current;
  }
  return null;
}
