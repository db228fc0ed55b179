// A listing page as pieces: each story's item, and the page drawn around them. Every listing
// renderer (RSS, Atom, JSON Feed, the API list, the HTML river) is written this way, so that the
// pre-render (publish.ts) can keep each story's item between runs and render only the stories
// that changed; a request renders every piece, with the same bytes.
import type { FeedView, PageFrame, StoryView } from './view';

export interface PageFormat {
  /** One story's piece of the page. It depends on the story's view (and the site in it) alone. */
  item(story: StoryView): string;
  /** What goes before and after the items. */
  frame(page: PageFrame): { before: string; after: string };
  /** What goes between two items. */
  separator: string;
}

/** The whole page: frame and items (a request's; the pre-render assembles the same from pieces, render/publish.ts). */
export function renderPage(format: PageFormat, view: FeedView): string {
  const { stories, ...rest } = view;
  const { before, after } = format.frame({ ...rest, shown: stories.length });
  return before + stories.map((story) => format.item(story)).join(format.separator) + after;
}

/** `document` split where `marker` stands (once) in it. */
export function splitAt(document: string, marker: string): { before: string; after: string } {
  const at = document.indexOf(marker);
  if (at < 0 || document.indexOf(marker, at + 1) >= 0) throw new Error(`render: the page's marker ${marker} is missing or repeated`);
  return { before: document.slice(0, at), after: document.slice(at + marker.length) };
}
