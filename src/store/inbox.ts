// Pushed articles wait in KV until a scheduled run files them. One key per push request (a
// batch), so pushing N articles costs one write, not N: `inbox:<received, base36>-<random>`,
// expiring by itself after 3 days, so nothing is ever deleted. An article already waiting in
// any batch is not queued again; the run files articles, not batches (source-state lists the
// batches fully filed and the filed ids of the others), so it never reads a filed batch again.
// Values written by older versions (one article under `inbox:<article id>`) read as batches of one.
import type { Article } from '../model';
import { INBOX_PREFIX } from './keys';

/** Long enough to outlive a day of failed runs; the engine's time window is 72 hours. */
export const INBOX_TTL_SECONDS = 3 * 24 * 60 * 60;

/** KV reads up to 100 keys in one bulk get. */
const BULK = 100;

interface InboxMeta {
  receivedAt: string;
  count?: number;
}

interface StoredBatch {
  version: 1;
  articles: Article[];
}

export interface InboxBatch {
  key: string;
  receivedAt: string;
  articles: Article[];
}

export interface QueuedArticle {
  id: string;
  /** False when the article was already waiting (nothing written for it). */
  queued: boolean;
}

/** Queues the articles not already waiting, all in one new batch: one KV write, or none. */
export async function queueArticles(kv: KVNamespace, articles: Article[], now = new Date()): Promise<QueuedArticle[]> {
  const waiting = new Set((await readBatches(kv, (await listInbox(kv)).map((b) => b.key))).flatMap((b) => b.articles.map((a) => a.id)));
  await writeBatch(kv, articles.filter((a) => !waiting.has(a.id)), now);
  return articles.map((a) => ({ id: a.id, queued: !waiting.has(a.id) }));
}

/** The articles as one new batch (none written when there are none), for a caller that knows what waits already. */
export async function writeBatch(kv: KVNamespace, articles: Article[], now: Date): Promise<void> {
  if (articles.length === 0) return;
  const key = `${INBOX_PREFIX}${now.getTime().toString(36).padStart(9, '0')}-${crypto.randomUUID().slice(0, 8)}`;
  const batch: StoredBatch = { version: 1, articles };
  const metadata: InboxMeta = { receivedAt: now.toISOString(), count: articles.length };
  await kv.put(key, JSON.stringify(batch), { expirationTtl: INBOX_TTL_SECONDS, metadata });
}

/** The waiting batches' keys, oldest first. */
export async function listInbox(kv: KVNamespace): Promise<{ key: string; receivedAt: string }[]> {
  const entries: { key: string; receivedAt: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list<InboxMeta>({ prefix: INBOX_PREFIX, cursor });
    for (const key of page.keys) entries.push({ key: key.name, receivedAt: key.metadata?.receivedAt ?? '' });
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return entries.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.key.localeCompare(b.key));
}

/** The batches under these keys, in the same order (those that expired meanwhile are left out). */
export async function readBatches(kv: KVNamespace, keys: string[]): Promise<InboxBatch[]> {
  const found = new Map<string, InboxBatch>();
  for (let i = 0; i < keys.length; i += BULK) {
    const values = await kv.get<unknown>(keys.slice(i, i + BULK), 'json');
    for (const [key, value] of values) {
      const articles = articlesOf(value);
      if (articles) found.set(key, { key, receivedAt: articles[0]?.seenAt ?? '', articles });
    }
  }
  return keys.flatMap((key) => (found.has(key) ? [found.get(key)!] : []));
}

function articlesOf(value: unknown): Article[] | null {
  if (isArticle(value)) return [value]; // one article per key, as older versions stored them
  const batch = value as StoredBatch | null;
  if (!batch || batch.version !== 1 || !Array.isArray(batch.articles)) return null;
  return batch.articles.filter(isArticle);
}

function isArticle(value: unknown): value is Article {
  const a = value as Article | null;
  return !!a && typeof a === 'object' && typeof a.id === 'string' && typeof a.sourceId === 'string' && typeof a.title === 'string' && typeof a.seenAt === 'string';
}

// --- filing, for the scheduled run: what is still waiting, and what a run settled ---------

/** Articles waiting in the inbox and not yet filed or quarantined, oldest first; and the batches they came from. */
export async function pendingInbox(kv: KVNamespace, state: { inboxFiled: string[]; inboxDone: string[] }) {
  const listed = await listInbox(kv);
  const filed = new Set(state.inboxFiled);
  const done = new Set(state.inboxDone);
  const batches = await readBatches(kv, listed.filter((b) => !filed.has(b.key)).map((b) => b.key));
  const articles = batches.flatMap((b) => b.articles).filter((a) => !done.has(a.id));
  const unique = [...new Map(articles.map((a) => [a.id, a])).values()];
  return { batches: { listed: listed.map((b) => b.key), read: batches }, articles: unique };
}

/** Batches whose every article is done join `inboxFiled` (never read again); the others keep their done ids. */
export function settleInbox(batches: { listed: string[]; read: InboxBatch[] }, filedBefore: string[], done: Set<string>) {
  const stillListed = new Set(batches.listed);
  const inboxFiled = filedBefore.filter((key) => stillListed.has(key));
  const inboxDone = new Set<string>();
  for (const batch of batches.read) {
    if (batch.articles.every((a) => done.has(a.id))) inboxFiled.push(batch.key);
    else for (const a of batch.articles) if (done.has(a.id)) inboxDone.add(a.id);
  }
  return { inboxFiled, inboxDone: [...inboxDone] };
}
