// Fast path for the common case: feed HTML made only of plain, allow-listed tags and
// attributes. Such input is rebuilt token by token (tags re-serialised from what was
// validated, text passed through only when it holds no markup), so nothing outside the
// allow-list can get through. Anything unusual (comments, unknown tags or attributes, odd
// URLs, unbalanced nesting) returns null and the caller falls back to sanitize-html.
import { decodeHTML } from 'entities';
import { resolveUrl } from './urls';

const ATTRS: Record<string, readonly string[]> = {
  a: ['href', 'title', 'rel', 'name'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  blockquote: ['cite'],
  q: ['cite'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
  time: ['datetime'],
  ol: ['start'],
};
const PLAIN = [
  'p', 'br', 'b', 'i', 'em', 'strong', 'u', 's', 'small', 'sub', 'sup', 'span', 'div', 'ul', 'ol', 'li', 'h1',
  'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'code', 'pre', 'cite', 'figure', 'figcaption', 'dl', 'dt', 'dd', 'abbr',
  'mark', 'table', 'thead', 'tbody', 'tr', 'caption', 'section', 'article', 'header', 'footer', 'aside',
];
for (const tag of PLAIN) ATTRS[tag] ??= ['title'];
const VOID = new Set(['br', 'hr', 'img']);
const URL_ATTRS = new Set(['href', 'src', 'cite']);

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))?)*)\s*(\/?)>/y;
const ATTR = /\s+([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>=`]+)))?/y;
const TEXT_ENTITY = /&(?!(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)/g;

export function fastSanitize(html: string, base: string | null): string | null {
  let out = '';
  const stack: string[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? html.length : lt;
    if (textEnd > i) out += html.slice(i, textEnd).replace(TEXT_ENTITY, '&amp;').replace(/>/g, '&gt;');
    if (lt < 0) break;
    TAG.lastIndex = lt;
    const m = TAG.exec(html);
    if (!m) return null;
    const [, closing, rawName, rawAttrs, selfClosing] = m;
    const name = rawName!.toLowerCase();
    const allowed = ATTRS[name];
    if (!allowed) return null;
    if (closing) {
      if (rawAttrs || VOID.has(name)) return null;
      if (stack.pop() !== name) return null;
      out += `</${name}>`;
    } else {
      const attrs = readAttrs(rawAttrs!, allowed, base);
      if (attrs === null) return null;
      if (VOID.has(name)) out += `<${name}${attrs} />`;
      else if (selfClosing) return null;
      else {
        stack.push(name);
        out += `<${name}${attrs}>`;
      }
    }
    i = lt + m[0].length;
  }
  return stack.length === 0 ? out : null;
}

function readAttrs(raw: string, allowed: readonly string[], base: string | null): string | null {
  let out = '';
  ATTR.lastIndex = 0;
  while (ATTR.lastIndex < raw.length) {
    const m = ATTR.exec(raw);
    if (!m) return null;
    const name = m[1]!.toLowerCase();
    if (!allowed.includes(name)) return null;
    const decoded = decodeHTML(m[2] ?? m[3] ?? m[4] ?? '');
    const value = URL_ATTRS.has(name) ? safeUrl(decoded, base) : decoded;
    if (value === null) return null;
    out += ` ${name}="${value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`;
  }
  return out;
}

/** Absolute http(s)/mailto URL, or null for anything else (javascript:, data:, control characters). */
function safeUrl(value: string, base: string | null): string | null {
  if (/[\u0000-\u001f\u007f\s]/.test(value.trim())) return null;
  const resolved = resolveUrl(value, base);
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(resolved)?.[1]?.toLowerCase();
  if (scheme === undefined) return /^[/?#.\w]/.test(resolved) && !resolved.startsWith('//') ? resolved : null;
  return scheme === 'http' || scheme === 'https' || scheme === 'mailto' ? resolved : null;
}
