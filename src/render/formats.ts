// Which renderer and media type serve each output format.
import { STORY_LIST_PAGE } from './api';
import { ATOM_PAGE } from './atom';
import { RIVER_PAGE } from './html';
import { JSON_FEED_PAGE } from './json';
import { renderPage, type PageFormat } from './page';
import { RSS_PAGE } from './rss';
import type { FeedView, OutputFormat } from './view';

export const CONTENT_TYPES = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  api: 'application/json; charset=utf-8',
} as const satisfies Record<OutputFormat, string>;

/** Each listing format as pieces (render/page.ts). */
export const PAGE_FORMATS: Record<OutputFormat, PageFormat> = {
  rss: RSS_PAGE,
  atom: ATOM_PAGE,
  json: JSON_FEED_PAGE,
  html: RIVER_PAGE,
  api: STORY_LIST_PAGE,
};

/** Each listing format's whole page, as a request renders it. */
export const RENDERERS = Object.fromEntries(
  (Object.keys(PAGE_FORMATS) as OutputFormat[]).map((format) => [format, (view: FeedView) => renderPage(PAGE_FORMATS[format], view)]),
) as Record<OutputFormat, (view: FeedView) => string>;
