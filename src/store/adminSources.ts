// Sources added through the admin API, and which sources (configured or added) are paused: one
// KV key per source, `source:<id>`, so edits to different sources never overwrite each other
// (ten sources added at once are ten keys). Two edits of the same source at the same moment
// still race (KV has no compare-and-swap): each write carries a random stamp and is read back,
// and the edit whose stamp is not the one KV now holds is reported as a conflict (409), so a
// change is never lost silently. The single `sources` key of older versions is still read
// (and rewritten only to remove a source it lists).
import type { Source } from '../model';
import { stripBidiOrNull } from '../util/bidi';
import { KV_KEYS, SOURCE_PREFIX } from './keys';

export interface AdminSources {
  version: 1;
  added: Source[];
  /** Ids of paused sources, whether configured in SOURCES or added here. */
  paused: string[];
}

/** What one `source:<id>` key holds. */
export interface SourceEntry {
  version: 1;
  /** The source when it was added through the API; null for a configured one (only paused here). */
  source: Source | null;
  paused: boolean;
  /** Random per write: tells this write from a concurrent one when read back. */
  stamp: string;
  /** When the source was first written here (ISO 8601 + sequence), so sources list in the order they were added. */
  addedAt: string;
}

const BULK = 100;
/** KV keeps at most 1,024 bytes of metadata per key. */
const MAX_METADATA_BYTES = 1024;


export function emptyAdminSources(): AdminSources {
  return { version: 1, added: [], paused: [] };
}

export async function readAdminSources(kv: KVNamespace): Promise<AdminSources> {
  const legacy = await readLegacy(kv);
  const entries = await readEntries(kv);
  const added = new Map(legacy.added.map((s) => [s.id, s]));
  const paused = new Set(legacy.paused);
  const inOrder = [...entries].sort(([, a], [, b]) => (a.addedAt ?? '').localeCompare(b.addedAt ?? ''));
  for (const [id, entry] of inOrder) {
    if (entry.source) added.set(id, entry.source);
    if (entry.paused) paused.add(id);
    else paused.delete(id);
  }
  return { version: 1, added: [...added.values()], paused: [...paused] };
}

/**
 * Changes one source's entry: reads it fresh, applies `change`, writes it and reads it back.
 * False: another write to the same source landed in between (the caller answers 409 and the
 * client retries). Reading fresh just before the write keeps the window for a lost update to
 * the time of one write; KV has no compare-and-swap, so it cannot be closed entirely.
 */
export async function writeSourceEntry(
  kv: KVNamespace, id: string, change: (current: SourceEntry | null) => Pick<SourceEntry, 'source' | 'paused'>, sequence = 0,
): Promise<boolean> {
  const stamp = crypto.randomUUID();
  const existing = await kv.get<SourceEntry>(SOURCE_PREFIX + id, 'json');
  const entry = change(existing && existing.version === 1 ? existing : null);
  const source = entry.source ? { ...entry.source, name: stripBidiOrNull(entry.source.name) } : null;
  // Clocks do not advance within a Worker request, so a sequence keeps an import's order.
  const addedAt = existing?.addedAt ?? `${new Date().toISOString()}#${String(sequence).padStart(6, '0')}`;
  const written: SourceEntry = { version: 1, source, paused: entry.paused, stamp, addedAt };
  const value = JSON.stringify(written);
  // The entry rides in the key's metadata too (when it fits KV's 1,024 bytes), so listing the keys
  // reads every source: a cron over 10,000 sources makes 10 lists, not 10,000 reads.
  await kv.put(SOURCE_PREFIX + id, value, new TextEncoder().encode(value).length <= MAX_METADATA_BYTES ? { metadata: written } : undefined);
  const stored = await kv.get<SourceEntry>(SOURCE_PREFIX + id, 'json');
  return stored?.stamp === stamp;
}

/** Removes a source added here (its key, and its line in the old single key if it has one). */
export async function removeSource(kv: KVNamespace, id: string): Promise<void> {
  await kv.delete(SOURCE_PREFIX + id);
  const legacy = await readLegacy(kv);
  if (legacy.added.some((s) => s.id === id) || legacy.paused.includes(id)) {
    await kv.put(KV_KEYS.sources, JSON.stringify({ version: 1, added: legacy.added.filter((s) => s.id !== id), paused: legacy.paused.filter((p) => p !== id) }));
  }
}

async function readEntries(kv: KVNamespace): Promise<Map<string, SourceEntry>> {
  const keys: string[] = [];
  const entries = new Map<string, SourceEntry>();
  let cursor: string | undefined;
  do {
    const page = await kv.list<SourceEntry>({ prefix: SOURCE_PREFIX, cursor });
    for (const { name, metadata } of page.keys) {
      // Listed with its entry (written since entries ride in the metadata): no read needed.
      if (metadata && metadata.version === 1 && typeof metadata.stamp === 'string') entries.set(name.slice(SOURCE_PREFIX.length), metadata);
      else keys.push(name);
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  for (let i = 0; i < keys.length; i += BULK) {
    const values = await kv.get<SourceEntry>(keys.slice(i, i + BULK), 'json');
    for (const [key, value] of values) {
      if (value && value.version === 1) entries.set(key.slice(SOURCE_PREFIX.length), value);
    }
  }
  return entries;
}

async function readLegacy(kv: KVNamespace): Promise<AdminSources> {
  const stored = await kv.get<AdminSources>(KV_KEYS.sources, 'json');
  if (!stored || stored.version !== 1) return emptyAdminSources();
  return { version: 1, added: Array.isArray(stored.added) ? stored.added : [], paused: Array.isArray(stored.paused) ? stored.paused : [] };
}
