// Sources added through the admin API, and which sources (configured or added) are paused.
// One key, written only when an admin changes something. Two admin changes made within the
// same second from different places can overwrite each other (KV is last-writer-wins); the
// API answers with the result, so a client can check (docs/deploy.md, "Consistency").
import type { Source } from '../model';
import { KV_KEYS } from './keys';

export interface AdminSources {
  version: 1;
  added: Source[];
  /** Ids of paused sources, whether configured in SOURCES or added here. */
  paused: string[];
}

export function emptyAdminSources(): AdminSources {
  return { version: 1, added: [], paused: [] };
}

export async function readAdminSources(kv: KVNamespace): Promise<AdminSources> {
  const stored = await kv.get<AdminSources>(KV_KEYS.sources, 'json');
  if (!stored || stored.version !== 1) return emptyAdminSources();
  return { version: 1, added: Array.isArray(stored.added) ? stored.added : [], paused: Array.isArray(stored.paused) ? stored.paused : [] };
}

export async function writeAdminSources(kv: KVNamespace, doc: AdminSources): Promise<void> {
  await kv.put(KV_KEYS.sources, JSON.stringify(doc));
}
