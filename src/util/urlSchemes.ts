// Which URL schemes pass, as one rule. Three sets because there are three needs, each a superset
// of the one before:
// - WEB_SCHEMES: what we fetch (sources, redirects) and what we link to as an article or a story
//   (item links, canonical article URLs, links in our own feeds and pages). A reader clicks it
//   expecting a web page; `mailto:` or `javascript:` there would be a surprise at best.
// - CONTENT_LINK_SCHEMES: `href`/`src`/`cite` inside sanitised article HTML. Writers link
//   addresses and phone numbers (mailto:, tel:) and the odd ftp: file; never script
//   (javascript:, vbscript:) nor data: (markup smuggled past the sanitiser).
// - BASE_SCHEMES: a document URL or xml:base that relative references resolve against. Nothing
//   resolves against an identifier (tag:, urn:, data: …), but a feed that declares one as its base
//   still overrides the outer base, so its relative references stay as written instead of being
//   resolved against a URL the feed said is not theirs. Script schemes are refused here too.

export type SchemeSet = ReadonlySet<string>;

export const WEB_SCHEMES: SchemeSet = new Set(['http', 'https']);
export const CONTENT_LINK_SCHEMES: SchemeSet = new Set([...WEB_SCHEMES, 'mailto', 'ftp', 'tel']);
export const BASE_SCHEMES: SchemeSet = new Set([...CONTENT_LINK_SCHEMES, 'urn', 'tag', 'magnet', 'news', 'data']);

/** The lower-case scheme (no colon) a reference starts with, or undefined for a relative one. */
export function schemeOf(reference: string): string | undefined {
  return /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(reference)?.[1]?.toLowerCase();
}

/** Whether a parsed URL's scheme is in `allowed`. */
export function hasScheme(url: URL, allowed: SchemeSet): boolean {
  return allowed.has(url.protocol.slice(0, -1));
}
