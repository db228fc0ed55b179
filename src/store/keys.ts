// Every Workers KV key this Worker uses, in one place, so tests can seed and inspect KV
// and the README's key table has one source of truth. State is grouped into a few keys,
// each written at most once per scheduled run (KV allows one write per second per key and
// 1,000 writes a day on the free plan).
export const KV_KEYS = {
  /** Sources added through the admin API by versions before per-source keys (read, rewritten only to remove one). */
  sources: 'sources',
  /** Per-source polling state (validators, last status, errors, backoff) and the last run's summary (JSON). One write per run. */
  sourceState: 'source-state',
  /** Clustering state: document frequencies, active story centroids, aliases, seen articles. */
  cluster: 'cluster',
  /** Story records for rendering, newest first, plus aliases of merged ids (JSON). */
  stories: 'stories',
  /** Feeds pre-rendered at the end of each run, served with one KV read. */
  rendered: 'rendered',
  /** Editors' corrections (split, merge, lead) applied over `stories` when read (JSON). Written only by the admin API. */
  corrections: 'corrections',
  /** Lease held by the running scheduled run, so overlapping runs do not both write (expires by itself). */
  lease: 'lease',
} as const;

/** Pushed articles wait under `inbox:<received>-<random>` (one batch per push request, with a TTL) until a run files them. */
export const INBOX_PREFIX = 'inbox:';

/** One key per source added or paused through the admin API: `source:<id>`. Written only on admin changes. */
export const SOURCE_PREFIX = 'source:';

export type KvKey = (typeof KV_KEYS)[keyof typeof KV_KEYS];
