// One source, one poll: fetch (conditional GET) -> parse -> normalise. Never throws: every
// failure is reported on the source's record, so one bad feed never fails a run.
import { fetchFeed, type FetchPolicy } from '../fetch/fetcher';
import type { Article, Source, SourceStatus } from '../model';
import { MAX_ITEMS_PER_FEED, normaliseItems, noCuts, type BoundCounters } from '../normalise';
import { parseFeed } from '../parse';
import { stripBidiOrNull } from '../util/bidi';
import type { PollResult } from './schedule';

export interface SourcePoll {
  source: Source;
  result: PollResult;
  articles: Article[];
  /** Parsed bytes did not fit the run's budget: nothing recorded, the source stays due for the next run. */
  carried?: boolean;
  /** Bytes of the document parsed (0 when none was). */
  bytes: number;
}

/** Bytes a run parses at most; the first document is always parsed, whatever its size (MAX_FEED_BYTES bounds it). */
export interface ParseBudget {
  maxBytes: number;
  spent: number;
}

export interface PollOptions {
  budget?: ParseBudget;
  maxItems?: number;
  counters?: BoundCounters;
}

export async function pollSource(source: Source, status: SourceStatus | undefined, policy: FetchPolicy, now: Date, options: PollOptions = {}): Promise<SourcePoll> {
  const outcome = await fetchFeed(source.url, { etag: status?.etag ?? null, lastModified: status?.lastModified ?? null }, policy);
  if (outcome.kind === 'failed') {
    return { source, articles: [], bytes: 0, result: { status: outcome.status, error: outcome.error, retryAfterSeconds: outcome.retryAfterSeconds } };
  }
  if (outcome.kind === 'not-modified') {
    return { source, articles: [], bytes: 0, result: { status: 304, notModified: true } };
  }
  const bytes = outcome.body.byteLength;
  const { budget } = options;
  if (budget) {
    // Checked and spent synchronously just before parsing, so concurrent polls cannot overspend.
    if (budget.spent > 0 && budget.spent + bytes > budget.maxBytes) return { source, articles: [], bytes: 0, carried: true, result: { status: outcome.status } };
    budget.spent += bytes;
  }
  const counters = options.counters ?? noCuts();
  try {
    const feed = parseFeed(outcome.body, { url: outcome.url, contentType: outcome.contentType });
    const before = counters.itemsDropped;
    const maxItems = options.maxItems ?? MAX_ITEMS_PER_FEED;
    const articles = normaliseItems(feed, source, now.toISOString(), { maxItems, counters });
    const dropped = counters.itemsDropped - before;
    return {
      source,
      articles,
      bytes,
      result: {
        status: outcome.status,
        etag: outcome.validators.etag,
        lastModified: outcome.validators.lastModified,
        itemCount: feed.items.length,
        feedTitle: stripBidiOrNull(feed.feed.title),
        notice: dropped > 0 ? `kept the newest ${maxItems} of ${feed.items.length} items (MAX_ITEMS_PER_FEED)` : null,
      },
    };
  } catch (err) {
    // Keep no validators: the next poll must download the document again, not get a 304 for it.
    return { source, articles: [], bytes, result: { status: outcome.status, error: (err as Error).message || String(err) } };
  }
}

/** Polls sources with at most `concurrency` requests open at once (Workers allow six). */
export async function pollAll(
  sources: Source[], poll: (source: Source) => Promise<SourcePoll>, concurrency = 6,
): Promise<SourcePoll[]> {
  const results: SourcePoll[] = new Array(sources.length);
  let next = 0;
  const worker = async () => {
    while (next < sources.length) {
      const index = next++;
      results[index] = await poll(sources[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, sources.length) }, worker));
  return results;
}
