// Entity references in XML text and attribute values. The scanner leaves them alone, so this is
// the one place references are expanded: the five XML entities, character references, the
// document's own internal entities (bounded, see doctype.ts) and, because real feeds use them
// without declaring them, HTML's named entities.
import { decodeHTMLStrict } from 'entities';
import { isAllowedCodePoint } from '../../util/xmlChars';
import { FeedParseError } from '../errors';

const XML_ENTITIES = new Map([['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"]]);

export interface EntityContext {
  /** Entities declared in the internal DTD subset, already expanded. */
  declared: Map<string, string>;
  /** True once a bare '&', an unknown or undeclared entity was met (the XML is not well-formed). */
  broken: boolean;
  /** With an external DTD, undeclared names may be defined there: do not count them as errors. */
  externalDtd: boolean;
  /** Characters that references to declared entities may still produce in this document. */
  expansionBudget: number;
}

/**
 * Budget on the *output* of declared-entity references per document. doctype.ts bounds the
 * declarations (256 KiB in all), but one 16 KiB entity referenced 10,000 times from a 46 KB
 * document would still make 160 million characters. Real feeds declare short entities (a
 * character, a name, a line of boilerplate) and produce a few KB with them; 1 Mi characters is
 * far above that, four times what the declarations alone may hold, and at most 2 MiB of string
 * memory (1/64 of a Worker's 128 MB). The other references cannot amplify: the five XML
 * entities, character references and HTML names all produce fewer characters than they take.
 */
export const MAX_ENTITY_OUTPUT_CHARS = 1024 * 1024;

const MAX_NAME = 41;
const MAX_DIGITS = 8;

/**
 * Text with every reference expanded; one pass, slices copied between references and joined
 * once. Joined, not `+=`: that builds a rope of hundreds of pieces for an escaped HTML body,
 * and kept in the tree the pieces survive garbage collections until a first read flattens them
 * (a fifth of the time an Atom feed of escaped HTML took).
 */
export function decodeEntities(text: string, ctx: EntityContext): string {
  let amp = text.indexOf('&');
  if (amp < 0) return text;
  const parts: string[] = [];
  let copied = 0;
  while (amp >= 0) {
    // Escaped HTML is mostly &lt; &gt; &quot; &amp;: read those in place, without a slice and a lookup.
    const predefined = predefinedAt(text, amp);
    if (predefined !== null) {
      parts.push(text.slice(copied, amp), predefined);
      copied = amp + predefinedLength(predefined);
      amp = text.indexOf('&', copied);
      continue;
    }
    const end = referenceEnd(text, amp);
    if (end < 0) {
      ctx.broken = true; // a bare '&', kept as written
      amp = text.indexOf('&', amp + 1);
      continue;
    }
    const expansion = expand(text.slice(amp + 1, end), ctx);
    if (expansion !== null) {
      parts.push(text.slice(copied, amp), expansion);
      copied = end + 1;
    }
    amp = text.indexOf('&', end + 1);
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/** The character one of the five XML entities at `amp` stands for (`&lt;`, `&amp;`…), else null. */
function predefinedAt(text: string, amp: number): string | null {
  const c = text.charCodeAt(amp + 1);
  if (c === 108 /* l */ || c === 103 /* g */) {
    if (text.charCodeAt(amp + 2) !== 116 /* t */ || text.charCodeAt(amp + 3) !== 59 /* ; */) return null;
    return c === 108 ? '<' : '>';
  }
  if (c === 97 /* a */) {
    const d = text.charCodeAt(amp + 2);
    if (d === 109 /* m */) return text.charCodeAt(amp + 3) === 112 /* p */ && text.charCodeAt(amp + 4) === 59 ? '&' : null;
    if (d !== 112 /* p */) return null;
    return text.charCodeAt(amp + 3) === 111 /* o */ && text.charCodeAt(amp + 4) === 115 /* s */ && text.charCodeAt(amp + 5) === 59 ? "'" : null;
  }
  if (c === 113 /* q */) {
    const ok = text.charCodeAt(amp + 2) === 117 /* u */ && text.charCodeAt(amp + 3) === 111 /* o */ && text.charCodeAt(amp + 4) === 116 /* t */;
    return ok && text.charCodeAt(amp + 5) === 59 ? '"' : null;
  }
  return null;
}

/** Length of the reference predefinedAt read: `&lt;` `&gt;`, `&amp;`, `&quot;` `&apos;`. */
function predefinedLength(expansion: string): number {
  return expansion === '<' || expansion === '>' ? 4 : expansion === '&' ? 5 : 6;
}

/** Index of the ';' closing the reference that starts at `amp`, or -1 when there is none. */
function referenceEnd(text: string, amp: number): number {
  let i = amp + 1;
  if (text.charCodeAt(i) === 35 /* # */) {
    i++;
    const hex = text.charCodeAt(i) === 120 || text.charCodeAt(i) === 88; // x X
    if (hex) i++;
    const start = i;
    while (i - start < MAX_DIGITS && (hex ? isHexDigit(text.charCodeAt(i)) : isDigit(text.charCodeAt(i)))) i++;
    if (i === start) return -1;
  } else {
    if (!isNameStart(text.charCodeAt(i))) return -1;
    const start = i;
    i++;
    while (i - start < MAX_NAME && isNameChar(text.charCodeAt(i))) i++;
  }
  return text.charCodeAt(i) === 59 /* ; */ ? i : -1;
}

/** The text a reference (without '&' and ';') stands for; null keeps it as written. */
function expand(ref: string, ctx: EntityContext): string | null {
  if (ref.charCodeAt(0) === 35 /* # */) {
    const hex = ref.charCodeAt(1) === 120 || ref.charCodeAt(1) === 88;
    const text = codePointText(parseInt(ref.slice(hex ? 2 : 1), hex ? 16 : 10));
    if (text === null || text === '') ctx.broken = true; // no character, or one XML 1.0 forbids
    return text;
  }
  const xml = XML_ENTITIES.get(ref);
  if (xml !== undefined) return xml;
  const own = ctx.declared.get(ref);
  if (own !== undefined) {
    ctx.expansionBudget -= own.length;
    if (ctx.expansionBudget < 0) {
      throw new FeedParseError(`xml: entity expansion budget exceeded (declared entities would produce more than ${MAX_ENTITY_OUTPUT_CHARS} characters; entity bomb?)`);
    }
    return own;
  }
  if (!ctx.externalDtd) ctx.broken = true;
  const html = decodeHTMLStrict(`&${ref};`);
  return html === `&${ref};` ? null : html;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || isDigit(c) || c === 46 || c === 45;
}

/** The text of a character reference, or null when it names no usable character. */
export function codePointText(code: number): string | null {
  if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
  // &#146; and friends mean windows-1252 in practice (as HTML5 reads them), not C1 controls.
  if (code >= 0x80 && code <= 0x9f) return WINDOWS_1252_C1.decode(new Uint8Array([code]));
  // A reference to a control character or a noncharacter (`&#1;`, `&#xFFFF;`) stands for
  // something no output may carry (util/xmlChars.ts): it reads as nothing.
  if (!isAllowedCodePoint(code)) return '';
  return String.fromCodePoint(code);
}

const WINDOWS_1252_C1 = new TextDecoder('windows-1252');
