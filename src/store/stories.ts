// The story records in KV (one value: stories/storedStories.ts). The scheduled run reads them as a
// shelf, parsing only the records it needs; the routes read them whole. Values written by older
// versions (one JSON document) are read by both, and rewritten in the new form by the next run.
import type { StoriesSnapshot } from '../model';
import { StoryShelf } from '../stories/shelf';
import { isStoredStories } from '../stories/storedStories';
import { KV_KEYS } from './keys';

function emptySnapshot(now = new Date(0)): StoriesSnapshot {
  return { version: 1, generated: now.toISOString(), stories: [], aliases: {} };
}

/** The records as the scheduled run files into them. Throws "stories: ..." on a damaged value. */
export async function readStoryShelf(kv: KVNamespace): Promise<StoryShelf> {
  const stored = await kv.get(KV_KEYS.stories, 'arrayBuffer');
  if (stored === null) return StoryShelf.empty();
  const bytes = new Uint8Array(stored);
  if (isStoredStories(bytes)) return StoryShelf.decode(bytes);
  return StoryShelf.fromSnapshot(olderValue(bytes));
}

/** Every record, for the routes. */
export async function readStories(kv: KVNamespace): Promise<StoriesSnapshot> {
  return (await readStoryShelf(kv)).toSnapshot();
}

/** The bytes StoryShelf.seal returned. */
export async function writeStories(kv: KVNamespace, bytes: Uint8Array): Promise<void> {
  await kv.put(KV_KEYS.stories, bytes);
}

/** A value of format 1: the snapshot as one JSON document. */
function olderValue(bytes: Uint8Array): StoriesSnapshot {
  let stored: StoriesSnapshot;
  try {
    stored = JSON.parse(new TextDecoder().decode(bytes)) as StoriesSnapshot;
  } catch (err) {
    throw new Error(`stories: the stored value is neither format 2 nor JSON (${(err as Error).message})`);
  }
  return stored && stored.version === 1 && Array.isArray(stored.stories) ? stored : emptySnapshot();
}
