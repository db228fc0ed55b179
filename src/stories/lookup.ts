// Finding a story by id, following the aliases merges leave behind: in a snapshot (every record
// read) or on a shelf (only that story's record read).
import type { StoriesSnapshot, StoryRecord } from '../model';
import type { StoryShelf } from './shelf';

export type StoryLookup = { record: StoryRecord } | { movedTo: string } | null;

/** The story, or where a merged-away id now lives, or null when neither exists. */
export function lookupStory(snapshot: StoriesSnapshot, id: string): StoryLookup {
  const record = snapshot.stories.find((story) => story.id === id);
  if (record) return { record };
  const live = new Set(snapshot.stories.map((story) => story.id));
  const survivor = resolveAlias(snapshot.aliases, id, (story) => live.has(story));
  return survivor === null ? null : { movedTo: survivor };
}

/** lookupStory, reading no record but the one found. */
export function lookupOnShelf(shelf: StoryShelf, id: string): StoryLookup {
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
