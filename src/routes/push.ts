// Push ingestion (bearer token): publishers send articles as JSON (POST /api/articles) or a
// whole feed document (POST /api/feeds/ingest). Articles go through the same parse and
// normalise steps (and bounds) as polled ones, wait in the KV inbox (one batch key per request,
// so a request costs one KV write, or none when every article is already waiting) and are filed
// into stories by the next scheduled run. With queues they go to the file queue instead (no KV
// write), and the one writer files them with its next batch.
// The clustering and story keys are never written here. Answer: 202 with the article ids.
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { requireAdmin } from '../auth';
import { readSettings } from '../config';
import type { Article, ParsedFeed, Source } from '../model';
import { MAX_TITLE_CHARS, normaliseItems } from '../normalise';
import { parseFeed } from '../parse';
import { activeSources, normaliseSourceUrl, sourceId } from '../sources/registry';
import { readAdminSources } from '../store/adminSources';
import { filings, sendGroups } from '../queued/messages';
import { queuesOf, sendAll } from '../queued/topology';
import { queueArticles } from '../store/inbox';
import { retryingKv } from '../store/retry';
import { readSourceStatuses } from '../store/sourceState';
import { fail, invalid, limitBody, mediaType, readJson, requireMediaType } from './input';

type AppContext = Context<{ Bindings: Env }>;

/** Articles per request at most (a request is one inbox batch, one KV value). */
export const MAX_PUSH_ARTICLES = 200;

export const pushRoutes = new Hono<{ Bindings: Env }>();
pushRoutes.use('/articles', requireAdmin, limitBody('push'));
pushRoutes.use('/feeds/ingest', requireAdmin, limitBody('ingest'));

const text = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));
/** RFC 3339 with a zone; a date without one is refused with a message that says so (it could be any of 26 hours). */
const date = z.string().check(z.refine((value) => !isZonelessDate(value), {
  message: 'a date needs a time zone: end it with Z or an offset such as +02:00 (e.g. 2025-07-22T09:30:00Z)',
  abort: true,
}), z.iso.datetime({ offset: true }));
const pushedArticle = z.strictObject({
  /** A known source's id, or the URL of the outlet's feed or site (it names the outlet). */
  source: text(1, 2048),
  /** Outlet name shown to readers; defaults to the source's name. */
  outlet: z.optional(text(1, 200)),
  /** The publisher's own id (guid) for the article; defaults to its URL. */
  id: z.optional(text(1, 1024)),
  url: z.optional(z.url({ protocol: /^https?$/ }).check(z.maxLength(2048))),
  title: text(1, MAX_TITLE_CHARS),
  /** Body as HTML (sanitised here) ... */
  content: z.optional(z.string().check(z.maxLength(500_000))),
  /** ... or as plain text. */
  text: z.optional(z.string().check(z.maxLength(500_000))),
  summary: z.optional(z.string().check(z.maxLength(20_000))),
  published: z.optional(date),
  updated: z.optional(date),
  author: z.optional(text(1, 200)),
});
type PushedArticle = z.infer<typeof pushedArticle>;

const pushBody = z.strictObject({ articles: z.array(pushedArticle).check(z.minLength(1)) });

const FEED_TYPES = [
  'application/rss+xml', 'application/atom+xml', 'application/rdf+xml', 'application/feed+json',
  'application/json', 'application/xml', 'text/xml',
] as const;

pushRoutes.post('/articles', async (c) => {
  const body = await readJson(c, 'push', z.unknown());
  // One article, an array of them, or {"articles": [...]}: checked as the last form.
  const wrapped = Array.isArray(body) ? { articles: body } : isObject(body) && 'articles' in body ? body : { articles: [body] };
  const count = Array.isArray(wrapped.articles) ? wrapped.articles.length : 0;
  if (count > MAX_PUSH_ARTICLES) throw fail(413, `push: articles: ${count} articles in one request; at most ${MAX_PUSH_ARTICLES}`);
  const parsed = pushBody.safeParse(wrapped);
  if (!parsed.success) throw invalid('push', parsed.error);

  const known = await knownSources(c);
  const seenAt = new Date().toISOString();
  const groups = new Map<string, { source: Source; items: PushedArticle[] }>();
  parsed.data.articles.forEach((item, i) => {
    const source = resolveSource(item.source, item.outlet ?? null, known, `articles[${i}].source`);
    const key = `${source.id}\n${source.name ?? ''}`;
    const group = groups.get(key) ?? { source, items: [] };
    group.items.push(item);
    groups.set(key, group);
  });
  const articles = [...groups.values()].flatMap(({ source, items }) => normaliseItems(asFeed(source, items), source, seenAt));
  return accepted(c, articles);
});

pushRoutes.post('/feeds/ingest', async (c) => {
  requireMediaType(c, 'ingest', FEED_TYPES);
  const body = new Uint8Array(await c.req.arrayBuffer());
  const reference = c.req.query('source') ?? null;
  const referenceUrl = reference && /^https?:/i.test(reference) ? reference : null;
  const notFeed = notAFeed(body, mediaType(c));
  if (notFeed) throw fail(422, `ingest: ${notFeed}`);
  let feed: ParsedFeed;
  try {
    feed = parseFeed(body, { url: referenceUrl, contentType: c.req.header('content-type') ?? mediaType(c) });
  } catch (err) {
    throw fail(422, (err as Error).message || 'ingest: not a feed');
  }
  if (feed.items.length === 0 && !feed.feed.title && !feed.feed.link && !feed.feed.id) {
    throw fail(422, 'ingest: not a feed: no channel, feed metadata or items found');
  }
  const fallback = feed.feed.id && /^https?:/i.test(feed.feed.id) ? feed.feed.id : feed.feed.link;
  if (!reference && !fallback) {
    throw fail(422, 'ingest: say which source this is: ?source=<source id or feed URL> (the feed names no URL of its own)');
  }
  if (feed.items.length > MAX_PUSH_ARTICLES) {
    throw fail(413, `ingest: the feed has ${feed.items.length} items; at most ${MAX_PUSH_ARTICLES} per request`);
  }
  const known = await knownSources(c);
  const source = resolveSource(reference ?? fallback!, c.req.query('outlet')?.trim() || null, known, 'source');
  return accepted(c, normaliseItems(feed, source, new Date().toISOString()));
});

