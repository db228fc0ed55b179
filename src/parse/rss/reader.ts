// RSS 0.9x and 2.0 to ParsedFeed fields, including the modules news feeds use:
// content:encoded, dc:*, dcterms:*, media:*, itunes:*, atom:link, xhtml:body. The channel and
// item readers are shared with RSS 1.0 (rdf/), which uses the same vocabulary.
import type { ParsedFeedInfo, ParsedItem, Person } from '../../model';
import { firstDate } from '../elementDates';
import { htmlValue, readConstruct, rssTitle } from '../html';
import { mediaCaption, mediaDescription, withText } from '../media';
import type { FeedParts } from '../model';
import { personFromText } from '../people';
import { resolveUrl } from '../urls';
import { attr, child, childrenOf, isElement, textOf, type XElement } from '../xml';
import { withRssNames } from './names';

export function readRss(rssRoot: XElement): FeedParts {
  const root = withRssNames(rssRoot);
  const channel = withRssNames(child(root, 'channel'));
  // Items belong in <channel>; some feeds put them beside it, and they are read too.
  const items = [...childrenOf(channel, 'item'), ...childrenOf(root, 'item')];
  return { feed: readChannel(channel, root), items: items.map(readItem) };
}

export function readChannel(rssChannel: XElement | undefined, root: XElement): ParsedFeedInfo {
  const channel = withRssNames(rssChannel);
  const atomId = textOf(child(channel, 'atom:id'));
  return {
    title: rssTitle(child(channel, 'title', 'dc:title')),
    link: linkOf(channel),
    description: htmlValue(readConstruct(child(channel, 'description', 'dc:description', 'itunes:summary', 'itunes:subtitle'), 'rss')),
    id: atomId ?? attr(channel, 'rdf:about') ?? null,
    updated: firstDate(channel, 'lastBuildDate', 'dc:date', 'dcterms:modified', 'atom:updated'),
    published: firstDate(channel, 'pubDate', 'dcterms:issued', 'dcterms:created'),
    author: authorOf(channel) ?? authorOf(root),
  };
}

export function readItem(rssItem: XElement): ParsedItem {
  const item = withRssNames(rssItem);
  const guid = child(item, 'guid');
  const guidText = textOf(guid);
  const id = guidText ?? attr(item, 'rdf:about') ?? textOf(child(item, 'atom:id', 'dc:identifier'));
  return {
    id: id === null ? null : id.trim(),
    title: rssTitle(child(item, 'title', 'dc:title', 'media:title')) ?? rssTitle(child(child(item, 'media:group'), 'media:title')),
    link: linkOf(item) ?? permalinkFromGuid(guid, guidText),
    // An empty <description/> does not hide the text a media:description, itunes:summary or caption has.
    summary: htmlValue(
      withText(readConstruct(child(item, 'description', 'dc:description', 'atom:summary', 'summary', 'abstract'), 'rss')) ?? withText(mediaDescription(item)) ??
        withText(readConstruct(child(item, 'itunes:summary'), 'rss')) ?? mediaCaption(item),
    ),
    content: htmlValue(readConstruct(child(item, 'content:encoded', 'xhtml:body', 'xhtml:div', 'body', 'fullitem', 'atom:content', 'content'), 'rss')),
    // Unprefixed <published>, <modified>, <updated>: Atom or Dublin Core names written without their namespace.
    published: firstDate(item, 'pubDate', 'dcterms:issued', 'dcterms:created', 'atom:published', 'published', 'issued'),
    updated: firstDate(item, 'dc:date', 'dcterms:modified', 'atom:updated', 'modified', 'updated', 'date', 'lastBuildDate'),
    author: authorOf(item),
  };
}

/** The text of <link>, else an Atom alternate link; resolved against the element's base. */
function linkOf(el: XElement | undefined): string | null {
  if (!el) return null;
  for (const link of el.children) {
    if (typeof link === 'string' || link.key !== 'link') continue;
    const href = textOf(link) ?? attr(link, 'href');
    if (href) return resolveUrl(href, link.base);
  }
  for (const link of el.children) {
    if (typeof link === 'string' || link.key !== 'atom:link') continue;
    const rel = (attr(link, 'rel') ?? 'alternate').trim();
    const href = attr(link, 'href');
    if (rel === 'alternate' && href) return resolveUrl(href, link.base);
  }
  return null;
}

/** A guid is the article's URL unless isPermaLink="false" says otherwise. */
function permalinkFromGuid(guid: XElement | undefined, text: string | null): string | null {
  if (!guid || !text) return null;
  if ((attr(guid, 'isPermaLink', 'ispermalink') ?? 'true').trim().toLowerCase() === 'false') return null;
  return /^https?:\/\//i.test(text) ? text : null;
}

/** RSS has several author elements; the first that names someone wins, so an empty one hides nothing. */
const AUTHOR_KEYS = ['author', 'managingEditor', 'dc:creator', 'dc:author', 'itunes:author', 'atom:author'];

function authorOf(el: XElement | undefined): Person | null {
  if (!el) return null;
  for (const key of AUTHOR_KEYS) {
    for (const node of el.children) {
      if (!isElement(node) || node.key !== key) continue;
      const found = personOf(node);
      if (found) return found;
    }
  }
  return null;
}

function personOf(source: XElement): Person | null {
  // Atom-style <author><name/><email/></author> occasionally appears in RSS.
  const name = child(source, 'name', 'atom:name');
  if (name) return personFromText([textOf(name), textOf(child(source, 'email', 'atom:email'))].filter(Boolean).join(' '));
  return personFromText(textOf(source));
}
