// With queues: messages a queue gave up on after its retries (the dead-letter queue's consumer
// keeps each here), listed, retried or discarded through the admin API. One key per message,
// `dead:<received, base36>-<message id>`, with its kind and size in the key's metadata so that
// listing reads no value.
import { DEAD_LETTER_PREFIX } from './keys';

/** Kept for 30 days, then gone by themselves (the admin API lists them until then). */
export const DEAD_LETTER_TTL_SECONDS = 30 * 24 * 60 * 60;
const BULK = 100;

/** What the key's metadata holds: all a listing shows, read without the value. */
interface Meta {
  /** The message's id on its queue, how often the dead-letter queue tried it, when it was set aside. */
  messageId: string;
  attempts: number;
  at: string;
  /** "poll" (an order to poll sources), "file" (articles to file) or "unreadable". */
  kind: string;
  /** Why, when known (a message that could not be read). */
  reason: string | null;
  /** Sources (poll) or articles (file) it carries. */
  count: number;
}

export type DeadLetterSummary = Meta & { key: string };
export type DeadLetter = DeadLetterSummary & { body: unknown };

export async function keepDeadLetter(kv: KVNamespace, letter: Meta & { body: unknown }): Promise<string> {
  const { body, ...metadata } = letter;
  const key = `${DEAD_LETTER_PREFIX}${Date.parse(letter.at).toString(36).padStart(9, '0')}-${letter.messageId.replace(/[^\w-]/g, '').slice(0, 64)}`;
  await kv.put(key, JSON.stringify(body), { expirationTtl: DEAD_LETTER_TTL_SECONDS, metadata });
  return key;
}

/** Oldest first, at most `limit`, from the metadata alone. */
export async function listDeadLetters(kv: KVNamespace, limit = 1000): Promise<DeadLetterSummary[]> {
  const found: DeadLetterSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list<Meta>({ prefix: DEAD_LETTER_PREFIX, cursor, limit: Math.min(BULK * 10, limit - found.length) });
    for (const { name, metadata } of page.keys) found.push(summary(name, metadata));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor && found.length < limit);
  return found;
}

export async function readDeadLetter(kv: KVNamespace, key: string): Promise<DeadLetter | null> {
  if (!key.startsWith(DEAD_LETTER_PREFIX)) return null;
  const { value, metadata } = await kv.getWithMetadata<Meta>(key, 'text');
  if (value === null) return null;
  let body: unknown;
  try {
    body = JSON.parse(value);
  } catch {
    body = value;
  }
  return { ...summary(key, metadata), body };
}

export async function dropDeadLetter(kv: KVNamespace, key: string): Promise<void> {
  await kv.delete(key);
}

function summary(key: string, metadata: Meta | null | undefined): DeadLetterSummary {
  return {
    key, messageId: metadata?.messageId ?? '', attempts: metadata?.attempts ?? 0, at: metadata?.at ?? '',
    kind: metadata?.kind ?? 'unknown', reason: metadata?.reason ?? null, count: metadata?.count ?? 0,
  };
}
