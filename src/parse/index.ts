// parseFeed: bytes (or text) of a fetched feed to "what the feed says" (ParsedFeed).
// Pipeline: decode charset -> detect JSON or XML -> tree -> format reader. Pure: no I/O.
// Folders by concern, each entered through its index.ts: charset/ (bytes to text), xml/ (text
// to element tree), html/ (text constructs, sanitising), one reader per format (rss/, rdf/,
// atom/, json/) sharing the output type in model.ts.
import type { ParsedFeed } from '../model';
import { readAtom } from './atom';
import { decodeBytes } from './charset';
import { detectXmlFormat, feedInsidePage, type XmlFamily } from './detect';
import { FeedParseError } from './errors';
import { readJsonFeed } from './json';
import type { FeedParts } from './model';
import { readRdf } from './rdf';
import { readRss } from './rss';
import { tidyTexts } from './tidyText';
import { usableBase } from './urls';
import { codePointText, parseXml, type XElement } from './xml';

export { FeedParseError } from './errors';
export { parseDate } from './dates';

export interface ParseOptions {
  /** URL the document was fetched from (after redirects, or Content-Location): base for relative links. */
  url?: string | null;
  /** HTTP Content-Type header, for its charset. */
  contentType?: string | null;
}

/** Larger than any real feed; the fetcher caps well below this. */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

export function parseFeed(input: Uint8Array | ArrayBuffer | string, options: ParseOptions = {}): ParsedFeed {
  const { text, encoding, trusted } = toText(input, options.contentType);
  const base = usableBase(options.url);
  const start = firstNonSpace(text);
  if (start < 0) throw new FeedParseError('parse: empty document');
  if (looksBinary(text)) throw new FeedParseError('parse: not a feed (binary data)');

  if (text[start] === '{' || text[start] === '[') {
    const json = readJsonFeed(text, base);
    const { feed, items } = tidyTexts(json);
    return { format: json.format, encoding, wellformed: trusted, feed, items };
  }
  // Output ahead of the feed (a PHP warning printed before it) is cut off and the feed read, flagged.
  const from = text[start] === '<' ? afterLeadingMarkup(text, start) : feedAfterJunk(text);
  if (from < 0) throw new FeedParseError('parse: not a feed (neither XML nor JSON)');
  const page = /^<!doctype html|^<html[\s>]/i.test(text.slice(from, from + 20));
  // An HTML page is read only when it may wrap a feed (feedInsidePage decides).
  if (page && !/<(?:feed|rss)[\s>]/.test(text)) throw new FeedParseError('parse: not a feed (html page)');

  // One scan for the rare repairs below; most documents need neither.
  const markup = from === start ? text : text.slice(from);
  const needsRepair = SUSPECT_CHARS.test(markup);
  const cleaned = needsRepair ? stripControlChars(markup) : markup;
  const doc = parseXml(needsRepair ? windows1252Controls(cleaned) : cleaned, base);
  const wrapped = feedInsidePage(doc.root);
  const root = wrapped ?? doc.root;
  const family = detectXmlFormat(root);
  const parts = readXmlFeed(family, root);
  return {
    format: family.format,
    encoding,
    wellformed: trusted && doc.wellformed && from === start && cleaned === text && !wrapped,
    feed: parts.feed,
    items: parts.items,
  };
}

/** The format's reader, its text fields then tidied as JSON Feed's are (tidyText.ts). */
function readXmlFeed(family: XmlFamily, root: XElement): FeedParts {
  if (family.kind === 'atom') return tidyTexts(readAtom(root, family.format === 'atom0.3' ? 'atom03' : 'atom10'));
  return tidyTexts(family.kind === 'rdf' ? readRdf(root) : readRss(root));
}

function toText(input: Uint8Array | ArrayBuffer | string, contentType: string | null | undefined) {
  if (typeof input === 'string') {
    if (input.length > MAX_DOCUMENT_BYTES) throw new FeedParseError('parse: document too large');
    return { text: input.charCodeAt(0) === 0xfeff ? input.slice(1) : input, encoding: 'utf-8', trusted: true };
  }
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) throw new FeedParseError('parse: document too large');
  return decodeBytes(bytes, contentType);
}

/** Where an XML declaration or a feed root (versioned <rss>, namespaced <feed>, <rdf:RDF>) starts in
 * the first 64 KiB after some other text; -1 if nowhere, so text that only mentions <rss> is no feed. */
function feedAfterJunk(text: string): number {
  return text.slice(0, 65_536).search(/<\?xml\s|<rss\s[^>]*version=|<feed\s[^>]*xmlns=|<rdf:RDF\s/);
}

/** `start`, or where the feed begins when the document opens with the HTML a server prints for an
 * error (<br />, <b>Warning</b>, <font>…) ahead of it: a late XML declaration or a feed root. */
function afterLeadingMarkup(text: string, start: number): number {
  if (!/^<(?:br|b|p|div|pre|font|span|strong|table|i|h[1-6])[\s>/]/i.test(text.slice(start, start + 8))) return start;
  const found = feedAfterJunk(text);
  return found < 0 ? start : found;
}

function firstNonSpace(text: string): number {
  const match = /\S/.exec(text);
  return match ? match.index : -1;
}

/** NULs or a high share of control characters near the start: an image, archive or garbage. */
function looksBinary(text: string): boolean {
  const head = text.slice(0, 1024);
  if (head.includes('\u0000')) return true;
  const controls = head.match(/[\u0001-\u0008\u000e-\u001f\ufffd]/g)?.length ?? 0;
  return controls > head.length / 10;
}

/** Characters XML forbids (C0 controls) or that show a decoding slip (C1 controls). */
const SUSPECT_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u0080-\u009f]/;

/** C1 controls (U+0080-U+009F) in text are windows-1252 punctuation that went through the wrong decoder. */
function windows1252Controls(text: string): string {
  if (!/[\u0080-\u009f]/.test(text)) return text;
  return text.replace(/[\u0080-\u009f]/g, (ch) => codePointText(ch.charCodeAt(0)) ?? ch);
}

/** Control characters XML forbids turn up in real feeds (pasted text); drop them. */
function stripControlChars(text: string): string {
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text) ? text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '') : text;
}
