// Pre-renders the default views at the end of each scheduled run, as one value that the caller
// stores (store/rendered.ts; its layout: render/storedBundle.ts), and hands them back to the
// routes. Without PUBLIC_URL the bodies are rendered against a random placeholder origin that the
// route swaps for the request's origin; it is never served, and is kept from run to run along
// with the pieces below.
//
// Each page is a frame around one piece per story (render/page.ts). The bundle records where each
// story's pieces are and which revision of its stored record they were rendered from; the next
// run copies the pieces of every story whose record has not changed since, and reads, views and
// renders only the others (a run changes a few dozen of the hundred stories shown).
import type { Settings } from '../config';
import { bytesEtag, variantEtag } from '../http/etag';
import type { PrerenderedFormat, RenderedBundle, RenderedStoryPieces, RenderedView, StoriesSnapshot } from '../model';
import { boundStory, KV_VALUE_BUDGET_BYTES, MAX_STORY_RECORD_BYTES } from '../stories/bounds';
import { PAGE_FORMATS } from './formats';
import { RIVER_SOURCES } from './html';
import { defaultQuery, type SortOrder } from './query';
import { siteInfo } from './site';
import { snapshotPages, type PageChoice, type StoryPages } from './select';
import { BUNDLE_FORMATS, encodeBundle, encodeChunks, type BodyChunk, type CopiedBytes, type EncodedBodies, type StoredBundle } from './storedBundle';
import { buildStoryView, DEFAULT_SORT, hasOwnTime, newestOf, pageFrame, type StoryView } from './view';

const PRERENDERED = BUNDLE_FORMATS;
/** Whether the HTML river is the only pre-rendered view in the "top" order (then its stories need list only RIVER_SOURCES sources). */
const TOP_ONLY_ON_THE_RIVER = PRERENDERED.every((format) => DEFAULT_SORT[format] !== 'top' || format === 'html');

/**
 * The pieces' revision: a bundle's pieces are reused only by code of the same one. Raise it with
 * any change to what a story's piece holds (its renderers, its view); the guard in
 * test/render/pieces.test.ts fails until it is raised.
 */
export const PIECES_REVISION = 2;

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
  /** Stories whose pieces were rendered, and those copied from the previous bundle. */
  storiesRendered: number;
  storiesReused: number;
}

/** The bundle, and its value as stored (one KV value, render/storedBundle.ts), and what fitting it took. */
export interface PublishedBundle {
  bundle: RenderedBundle;
  bytes: Uint8Array;
  report: PublishReport;
}

export interface PublishOptions {
  /** At most this many bytes stored (MAX_BUNDLE_BYTES). */
  maxBytes?: number;
  /** The bundle the last run stored: the pieces of stories unchanged since are copied from it. */
  previous?: StoredBundle | null;
}

/**
 * The bundle within `maxBytes`: first as it is; then with the stories shown cut down to smaller
 * budgets (long stories shortened, their latest sources left out); then with fewer stories on
 * the pre-rendered page. The pages are chosen before any cut; the stories stored in KV are not
 * changed by this. Only the first attempt reuses and records pieces: a cut story is not its record.
 */
export async function fitBundle(source: StoriesSnapshot | StoryPages, settings: Settings, { maxBytes = MAX_BUNDLE_BYTES, previous = null }: PublishOptions = {}): Promise<PublishedBundle> {
  const pages = 'stories' in source ? snapshotPages(source) : source;
  const attempts: { budget: number; limit: number }[] = STORY_BUDGETS.map((budget) => ({ budget, limit: settings.feedPageSize }));
  for (let limit = Math.floor(settings.feedPageSize / 2); limit >= 1; limit = Math.floor(limit / 2)) attempts.push({ budget: STORY_BUDGETS.at(-1)!, limit });
  let last: PublishedBundle | null = null;
  for (const [step, { budget, limit }] of attempts.entries()) {
    const first = step === 0;
    const { bundle, encoded, shown, rendered, reused } = await render(first ? pages : boundedPages(pages, budget), settings, limit, first ? previous : null);
    const bytes = encodeBundle(bundle, encoded);
    last = { bundle, bytes, report: { bundleBytes: bytes.length, storyBudgetBytes: budget, storiesShown: shown, fitSteps: step, storiesRendered: rendered, storiesReused: reused } };
    if (bytes.length <= maxBytes) return last;
  }
  throw new Error(`publish: the pre-rendered feeds take ${last!.report.bundleBytes} bytes even with one story; at most ${maxBytes}`);
}

