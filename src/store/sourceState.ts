import { freshStatus, type SourceStatuses } from '../sources/schedule';
import { KV_KEYS } from './keys';

/** All sources' polling records in one key: one read and one write per run. */
export async function readSourceStatuses(kv: KVNamespace): Promise<SourceStatuses> {
  const stored = await kv.get<SourceStatuses>(KV_KEYS.sourceState, 'json');
  if (!stored || typeof stored !== 'object') return {};
  // Fill fields added since the record was written.
  return Object.fromEntries(Object.entries(stored).map(([id, s]) => [id, { ...freshStatus(), ...s }]));
}

export async function writeSourceStatuses(kv: KVNamespace, statuses: SourceStatuses): Promise<void> {
  await kv.put(KV_KEYS.sourceState, JSON.stringify(statuses));
}
