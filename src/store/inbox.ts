// Pushed articles wait in KV until the next scheduled run files them. One key per article,
// named by the article's id: pushing the same article twice writes the same key (or nothing,
// when it is already there), concurrent pushes never overwrite each other, and the run can
// tell from the key names alone which articles the engine has not seen. Keys expire by
// themselves, so nothing is ever deleted.
import type { Article } from '../model';
import { INBOX_PREFIX } from './keys';

/** Long enough to outlive a day of failed runs; the engine's time window is 72 hours. */
export const INBOX_TTL_SECONDS = 3 * 24 * 60 * 60;

/** KV reads up to 100 keys in one bulk get. */
const BULK = 100;
const PARALLEL_WRITES = 20;

interface InboxMeta {
  receivedAt: string;
}

export interface QueuedArticle {
  id: string;
  /** False when the article was already waiting (nothing written). */
  queued: boolean;
}

export async function queueArticles(kv: KVNamespace, articles: Article[]): Promise<QueuedArticle[]> {
  const waiting = await bulkGet(kv, articles.map((a) => a.id));
  const fresh = articles.filter((a) => !waiting.has(a.id));
  // Different keys, so no per-key rate limit: write a batch at a time.
  for (let i = 0; i < fresh.length; i += PARALLEL_WRITES) {
    await Promise.all(fresh.slice(i, i + PARALLEL_WRITES).map((article) => {
      const metadata: InboxMeta = { receivedAt: article.seenAt };
      return kv.put(INBOX_PREFIX + article.id, JSON.stringify(article), { expirationTtl: INBOX_TTL_SECONDS, metadata });
    }));
  }
  return articles.map((a) => ({ id: a.id, queued: !waiting.has(a.id) }));
}

/** Ids of the waiting articles, oldest first. */
export async function listInbox(kv: KVNamespace): Promise<string[]> {
  const entries: { id: string; at: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list<InboxMeta>({ prefix: INBOX_PREFIX, cursor });
    for (const key of page.keys) entries.push({ id: key.name.slice(INBOX_PREFIX.length), at: key.metadata?.receivedAt ?? '' });
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return entries.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id)).map((e) => e.id);
}

/** The waiting articles with these ids (those that expired meanwhile are left out). */
export async function readInbox(kv: KVNamespace, ids: string[]): Promise<Article[]> {
  const found = await bulkGet(kv, ids);
  return ids.flatMap((id) => {
    const article = found.get(id);
    return article ? [article] : [];
  });
}

async function bulkGet(kv: KVNamespace, ids: string[]): Promise<Map<string, Article>> {
  const found = new Map<string, Article>();
  for (let i = 0; i < ids.length; i += BULK) {
    const chunk = ids.slice(i, i + BULK);
    const values = await kv.get<Article>(chunk.map((id) => INBOX_PREFIX + id), 'json');
    for (const [key, value] of values) {
      if (isArticle(value)) found.set(key.slice(INBOX_PREFIX.length), value);
    }
  }
  return found;
}

function isArticle(value: unknown): value is Article {
  const a = value as Article | null;
  return !!a && typeof a.id === 'string' && typeof a.sourceId === 'string' && typeof a.title === 'string' && typeof a.seenAt === 'string';
}
