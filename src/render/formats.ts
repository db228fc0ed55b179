// Which renderer and media type serve each output format.
import { renderStoryListJson } from './api';
import { renderAtom } from './atom';
import { renderFrontPage } from './html';
import { renderJsonFeed } from './json';
import { renderRss } from './rss';
import type { FeedView, OutputFormat } from './view';

export const CONTENT_TYPES = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  api: 'application/json; charset=utf-8',
} as const satisfies Record<OutputFormat, string>;

export const RENDERERS: Record<OutputFormat, (view: FeedView) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
  html: renderFrontPage,
  api: renderStoryListJson,
};
