// The view every renderer draws: stories cleaned for display, every URL absolute.
// Built once per request (or per scheduled run); renderers only arrange it.
import type { SharedWords, StoriesSnapshot, StoryRecord, StorySource } from '../model';
import { independence } from '../stories/independence';
import { latestReport } from '../stories/facts';
import { querySearch, type SortOrder, type ViewQuery } from './query';
import { snapshotPages, type PageChoice, type StoryPages } from './select';
import { cleanText, cleanTitle, isoOrNull, safeHttpUrl } from './text';

export type OutputFormat = 'rss' | 'atom' | 'json' | 'html' | 'api';

export const FORMAT_PATHS: Record<OutputFormat, string> = {
  rss: '/feed.xml',
  atom: '/atom.xml',
  json: '/feed.json',
  html: '/',
  api: '/api/stories',
};

/** The order each route lists stories in unless `sort` says otherwise (docs/feeds.md, "Top stories"). */
export const DEFAULT_SORT: Record<OutputFormat, SortOrder> = { rss: 'new', atom: 'new', json: 'new', html: 'top', api: 'new' };

export interface SiteInfo {
  title: string;
  description: string;
  /** Absolute base URL without trailing slash: PUBLIC_URL, else the request's origin. */
  base: string;
  websubHub: string | null;
  /** Default page size (FEED_PAGE_SIZE); a `limit` equal to it is left out of links. */
  pageSize: number;
}

/** One outlet's report as a story's page and feeds show it (the admin API's source record is another thing). */
export interface StorySourceView {
  /** The article's id: stable, names the source in corrections and story feeds. */
  id: string;
  outlet: string;
  title: string;
  /** Absolute http(s) URL, or null when the feed gave none we can link safely. */
  url: string | null;
  /** When the outlet published it, else when we first saw it (ISO 8601), or null. */
  time: string | null;
  /** The outlet's own summary of it, if we have one. */
  summary: string;
  /** Outlet of the earlier report whose text this one copies (syndication), or null. */
  copyOf: string | null;
  /** Why the engine grouped it here (the engine's words: score and evidence), or null for records that predate it. */
  why: string | null;
  /** The words it shares with the story (render/grouped.ts says it in plain words), or null. */
  shared: SharedWords | null;
}

export interface StoryView {
  id: string;
  /** This story's page on this Worker. */
  url: string;
  title: string;
  summary: string;
  /** ISO 8601; fixed for good. */
  published: string;
  /** ISO 8601; never before `published`. */
  updated: string;
  /** The sources, oldest first: all of them, or only the first `maxSources` when the view was built for a page that shows no more (buildStoryView). */
  sources: StorySourceView[];
  /** How many sources the story has (all of them, whatever `sources` holds). */
  sourceCount: number;
  /** The lead article's own link (the first source with the story's headline and a link, else the first link), else the story's page. */
  leadUrl: string;
  /** Distinct outlet names, in source order. */
  outlets: string[];
  /** Independent outlets: one per masthead, syndicated copies of one text counted once. */
  independent: number;
  /** When the latest source reported it (ISO 8601): what "top" ranking decays from. */
  latestReport: string;
}

/** RFC 5005 paging links for one format; first/last always exist. */
export interface PageLinks {
  self: string;
  first: string;
  last: string;
  prev: string | null;
  next: string | null;
}

export interface FeedView {
  site: SiteInfo;
  homeUrl: string;
  /** Newest `updated` among the listed stories, else the snapshot's time. */
  updated: string;
  generated: string;
  stories: StoryView[];
  total: number;
  page: number;
  lastPage: number;
  query: ViewQuery;
  links: Record<OutputFormat, PageLinks>;
}

/** A page without its stories' views: what a format draws around its stories' items (render/page.ts). */
export type PageFrame = Omit<FeedView, 'stories'> & {
  /** Stories on this page. */
  shown: number;
};

/**
 * One page of stories, from a snapshot (every record) or any StoryPages (render/select.ts).
 * `built`: whole views of stories already built from the same stories and site (the pre-render
 * builds two pages, and many stories are on both). `maxSources`: the most sources of a story the
 * page shows (the HTML river shows a few): views list no more (a whole one already built serves).
 */
