// Follow a story: /stories/:id/feed.xml (Atom) and /stories/:id/feed.json (JSON Feed 1.1).
// A merged-away id redirects to the survivor's feed, as its page does. CORS comes from the
// `/stories/*` rule of routes/feeds, which is mounted first.
import { Hono, type Context } from 'hono';
import { readSettings } from '../config';
import { bodyEtag } from '../http/etag';
import { documentResponse, errorResponse } from '../http/respond';
import { CONTENT_TYPES } from '../render/formats';
import { baseFor, siteInfo } from '../render/site';
import { renderStoryAtom, renderStoryJsonFeed } from '../render/storyFeed';
import { buildStoryView, storyUrl } from '../render/view';
import { readCorrectedStory } from '../store/corrections';

type AppContext = Context<{ Bindings: Env }>;
type StoryFeedFormat = 'atom' | 'json';

const PATHS: Record<StoryFeedFormat, string> = { atom: 'feed.xml', json: 'feed.json' };

export const storyFeedRoutes = new Hono<{ Bindings: Env }>();

storyFeedRoutes.get('/stories/:id/feed.xml', (c) => serveStoryFeed(c, 'atom'));
storyFeedRoutes.get('/stories/:id/feed.json', (c) => serveStoryFeed(c, 'json'));

async function serveStoryFeed(c: AppContext, format: StoryFeedFormat): Promise<Response> {
  const settings = readSettings(c.env);
  const base = baseFor(settings, c.req.url);
  const id = c.req.param('id') ?? '';
  const { found, generated } = await readCorrectedStory(c.env.STATE, id);
  if (found === null) return errorResponse(404, `story: no story with id "${id}"`, format === 'json');
  if ('movedTo' in found) return c.redirect(`${storyUrl(base, found.movedTo)}/${PATHS[format]}`, 301);

  const story = buildStoryView(found.record, base, generated);
  const site = siteInfo(settings, base);
  const body = format === 'atom' ? renderStoryAtom(story, site) : renderStoryJsonFeed(story, site);
  return documentResponse(c.req.raw, { body, contentType: CONTENT_TYPES[format], etag: await bodyEtag(body), lastModified: story.updated });
}
