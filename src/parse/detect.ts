// Which format a parsed document is, from its root element (and version attributes).
import type { FeedFormat } from '../model';
import { FeedParseError } from './errors';
import { ATOM03_NS, ATOM10_NS, RSS090_NS, type XElement } from './xml';

/** Which reader takes the document (rss/, rdf/, atom/) and the exact format it reports. */
export type XmlFamily =
  | { kind: 'rss'; format: FeedFormat }
  | { kind: 'rdf'; format: 'rss0.90' | 'rss1.0' }
  | { kind: 'atom'; format: 'atom0.3' | 'atom1.0' };

export function detectXmlFormat(root: XElement): XmlFamily {
  const local = root.local.toLowerCase();
  if (local === 'rss') return { kind: 'rss', format: rssVersion(root.attrs.version) };
  if (local === 'rdf' && root.key === 'rdf:RDF') {
    const rss090 = Object.values(root.attrs).some((value) => value.trim() === RSS090_NS);
    return { kind: 'rdf', format: rss090 ? 'rss0.90' : 'rss1.0' };
  }
  if (local === 'channel') return { kind: 'rss', format: 'rss' };
  if (local === 'feed') {
    const version = root.attrs.version?.trim();
    if (root.ns === ATOM03_NS || (root.ns !== ATOM10_NS && version?.startsWith('0.'))) return { kind: 'atom', format: 'atom0.3' };
    return { kind: 'atom', format: 'atom1.0' };
  }
  if (local === 'html' || local === 'body' || local === 'head') throw new FeedParseError('parse: not a feed (html page)');
  throw new FeedParseError(`parse: not a feed (root element <${root.qname.slice(0, 40)}>)`);
}

/**
 * A feed wrapped in an HTML page (<html><body><feed xmlns="…Atom">…): some servers and archives
 * serve it so. Only an Atom-namespaced <feed> or a versioned <rss> directly in <html> or its
 * <body> counts, so an ordinary page is still refused.
 */
export function feedInsidePage(root: XElement): XElement | undefined {
  if (root.local.toLowerCase() !== 'html') return undefined;
  for (const node of root.children) {
    if (typeof node === 'string') continue;
    if (isWrappedFeed(node)) return node;
    if (node.local.toLowerCase() !== 'body') continue;
    for (const inner of node.children) if (typeof inner !== 'string' && isWrappedFeed(inner)) return inner;
  }
  return undefined;
}

function isWrappedFeed(el: XElement): boolean {
  return (el.local === 'feed' && (el.ns === ATOM10_NS || el.ns === ATOM03_NS)) || (el.local === 'rss' && el.attrs.version !== undefined);
}

function rssVersion(raw: string | undefined): FeedFormat {
  const version = raw?.trim() ?? '';
  if (/^0\.9[0-4]$/.test(version)) return `rss${version}` as FeedFormat;
  if (version.startsWith('2')) return 'rss2.0';
  return 'rss';
}
