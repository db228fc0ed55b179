// Push ingestion (bearer token): publishers send articles as JSON (POST /api/articles) or a
// whole feed document (POST /api/feeds/ingest). Articles go through the same parse and
// normalise steps as polled ones, wait in the KV inbox (one key per article, so sending the
// same article twice stores it once) and are filed into stories by the next scheduled run.
// The clustering and story keys are never written here. Answer: 202 with the article ids.
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { requireAdmin } from '../auth';
import { readSettings } from '../config';
import type { Article, ParsedFeed, Source } from '../model';
import { normaliseItems } from '../normalise';
import { parseFeed } from '../parse';
import { activeSources, normaliseSourceUrl, sourceId } from '../sources/registry';
import { readAdminSources } from '../store/adminSources';
import { queueArticles } from '../store/inbox';
import { readSourceStatuses } from '../store/sourceState';
import { fail, invalid, limitBody, mediaType, readJson, requireMediaType } from './input';

type AppContext = Context<{ Bindings: Env }>;

/** Articles per request at most (each new one costs one KV write). */
export const MAX_PUSH_ARTICLES = 200;

export const pushRoutes = new Hono<{ Bindings: Env }>();
pushRoutes.use('/articles', requireAdmin, limitBody('push'));
pushRoutes.use('/feeds/ingest', requireAdmin, limitBody('ingest'));

const text = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));
const date = z.iso.datetime({ offset: true });
const pushedArticle = z.strictObject({
  /** A known source's id, or the URL of the outlet's feed or site (it names the outlet). */
  source: text(1, 2048),
  /** Outlet name shown to readers; defaults to the source's name. */
  outlet: z.optional(text(1, 200)),
  /** The publisher's own id (guid) for the article; defaults to its URL. */
  id: z.optional(text(1, 1024)),
  url: z.optional(z.url({ protocol: /^https?$/ }).check(z.maxLength(2048))),
  title: text(1, 1000),
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

const pushBody = z.strictObject({ articles: z.array(pushedArticle).check(z.minLength(1), z.maxLength(MAX_PUSH_ARTICLES)) });

const FEED_TYPES = [
  'application/rss+xml', 'application/atom+xml', 'application/rdf+xml', 'application/feed+json',
  'application/json', 'application/xml', 'text/xml',
] as const;

pushRoutes.post('/articles', async (c) => {
  const body = await readJson(c, 'push', z.unknown());
  // One article, an array of them, or {"articles": [...]}: checked as the last form.
  const wrapped = Array.isArray(body) ? { articles: body } : isObject(body) && 'articles' in body ? body : { articles: [body] };
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
  let feed: ParsedFeed;
  try {
    feed = parseFeed(body, { url: referenceUrl, contentType: c.req.header('content-type') ?? mediaType(c) });
  } catch (err) {
    throw fail(422, (err as Error).message || 'ingest: not a feed');
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
  const results = await queueArticles(c.env.STATE, articles);
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

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