async function accepted(c: AppContext, articles: Article[]) {
  const queues = queuesOf(c.env);
  if (queues) {
    // With queues the articles go to the one writer's queue; it files each once, by id.
    await sendAll(queues.file, sendGroups(filings([], articles).messages));
    c.header('Cache-Control', 'no-store');
    return c.json({ accepted: articles.length, queued: articles.length, articles: articles.map((a) => ({ id: a.id, source: a.sourceId, status: 'queued' })) }, 202);
  }
  const results = await queueArticles(retryingKv(c.env.STATE), articles);
  const sourceOf = new Map(articles.map((a) => [a.id, a.sourceId]));
  c.header('Cache-Control', 'no-store');
  return c.json({
    accepted: results.length,
    queued: results.filter((r) => r.queued).length,
    articles: results.map((r) => ({ id: r.id, source: sourceOf.get(r.id), status: r.queued ? 'queued' : 'already queued' })),
  }, 202);
}

interface KnownSources {
  sources: Source[];
  feedTitles: Map<string, string>;
}

async function knownSources(c: AppContext): Promise<KnownSources> {
  const settings = readSettings(c.env);
  const [admin, statuses] = await Promise.all([readAdminSources(c.env.STATE), readSourceStatuses(c.env.STATE)]);
  const feedTitles = new Map(Object.entries(statuses).flatMap(([id, s]) => (s.feedTitle ? [[id, s.feedTitle] as const] : [])));
  return { sources: activeSources(settings.sources, admin), feedTitles };
}

/**
 * The source pushed articles belong to: a known source (by id or URL), so articles that are
 * also polled keep one identity; else a new identity from the URL. 422 when it is neither.
 */
function resolveSource(reference: string, outlet: string | null, known: KnownSources, field: string): Source {
  const byId = known.sources.find((s) => s.id === reference);
  let source: Source | undefined = byId;
  if (!source) {
    let url: URL;
    try {
      url = new URL(reference);
    } catch {
      throw fail(422, `push: ${field}: "${reference}" is neither a known source id nor an absolute URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail(422, `push: ${field}: must be an http(s) URL`);
    const id = sourceId(url.href);
    source = known.sources.find((s) => s.id === id) ?? { id, url: normaliseSourceUrl(url.href), name: null };
  }
  return { id: source.id, url: source.url, name: outlet ?? source.name ?? known.feedTitles.get(source.id) ?? null };
}

/** Pushed articles as a JSON Feed document, so they are sanitised and read like any feed's items. */
function asFeed(source: Source, items: PushedArticle[]): ParsedFeed {
  const doc = {
    version: 'https://jsonfeed.org/version/1.1',
    title: source.name ?? undefined,
    items: items.map((a) => ({
      id: a.id ?? a.url,
      url: a.url,
      title: a.title,
      content_html: a.content,
      content_text: a.text,
      summary: a.summary,
      date_published: a.published,
      date_modified: a.updated,
      authors: a.author ? [{ name: a.author }] : undefined,
    })),
  };
  return parseFeed(JSON.stringify(doc), { url: source.url });
}

/**
 * Why a pushed document is not a feed we should take, or null. Polling is lenient (a feed is
 * read as well as it can be); a push is the publisher's own request, so what is plainly not a
 * feed, or was cut off in transit, is refused instead of filed as junk.
 */
function notAFeed(body: Uint8Array, type: string): string | null {
  if (type === 'application/json' || type === 'application/feed+json') {
    let doc: unknown;
    try {
      doc = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return null; // the JSON Feed parser names the syntax error
    }
    const version = isObject(doc) ? doc.version : undefined;
    if (!isObject(doc) || typeof version !== 'string' || !/^https?:\/\/jsonfeed\.org\/version\//.test(version) || !Array.isArray(doc.items)) {
      return 'not a feed: a JSON Feed needs "version" (https://jsonfeed.org/version/1.1) and an "items" array';
    }
    return null;
  }
  if ((body[0] === 0xfe && body[1] === 0xff) || (body[0] === 0xff && body[1] === 0xfe)) return null; // UTF-16: left to the parser
  const text = new TextDecoder('latin1').decode(body);
  const root = /<([A-Za-z_][\w.:-]*)[\s>/]/.exec(text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![^>]*>/g, ''));
  if (!root) return null; // no element at all: the parser says what it is
  const tail = text.replace(/(?:\s|<!--[\s\S]*?-->)+$/, '');
  if (!tail.endsWith(`</${root[1]}>`) && !new RegExp(`<${root[1]}\\b[^>]*/>$`).test(tail)) {
    return `the document ends before its root element <${root[1]}> is closed (truncated?); push the whole document`;
  }
  return null;
}

/** "2025-07-22T09:30:00" (a date and a time but no Z or offset). */
function isZonelessDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value.trim());
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
