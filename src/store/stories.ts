import type { StoriesSnapshot, StoryRecord } from '../model';
import { rememberJson, snapshotJson } from '../stories/bounds';
import { KV_KEYS } from './keys';

export function emptySnapshot(now = new Date(0)): StoriesSnapshot {
  return { version: 1, generated: now.toISOString(), stories: [], aliases: {} };
}

/**
 * The stored story records. The value is one JSON document written one record per line
 * (`snapshotJson`): each record is parsed from its own line and keeps that line as its JSON, so
 * the run's write serialises only the records it changed. A value in one line (as older versions
 * wrote it) is parsed whole. Invalid JSON throws.
 */
export async function readStories(kv: KVNamespace): Promise<StoriesSnapshot> {
  const text = await kv.get(KV_KEYS.stories, 'text');
  if (text === null) return emptySnapshot();
  const stored = parseStories(text);
  return stored && stored.version === 1 ? stored : emptySnapshot();
}

export function parseStories(text: string): StoriesSnapshot | null {
  const lines = text.split('\n');
  if (lines.length < 3 || !lines[0]!.endsWith('"stories":[') || lines.at(-1) !== ']}') return JSON.parse(text) as StoriesSnapshot | null;
  const head = JSON.parse(`${lines[0]}]}`) as StoriesSnapshot;
  const stories: StoryRecord[] = [];
  for (let i = 1; i < lines.length - 1; i++) {
    const line = lines[i]!;
    if (line === '') continue; // no records
    const json = line.endsWith(',') ? line.slice(0, -1) : line;
    const story = JSON.parse(json) as StoryRecord;
    rememberJson(story, json);
    stories.push(story);
  }
  return { ...head, stories };
}

/** `json`: the snapshot already serialised (boundSnapshot hands it back), so it is not serialised twice. */
export async function writeStories(kv: KVNamespace, snapshot: StoriesSnapshot, json: string | null = null): Promise<void> {
  await kv.put(KV_KEYS.stories, json ?? snapshotJson(snapshot));
}
