// Entity references in XML text. fast-xml-parser runs with entity processing off, so this is
// the one place references are expanded: the five XML entities, character references, the
// document's own internal entities (bounded, see doctype.ts) and, because real feeds use them
// without declaring them, HTML's named entities.
import { decodeHTMLStrict } from 'entities';

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z_][A-Za-z0-9._-]{0,40})?(;)?/g;

export interface EntityContext {
  /** Entities declared in the internal DTD subset, already expanded. */
  declared: Map<string, string>;
  /** True once a bare '&', an unknown or undeclared entity was met (the XML is not well-formed). */
  broken: boolean;
  /** With an external DTD, undeclared names may be defined there: do not count them as errors. */
  externalDtd: boolean;
}

export function decodeEntities(text: string, ctx: EntityContext): string {
  if (text.indexOf('&') < 0) return text;
  return text.replace(REFERENCE, (match, ref: string | undefined, semi: string | undefined) => {
    if (!ref || !semi) {
      ctx.broken = true;
      return match;
    }
    if (ref.charCodeAt(0) === 35 /* # */) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return codePointText(code) ?? ((ctx.broken = true), match);
    }
    const xml = XML_ENTITIES[ref];
    if (xml !== undefined) return xml;
    const own = ctx.declared.get(ref);
    if (own !== undefined) return own;
    const html = decodeHTMLStrict(match);
    if (!ctx.externalDtd) ctx.broken = true;
    return html;
  });
}

/** The text of a character reference, or null when it names no usable character. */
export function codePointText(code: number): string | null {
  if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
  // &#146; and friends mean windows-1252 in practice (as HTML5 reads them), not C1 controls.
  if (code >= 0x80 && code <= 0x9f) return WINDOWS_1252_C1.decode(new Uint8Array([code]));
  return String.fromCodePoint(code);
}

const WINDOWS_1252_C1 = new TextDecoder('windows-1252');
