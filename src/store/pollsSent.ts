// With queues: when the cron last sent each source to the poll queue. The cron alone writes it
// (once per invocation); a source sent and not yet recorded as polled is not sent again until
// IN_FLIGHT_MS have passed, so a slow pipeline does not poll a feed twice, and a lost order (its
// message dead-lettered) is sent again after that.
import { KV_KEYS } from './keys';

export type PollsSent = Record<string, string>;

export async function readPollsSent(kv: KVNamespace): Promise<PollsSent> {
  const stored = await kv.get<{ version: 1; sent: PollsSent }>(KV_KEYS.pollsSent, 'json');
  return stored && stored.version === 1 && typeof stored.sent === 'object' && stored.sent ? stored.sent : {};
}

export async function writePollsSent(kv: KVNamespace, sent: PollsSent): Promise<void> {
  await kv.put(KV_KEYS.pollsSent, JSON.stringify({ version: 1, sent }));
}