export function buildFeedView(source: StoriesSnapshot | StoryPages, query: ViewQuery, site: SiteInfo, built = new Map<StoryRecord, StoryView>(), maxSources = Number.POSITIVE_INFINITY): FeedView {
  const pages = 'stories' in source ? snapshotPages(source) : source;
  const { generated } = pages;
  const choice = pages.choose(query);
  const stories = choice.ids.map((id) => {
    const story = pages.read(id);
    let view = built.get(story);
    if (!view && story.sources.length > maxSources) return buildStoryView(story, site.base, generated, maxSources);
    if (!view) built.set(story, (view = buildStoryView(story, site.base, generated)));
    return view;
  });
  return { ...pageFrame(choice, query, site, generated, newestOf(stories.map((story) => story.updated))), stories };
}

/** What a page is but for its stories' views: `updated` is the newest of theirs (else `generated`). */
export function pageFrame(choice: PageChoice, query: ViewQuery, site: SiteInfo, generated: string, updated: string): PageFrame {
  const links = {} as Record<OutputFormat, PageLinks>;
  for (const format of Object.keys(FORMAT_PATHS) as OutputFormat[]) {
    links[format] = pageLinks(site, format, query, choice.page, choice.lastPage);
  }
  return {
    site,
    homeUrl: `${site.base}/`,
    updated: updated || generated,
    generated,
    shown: choice.ids.length,
    total: choice.total,
    page: choice.page,
    lastPage: choice.lastPage,
    query,
    links,
  };
}

/** The latest of ISO 8601 times ('' for none). */
export function newestOf(times: readonly string[]): string {
  return times.reduce((newest, time) => (time > newest ? time : newest), '');
}

/** Whether the story's view has a time of its own, or takes the page's (buildStoryView's `fallbackTime`). */
export function hasOwnTime(story: StoryRecord): boolean {
  return isoOrNull(story.firstSeen) !== null || isoOrNull(story.updated) !== null;
}

export function storyUrl(base: string, id: string): string {
  return `${base}/stories/${encodeURIComponent(id)}`;
}

/** `maxSources`: list only the first sources (a page that shows no more); the rest of the view is the same. */
export function buildStoryView(story: StoryRecord, base: string, fallbackTime: string, maxSources = Number.POSITIVE_INFINITY): StoryView {
  const published = isoOrNull(story.firstSeen) ?? isoOrNull(story.updated) ?? fallbackTime;
  const updated = isoOrNull(story.updated) ?? published;
  const { independent, copyOf } = independence(story.sources);
  const listed = story.sources.length > maxSources ? story.sources.slice(0, maxSources) : story.sources;
  const sources = listed.map((source, i) => sourceView(source, copyOf[i] ?? null));
  const title = cleanTitle(story.title);
  const url = storyUrl(base, story.id);
  return {
    id: story.id,
    url,
    title,
    summary: cleanText(story.summary),
    published,
    updated: updated > published ? updated : published,
    sources,
    sourceCount: story.sources.length,
    leadUrl: leadUrlOf(story.sources, title) ?? url,
    outlets: [...new Set(story.sources.map((source) => outletName(source.outlet)))],
    independent,
    latestReport: isoOrNull(latestReport(story)) ?? published,
  };
}

/**
 * The lead article's own link, so the headline goes where Techmeme's and Google News' do: the
 * first source with the story's headline and a safe link, else the first safe link. Only the
 * links it looks at are checked (a story of a hundred sources shows a few on the river).
 */
function leadUrlOf(sources: readonly StorySource[], title: string): string | null {
  for (const source of sources) {
    if (cleanTitle(source.title) !== title) continue;
    const url = safeHttpUrl(source.url);
    if (url) return url;
  }
  for (const source of sources) {
    const url = safeHttpUrl(source.url);
    if (url) return url;
  }
  return null;
}

function outletName(outlet: string): string {
  return cleanTitle(outlet, '(unknown outlet)');
}

function sourceView(source: StorySource, original: StorySource | null): StorySourceView {
  return {
    id: source.articleId,
    outlet: outletName(source.outlet),
    title: cleanTitle(source.title),
    url: safeHttpUrl(source.url),
    time: isoOrNull(source.published) ?? isoOrNull(source.seenAt),
    summary: cleanText(source.summary),
    copyOf: original ? cleanTitle(original.outlet, '(unknown outlet)') : null,
    why: source.why ?? null,
    shared: source.shared ?? null,
  };
}

function pageLinks(site: SiteInfo, format: OutputFormat, query: ViewQuery, page: number, lastPage: number): PageLinks {
  const at = (n: number) => `${site.base}${FORMAT_PATHS[format]}${querySearch(query, n, site.pageSize, DEFAULT_SORT[format])}`;
  return {
    self: at(page),
    first: at(1),
    last: at(lastPage),
    prev: page > 1 ? at(Math.min(page - 1, lastPage)) : null,
    next: page < lastPage ? at(page + 1) : null,
  };
}
