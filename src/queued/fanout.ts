// With queues, the cron's whole job: name the due sources and send them to the poll queue, a few
// per message. It reads the source records and writes only its own key (polls-sent); the poll
// consumers fetch, and the one writer records every poll.
import { readSettings } from '../config';
import { activeSources } from '../sources/registry';
import { isDue } from '../sources/schedule';
import { readAdminSources } from '../store/adminSources';
import { readFanoutState, writeFanoutState, type PollsSent, type Roster } from '../store/fanoutState';
import { DEFAULT_RETRY, retryingKv } from '../store/retry';
import { readSourceState } from '../store/sourceState';
import type { SourceStatus } from '../model';
import { pollOrders, sendGroups } from './messages';
import { sendAll, type Queues } from './topology';

/** An order not recorded as polled after this long is taken as lost and sent again. */
export const IN_FLIGHT_MS = 60 * 60_000;

export interface FanoutReport {
  trigger: string;
  sources: number;
  due: number;
  /** Due but already sent and not yet recorded as polled. */
  inFlight: number;
  sent: number;
  messages: number;
  durationMs: number;
}

export async function fanOut(env: Env, queues: Queues, options: { now: Date; trigger?: string; everything?: boolean }): Promise<FanoutReport> {
  const started = Date.now();
  const { now } = options;
  const settings = readSettings(env);
  const kv = retryingKv(env.STATE, DEFAULT_RETRY);
  const [state, admin, fanout] = await Promise.all([readSourceState(kv), readAdminSources(kv), readFanoutState(kv)]);
  const { sent } = fanout;
  const all = activeSources(settings.sources, admin);
  const roster: Roster = { known: all.map((s) => s.id), paused: all.filter((s) => s.paused).map((s) => s.id) };
  const sources = all.filter((s) => !s.paused);
  const due = sources.filter((s) => options.everything || isDue(state.statuses[s.id], now));
  const ready = due.filter((s) => options.everything || !inFlight(sent[s.id], state.statuses[s.id], now));
  const orders = pollOrders(ready.map((source) => {
    const status = state.statuses[source.id];
    return { source, etag: status?.etag ?? null, lastModified: status?.lastModified ?? null, recent: status?.recent ?? null };
  }), settings.sourcesPerPollMessage, now);
  await sendAll(queues.poll, sendGroups(orders));
  // After sending: a cron that dies in between sends them again next time, and the writer files each article once.
  if (ready.length > 0 || JSON.stringify(roster) !== JSON.stringify(fanout.roster)) {
    await writeFanoutState(kv, { sent: stillSent(sent, sources.map((s) => s.id), ready.map((s) => s.id), now), roster });
  }
  return { trigger: options.trigger ?? 'cron', sources: sources.length, due: due.length, inFlight: due.length - ready.length, sent: ready.length, messages: orders.length, durationMs: Date.now() - started };
}

function inFlight(sentAt: string | undefined, status: SourceStatus | undefined, now: Date): boolean {
  if (!sentAt) return false;
  const at = Date.parse(sentAt);
  const recorded = status?.lastFetched ? Date.parse(status.lastFetched) : -Infinity;
  return recorded < at && now.getTime() - at < IN_FLIGHT_MS;
}

/** The marks of sources that still exist, with this send's. */
function stillSent(sent: PollsSent, known: string[], now: string[], at: Date): PollsSent {
  const kept: PollsSent = {};
  for (const id of known) if (sent[id]) kept[id] = sent[id]!;
  for (const id of now) kept[id] = at.toISOString();
  return kept;
}
