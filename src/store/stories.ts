import type { StoriesSnapshot } from '../model';
import { KV_KEYS } from './keys';

export function emptySnapshot(now = new Date(0)): StoriesSnapshot {
  return { version: 1, generated: now.toISOString(), stories: [], aliases: {} };
}

export async function readStories(kv: KVNamespace): Promise<StoriesSnapshot> {
  const stored = await kv.get<StoriesSnapshot>(KV_KEYS.stories, 'json');
  return stored && stored.version === 1 ? stored : emptySnapshot();
}

/** `json`: the snapshot already serialised (boundSnapshot hands it back), so it is not serialised twice. */
export async function writeStories(kv: KVNamespace, snapshot: StoriesSnapshot, json: string | null = null): Promise<void> {
  await kv.put(KV_KEYS.stories, json ?? JSON.stringify(snapshot));
}
