// RSS 1.0 and 0.90 (RDF) to ParsedFeed fields. <rdf:RDF> holds the <channel> and, beside it,
// the <item>s (the channel only lists them in <items><rdf:Seq>); ids may come from rdf:about.
// The elements inside are RSS's (title, link, description, dc:*, content:encoded), so the
// channel and item readers are the RSS reader's.
import type { FeedParts } from '../model';
import { readChannel, readItem, withRssNames } from '../rss';
import { child, childrenOf, type XElement } from '../xml';

export function readRdf(rdfRoot: XElement): FeedParts {
  const root = withRssNames(rdfRoot);
  const channel = withRssNames(child(root, 'channel'));
  // Some RSS 1.0 generators nest the items inside <channel>: read them too, first as RSS does.
  const items = [...childrenOf(channel, 'item'), ...childrenOf(root, 'item')];
  return { feed: readChannel(channel, root), items: items.map(readItem) };
}
