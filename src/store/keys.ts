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
  /** With queues: when the cron last sent each source to be polled, so it is not sent again while in flight (JSON). Written only by the cron. */
  pollsSent: 'polls-sent',
} as const;

/** Pushed articles wait under `inbox:<received>-<random>` (one batch per push request, with a TTL) until a run files them. */
export const INBOX_PREFIX = 'inbox:';

/** With queues: one key per message the queues gave up on (dead-letter queue), `dead:<received, base36>-<message id>`, listed by the admin API. */
export const DEAD_LETTER_PREFIX = 'dead:';

/** One key per source added or paused through the admin API: `source:<id>`. Written only on admin changes. */
export const SOURCE_PREFIX = 'source:';

export type KvKey = (typeof KV_KEYS)[keyof typeof KV_KEYS];

/**
 * Every KV write of one scheduled run, in the order scheduled.ts makes them: the one statement of
 * a run's write budget (the README, docs/deploy.md and test/ops/run.test.ts refer to it). A run with
 * new articles makes all of them; a run with nothing new only those `always` made. Each key is
 * written at most once per run (KV: one write per second per key), and 96 runs a day of at most
 * six writes stay inside the free plan's 1,000 writes a day. The order is what makes a run that
 * dies half-way harmless (README, "Consistency").
 */
export const RUN_WRITES = [
  { op: 'put', key: KV_KEYS.lease, always: true, why: 'the claim, naming the work taken (src/sources/progress.ts)' },
  { op: 'put', key: KV_KEYS.stories, always: false, why: 'the story records, new articles filed' },
  { op: 'put', key: KV_KEYS.rendered, always: false, why: 'the default feeds and front page, pre-rendered' },
  { op: 'put', key: KV_KEYS.cluster, always: false, why: "the clustering engine's state" },
  { op: 'put', key: KV_KEYS.sourceState, always: true, why: 'source records, run summary, inbox filed: last, so an unfinished run is repeated' },
  { op: 'delete', key: KV_KEYS.lease, always: true, why: 'the lease released' },
] as const satisfies readonly { op: 'put' | 'delete'; key: KvKey; always: boolean; why: string }[];

/**
 * The writes of a polling run when SPLIT_RUNS is on (scheduled.ts): what the polls found new goes
 * to the inbox as one batch, for the filing runs that follow (those write RUN_WRITES).
 */
export const POLLING_RUN_WRITES = [
  { op: 'put', key: KV_KEYS.lease, always: true, why: 'the claim, naming the work taken' },
  { op: 'put', key: `${INBOX_PREFIX}<batch>`, always: false, why: 'the new articles the polls found, one batch, filed by the next runs' },
  { op: 'put', key: KV_KEYS.sourceState, always: true, why: 'source records (polled), run summary: last' },
  { op: 'delete', key: KV_KEYS.lease, always: true, why: 'the lease released' },
] as const;

/**
 * With queues (src/queued/): the writes of one cron invocation, and of one batch of the filing
 * consumer (the one writer). The cron writes only its own key; the writer writes what RUN_WRITES
 * does without the lease (one writer at a time is the platform's guarantee: max_concurrency = 1).
 */
export const FANOUT_WRITES = [
  { op: 'put', key: KV_KEYS.pollsSent, always: false, why: 'the sources sent to the poll queue, after sending' },
] as const;

export const WRITER_WRITES = [
  { op: 'put', key: KV_KEYS.stories, always: false, why: 'the story records, new articles filed' },
  { op: 'put', key: KV_KEYS.rendered, always: false, why: 'the default feeds and front page, pre-rendered' },
  { op: 'put', key: KV_KEYS.cluster, always: false, why: "the clustering engine's state" },
  { op: 'put', key: KV_KEYS.sourceState, always: true, why: 'source records, batch summary: last, then the messages are acknowledged' },
] as const;
