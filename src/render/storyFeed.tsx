// "Follow a story": one story's own Atom and JSON Feed, an entry each time an outlet's report
// joins it, newest first. An entry describes only its own report (never the story's current
// headline or count), so it never changes once published: its id, date and body stay put.
import { displayTime, renderToString } from './jsx';
import type { SiteInfo, StorySourceView, StoryView } from './view';
import { buildXml, type XmlNode } from './xml';

export function storyFeedUrl(story: StoryView, format: 'atom' | 'json'): string {
  return `${story.url}/${format === 'atom' ? 'feed.xml' : 'feed.json'}`;
}

/** Reports newest first; ties by id so the order is total. */
function entriesOf(story: StoryView): StorySourceView[] {
  const at = (source: StorySourceView) => source.time ?? story.published;
  return [...story.sources].sort((a, b) => at(b).localeCompare(at(a)) || a.id.localeCompare(b.id));
}

function entryId(story: StoryView, source: StorySourceView): string {
  return `${story.url}#report-${encodeURIComponent(source.id)}`;
}

function entryTitle(source: StorySourceView): string {
  return `${source.outlet}: ${source.title}`;
}

function subtitle(story: StoryView): string {
  return `Every outlet's report of this story as it joins: ${story.title}`;
}

function ReportBody({ story, source }: { story: StoryView; source: StorySourceView }) {
  return (
    <>
      <p>
        <strong>{source.outlet}</strong> reported{source.time ? ` on ${displayTime(source.time)}` : ''}:{' '}
        {source.url ? <a href={source.url}>{source.title}</a> : source.title}
      </p>
      {source.summary ? <p>{source.summary}</p> : null}
      {source.copyOf ? <p>Same text as the report of {source.copyOf}.</p> : null}
      <p><a href={story.url}>Every report of this story</a></p>
    </>
  );
}

function reportHtml(story: StoryView, source: StorySourceView): string {
  return renderToString(<ReportBody story={story} source={source} />);
}

export function renderStoryAtom(story: StoryView, site: SiteInfo): string {
  const self = storyFeedUrl(story, 'atom');
  return buildXml({
    feed: {
      '@xmlns': 'http://www.w3.org/2005/Atom',
      id: self,
      title: `${story.title} — ${site.title}`,
      subtitle: subtitle(story),
      updated: story.updated,
      author: { name: site.title, uri: `${site.base}/` },
      generator: 'storywire',
      link: [
        { '@rel': 'self', '@type': 'application/atom+xml', '@href': self },
        { '@rel': 'alternate', '@type': 'text/html', '@href': story.url },
      ],
      entry: entriesOf(story).map((source): XmlNode => {
        const time = source.time ?? story.published;
        const links: XmlNode[] = [{ '@rel': 'alternate', '@type': 'text/html', '@href': source.url ?? story.url }];
        if (source.url) links.push({ '@rel': 'related', '@type': 'text/html', '@href': story.url });
        return {
          id: entryId(story, source),
          title: entryTitle(source),
          link: links,
          published: time,
          updated: time,
          author: { name: source.outlet },
          content: { '@type': 'html', '#text': reportHtml(story, source) },
        };
      }),
    },
  });
}

export function renderStoryJsonFeed(story: StoryView, site: SiteInfo): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: `${story.title} — ${site.title}`,
    home_page_url: story.url,
    feed_url: storyFeedUrl(story, 'json'),
    description: subtitle(story),
    authors: [{ name: site.title, url: `${site.base}/` }],
    items: entriesOf(story).map((source) => {
      const time = source.time ?? story.published;
      const item: Record<string, unknown> = {
        id: entryId(story, source),
        url: source.url ?? story.url,
        title: entryTitle(source),
        content_html: reportHtml(story, source),
        date_published: time,
        date_modified: time,
        authors: [{ name: source.outlet }],
      };
      if (source.summary) item.summary = source.summary;
      return item;
    }),
  });
}
