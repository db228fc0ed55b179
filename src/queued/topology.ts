// Whether this deployment runs on queues, and the two producers when it does. Declaring the
// queues in wrangler.toml (POLL_QUEUE, FILE_QUEUE) is what turns the fan-out on; without them the
// cron does the whole run in one invocation (scheduled.ts), through the same stages.
import type { Filing, PollOrder } from './messages';

/** What the wiring needs of a queue producer (Cloudflare's Queue, or a bench's stand-in). */
export interface Producer<T> {
  sendBatch(messages: Iterable<MessageSendRequest<T>>): Promise<unknown>;
}

export interface Queues {
  poll: Producer<PollOrder>;
  file: Producer<Filing>;
}

export function queuesOf(env: object): Queues | null {
  const { POLL_QUEUE, FILE_QUEUE } = env as { POLL_QUEUE?: Producer<PollOrder>; FILE_QUEUE?: Producer<Filing> };
  return POLL_QUEUE && FILE_QUEUE ? { poll: POLL_QUEUE, file: FILE_QUEUE } : null;
}

/** One message as a queue consumer sees it (Cloudflare's Message, or a bench's stand-in). */
export interface Delivery {
  readonly id: string;
  readonly attempts: number;
  readonly body: unknown;
  ack(): void;
  retry(options?: QueueRetryOptions): void;
}

/** Sends messages in groups a sendBatch accepts; the JSON is what the consumer receives. */
export async function sendAll<T>(producer: Producer<T>, groups: T[][]): Promise<void> {
  for (const group of groups) await producer.sendBatch(group.map((body) => ({ body, contentType: 'json' as const })));
}

/** Seconds a failed message waits before its next try: 10 s, 40 s, 90 s … at most 10 minutes. */
export function retryDelay(attempts: number): number {
  return Math.min(10 * attempts * attempts, 600);
}
