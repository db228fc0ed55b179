// The JSON API: a paginated story list and single stories, in snake_case like JSON Feed.
import { jsonArrayLast } from './json';
import { renderPage, type PageFormat } from './page';
import type { FeedView, PageFrame, StoryView } from './view';

export interface StoryJson {
  id: string;
  url: string;
  title: string;
  summary: string;
  first_seen: string;
  updated: string;
  source_count: number;
  /** Mastheads, syndicated copies of one text counted once. */
  independent_outlets: number;
  sources: { id: string; outlet: string; title: string; url: string | null; published: string | null; copy_of: string | null; why: string | null }[];
}

export function storyJson(story: StoryView): StoryJson {
  return {
    id: story.id,
    url: story.url,
    title: story.title,
    summary: story.summary,
    first_seen: story.published,
    updated: story.updated,
    source_count: story.sourceCount,
    independent_outlets: story.independent,
    sources: story.sources.map((s) => ({ id: s.id, outlet: s.outlet, title: s.title, url: s.url, published: s.time, copy_of: s.copyOf, why: s.why })),
  };
}

export const STORY_LIST_PAGE: PageFormat = {
  item: (story) => JSON.stringify(storyJson(story)),
  frame: storyListFrame,
  separator: ',',
};

export function renderStoryListJson(view: FeedView): string {
  return renderPage(STORY_LIST_PAGE, view);
}

function storyListFrame(view: PageFrame): { before: string; after: string } {
  const links = view.links.api;
  return jsonArrayLast({
    generated: view.generated,
    total: view.total,
    page: view.page,
    last_page: view.lastPage,
    limit: view.query.limit,
    links: { self: links.self, first: links.first, last: links.last, prev: links.prev, next: links.next },
  }, 'stories');
}

export function renderStoryJson(story: StoryView): string {
  return JSON.stringify(storyJson(story));
}
