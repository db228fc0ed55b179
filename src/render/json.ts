// JSON Feed 1.1. Every outlet's version also travels as structured data in the
// `_sources` extension (JSON Feed allows custom keys starting with "_") for apps.
import { bylineOf } from './byline';
import { storyContentHtml } from './content';
import { renderPage, type PageFormat } from './page';
import type { FeedView, PageFrame, StoryView } from './view';

export interface SourceExtension {
  count: number;
  /** Independent outlets: mastheads, syndicated copies of one text counted once. */
  independent: number;
  items: { id: string; outlet: string; title: string; url: string | null; date_published: string | null; copy_of: string | null }[];
}

/** Items last in the feed object, so that they can be written one by one. */
export const JSON_FEED_PAGE: PageFormat = {
  item: (story) => JSON.stringify(jsonItem(story)),
  frame: jsonFeedFrame,
  separator: ',',
};

export function renderJsonFeed(view: FeedView): string {
  return renderPage(JSON_FEED_PAGE, view);
}

function jsonFeedFrame(view: PageFrame): { before: string; after: string } {
  const links = view.links.json;
  const feed: Record<string, unknown> = {
    version: 'https://jsonfeed.org/version/1.1',
    title: view.site.title,
    home_page_url: view.homeUrl,
    feed_url: links.self,
    description: view.site.description,
    authors: [{ name: view.site.title, url: view.homeUrl }],
  };
  if (links.next) feed.next_url = links.next;
  if (view.site.websubHub) feed.hubs = [{ type: 'WebSub', url: view.site.websubHub }];
  return jsonArrayLast(feed, 'items');
}

function jsonItem(story: StoryView): Record<string, unknown> {
  const sources: SourceExtension = {
    count: story.sourceCount,
    independent: story.independent,
    items: story.sources.map((source) => ({
      id: source.id,
      outlet: source.outlet,
      title: source.title,
      url: source.url,
      date_published: source.time,
      copy_of: source.copyOf,
    })),
  };
  const item: Record<string, unknown> = {
    id: story.url,
    url: story.url,
    title: story.title,
    content_html: storyContentHtml(story),
    date_published: story.published,
    date_modified: story.updated,
  };
  if (story.summary) item.summary = story.summary;
  const byline = bylineOf(story.outlets);
  if (byline) item.authors = [{ name: byline }];
  item._sources = sources;
  return item;
}

/** `object` as JSON with an array `key` last, split where the array's elements go. */
export function jsonArrayLast(object: Record<string, unknown>, key: string): { before: string; after: string } {
  const head = JSON.stringify(object);
  return { before: `${head.length > 2 ? `${head.slice(0, -1)},` : '{'}${JSON.stringify(key)}:[`, after: ']}' };
}
