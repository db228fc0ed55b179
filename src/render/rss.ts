// RSS 2.0, with Atom links for self, WebSub hub and RFC 5005 paging (the RSS Advisory
// Board's recommended way to carry them).
import { storyContentHtml } from './content';
import type { FeedView, StoryView } from './view';
import { buildXml, type XmlNode } from './xml';

const ATOM_NS = 'http://www.w3.org/2005/Atom';

export function renderRss(view: FeedView): string {
  const links = view.links.rss;
  const atomLinks: XmlNode[] = [
    { '@href': links.self, '@rel': 'self', '@type': 'application/rss+xml' },
    { '@href': links.first, '@rel': 'first' },
    { '@href': links.last, '@rel': 'last' },
  ];
  if (links.prev) atomLinks.push({ '@href': links.prev, '@rel': 'previous' });
  if (links.next) atomLinks.push({ '@href': links.next, '@rel': 'next' });
  if (view.site.websubHub) atomLinks.push({ '@href': view.site.websubHub, '@rel': 'hub' });

  return buildXml({
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
        item: view.stories.map(rssItem),
      },
    },
  });
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
