// The queue handler: one Worker consumes three queues, told apart by what they carry (poll
// orders, filings) and by the dead-letter queue's name (DEAD_LETTER_QUEUE).
import { readSettings } from '../config';
import { defaultDeps, type RunDeps } from '../scheduled';
import { keepDeadLetters, keepUnreadable } from './deadLetters';
import { fileBatch } from './writer';
import { pollOrdersBatch } from './poller';
import { queuesOf, type Delivery } from './topology';

export { fanOut } from './fanout';
export { queuesOf } from './topology';

export async function consume(queue: string, deliveries: readonly Delivery[], env: Env, deps: Pick<RunDeps, 'fetch' | 'now'> = defaultDeps()): Promise<Record<string, unknown>> {
  const settings = readSettings(env);
  if (queue === settings.deadLetterQueue) return { queue, deadLetters: await keepDeadLetters(env, deliveries, deps.now()) };
  const queues = queuesOf(env);
  const keep = keepUnreadable(env, deps.now);
  // A batch comes from one queue; its first readable message says which.
  const polls = deliveries.some((d) => (d.body as { kind?: unknown } | null)?.kind === 'poll');
  if (polls) {
    if (!queues) throw new Error('queue: poll orders arrived, but POLL_QUEUE and FILE_QUEUE are not bound (wrangler.toml)');
    return { queue, ...(await pollOrdersBatch(env, queues, deliveries, deps, keep)) };
  }
  const { report, ...written } = await fileBatch(env, queues, deliveries, deps.now, keep);
  return { queue, ...written, newArticles: report?.newArticles ?? 0 };
}
