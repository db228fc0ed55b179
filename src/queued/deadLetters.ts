// With queues, the dead-letter queue's consumer: every message a queue gave up on (after its
// max_retries) is kept in KV for the admin API to list, retry or discard, as the one-invocation
// run keeps pushed articles it could not file in its quarantine. Messages that cannot be read
// are kept the same way at once, by the consumer that met them.
import { keepDeadLetter } from '../store/deadLetters';
import { DEFAULT_RETRY, retryingKv } from '../store/retry';
import { readFiling, readPollOrder } from './messages';
import type { Delivery } from './topology';

export async function keepDeadLetters(env: Env, deliveries: readonly Delivery[], now: Date): Promise<number> {
  for (const delivery of deliveries) await keepOne(env, delivery, null, now);
  return deliveries.length;
}

/** Keeps a message that cannot be read (a consumer acknowledges it after). */
export function keepUnreadable(env: Env, now: () => Date): (delivery: Delivery, reason: string) => Promise<void> {
  return (delivery, reason) => keepOne(env, delivery, reason, now());
}

async function keepOne(env: Env, delivery: Delivery, reason: string | null, now: Date): Promise<void> {
  const kv = retryingKv(env.STATE, DEFAULT_RETRY);
  const { kind, count } = describe(delivery.body);
  await keepDeadLetter(kv, { messageId: delivery.id, attempts: delivery.attempts, at: now.toISOString(), kind: reason ? 'unreadable' : kind, reason, count, body: delivery.body });
  console.error(JSON.stringify({ event: 'dead-letter', message: delivery.id, kind, count, reason }));
}

/** What a message is, and how many sources or articles it carries. */
function describe(body: unknown): { kind: string; count: number } {
  const order = readPollOrder(body);
  if (typeof order !== 'string') return { kind: 'poll', count: order.targets.length };
  const filing = readFiling(body);
  if (typeof filing !== 'string') return { kind: 'file', count: filing.polled.length + filing.pushed.length };
  return { kind: 'unreadable', count: 0 };
}
