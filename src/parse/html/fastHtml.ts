// Fast path for the common case: feed HTML made of allow-listed HTML elements (see
// allowList.ts), as content management systems write it. The input is rebuilt token by token:
// tags are re-serialised from what was validated (allowed attributes only, values escaped, URLs
// checked and resolved; other attributes such as class, style, srcset or on* are dropped),
// comments are dropped, and text passes through with '>' and bare '&' escaped. '<' never
// passes through as text, so nothing outside the allow-list can get out.
// Anything unusual returns null and the caller falls back to the full sanitiser: elements that
// are not allowed (script, iframe, svg, ...), a '<' that starts no tag, self-closed non-void
// elements, unbalanced nesting, odd attribute syntax or URLs.
import { decodeHTMLAttribute } from 'entities';
import { CONTENT_LINK_SCHEMES, schemeOf } from '../../util/urlSchemes';
import { HTML_ALLOWED, URL_ATTRS, VOID_TAGS } from './allowList';
import { resolveUrl } from '../urls';

const GT = 62; // >
const SLASH = 47; // /
const BANG = 33; // !
const EQUALS = 61; // =
const DQUOTE = 34; // "
const SQUOTE = 39; // '

/** '&' that does not start a character reference. */
const ATTR_NAME = /^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/;

/** What the fast path needs to know of an allowed element, found with one lookup per tag. */
interface TagRule {
  name: string;
  attrs: readonly string[];
  isVoid: boolean;
}

const TAG_RULES: ReadonlyMap<string, TagRule> = new Map(
  [...HTML_ALLOWED].map(([name, attrs]): [string, TagRule] => [name, { name, attrs, isVoid: VOID_TAGS.has(name) }]),
);

export function fastSanitize(html: string, base: string | null): string | null {
  // Tokens that are already in their safe, canonical form are not copied one by one:
  // html[copied..] is still to be taken verbatim, `out` holds everything before it.
  let out = '';
  let copied = 0;
  const open: string[] = [];
  const end = html.length;
  // The next '>' and '&' at or after i (end when there is none), found by indexOf and kept
  // until passed: text runs are checked against them, not character by character.
  let nextGt = -1;
  let nextAmp = -1;
  let i = 0;
  while (i < end) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? end : lt;
    if (textEnd > i) {
      if (nextGt < i) nextGt = indexOrEnd(html, '>', i);
      if (nextAmp < i) nextAmp = indexOrEnd(html, '&', i);
      // Escaping changes a run only when it holds a '>' or a bare '&'; otherwise it stays verbatim.
      if (nextGt < textEnd || (nextAmp < textEnd && hasBareAmpersand(html, nextAmp, textEnd))) {
        out += html.slice(copied, i) + escapeTextRun(html.slice(i, textEnd));
        copied = textEnd;
      }
    }
    if (lt < 0) break;
    const next = html.charCodeAt(lt + 1);
    let canonical: string | null = null; // what the tag becomes, when not as written
    if (next === SLASH) {
      const tag = readEndTag(html, lt);
      if (tag === null || open.pop() !== tag.name) return null;
      if (tag.end !== lt + tag.name.length + 3 || !html.startsWith(tag.name, lt + 2)) canonical = `</${tag.name}>`;
      i = tag.end;
    } else if (next === BANG) {
      if (!html.startsWith('<!--', lt)) return null;
      const close = html.indexOf('-->', lt + 4);
      if (close < 0) return null;
      canonical = ''; // comments are dropped
      i = close + 3;
    } else if (isLetter(next)) {
      const tag = readStartTag(html, lt, base);
      if (tag === null) return null;
      const isVoid = tag.rule.isVoid;
      if (!isVoid && tag.selfClosing) return null;
      const name = tag.rule.name;
      if (!isVoid) open.push(name);
      if (isVoid || tag.attrs !== '' || tag.end !== lt + name.length + 2 || !html.startsWith(name, lt + 1)) {
        const written = isVoid ? `<${name}${tag.attrs} />` : `<${name}${tag.attrs}>`;
        if (written.length !== tag.end - lt || !html.startsWith(written, lt)) canonical = written;
      }
      i = tag.end;
    } else {
      return null;
    }
    if (canonical !== null) {
      out += html.slice(copied, lt) + canonical;
      copied = i;
    }
  }
  if (open.length > 0) return null;
  return copied === 0 ? html : out + html.slice(copied);
}

