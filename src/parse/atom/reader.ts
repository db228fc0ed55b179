// Atom 1.0 (RFC 4287) and Atom 0.3 to ParsedFeed fields. Elements are matched in the Atom
// namespace, or without one (Atom 0.3 feeds often omit it).
import type { ParsedItem, Person } from '../../model';
import { parseDate } from '../dates';
import { firstDate } from '../elementDates';
import { htmlValue, readConstruct, titleValue, type Construct, type Dialect } from '../html';
import { mediaCaption, mediaDescription, withText } from '../media';
import type { FeedParts } from '../model';
import { person, personFromText } from '../people';
import { resolveUrl } from '../urls';
import { attr, child, childrenOf, hasElementChildren, textOf, type XElement } from '../xml';

export function readAtom(root: XElement, dialect: 'atom10' | 'atom03'): FeedParts {
  const a = new AtomReader(dialect);
  return {
    feed: {
      title: titleValue(readConstruct(a.child(root, 'title'), dialect)),
      link: a.link(root),
      description: htmlValue(readConstruct(a.child(root, 'subtitle', 'tagline', 'info'), dialect)),
      id: a.id(root),
      updated: a.date(root, 'updated', 'modified'),
      published: a.date(root, 'published', 'issued', 'created'),
      author: a.author(root),
    },
    items: a.children(root, 'entry').map((entry) => a.entry(entry)),
  };
}

/** Key 'atom:<local>' (Atom namespace) or '<local>' (no namespace), e.g. not 'dc:title'. */
function isAtomKey(el: XElement): boolean {
  return el.key === el.local || (el.key.length === el.local.length + 5 && el.key.startsWith('atom:'));
}

class AtomReader {
  constructor(private readonly dialect: Dialect) {}

  entry(entry: XElement): ParsedItem {
    const contentEl = this.child(entry, 'content');
    // Out-of-line content (src=) has no body to show.
    const content = contentEl && attr(contentEl, 'src') === undefined ? withText(readConstruct(contentEl, this.dialect)) : null;
    const summary = withText(readConstruct(this.child(entry, 'summary'), this.dialect));
    return {
      id: this.id(entry),
      title: titleValue(readConstruct(this.child(entry, 'title'), this.dialect)),
      link: this.link(entry),
      // An entry with neither summary nor content takes what else describes it (fallbackText).
      summary: htmlValue(summary ?? (content ? null : this.fallbackText(entry))),
      content: htmlValue(content),
      // Dublin Core dates stand in for feeds that use them instead of Atom's.
      published: this.date(entry, 'published', 'issued', 'created', 'pubDate') ?? firstDate(entry, 'dcterms:issued', 'dcterms:created'),
      updated: this.date(entry, 'updated', 'modified') ?? firstDate(entry, 'dc:date', 'dcterms:modified'),
      author: this.author(entry) ?? (childrenOf(entry, 'dc:creator', 'itunes:author').map((el) => personFromText(textOf(el))).find(Boolean) ?? null),
    };
  }

  /** A <description>/<abstract> written in Atom, a Dublin Core or iTunes description, Media RSS text (YouTube), else a caption. */
  fallbackText(entry: XElement): Construct | null {
    const written = this.child(entry, 'description', 'abstract') ?? child(entry, 'dc:description', 'itunes:summary');
    return withText(readConstruct(written, 'rss')) ?? withText(mediaDescription(entry)) ?? mediaCaption(entry);
  }

  /** Atom elements with the given local names, in the Atom namespace or none. */
  children(el: XElement, ...names: string[]): XElement[] {
    const out: XElement[] = [];
    for (const node of el.children) {
      if (typeof node !== 'string' && names.includes(node.local) && isAtomKey(node)) out.push(node);
    }
    return out;
  }

  child(el: XElement, ...names: string[]): XElement | undefined {
    for (const name of names) {
      for (const node of el.children) {
        if (typeof node !== 'string' && node.local === name && isAtomKey(node)) return node;
      }
    }
    return undefined;
  }

  /** The id as written; a relative one (rare, but seen) is resolved against its base. */
  id(el: XElement): string | null {
    const idEl = this.child(el, 'id');
    const id = textOf(idEl);
    if (!id || !idEl) return null;
    return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(id) ? id : resolveUrl(id, idEl.base);
  }

  /** rel="alternate" (the default), preferring HTML; links without href are ignored. */
  link(el: XElement): string | null {
    let best: { href: string; score: number } | null = null;
    for (const link of this.children(el, 'link')) {
      // Some generators put the URL in the element's text instead of href.
      const href = (attr(link, 'href') ?? textOf(link) ?? '').trim();
      if (!href) continue;
      const rel = (attr(link, 'rel') ?? 'alternate').trim().toLowerCase();
      if (rel !== 'alternate' && rel !== 'http://www.iana.org/assignments/relation/alternate') continue;
      const type = (attr(link, 'type') ?? 'text/html').toLowerCase();
      const score = type.includes('html') ? 2 : 1;
      if (!best || score > best.score) best = { href: resolveUrl(href, link.base), score };
    }
    return best?.href ?? null;
  }

  /** The last valid value of the first element name present (later elements restate earlier ones). */
  date(el: XElement, ...names: string[]): string | null {
    for (const name of names) {
      let last: string | null = null;
      for (const node of el.children) {
        if (typeof node === 'string' || node.local !== name || !isAtomKey(node)) continue;
        last = parseDate(textOf(node)) ?? last;
      }
      if (last !== null) return last;
    }
    return null;
  }

  /** The first author (else contributor) that names someone: an empty <author/> hides nothing. */
  author(el: XElement): Person | null {
    for (const authorEl of [...this.children(el, 'author'), ...this.children(el, 'contributor')]) {
      const uri = this.child(authorEl, 'uri', 'url', 'homepage');
      const href = textOf(uri);
      const found = person(textOf(this.child(authorEl, 'name')), textOf(this.child(authorEl, 'email')), href && uri ? resolveUrl(href, uri.base) : null) ??
        // <author>Ana Lima</author>: a name written as the element's text, as in RSS.
        (hasElementChildren(authorEl) ? null : personFromText(textOf(authorEl)));
      if (found) return found;
    }
    return null;
  }
}
