// Every source's polling record and the last run's summary, in one key: one read and one
// write per run, and all that /health needs in a single read.
import { freshStatus, type SourceStatuses } from '../model';
import { KV_KEYS } from './keys';

/** What the last scheduled run did, as /health shows it (no URLs, no secrets). */
export interface RunSummary {
  /** When it started (ISO 8601). */
  at: string;
  /** "cron" or "admin". */
  trigger: string;
  /** "ok": every polled source answered; "errors": some failed (see the admin API). */
  outcome: 'ok' | 'errors';
  durationMs: number;
  sourcesDue: number;
  fetched: number;
  notModified: number;
  failed: number;
  newArticles: number;
  pushedArticles: number;
  storiesCreated: number;
  storiesUpdated: number;
  storiesMerged: number;
}

export interface SourceState {
  statuses: SourceStatuses;
  lastRun: RunSummary | null;
  /** Inbox articles already filed (ids still in the inbox only), so a run reads just the new ones. */
  inboxFiled: string[];
}

interface StoredSourceState extends SourceState {
  version: 2;
}

export async function readSourceState(kv: KVNamespace): Promise<SourceState> {
  const stored = await kv.get<Record<string, unknown>>(KV_KEYS.sourceState, 'json');
  if (!stored || typeof stored !== 'object') return { statuses: {}, lastRun: null, inboxFiled: [] };
  if (stored.version !== 2) return { statuses: withDefaults(stored as unknown as SourceStatuses), lastRun: null, inboxFiled: [] }; // version 1: the bare map
  const doc = stored as unknown as Partial<StoredSourceState>;
  return {
    statuses: withDefaults(doc.statuses ?? {}),
    lastRun: doc.lastRun ?? null,
    inboxFiled: Array.isArray(doc.inboxFiled) ? doc.inboxFiled : [],
  };
}

export async function writeSourceState(kv: KVNamespace, state: SourceState): Promise<void> {
  const doc: StoredSourceState = { version: 2, ...state };
  await kv.put(KV_KEYS.sourceState, JSON.stringify(doc));
}

/** Only the statuses, for callers that need nothing else. */
export async function readSourceStatuses(kv: KVNamespace): Promise<SourceStatuses> {
  return (await readSourceState(kv)).statuses;
}

/** Fills fields added since a record was written. */
function withDefaults(statuses: SourceStatuses): SourceStatuses {
  return Object.fromEntries(Object.entries(statuses).map(([id, s]) => [id, { ...freshStatus(), ...s }]));
}
