// Atom 1.0 (RFC 4287): one entry per story, a related link per outlet's version,
// RFC 5005 paging links and an optional WebSub hub.
import { bylineOf } from './byline';
import { storyContentHtml } from './content';
import { renderPage, type PageFormat } from './page';
import type { FeedView, PageFrame, StoryView } from './view';
import { xmlElement, xmlFrame, type XmlNode } from './xml';

/** Each entry on a line of its own, inside the feed. */
export const ATOM_PAGE: PageFormat = {
  item: (story) => ` ${xmlElement('entry', atomEntry(story))}\n`,
  frame: atomFrame,
  separator: '',
};

export function renderAtom(view: FeedView): string {
  return renderPage(ATOM_PAGE, view);
}

function atomFrame(view: PageFrame): { before: string; after: string } {
  const links = view.links.atom;
  const feedLinks: XmlNode[] = [
    { '@rel': 'self', '@type': 'application/atom+xml', '@href': links.self },
    { '@rel': 'alternate', '@type': 'text/html', '@href': view.links.html.self },
    { '@rel': 'first', '@href': links.first },
    { '@rel': 'last', '@href': links.last },
  ];
  if (links.prev) feedLinks.push({ '@rel': 'previous', '@href': links.prev });
  if (links.next) feedLinks.push({ '@rel': 'next', '@href': links.next });
  if (view.site.websubHub) feedLinks.push({ '@rel': 'hub', '@href': view.site.websubHub });

  return xmlFrame({
    feed: {
      '@xmlns': 'http://www.w3.org/2005/Atom',
      // Pages of one view share the first page's id: they are parts of the same feed.
      id: links.first,
      title: view.site.title,
      subtitle: view.site.description,
      updated: view.updated,
      author: { name: view.site.title, uri: view.homeUrl },
      generator: 'storywire',
      link: feedLinks,
    },
  }, 'feed');
}

function atomEntry(story: StoryView): XmlNode {
  const links: XmlNode[] = [{ '@rel': 'alternate', '@type': 'text/html', '@href': story.url }];
  for (const source of story.sources) {
    if (source.url) links.push({ '@rel': 'related', '@type': 'text/html', '@href': source.url, '@title': `${source.outlet}: ${source.title}` });
  }
  const entry: XmlNode = {
    id: story.url,
    title: story.title,
    link: links,
    published: story.published,
    updated: story.updated,
    content: { '@type': 'html', '#text': storyContentHtml(story) },
  };
  if (story.summary) entry.summary = story.summary;
  // One author whose name lists the outlets: readers show one author per entry.
  const byline = bylineOf(story.outlets);
  if (byline) entry.author = { name: byline };
  return entry;
}
