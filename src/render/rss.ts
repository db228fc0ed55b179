// RSS 2.0, with Atom links for self, WebSub hub and RFC 5005 paging (the RSS Advisory
// Board's recommended way to carry them).
import { storyContentHtml } from './content';
import { renderPage, type PageFormat } from './page';
import type { FeedView, PageFrame, StoryView } from './view';
import { xmlElement, xmlFrame, type XmlNode } from './xml';

const ATOM_NS = 'http://www.w3.org/2005/Atom';

/** Each item on a line of its own, inside the channel. */
export const RSS_PAGE: PageFormat = {
  item: (story) => `  ${xmlElement('item', rssItem(story))}\n`,
  frame: rssFrame,
  separator: '',
};

export function renderRss(view: FeedView): string {
  return renderPage(RSS_PAGE, view);
}

function rssFrame(view: PageFrame): { before: string; after: string } {
  const links = view.links.rss;
  const atomLinks: XmlNode[] = [
    { '@href': links.self, '@rel': 'self', '@type': 'application/rss+xml' },
    { '@href': links.first, '@rel': 'first' },
    { '@href': links.last, '@rel': 'last' },
  ];
  if (links.prev) atomLinks.push({ '@href': links.prev, '@rel': 'previous' });
  if (links.next) atomLinks.push({ '@href': links.next, '@rel': 'next' });
  if (view.site.websubHub) atomLinks.push({ '@href': view.site.websubHub, '@rel': 'hub' });

  return xmlFrame({
    rss: {
      '@version': '2.0',
      '@xmlns:atom': ATOM_NS,
      channel: {
        title: view.site.title,
        link: view.homeUrl,
        description: view.site.description,
        'atom:link': atomLinks,
        lastBuildDate: rfc822Date(view.updated),
        generator: 'storywire',
        docs: 'https://www.rssboard.org/rss-specification',
      },
    },
  }, 'channel');
}

function rssItem(story: StoryView): XmlNode {
  return {
    title: story.title,
    link: story.url,
    description: storyContentHtml(story),
    guid: { '@isPermaLink': 'true', '#text': story.url },
    pubDate: rfc822Date(story.published),
  };
}

/** RFC 822 date as RSS wants it ("Mon, 23 Nov 2026 17:45:13 GMT"). */
export function rfc822Date(iso: string): string {
  return new Date(iso).toUTCString();
}
