// With SPLIT_RUNS the inbox is the backlog between polling turns and filing turns (scheduled.ts).
// Two rules keep a backlog from starving the polls or growing without end: while articles wait,
// a source still gets polled about once an hour, so no feed goes unread for long (items that
// scroll off a busy feed meanwhile would be lost unseen); and the backlog holds at most about a
// day of filing turns, each source's oldest left out first, every one counted and remembered so
// that it is neither queued nor counted again. Pure functions.
import type { Article, Source, SourceStatuses } from '../model';
import { isDue } from './schedule';

/** While articles wait, a run polls instead of filing once a due source has gone longer than this without a poll. */
export const BACKLOG_POLL_AFTER_MINUTES = 60;
/** The backlog holds what this many filing turns file (MAX_ARTICLES_PER_RUN each): a day of a 10-minute cron. */
export const BACKLOG_RUNS = 144;
/**
 * Ids of articles left out of the backlog remembered at most (newest kept), so that a feed read
 * again neither queues nor counts them again. A drop forgotten is at worst counted twice, never lost
 * without a count; 2,000 ids are about 38 KB of the source records.
 */
export const MAX_REMEMBERED_DROPS = 2_000;

export function backlogLimit(maxArticlesPerRun: number): number {
  return maxArticlesPerRun * BACKLOG_RUNS;
}

/**
 * Whether a run with articles waiting should poll rather than file: an unpaused source is due and
 * was last polled more than BACKLOG_POLL_AFTER_MINUTES ago, or never (a new deployment or a source
 * just added reads its feed before its items scroll off). A polling turn that cannot read every
 * due feed (MAX_PARSE_BYTES_PER_RUN) leaves the rest due and unpolled, so the next run polls too.
 */
export function pollsOverdue(sources: Source[], statuses: SourceStatuses, now: Date): boolean {
  const limit = now.getTime() - BACKLOG_POLL_AFTER_MINUTES * 60_000;
  return sources.some((s) => {
    const status = statuses[s.id];
    if (s.paused || !isDue(status, now)) return false;
    return !status?.lastFetched || Date.parse(status.lastFetched) < limit;
  });
}

export interface BacklogFit {
  /** The fresh articles to queue, in their order. */
  queued: Article[];
  /** Waiting articles left out to make room: done with, never filed. */
  evicted: string[];
  /** Fresh articles left out: never queued. */
  refused: string[];
}

/**
 * What the backlog keeps of the articles waiting and the fresh ones when they are more than
 * `limit`: a fair share. Each source's articles are ranked newest first (publication date, else
 * when first seen), and the backlog keeps every source's newest before any source's second
 * newest, and so on; within one rank the newer first. A source that floods loses its own oldest.
 */
export function fitBacklog(waiting: Article[], fresh: Article[], limit: number): BacklogFit {
  if (waiting.length + fresh.length <= limit) return { queued: fresh, evicted: [], refused: [] };
  const all = [...waiting.map((a) => ({ a, fresh: false })), ...fresh.map((a) => ({ a, fresh: true }))];
  const time = (a: Article) => Date.parse(a.published ?? a.seenAt) || 0;
  const bySource = new Map<string, typeof all>();
  for (const entry of all) {
    const list = bySource.get(entry.a.sourceId);
    if (list) list.push(entry);
    else bySource.set(entry.a.sourceId, [entry]);
  }
  const ranked = [...bySource.values()].flatMap((entries) =>
    entries.sort((x, y) => time(y.a) - time(x.a) || x.a.id.localeCompare(y.a.id)).map((entry, rank) => ({ ...entry, rank })));
  ranked.sort((x, y) => x.rank - y.rank || time(y.a) - time(x.a) || x.a.id.localeCompare(y.a.id));
  const kept = new Set(ranked.slice(0, Math.max(0, limit)).map((entry) => entry.a.id));
  return {
    queued: fresh.filter((a) => kept.has(a.id)),
    evicted: waiting.filter((a) => !kept.has(a.id)).map((a) => a.id),
    refused: fresh.filter((a) => !kept.has(a.id)).map((a) => a.id),
  };
}

/** The remembered drops after this run's: the newest MAX_REMEMBERED_DROPS. */
export function rememberDrops(before: string[], dropped: string[]): string[] {
  return dropped.length === 0 ? before : [...before, ...dropped].slice(-MAX_REMEMBERED_DROPS);
}
