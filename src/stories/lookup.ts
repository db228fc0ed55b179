// Finding a story by id in a snapshot, following the aliases merges leave behind.
import type { StoriesSnapshot, StoryRecord } from '../model';

export type StoryLookup = { record: StoryRecord } | { movedTo: string } | null;

/** The story, or where a merged-away id now lives, or null when neither exists. */
export function lookupStory(snapshot: StoriesSnapshot, id: string): StoryLookup {
  const record = snapshot.stories.find((story) => story.id === id);
  if (record) return { record };
  const survivor = resolveAlias(snapshot, id);
  return survivor === null ? null : { movedTo: survivor };
}

/** The live story an alias points to, following chains of merges; null if none survives. */
export function resolveAlias(snapshot: StoriesSnapshot, id: string): string | null {
  const seen = new Set<string>();
  let current = id;
  while (Object.hasOwn(snapshot.aliases, current) && !seen.has(current)) {
    seen.add(current);
    current = snapshot.aliases[current] as string;
    if (snapshot.stories.some((story) => story.id === current)) return current;
  }
  return null;
}
