// With queues: what the cron knows that the writer needs. When the cron last sent each source to
// the poll queue: a source sent and not yet recorded as polled is not sent again until
// IN_FLIGHT_MS have passed, so a slow pipeline does not poll a feed twice, and a lost order (its
// message dead-lettered) is sent again after that. And the roster (which sources exist, which are
// paused), so the one writer keeps the records of those alone, as the one-invocation run does
// (sources/schedule.ts, keepKnown). The cron alone writes it, at most once per invocation.
import { KV_KEYS } from './keys';

export type PollsSent = Record<string, string>;

export interface Roster {
  known: string[];
  paused: string[];
}

export interface FanoutState {
  sent: PollsSent;
  roster: Roster | null;
}

export async function readFanoutState(kv: KVNamespace): Promise<FanoutState> {
  const stored = await kv.get<{ version: 1; sent?: PollsSent; roster?: Roster }>(KV_KEYS.pollsSent, 'json');
  if (!stored || stored.version !== 1) return { sent: {}, roster: null };
  const roster = stored.roster && Array.isArray(stored.roster.known) && Array.isArray(stored.roster.paused) ? stored.roster : null;
  return { sent: typeof stored.sent === 'object' && stored.sent ? stored.sent : {}, roster };
}

export async function writeFanoutState(kv: KVNamespace, state: FanoutState): Promise<void> {
  await kv.put(KV_KEYS.pollsSent, JSON.stringify({ version: 1, ...state }));
}
