// With queues, the one writer: the file queue's consumer, with max_concurrency = 1, so that one
// batch at a time is filed (the platform's guarantee, where the one-invocation run needs a
// lease). A batch's articles (polled and pushed) go through the same filing as the cron run's
// (scheduled.ts, clusterNewArticles: stories, rendered, engine state, in that order), then each
// poll is recorded on its source, the batch summarised for /health, and source-state written
// last; only then are the messages acknowledged. A writer killed anywhere before that is given
// the same messages again, and files each article once: what the stories list already is only
// brought up to date in the engine (stories/file.ts).
import { readSettings, type Settings } from '../config';
import { summariseRun, type RunReport, type Source, type SourceStatuses } from '../model';
import { noCuts } from '../normalise';
import { runReport } from '../runReport';
import { clusterNewArticles } from '../scheduled';
import { keepKnown, recordPolls } from '../sources/schedule';
import { readFanoutState, type Roster } from '../store/fanoutState';
import { DEFAULT_RETRY, retryingKv } from '../store/retry';
import { readSourceState, writeSourceState } from '../store/sourceState';
import type { SourcePoll } from '../sources/poll';
import { firstArticles, readFiling, sendGroups, type Filing } from './messages';
import { retryDelay, sendAll, type Delivery, type Queues } from './topology';

export interface WriterReport {
  messages: number;
  filed: number;
  /** Messages tried alone after their batch failed, and those of them that failed again. */
  triedAlone: number;
  retried: number;
  unreadable: number;
  report: RunReport | null;
}

export async function fileBatch(env: Env, queues: Queues | null, deliveries: readonly Delivery[], now: () => Date, keepUnreadable: (d: Delivery, reason: string) => Promise<void>): Promise<WriterReport> {
  const settings = readSettings(env);
  const kv = retryingKv(env.STATE, DEFAULT_RETRY);
  const result: WriterReport = { messages: deliveries.length, filed: 0, triedAlone: 0, retried: 0, unreadable: 0, report: null };
  const readable: { delivery: Delivery; filing: Filing }[] = [];
  for (const delivery of deliveries) {
    const filing = readFiling(delivery.body);
    if (typeof filing === 'string') {
      await keepUnreadable(delivery, filing);
      delivery.ack();
      result.unreadable++;
    } else readable.push({ delivery, filing });
  }
  if (readable.length === 0) return result;
  try {
    result.report = await fileMessages(kv, queues, readable.map((r) => r.filing), settings, now());
    for (const { delivery } of readable) delivery.ack();
    result.filed = readable.length;
    return result;
  } catch (err) {
    console.error(JSON.stringify({ event: 'file-batch-failed', messages: readable.length, error: String(err) }));
    if (readable.length === 1) {
      readable[0]!.delivery.retry({ delaySeconds: retryDelay(readable[0]!.delivery.attempts) });
      result.retried = 1;
      return result;
    }
  }
  // One at a time, so that one message that keeps failing holds back no other: it alone is
  // retried, and after max_retries it goes to the dead-letter queue.
  for (const { delivery, filing } of readable) {
    result.triedAlone++;
    try {
      result.report = await fileMessages(kv, queues, [filing], settings, now());
      delivery.ack();
      result.filed++;
    } catch (err) {
      console.error(JSON.stringify({ event: 'file-message-failed', message: delivery.id, attempts: delivery.attempts, error: String(err) }));
      delivery.retry({ delaySeconds: retryDelay(delivery.attempts) });
      result.retried++;
    }
  }
  return result;
}

/**
 * Files the messages' articles, records their polls, writes source-state last (WRITER_WRITES).
 * At most MAX_ARTICLES_PER_RUN articles an invocation (the free plan's CPU): the rest go back on
 * the file queue as new messages, sent before this batch is acknowledged.
 */
async function fileMessages(kv: KVNamespace, queues: Queues | null, messages: Filing[], settings: Settings, now: Date): Promise<RunReport> {
  const started = Date.now();
  const share = firstArticles(messages, settings.maxArticlesPerRun);
  if (share.later.length > 0) {
    if (!queues) throw new Error('queue: FILE_QUEUE is not bound, so the articles past MAX_ARTICLES_PER_RUN cannot wait on it');
    await sendAll(queues.file, sendGroups(share.later));
  }
  const { polled, pushed, polls } = share.now;
  const outcome = await clusterNewArticles(kv, polled, pushed, { ...settings, maxArticlesPerRun: polled.length + pushed.length }, now);
  outcome.filing.articlesCarried += share.carried;
  const [state, { roster }] = await Promise.all([readSourceState(kv), readFanoutState(kv)]);
  const { filing } = outcome;
  if (roster) state.statuses = keepRostered(state.statuses, roster, polls);
  for (const poll of [...polls].sort((a, b) => a.at.localeCompare(b.at))) {
    const recorded = state.statuses[poll.source.id]?.lastFetched;
    // A redelivered message may carry a poll older than one recorded since: that one stands.
    if (recorded && recorded > poll.at) continue;
    recordPolls(state.statuses, [poll], filing, new Date(poll.at), settings.pollIntervalMinutes);
  }
  const sourcePolls: SourcePoll[] = polls.map((p) => ({ source: p.source, result: p.result, articles: [], bytes: p.bytes }));
  const report = runReport(polls.length, sourcePolls, outcome, started, { ...noCuts(), bytesParsed: polls.reduce((n, p) => n + p.bytes, 0), sourcesCarried: 0, backlogDropped: 0 },
    { careful: false, repeat: false, culprit: null, suspects: 0, deadRun: null });
  await writeSourceState(kv, {
    ...state,
    lastRun: summariseRun(report, now, 'queue'),
    quarantine: [...state.quarantine, ...filing.quarantined],
  });
  return report;
}

/**
 * The records of the sources the cron's roster names (paused ones marked), as the one-invocation
 * run keeps them; a source polled in this batch stays whatever the roster says (the cron that
 * sent it may have written the roster after this writer read it).
 */
function keepRostered(statuses: SourceStatuses, roster: Roster, polls: readonly { source: Source }[]): SourceStatuses {
  const paused = new Set(roster.paused);
  const ids = new Set([...roster.known, ...polls.map((p) => p.source.id)]);
  return keepKnown(statuses, [...ids].map((id) => ({ id, paused: paused.has(id) })));
}
