// Pre-renders the default views at the end of each scheduled run, as one value that the caller
// stores (store/rendered.ts), and hands them back to the routes. Without PUBLIC_URL the bodies are rendered against a
// random placeholder origin that the route swaps for the request's origin: the
// placeholder is minted after the content was fetched, so no feed can contain it.
import type { Settings } from '../config';
import { bodyEtag, variantEtag } from '../http/etag';
import type { PrerenderedFormat, RenderedBundle, RenderedView, StoriesSnapshot, StoryRecord } from '../model';
import { boundStory, KV_VALUE_BUDGET_BYTES, MAX_STORY_RECORD_BYTES, utf8Bytes } from '../stories/bounds';
import { RENDERERS } from './formats';
import { RIVER_SOURCES } from './html';
import { defaultQuery } from './query';
import { siteInfo } from './site';
import { snapshotPages, type StoryPages } from './select';
import { buildFeedView, DEFAULT_SORT, type StoryView } from './view';

const PRERENDERED: PrerenderedFormat[] = ['rss', 'atom', 'json', 'html', 'api'];
/** Whether the HTML river is the only pre-rendered view in the "top" order (then its stories need list only RIVER_SOURCES sources). */
const TOP_ONLY_ON_THE_RIVER = PRERENDERED.every((format) => DEFAULT_SORT[format] !== 'top' || format === 'html');

/** The pre-rendered bundle is one KV value: it must stay under KV's 25 MiB. */
export const MAX_BUNDLE_BYTES = KV_VALUE_BUDGET_BYTES;
/** Per-story budgets tried, largest first, when the bundle would not fit. */
const STORY_BUDGETS = [MAX_STORY_RECORD_BYTES, 16 * 1024, 4 * 1024, 1024];

/** What the publish did, for the run log: the bundle's size and which bound (if any) fired. */
export interface PublishReport {
  bundleBytes: number;
  /** Per-story byte budget the bundle was rendered with. */
  storyBudgetBytes: number;
  /** Stories on the pre-rendered first page (FEED_PAGE_SIZE unless it had to shrink). */
  storiesShown: number;
  /** Re-renders needed to fit (0: it fitted at once). */
  fitSteps: number;
}

/** The bundle, serialised as stored (one KV value), and what fitting it took. */
export interface PublishedBundle {
  bundle: RenderedBundle;
  json: string;
  report: PublishReport;
}

/**
 * The bundle within `maxBytes`: first as it is; then with the stories shown cut down to smaller
 * budgets (long stories shortened, their latest sources left out); then with fewer stories on
 * the pre-rendered page. The pages are chosen before any cut; the stories stored in KV are not
 * changed by this.
 */
export async function fitBundle(source: StoriesSnapshot | StoryPages, settings: Settings, maxBytes = MAX_BUNDLE_BYTES): Promise<PublishedBundle> {
  const pages = 'stories' in source ? snapshotPages(source) : source;
  const attempts: { budget: number; limit: number }[] = STORY_BUDGETS.map((budget) => ({ budget, limit: settings.feedPageSize }));
  for (let limit = Math.floor(settings.feedPageSize / 2); limit >= 1; limit = Math.floor(limit / 2)) attempts.push({ budget: STORY_BUDGETS.at(-1)!, limit });
  let last: PublishedBundle | null = null;
  for (const [step, { budget, limit }] of attempts.entries()) {
    const { bundle, shown } = await render(boundedPages(pages, budget), settings, limit);
    const json = JSON.stringify(bundle);
    const bytes = utf8Bytes(json);
    last = { bundle, json, report: { bundleBytes: bytes, storyBudgetBytes: budget, storiesShown: shown, fitSteps: step } };
    if (bytes <= maxBytes) return last;
  }
  throw new Error(`publish: the pre-rendered feeds take ${last!.report.bundleBytes} bytes even with one story; at most ${maxBytes}`);
}

/** The same pages with every story shown within `budget` bytes of JSON (boundStory). */
function boundedPages(pages: StoryPages, budget: number): StoryPages {
  return { generated: pages.generated, page: (query) => {
    const page = pages.page(query);
    return { ...page, stories: page.stories.map((story) => boundStory(story, budget).story) };
  } };
}

export async function prerender(source: StoriesSnapshot | StoryPages, settings: Settings, limit = settings.feedPageSize): Promise<RenderedBundle> {
  return (await render(source, settings, limit)).bundle;
}

/** The bundle, and how many stories its newest-first page shows. */
async function render(source: StoriesSnapshot | StoryPages, settings: Settings, limit: number): Promise<{ bundle: RenderedBundle; shown: number }> {
  const baseFromRequest = settings.publicUrl === null;
  const base = settings.publicUrl ?? `https://base-${crypto.randomUUID()}.storywire.invalid`;
  const site = siteInfo(settings, base);
  const built = new Map<StoryRecord, StoryView>();
  const view = buildFeedView(source, defaultQuery(limit), site, built);
  // The front page's default order is "top"; the feeds keep newest first. Only the river shows
  // the top order, and it lists a few sources of each story.
  const topView = buildFeedView(source, defaultQuery(limit, 'top'), site, built, TOP_ONLY_ON_THE_RIVER ? RIVER_SOURCES : Number.POSITIVE_INFINITY);
  const views = {} as Record<PrerenderedFormat, RenderedView>;
  for (const format of PRERENDERED) {
    const formatView = DEFAULT_SORT[format] === 'top' ? topView : view;
    const body = RENDERERS[format](formatView);
    views[format] = { body, etag: await bodyEtag(body), lastModified: formatView.updated };
  }
  const bundle: RenderedBundle = { version: 1, generated: view.generated, settingsKey: settingsKey(settings), base, baseFromRequest, views };
  return { bundle, shown: view.stories.length };
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
