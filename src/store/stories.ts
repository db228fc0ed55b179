import type { StoryRecord } from '../model';
import { KV_KEYS } from './keys';

/** The stored story list: what every route renders from. */
export interface StoriesSnapshot {
  version: 1;
  /** When the scheduled run that wrote it finished (ISO 8601). */
  generated: string;
  /** Newest first by `updated`; bounded by MAX_STORIES. */
  stories: StoryRecord[];
  /** Merged-away story id -> the id that absorbed it. */
  aliases: Record<string, string>;
}

export function emptySnapshot(now = new Date(0)): StoriesSnapshot {
  return { version: 1, generated: now.toISOString(), stories: [], aliases: {} };
}

export async function readStories(kv: KVNamespace): Promise<StoriesSnapshot> {
  const stored = await kv.get<StoriesSnapshot>(KV_KEYS.stories, 'json');
  return stored && stored.version === 1 ? stored : emptySnapshot();
}

export async function writeStories(kv: KVNamespace, snapshot: StoriesSnapshot): Promise<void> {
  await kv.put(KV_KEYS.stories, JSON.stringify(snapshot));
}
