// One source, one poll: fetch (conditional GET) -> parse -> normalise. Never throws: every
// failure is reported on the source's record, so one bad feed never fails a run.
import { fetchFeed, type FetchPolicy } from '../fetch/fetcher';
import type { Article, Source } from '../model';
import { normaliseItems } from '../normalise';
import { parseFeed } from '../parse';
import type { PollResult, SourceStatus } from './schedule';

export interface SourcePoll {
  source: Source;
  result: PollResult;
  articles: Article[];
}

export async function pollSource(source: Source, status: SourceStatus | undefined, policy: FetchPolicy, now: Date): Promise<SourcePoll> {
  const outcome = await fetchFeed(source.url, { etag: status?.etag ?? null, lastModified: status?.lastModified ?? null }, policy);
  if (outcome.kind === 'failed') {
    return { source, articles: [], result: { status: outcome.status, error: outcome.error, retryAfterSeconds: outcome.retryAfterSeconds } };
  }
  if (outcome.kind === 'not-modified') {
    return { source, articles: [], result: { status: 304, notModified: true } };
  }
  try {
    const feed = parseFeed(outcome.body, { url: outcome.url, contentType: outcome.contentType });
    const articles = normaliseItems(feed, source, now.toISOString());
    return {
      source,
      articles,
      result: {
        status: outcome.status,
        etag: outcome.validators.etag,
        lastModified: outcome.validators.lastModified,
        itemCount: feed.items.length,
        feedTitle: feed.feed.title,
      },
    };
  } catch (err) {
    // Keep no validators: the next poll must download the document again, not get a 304 for it.
    return { source, articles: [], result: { status: outcome.status, error: (err as Error).message || String(err) } };
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
