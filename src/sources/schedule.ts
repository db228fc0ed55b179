// When each source is polled next, and what one poll did to its record. Pure functions:
// the scheduled run reads all records from KV once and writes them back once.

import { freshStatus, type Source, type SourceStatus, type SourceStatuses } from '../model';

export const MAX_BACKOFF_MINUTES = 24 * 60;

/**
 * The sources to poll this run: those due, most overdue first (never-polled first of all),
 * at most `limit` of them so a run stays inside the Workers subrequest limit; the rest
 * rotate into later runs.
 */
export function pickDue<T extends { id: string; paused?: boolean }>(
  sources: T[], statuses: SourceStatuses, now: Date, limit: number,
): T[] {
  const due = sources.filter((s) => !s.paused && isDue(statuses[s.id], now));
  const dueAt = (s: T) => {
    const next = statuses[s.id]?.nextDue;
    return next ? Date.parse(next) : -Infinity;
  };
  return due
    .map((source, index) => ({ source, index, at: dueAt(source) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .slice(0, limit)
    .map((entry) => entry.source);
}

export function isDue(status: SourceStatus | undefined, now: Date): boolean {
  return !status?.nextDue || Date.parse(status.nextDue) <= now.getTime();
}

export interface PollResult {
  status: number | null;
  notModified?: boolean;
  error?: string | null;
  retryAfterSeconds?: number | null;
  etag?: string | null;
  lastModified?: string | null;
  itemCount?: number;
  newItems?: number;
  feedTitle?: string | null;
  notice?: string | null;
  /** What to remember of the document's item ids (queued/messages.ts, newSince); absent: keep what was. */
  recent?: string | null;
  /**
   * Some of the document's articles did not fit this run: keep no validators and be due at
   * once, so the next run reads the document again and files the rest.
   */
  carryOver?: boolean;
}

/**
 * The record after one poll. Success (200 or 304) schedules the next poll one interval on;
 * failure backs off exponentially (interval x 2^failures, at most a day), or as long as the
 * server's Retry-After asks when that is longer.
 */
export function afterPoll(previous: SourceStatus | undefined, result: PollResult, now: Date, intervalMinutes: number): SourceStatus {
  const base = previous ?? freshStatus();
  const at = now.toISOString();
  if (result.error) {
    const failures = base.failures + 1;
    const backoffMinutes = Math.min(intervalMinutes * 2 ** (failures - 1), MAX_BACKOFF_MINUTES);
    const waitMs = Math.max(backoffMinutes * 60_000, (result.retryAfterSeconds ?? 0) * 1000);
    return {
      ...base,
      lastFetched: at,
      lastStatus: result.status,
      lastError: result.error,
      failures,
      nextDue: new Date(now.getTime() + waitMs).toISOString(),
    };
  }
  if (result.carryOver) {
    return {
      ...base, etag: null, lastModified: null, lastFetched: at, lastSuccess: at, lastStatus: result.status, lastError: null, failures: 0,
      itemCount: result.itemCount ?? 0, newItems: result.newItems ?? 0, feedTitle: result.feedTitle ?? base.feedTitle,
      notice: result.notice ?? null, nextDue: at,
    };
  }
  return {
    ...base,
    notice: result.notModified ? base.notice : result.notice ?? null,
    etag: result.notModified ? base.etag : result.etag ?? null,
    lastModified: result.notModified ? base.lastModified : result.lastModified ?? null,
    lastFetched: at,
    lastSuccess: at,
    lastStatus: result.status,
    lastError: null,
    failures: 0,
    itemCount: result.notModified ? base.itemCount : result.itemCount ?? 0,
    newItems: result.newItems ?? 0,
    feedTitle: result.feedTitle ?? base.feedTitle,
    ...(result.recent && !result.notModified ? { recent: result.recent } : {}),
    nextDue: new Date(now.getTime() + intervalMinutes * 60_000).toISOString(),
  };
}

/** What filing a run's articles did to each source (stories/file.ts's Filing). */
export interface FilingBySource {
  /** Sources one of whose articles the engine refused, and why. */
  failedSources: Map<string, string>;
  /** Sources with new articles left for the next runs. */
  carriedSources: Set<string>;
  newBySource: Map<string, number>;
}

/** Each polled source's record after its poll (schedule, validators, errors, backoff, carry-over). */
export function recordPolls(statuses: SourceStatuses, polls: { source: Source; result: PollResult }[], filing: FilingBySource, now: Date, intervalMinutes: number): SourceStatuses {
  for (const { source, result } of polls) {
    const failed = filing.failedSources.get(source.id);
    const carryOver = filing.carriedSources.has(source.id);
    const notice = carryOver ? [result.notice, 'more new articles than fit one run (MAX_ARTICLES_PER_RUN): the rest follow in the next runs'].filter(Boolean).join('; ') : result.notice;
    const outcome = failed ? { status: result.status, error: failed } : { ...result, carryOver, notice, newItems: filing.newBySource.get(source.id) ?? 0 };
    statuses[source.id] = afterPoll(statuses[source.id], outcome, now, intervalMinutes);
  }
  return statuses;
}

/** Records of removed sources go; paused ones keep theirs, marked paused (/health counts them apart from failing ones). */
export function keepKnown(statuses: SourceStatuses, sources: readonly Pick<Source, 'id' | 'paused'>[]): SourceStatuses {
  return Object.fromEntries(sources.flatMap((s) => {
    const status = statuses[s.id];
    if (!status) return [];
    const { paused: _, ...rest } = status;
    return [[s.id, s.paused ? { ...rest, paused: true } : rest]];
  }));
}
