// Editors' corrections (stories/corrections.ts): one KV key, written only by the admin API.
// Every reader of story records reads it with them and applies it.
import { emptyCorrections, type CorrectionsDoc } from '../stories/corrections';
import { KV_KEYS } from './keys';
import { readStoryShelf } from './stories';
import { correctedShelf } from '../stories/correctedShelf';
import { lookupOnShelf, type StoryLookup } from '../stories/lookup';
import { correctedPages, type StoryPages } from '../render/select';
import type { StoryShelf } from '../stories/shelf';

export async function readCorrections(kv: KVNamespace): Promise<CorrectionsDoc> {
  const stored = await kv.get<CorrectionsDoc>(KV_KEYS.corrections, 'json');
  return stored && stored.version === 1 && Array.isArray(stored.corrections) ? stored : emptyCorrections();
}

export async function writeCorrections(kv: KVNamespace, doc: CorrectionsDoc): Promise<void> {
  await kv.put(KV_KEYS.corrections, JSON.stringify(doc));
}

/** The pages readers see (render/select.ts, `correctedPages`): the shelf's, read in part, unless corrections are on file. */
export async function readPages(kv: KVNamespace, shelf?: StoryShelf): Promise<StoryPages> {
  const [stories, { corrections }] = await Promise.all([shelf ?? readStoryShelf(kv), readCorrections(kv)]);
  return correctedPages(stories, corrections);
}

/**
 * One story as readers see it (story pages and feeds): only that story's record is read, and
 * those the corrections touch, not every record: a story page costs a few milliseconds, not the
 * parse of the whole value.
 */
export async function readCorrectedStory(kv: KVNamespace, id: string): Promise<{ found: StoryLookup; generated: string }> {
  const [shelf, { corrections }] = await Promise.all([readStoryShelf(kv), readCorrections(kv)]);
  return { found: lookupOnShelf(correctedShelf(shelf, corrections), id), generated: shelf.generated };
}
