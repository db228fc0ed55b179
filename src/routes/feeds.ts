// Public read routes: the merged feeds, the HTML river, story pages and the JSON API.
// Default views come pre-rendered from one KV read; anything else renders from the snapshot.
import { Hono, type Context } from 'hono';
import { readSettings, type Settings } from '../config';
import { publicCors } from '../http/cors';
import { bodyEtag } from '../http/etag';
import { documentResponse, errorResponse } from '../http/respond';
import { renderStoryJson } from '../render/api';
import { CONTENT_TYPES, RENDERERS } from '../render/formats';
import { prefersJson } from './fallback';
import { renderErrorPage, renderStoryPage, RIVER_SOURCES } from '../render/html';
import { prerenderedView } from '../render/publish';
import { isDefaultQuery, parseViewQuery, QueryError, type ViewQuery } from '../render/query';
import { baseFor, siteInfo } from '../render/site';
import { buildFeedView, buildStoryView, DEFAULT_SORT, storyUrl, type OutputFormat } from '../render/view';
import { readRendered } from '../store/rendered';
import { readCorrectedStory, readPages } from '../store/corrections';

type AppContext = Context<{ Bindings: Env }>;

export const feedRoutes = new Hono<{ Bindings: Env }>();

for (const path of ['/feed.xml', '/atom.xml', '/feed.json', '/api/stories', '/stories/*']) {
  feedRoutes.use(path, publicCors);
}

feedRoutes.get('/feed.xml', (c) => serveListing(c, 'rss'));
feedRoutes.get('/atom.xml', (c) => serveListing(c, 'atom'));
feedRoutes.get('/feed.json', (c) => serveListing(c, 'json'));
feedRoutes.get('/api/stories', (c) => serveListing(c, 'api'));
feedRoutes.get('/', (c) => serveListing(c, 'html'));
feedRoutes.get('/stories/:id', (c) => serveStory(c, c.req.param('id')));

async function serveListing(c: AppContext, format: OutputFormat): Promise<Response> {
  const settings = readSettings(c.env);
  const base = baseFor(settings, c.req.url);
  let query: ViewQuery;
  try {
    query = parseViewQuery(new URL(c.req.url).searchParams, settings.feedPageSize, DEFAULT_SORT[format]);
  } catch (err) {
    if (err instanceof QueryError) return failure(errorFormat(c, format), settings, base, 400, 'Bad request', err.message);
    throw err;
  }

  if (isDefaultQuery(query, settings.feedPageSize, DEFAULT_SORT[format])) {
    const bundle = await readRendered(c.env.STATE);
    const stored = bundle && prerenderedView(bundle, format, settings, new URL(c.req.url).origin);
    if (stored) return documentResponse(c.req.raw, { ...stored, contentType: CONTENT_TYPES[format] });
  }

  // The river (HTML) lists a few sources of each story; the feeds and the API list them all.
  const view = buildFeedView(await readPages(c.env.STATE), query, siteInfo(settings, base), undefined, format === 'html' ? RIVER_SOURCES : Number.POSITIVE_INFINITY);
  if (view.page > view.lastPage) {
    return failure(errorFormat(c, format), settings, base, 404, 'No such page', `filter: page ${view.page} is past the last page (${view.lastPage})`);
  }
  const body = RENDERERS[format](view);
  return documentResponse(c.req.raw, { body, contentType: CONTENT_TYPES[format], etag: await bodyEtag(body), lastModified: view.updated });
}

async function serveStory(c: AppContext, param: string): Promise<Response> {
  const settings = readSettings(c.env);
  const base = baseFor(settings, c.req.url);
  const asJson = param.endsWith('.json');
  const id = asJson ? param.slice(0, -'.json'.length) : param;
  const format: OutputFormat = asJson ? 'api' : 'html';

  const { found, generated } = await readCorrectedStory(c.env.STATE, id);
  if (found === null) return failure(errorFormat(c, format), settings, base, 404, 'Story not found', `story: no story with id "${id}"`);
  if ('movedTo' in found) return c.redirect(`${storyUrl(base, found.movedTo)}${asJson ? '.json' : ''}`, 301);

  const story = buildStoryView(found.record, base, generated);
  const body = asJson ? renderStoryJson(story) : renderStoryPage(story, siteInfo(settings, base));
  const contentType = asJson ? CONTENT_TYPES.api : CONTENT_TYPES.html;
  return documentResponse(c.req.raw, { body, contentType, etag: await bodyEtag(body), lastModified: story.updated });
}

/** An HTML route's errors come as JSON to a client that asks for JSON rather than HTML. */
function errorFormat(c: AppContext, format: OutputFormat): OutputFormat {
  return format === 'html' && prefersJson(c.req.header('accept')) ? 'api' : format;
}

function failure(format: OutputFormat, settings: Settings, base: string, status: 400 | 404, heading: string, message: string): Response {
  if (format !== 'html') return errorResponse(status, message, format === 'json' || format === 'api');
  const page = renderErrorPage(siteInfo(settings, base), heading, message);
  return new Response(page, { status, headers: { 'Content-Type': CONTENT_TYPES.html, 'Cache-Control': 'no-store' } });
}
