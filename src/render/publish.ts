// Pre-renders the default views at the end of each scheduled run (one KV write) and
// hands them back to the routes. Without PUBLIC_URL the bodies are rendered against a
// random placeholder origin that the route swaps for the request's origin: the
// placeholder is minted after the content was fetched, so no feed can contain it.
import type { Settings } from '../config';
import { bodyEtag, variantEtag } from '../http/etag';
import type { StoriesSnapshot } from '../model';
import { writeRendered, type PrerenderedFormat, type RenderedBundle, type RenderedView } from '../store/rendered';
import { RENDERERS } from './formats';
import { defaultQuery } from './query';
import { siteInfo } from './site';
import { buildFeedView, DEFAULT_SORT } from './view';

const PRERENDERED: PrerenderedFormat[] = ['rss', 'atom', 'json', 'html', 'api'];

export async function publishFeeds(kv: KVNamespace, snapshot: StoriesSnapshot, settings: Settings): Promise<void> {
  await writeRendered(kv, await prerender(snapshot, settings));
}

export async function prerender(snapshot: StoriesSnapshot, settings: Settings): Promise<RenderedBundle> {
  const baseFromRequest = settings.publicUrl === null;
  const base = settings.publicUrl ?? `https://base-${crypto.randomUUID()}.storywire.invalid`;
  const site = siteInfo(settings, base);
  const view = buildFeedView(snapshot, defaultQuery(settings.feedPageSize), site);
  // The front page's default order is "top"; the feeds keep newest first.
  const topView = buildFeedView(snapshot, defaultQuery(settings.feedPageSize, 'top'), site);
  const views = {} as Record<PrerenderedFormat, RenderedView>;
  for (const format of PRERENDERED) {
    const formatView = DEFAULT_SORT[format] === 'top' ? topView : view;
    const body = RENDERERS[format](formatView);
    views[format] = { body, etag: await bodyEtag(body), lastModified: formatView.updated };
  }
  return { version: 1, generated: view.generated, settingsKey: settingsKey(settings), base, baseFromRequest, views };
}

/** The stored view ready to serve at `origin`, or null when the bundle no longer fits the settings. */
export function prerenderedView(bundle: RenderedBundle, format: PrerenderedFormat, settings: Settings, origin: string): RenderedView | null {
  if (bundle.settingsKey !== settingsKey(settings)) return null;
  const stored = bundle.views[format];
  if (!stored) return null;
  if (!bundle.baseFromRequest) return stored;
  return {
    body: stored.body.replaceAll(bundle.base, origin),
    etag: variantEtag(stored.etag, origin),
    lastModified: stored.lastModified,
  };
}

function settingsKey(settings: Settings): string {
  const { siteTitle, siteDescription, publicUrl, websubHub, feedPageSize } = settings;
  return JSON.stringify([siteTitle, siteDescription, publicUrl, websubHub, feedPageSize]);
}
