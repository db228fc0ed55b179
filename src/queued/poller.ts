// With queues, a poll consumer: each invocation takes a few poll orders, fetches, parses and
// normalises their sources (sources/poll.ts, as the one-invocation run does), keeps only the
// items the source's last document did not hold, and sends polls and new articles on to the
// file queue. It writes no KV: the one writer records every poll. A hostile feed's blast radius
// is this invocation's CPU, memory and subrequests, never the writer's.
import { readSettings } from '../config';
import { noCuts } from '../normalise';
import { pollAll, pollSource, type ParseBudget } from '../sources/poll';
import { fetchPolicy, type RunDeps } from '../scheduled';
import { freshStatus, type Source } from '../model';
import { filings, newSince, pollOrders, readPollOrder, sendGroups, type PollTarget, type PolledSource } from './messages';
import { retryDelay, sendAll, type Delivery, type Queues } from './topology';

export interface PollBatchReport {
  orders: number;
  polled: number;
  /** Articles sent on as new, and all the documents held. */
  fresh: number;
  articles: number;
  messagesSent: number;
  /** Orders that could not be read: kept as dead letters at once (retrying cannot help). */
  unreadable: number;
  retried: number;
  /** Sources past MAX_PARSE_BYTES_PER_RUN, sent back to the poll queue unread. */
  carried: number;
}

export async function pollOrdersBatch(env: Env, queues: Queues, deliveries: readonly Delivery[], deps: Pick<RunDeps, 'fetch' | 'now'>, keepUnreadable: (d: Delivery, reason: string) => Promise<void>): Promise<PollBatchReport> {
  const settings = readSettings(env);
  const policy = fetchPolicy(settings, deps.fetch);
  const report: PollBatchReport = { orders: deliveries.length, polled: 0, fresh: 0, articles: 0, messagesSent: 0, unreadable: 0, retried: 0, carried: 0 };
  // MAX_PARSE_BYTES_PER_RUN bounds an invocation's parsing (the free plan's CPU); sources past it go back on the poll queue.
  const budget: ParseBudget = { maxBytes: settings.maxParseBytesPerRun, spent: 0 };
  for (const delivery of deliveries) {
    const order = readPollOrder(delivery.body);
    if (typeof order === 'string') {
      await keepUnreadable(delivery, order);
      delivery.ack();
      report.unreadable++;
      continue;
    }
    try {
      const now = deps.now();
      const byId = new Map<string, PollTarget>(order.targets.map((t) => [t.source.id, t]));
      const polls = await pollAll(order.targets.map((t) => t.source), (source: Source) => {
        const target = byId.get(source.id)!;
        return pollSource(source, { ...freshStatus(), etag: target.etag, lastModified: target.lastModified }, policy, now, { budget, maxItems: settings.maxItemsPerFeed, counters: noCuts() });
      });
      const carried = polls.filter((p) => p.carried).map((p) => byId.get(p.source.id)!);
      const found = polls.filter((p) => !p.carried).map(({ source, result, articles, bytes }) => {
        const { fresh, recent } = newSince(articles, byId.get(source.id)!.recent);
        report.fresh += fresh.length;
        report.articles += articles.length;
        // Recorded as of the cron that sent the order, not of this consumer: the next poll is then
        // due at the next cron however long the order waited (else due just after it, and skipped).
        const poll: PolledSource = { source, at: order.sent, result: result.error || result.notModified ? result : { ...result, recent }, bytes };
        return { poll, articles: fresh };
      });
      const { messages } = filings(found);
      await sendAll(queues.file, sendGroups(messages));
      if (carried.length > 0) await sendAll(queues.poll, sendGroups(pollOrders(carried, settings.sourcesPerPollMessage, new Date(order.sent))));
      report.carried += carried.length;
      report.polled += polls.length - carried.length;
      report.messagesSent += messages.length;
      delivery.ack();
    } catch (err) {
      // Only sending can fail here (a poll reports its own failures): the order is tried again.
      console.error(JSON.stringify({ event: 'poll-order-failed', message: delivery.id, attempts: delivery.attempts, error: String(err) }));
      delivery.retry({ delaySeconds: retryDelay(delivery.attempts) });
      report.retried++;
    }
  }
  return report;
}