/** The same pages with every story shown within `budget` bytes of JSON (boundStory); none of them is its stored record any more. */
function boundedPages(pages: StoryPages, budget: number): StoryPages {
  return {
    generated: pages.generated,
    choose: (query) => pages.choose(query),
    read: (id) => boundStory(pages.read(id), budget).story,
    revision: () => null,
  };
}

export async function prerender(source: StoriesSnapshot | StoryPages, settings: Settings, limit = settings.feedPageSize, previous: StoredBundle | null = null): Promise<RenderedBundle> {
  return (await render('stories' in source ? snapshotPages(source) : source, settings, limit, previous)).bundle;
}

/** The bundle and its bodies as UTF-8; how many stories its newest-first page shows; how many stories were rendered and how many copied. */
async function render(pages: StoryPages, settings: Settings, limit: number, previous: StoredBundle | null):
  Promise<{ bundle: RenderedBundle; encoded: EncodedBodies; shown: number; rendered: number; reused: number }> {
  const kept = keptPieces(previous, settings);
  const baseFromRequest = settings.publicUrl === null;
  const base = settings.publicUrl ?? kept?.base ?? `https://base-${crypto.randomUUID()}.storywire.invalid`;
  const site = siteInfo(settings, base);
  const { generated } = pages;
  const choices = new Map<SortOrder, PageChoice>();
  const wholeViews = new Map<string, StoryView>();
  // A story's view, built once: whole for the feeds, and for the river only its first sources (whole when it has no more).
  const viewOf = (id: string, maxSources: number): StoryView => {
    const whole = wholeViews.get(id);
    if (whole) return whole;
    const story = pages.read(id);
    if (story.sources.length > maxSources) return buildStoryView(story, base, generated, maxSources);
    const view = buildStoryView(story, base, generated);
    wholeViews.set(id, view);
    return view;
  };
  const renderedIds = new Set<string>();
  const reusedIds = new Set<string>();
  // Per format: the page's chunks (frame text, each story's piece: rendered text or copied bytes), and which chunk is which story.
  const layouts: { format: PrerenderedFormat; chunks: BodyChunk[]; stories: { id: string; chunk: number; record: number | null; updated: string }[]; updated: string }[] = [];
  let shown = 0;
  for (const format of PRERENDERED) {
    const sort = DEFAULT_SORT[format];
    const query = defaultQuery(limit, sort);
    let choice = choices.get(sort);
    if (!choice) choices.set(sort, (choice = pages.choose(query)));
    if (sort === 'new') shown = choice.ids.length;
    const maxSources = sort === 'top' && TOP_ONLY_ON_THE_RIVER ? RIVER_SOURCES : Number.POSITIVE_INFINITY;
    const page = PAGE_FORMATS[format];
    const items: BodyChunk[] = [];
    const stories: (typeof layouts)[number]['stories'] = [];
    for (const id of choice.ids) {
      const revision = pages.revision(id);
      const old = revision === null ? null : kept?.piece(id, revision, format) ?? null;
      let updated: string;
      if (old) {
        items.push(old.bytes);
        updated = old.updated;
        reusedIds.add(id);
      } else {
        const view = viewOf(id, maxSources);
        items.push(page.item(view));
        updated = view.updated;
        renderedIds.add(id);
      }
      // A story whose view has no time of its own takes the page's, which moves: its pieces are not kept.
      const record = revision !== null && (old !== null || hasOwnTime(pages.read(id))) ? revision : null;
      stories.push({ id, chunk: 0, record, updated });
    }
    const frame = pageFrame(choice, query, site, generated, newestOf(stories.map((story) => story.updated)));
    const { before, after } = page.frame(frame);
    const chunks: BodyChunk[] = [before];
    items.forEach((item, i) => {
      if (i > 0 && page.separator) chunks.push(page.separator);
      stories[i]!.chunk = chunks.length;
      chunks.push(item);
    });
    chunks.push(after);
    layouts.push({ format, chunks, stories, updated: frame.updated });
  }
  // Encoded once, all five: the copied pieces as they were stored, the rest from their text.
  const encoded = encodeChunks(layouts.map((layout) => layout.chunks), baseFromRequest ? base : null);
  const pieces = new Map<string, RenderedStoryPieces>();
  const views = {} as Record<PrerenderedFormat, RenderedView>;
  for (const [i, { format, stories, updated }] of layouts.entries()) {
    const { offset, bytes } = encoded.spans[i]!;
    const body = encoded.payload.subarray(offset, offset + bytes);
    const starts = encoded.chunkStarts[i]!;
    for (const { id, chunk, record, updated: storyUpdated } of stories) {
      if (record === null) continue;
      let story = pieces.get(id);
      if (!story) pieces.set(id, (story = { id, record, updated: storyUpdated, at: {} }));
      story.at[format] = [starts[chunk]!, starts[chunk + 1]!];
    }
    views[format] = bodyView(body, await bytesEtag(body), updated);
  }
  const bundle: RenderedBundle = {
    version: 1, generated, settingsKey: settingsKey(settings), base, baseFromRequest, views,
    pieces: { revision: PIECES_REVISION, stories: [...pieces.values()] },
  };
  for (const id of renderedIds) reusedIds.delete(id);
  return { bundle, encoded, shown, rendered: renderedIds.size, reused: reusedIds.size };
}

