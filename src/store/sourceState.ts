// Every source's polling record and the last run's summary, in one key: one read and one
// write per run, and all that /health needs in a single read.
import { freshStatus, type QuarantinedArticle, type RunSummary, type SourceStatuses } from '../model';
import { KV_KEYS } from './keys';

/** Quarantine entries kept, newest last. */
export const MAX_QUARANTINE = 200;

export interface SourceState {
  statuses: SourceStatuses;
  lastRun: RunSummary | null;
  /** The run that wrote this record: a lease left by any other run means that run died. */
  lastRunId: string | null;
  /** Inbox batches whose every article is filed (keys still in the inbox only): never read again. */
  inboxFiled: string[];
  /** Articles filed (or quarantined) from batches not yet wholly filed. */
  inboxDone: string[];
  /** Work units still suspected of killing a run, tried a few at a time (see src/sources/progress.ts). */
  suspects: string[];
  quarantine: QuarantinedArticle[];
  /** Articles left out of a full backlog (SPLIT_RUNS; src/sources/backlog.ts), newest last: counted once, never queued again. */
  backlogDrops: string[];
}

interface StoredSourceState extends SourceState {
  version: 2;
}

export async function readSourceState(kv: KVNamespace): Promise<SourceState> {
  const stored = await kv.get<Record<string, unknown>>(KV_KEYS.sourceState, 'json');
  const empty: SourceState = { statuses: {}, lastRun: null, lastRunId: null, inboxFiled: [], inboxDone: [], suspects: [], quarantine: [], backlogDrops: [] };
  if (!stored || typeof stored !== 'object') return empty;
  if (stored.version !== 2) return { ...empty, statuses: withDefaults(stored as unknown as SourceStatuses) }; // version 1: the bare map
  const doc = stored as unknown as Partial<StoredSourceState>;
  const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);
  return {
    statuses: withDefaults(doc.statuses ?? {}),
    lastRun: doc.lastRun ?? null,
    lastRunId: typeof doc.lastRunId === 'string' ? doc.lastRunId : null,
    inboxFiled: list(doc.inboxFiled),
    inboxDone: list(doc.inboxDone),
    suspects: list(doc.suspects),
    quarantine: list(doc.quarantine),
    backlogDrops: list(doc.backlogDrops),
  };
}

export async function writeSourceState(kv: KVNamespace, state: SourceState): Promise<void> {
  const doc: StoredSourceState = { version: 2, ...state, quarantine: state.quarantine.slice(-MAX_QUARANTINE) };
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
