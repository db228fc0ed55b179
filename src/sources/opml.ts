// OPML 2.0 subscription lists: read the feeds out of one (import), write the sources as one
// (export). Pure. Outlines may nest (folders); only those with an xmlUrl are feeds. Read with
// the feed parser's XML reader (bounded entities and depth, recovers from sloppy markup), so
// the bundle carries one XML parser, not two. Written with the feeds' XMLBuilder, which escapes.
import type { Source } from '../model';
import { parseXml, type XElement } from '../parse/xml';
import { cleanText } from '../render/text';
import { buildXml } from '../render/xml';

export interface OpmlFeed {
  url: string;
  name: string | null;
}

export class OpmlError extends Error {
  override name = 'OpmlError';
}

export function parseOpml(text: string): OpmlFeed[] {
  // No DTDs: OPML never needs one, and refusing them is simpler than reasoning about them.
  if (/<!DOCTYPE[^>]*\[|<!ENTITY/i.test(text)) throw new OpmlError('opml: documents with a DTD or entity declarations are not accepted');
  let root: XElement;
  try {
    root = parseXml(text, null).root;
  } catch (err) {
    throw new OpmlError(`opml: not XML (${(err as Error).message})`);
  }
  if (root.local.toLowerCase() !== 'opml') throw new OpmlError(`opml: not an OPML document (root element is <${root.qname}>)`);
  const feeds: OpmlFeed[] = [];
  for (const body of elements(root).filter((el) => el.local.toLowerCase() === 'body')) collect(body, feeds);
  if (feeds.length === 0) throw new OpmlError('opml: no feeds in it (no <outline> with an xmlUrl)');
  return feeds;
}

/** Every outline with an xmlUrl under `parent`, in document order (depth is bounded by the XML reader). */
function collect(parent: XElement, into: OpmlFeed[]): void {
  for (const outline of elements(parent).filter((el) => el.local.toLowerCase() === 'outline')) {
    const url = attribute(outline, 'xmlurl');
    if (url) into.push({ url, name: attribute(outline, 'title') ?? attribute(outline, 'text') });
    collect(outline, into);
  }
}

export function renderOpml(sources: Source[], title: string, now: Date): string {
  // cleanText drops the control characters XML forbids; the builder escapes the rest.
  const outline = sources.map((s) => {
    const name = cleanText(s.name ?? s.url);
    return { '@type': 'rss', '@text': name, '@title': name, '@xmlUrl': cleanText(s.url) };
  });
  return buildXml({
    opml: {
      '@version': '2.0',
      head: { title: `${cleanText(title)} sources`, dateCreated: now.toUTCString() },
      body: { outline },
    },
  });
}

function elements(el: XElement): XElement[] {
  return el.children.filter((node): node is XElement => typeof node === 'object' && node !== null);
}

/** Attribute by name, case-insensitively (xmlUrl, xmlurl, XMLURL all occur). */
function attribute(el: XElement, name: string): string | null {
  for (const [key, value] of Object.entries(el.attrs)) {
    if (key.toLowerCase() === name && value.trim() !== '') return value.trim();
  }
  return null;
}