/** A view whose body is decoded from its bytes only if asked for (a run stores the bytes; tests and tools read the text). */
function bodyView(bytes: Uint8Array, etag: string, lastModified: string): RenderedView {
  let text: string | undefined;
  return {
    get body() {
      return (text ??= new TextDecoder().decode(bytes));
    },
    etag,
    lastModified,
  };
}

/**
 * The previous bundle's pieces, when this code and these settings can reuse them: each the bytes
 * it was stored as (nothing decoded); one that is not where the pieces say, or not whole UTF-8,
 * is not copied.
 */
function keptPieces(previous: StoredBundle | null, settings: Settings): { base: string; piece(id: string, record: number, format: PrerenderedFormat): { bytes: CopiedBytes; updated: string } | null } | null {
  if (!previous || previous.settingsKey !== settingsKey(settings) || previous.baseFromRequest !== (settings.publicUrl === null)) return null;
  if (settings.publicUrl !== null && previous.base !== settings.publicUrl) return null;
  const pieces = previous.pieces();
  if (pieces?.revision !== PIECES_REVISION) return null;
  const byId = new Map(pieces.stories.map((story) => [story?.id, story]));
  return {
    base: previous.base,
    piece(id, record, format) {
      const story = byId.get(id);
      const at = story?.record === record ? story.at?.[format] : undefined;
      if (!Array.isArray(at) || typeof story!.updated !== 'string') return null;
      const bytes = previous.piece(format, at[0], at[1]);
      return bytes && { bytes, updated: story!.updated };
    },
  };
}

/** A stored view as served: its body as stored (bytes or text), or with the request's origin swapped in. */
export interface ServedView {
  body: Uint8Array | string;
  etag: string;
  lastModified: string;
}

/**
 * The stored view ready to serve at `origin`, or null when the bundle no longer fits the settings
 * (or its body is damaged). Only this format's body is touched, and not decoded: with PUBLIC_URL
 * its bytes are served as stored; without, with the request's origin spliced in for the placeholder.
 */
export function prerenderedView(bundle: StoredBundle, format: PrerenderedFormat, settings: Settings, origin: string): ServedView | null {
  if (bundle.settingsKey !== settingsKey(settings)) return null;
  const validators = bundle.validators(format);
  if (!validators) return null;
  if (!bundle.baseFromRequest) {
    const body = bundle.stored(format);
    return body === null ? null : { body, ...validators };
  }
  const body = bundle.atOrigin(format, origin);
  return body === null ? null : { body, etag: variantEtag(validators.etag, origin), lastModified: validators.lastModified };
}

function settingsKey(settings: Settings): string {
  const { siteTitle, siteDescription, publicUrl, websubHub, feedPageSize } = settings;
  return JSON.stringify([siteTitle, siteDescription, publicUrl, websubHub, feedPageSize]);
}