function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at < 0 ? text.length : at;
}

/** Whether an '&' from `amp` (the first in the run) up to `to` starts no character reference (startsReference): a bare one, which escapeTextRun escapes. */
function hasBareAmpersand(text: string, amp: number, to: number): boolean {
  while (amp >= 0 && amp < to) {
    if (!startsReference(text, amp)) return true;
    amp = text.indexOf('&', amp + 1);
  }
  return false;
}

/** `&#1-7 digits;`, `&#x1-6 hex digits;` or `&name;` (a letter and 1-31 letters or digits) at `amp`. */
function startsReference(text: string, amp: number): boolean {
  let i = amp + 1;
  if (text.charCodeAt(i) === 35 /* # */) {
    i++;
    const hex = text.charCodeAt(i) === 120 || text.charCodeAt(i) === 88; // x X
    if (hex) i++;
    const start = i;
    const max = hex ? 6 : 7;
    while (i - start < max && (hex ? isHexDigit(text.charCodeAt(i)) : isDigit(text.charCodeAt(i)))) i++;
    return i > start && text.charCodeAt(i) === 59; // ;
  }
  if (!isLetter(text.charCodeAt(i))) return false;
  i++;
  const start = i;
  while (i - start < 31 && isNameChar(text.charCodeAt(i))) i++;
  return i > start && text.charCodeAt(i) === 59;
}

/** Text between tags, made safe to copy: bare `&` and `>` escaped, entities left as they are. */
function escapeTextRun(text: string): string {
  let escaped = '';
  let copied = 0;
  for (let amp = text.indexOf('&'); amp >= 0; amp = text.indexOf('&', amp + 1)) {
    if (startsReference(text, amp)) continue;
    escaped += `${text.slice(copied, amp)}&amp;`;
    copied = amp + 1;
  }
  const amp = copied === 0 ? text : escaped + text.slice(copied);
  return amp.indexOf('>') >= 0 ? amp.replace(/>/g, '&gt;') : amp;
}

/** `</name>` (space allowed before '>'), name lower-cased; null when it is anything else. */
function readEndTag(html: string, lt: number): { name: string; end: number } | null {
  const nameEnd = tagNameEnd(html, lt + 2);
  if (nameEnd === lt + 2) return null;
  const i = skipSpace(html, nameEnd);
  if (html.charCodeAt(i) !== GT) return null;
  const rule = TAG_RULES.get(lowerCaseName(html, lt + 2, nameEnd));
  if (!rule || rule.isVoid) return null;
  return { name: rule.name, end: i + 1 };
}

/** End of the tag name (ASCII letters and digits) that starts at `from`. */
function tagNameEnd(html: string, from: number): number {
  let i = from;
  while (i < html.length && isNameChar(html.charCodeAt(i))) i++;
  return i;
}

/** html[from..to) lower-cased, copied once (most names are written in lower case already). */
function lowerCaseName(html: string, from: number, to: number): string {
  const name = html.slice(from, to);
  for (let i = from; i < to; i++) {
    const c = html.charCodeAt(i);
    if (c >= 65 && c <= 90) return name.toLowerCase();
  }
  return name;
}

interface StartTag {
  rule: TagRule;
  /** Serialised allowed attributes, each with a leading space. */
  attrs: string;
  selfClosing: boolean;
  end: number;
}

