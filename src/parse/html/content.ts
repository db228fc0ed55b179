// Text constructs: how a title, summary or content element says what it holds (plain text,
// escaped HTML, inline XHTML, base64) and how that becomes stored text or sanitised HTML.
import { child, escapeText, hasElementChildren, innerMarkup, isElement, textContent, XHTML_NS, type XElement } from '../xml';
import { sanitizeFeedHtml } from './sanitize';

/** What an element holds, before sanitising: HTML markup or plain text. */
export interface Construct {
  html: boolean;
  value: string;
  base: string | null;
}

export type Dialect = 'atom10' | 'atom03' | 'rss';

export function readConstruct(el: XElement | undefined, dialect: Dialect): Construct | null {
  if (!el) return null;
  if (dialect === 'rss') return rssConstruct(el);
  const type = (el.attrs.type ?? '').trim().toLowerCase();
  const mode = (el.attrs.mode ?? '').trim().toLowerCase();
  const kind = kindOf(type, dialect);
  if (kind === null) return null;
  if (mode === 'base64' || kind === 'binary') {
    // Text that is not base64 of UTF-8 after all is read as written, as feedparser does.
    const decoded = fromBase64(textContent(el));
    if (decoded !== null) {
      const sniff = kind === 'binary' || (dialect === 'atom03' && type === '');
      return { html: kind === 'html' || kind === 'xml' || (sniff && hasCommonHtmlTags(decoded)), value: decoded, base: el.base };
    }
    if (kind === 'binary') return { html: false, value: textContent(el), base: el.base };
  }
  if (kind === 'xhtml' || kind === 'xml' || (dialect === 'atom03' && mode !== 'escaped' && hasElementChildren(el))) {
    const wrapper = dialect === 'atom10' && kind === 'xhtml' ? soleXhtmlDiv(el) : undefined;
    return { html: true, value: innerMarkup(wrapper ?? el), base: el.base };
  }
  return { html: kind === 'html', value: textContent(el), base: el.base };
}

/** RSS says nothing about markup: element children are "naked" HTML, text is treated as HTML. */
function rssConstruct(el: XElement): Construct {
  if (hasElementChildren(el)) {
    const body = child(el, 'xhtml:div', 'xhtml:body');
    return { html: true, value: innerMarkup(body && el.children.filter(isElement).length === 1 ? body : el), base: el.base };
  }
  return { html: true, value: textContent(el), base: el.base };
}

function kindOf(type: string, dialect: Dialect): 'text' | 'html' | 'xhtml' | 'xml' | 'binary' | null {
  if (type === '' || type === 'text' || type === 'text/plain') return 'text';
  if (type === 'html' || type === 'text/html') return 'html';
  if (type === 'xhtml' || type === 'application/xhtml+xml') return 'xhtml';
  if (type.endsWith('+xml') || type.endsWith('/xml')) return 'xml';
  if (type.startsWith('text/')) return 'text';
  // Atom 1.0: any other MIME type is base64. A type that is no MIME type at all
  // (type="plain", type="something") is read as text, as feedparser reads it.
  return dialect === 'atom10' && MIME_TYPE.test(type) ? 'binary' : 'text';
}

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

const HTML_TAG = /<\/?(a|abbr|acronym|b|big|blockquote|br|cite|code|dd|del|div|dl|dt|em|font|h[1-6]|hr|i|img|ins|kbd|li|ol|p|pre|q|s|small|span|strike|strong|sub|sup|table|td|th|tr|tt|u|ul)\b[^>]*>/i;

/** Untyped legacy content: HTML if it contains common HTML tags. */
function hasCommonHtmlTags(text: string): boolean {
  return HTML_TAG.test(text);
}

function soleXhtmlDiv(el: XElement): XElement | undefined {
  const elements = el.children.filter(isElement);
  const only = elements[0];
  if (elements.length !== 1 || !only || only.local !== 'div') return undefined;
  return only.ns === XHTML_NS || only.ns === '' ? only : undefined;
}

/** Base64 of UTF-8 text, decoded; null when the text is not that (bad alphabet or length, invalid UTF-8). */
function fromBase64(text: string): string | null {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return null;
  try {
    const binary = atob(compact);
    const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
    return STRICT_UTF8.decode(bytes);
  } catch {
    return null;
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Stored form of a title: plain text stays plain text, HTML is sanitised. */
export function titleValue(construct: Construct | null): string | null {
  if (!construct) return null;
  const value = construct.html ? sanitizeFeedHtml(construct.value, construct.base) : construct.value;
  return value.trim();
}

/** Stored form of a summary or content: always sanitised HTML (plain text is escaped). */
export function htmlValue(construct: Construct | null): string | null {
  if (!construct) return null;
  const value = construct.html ? sanitizeFeedHtml(construct.value, construct.base) : escapeText(construct.value);
  return value.trim();
}

/** RSS titles are plain text unless they carry markup (escaped or naked). */
export function rssTitle(el: XElement | undefined): string | null {
  const construct = readConstruct(el, 'rss');
  if (!construct) return null;
  return titleValue({ ...construct, html: /<[A-Za-z/!]/.test(construct.value) });
}
