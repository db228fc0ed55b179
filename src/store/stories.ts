import type { StoriesSnapshot } from '../model';
import { KV_KEYS } from './keys';

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