function readStartTag(html: string, lt: number, base: string | null): StartTag | null {
  const length = html.length;
  let i = tagNameEnd(html, lt + 1);
  const rule = TAG_RULES.get(lowerCaseName(html, lt + 1, i));
  if (!rule) return null;
  const allowed = rule.attrs;
  let attrs = '';
  let seen: string[] | null = null;
  for (;;) {
    const before = i;
    i = skipSpace(html, i);
    if (i >= length) return null;
    const c = html.charCodeAt(i);
    if (c === GT) return { rule, attrs, selfClosing: false, end: i + 1 };
    if (c === SLASH) {
      if (html.charCodeAt(i + 1) !== GT) return null;
      return { rule, attrs, selfClosing: true, end: i + 2 };
    }
    if (i === before) return null; // attributes must be separated by space
    const nameStart = i;
    while (i < length && isAttrNameChar(html.charCodeAt(i))) i++;
    const attrName = plainAttributeName(html, nameStart, i);
    if (attrName === null) return null;
    let valueStart = i;
    let valueEnd = i; // a valueless attribute reads as ''
    const afterName = skipSpace(html, i);
    if (html.charCodeAt(afterName) === EQUALS) {
      i = skipSpace(html, afterName + 1);
      const quote = html.charCodeAt(i);
      if (quote === DQUOTE || quote === SQUOTE) {
        const close = html.indexOf(quote === DQUOTE ? '"' : "'", i + 1);
        if (close < 0) return null;
        valueStart = i + 1;
        valueEnd = close;
        i = close + 1;
      } else {
        valueStart = i;
        while (i < length && isUnquotedValueChar(html.charCodeAt(i))) i++;
        if (i === valueStart) return null;
        valueEnd = i;
      }
    }
    // Attributes not on the list are dropped; browsers keep the first of repeated ones.
    if (!allowed.includes(attrName)) continue;
    seen ??= [];
    if (seen.includes(attrName)) continue;
    seen.push(attrName);
    const serialised = attribute(attrName, html.slice(valueStart, valueEnd), base);
    if (serialised === null) return null;
    attrs += serialised;
  }
}

/** html[from..to) lower-cased when it is a plain attribute name (ATTR_NAME), else null. */
function plainAttributeName(html: string, from: number, to: number): string | null {
  if (from === to || !isAttrNameStart(html.charCodeAt(from))) return fromNonAscii(html, from, to);
  for (let i = from + 1; i < to; i++) {
    const c = html.charCodeAt(i);
    if (!isAttrNameStart(c) && !isDigit(c) && c !== 45 /* - */ && c !== 46 /* . */) return fromNonAscii(html, from, to);
  }
  return lowerCaseName(html, from, to);
}

/** A name with other characters is plain only if lower-casing makes it so (the Kelvin sign is a 'k'). */
function fromNonAscii(html: string, from: number, to: number): string | null {
  for (let i = from; i < to; i++) {
    if (html.charCodeAt(i) > 127) {
      const lower = html.slice(from, to).toLowerCase();
      return ATTR_NAME.test(lower) ? lower : null;
    }
  }
  return null;
}

function isAttrNameStart(c: number): boolean {
  return isLetter(c) || c === 95 /* _ */ || c === 58; /* : */
}

function attribute(name: string, raw: string, base: string | null): string | null {
  const decoded = raw.indexOf('&') >= 0 ? decodeHTMLAttribute(raw) : raw;
  const value = URL_ATTRS.has(name) ? safeUrl(decoded, base) : decoded;
  if (value === null) return null;
  return ` ${name}="${/[&"<]/.test(value) ? value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;') : value}"`;
}

/** Absolute URL with an allowed scheme, a plain relative one, or null for anything else. */
function safeUrl(value: string, base: string | null): string | null {
  const trimmed = value.trim();
  if (/[\u0000-\u0020\u007f]/.test(trimmed)) return null;
  // An absolute URL is its own resolution: its scheme is read once.
  const written = schemeOf(trimmed);
  const resolved = written !== undefined ? trimmed : resolveUrl(trimmed, base);
  const scheme = written ?? schemeOf(resolved);
  if (scheme === undefined) return /^[/?#.\w]/.test(resolved) && !resolved.startsWith('//') ? resolved : null;
  return CONTENT_LINK_SCHEMES.has(scheme) ? resolved : null;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isNameChar(c: number): boolean {
  return isLetter(c) || isDigit(c);
}

/** Up to the next space, '/', '>', '=' or quote; ATTR_NAME then says whether the name is plain. */
function isAttrNameChar(c: number): boolean {
  return !isSpace(c) && c !== SLASH && c !== GT && c !== EQUALS && c !== DQUOTE && c !== SQUOTE && c !== 60;
}

/** HTML unquoted attribute values: no space, quotes, '=', '<', '>' or backtick. */
function isUnquotedValueChar(c: number): boolean {
  return !isSpace(c) && c !== DQUOTE && c !== SQUOTE && c !== EQUALS && c !== 60 && c !== GT && c !== 96;
}
