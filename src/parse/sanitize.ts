// Feed HTML is untrusted: it is cleaned with an allow-list before it is stored. No script,
// style, event handlers, frames, objects, forms or javascript: URLs survive; relative URLs
// are made absolute against the element's base so the HTML can be shown anywhere.
//
// The sanitiser is js-xss ("xss"): allow-list based, small, no Node dependencies, so it runs
// the same in workerd and Node. (sanitize-html pulls in postcss, which does not load in the
// workerd test runtime and adds ~100 kB to the Worker.) The common case, plain allow-listed
// markup, takes a faster validating path first (fastHtml.ts).
import { decodeHTML } from 'entities';
import xss from 'xss';
import { fastSanitize } from './fastHtml';
import { escapeText } from './tree';
import { resolveUrl } from './urls';

const TEXT = ['lang', 'dir', 'title'];
const SVG_ATTRS = ['xmlns', 'version', 'baseprofile', 'width', 'height', 'viewbox', 'cx', 'cy', 'r', 'rx', 'ry', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'd', 'points', 'fill', 'stroke', 'stroke-width', 'transform', 'offset', 'stop-color', 'font-size', 'text-anchor', 'opacity'];
const MATH_ATTRS = ['xmlns', 'display', 'mathvariant', 'stretchy', 'fence', 'separator', 'lspace', 'rspace', 'linethickness', 'encoding'];

const HTML_TAGS = [
  'abbr', 'acronym', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'big', 'br', 'caption', 'center', 'cite',
  'code', 'col', 'colgroup', 'dd', 'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'footer',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i', 'kbd', 'main', 'mark', 'p', 'picture', 'pre', 'rp',
  'rt', 'ruby', 's', 'samp', 'section', 'small', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table',
  'tbody', 'tfoot', 'thead', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
];
// Static SVG and MathML (no scripting, animation, foreignObject or links) so figures and formulas survive.
const SVG_TAGS = ['svg', 'g', 'path', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'rect', 'text', 'tspan', 'desc', 'title', 'defs', 'lineargradient', 'radialgradient', 'stop'];
const MATH_TAGS = ['math', 'mrow', 'mi', 'mo', 'mn', 'ms', 'mtext', 'mspace', 'msup', 'msub', 'msubsup', 'mfrac', 'msqrt', 'mroot', 'mover', 'munder', 'munderover', 'mtable', 'mtr', 'mtd', 'mstyle', 'semantics', 'annotation'];

const ALLOWED: Record<string, string[]> = {
  ...Object.fromEntries(HTML_TAGS.map((tag) => [tag, TEXT])),
  ...Object.fromEntries(SVG_TAGS.map((tag) => [tag, SVG_ATTRS])),
  ...Object.fromEntries(MATH_TAGS.map((tag) => [tag, MATH_ATTRS])),
  a: [...TEXT, 'href', 'name', 'hreflang', 'rel'],
  img: [...TEXT, 'src', 'alt', 'width', 'height'],
  blockquote: [...TEXT, 'cite'], q: [...TEXT, 'cite'], del: [...TEXT, 'cite', 'datetime'], ins: [...TEXT, 'cite', 'datetime'],
  time: [...TEXT, 'datetime'], ol: [...TEXT, 'start', 'reversed', 'type'], li: [...TEXT, 'value'],
  td: [...TEXT, 'colspan', 'rowspan', 'headers'], th: [...TEXT, 'colspan', 'rowspan', 'headers', 'scope'],
};

const URL_ATTRS = new Set(['href', 'src', 'cite']);
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'ftp', 'tel']);

/** Base for the call in progress: js-xss hooks are synchronous, so one module slot is safe. */
let currentBase: string | null = null;

// js-xss is CommonJS: use its default export (named imports do not survive every bundler's interop).
const { FilterXSS, escapeAttrValue, friendlyAttrValue } = xss as unknown as typeof import('xss');

const filter = new FilterXSS({
  whiteList: ALLOWED,
  stripIgnoreTag: true,
  stripIgnoreTagBody: ['script', 'style', 'iframe', 'object', 'embed', 'applet', 'noscript', 'template', 'textarea', 'select', 'frameset', 'noframes', 'xmp', 'head'],
  allowCommentTag: false,
  css: false,
  safeAttrValue: (_tag: string, name: string, value: string) => {
    const plain = friendlyAttrValue(value).trim();
    if (!URL_ATTRS.has(name)) return escapeAttrValue(plain);
    const resolved = resolveUrl(plain, currentBase);
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(resolved)?.[1]?.toLowerCase();
    if (scheme !== undefined ? !SAFE_SCHEMES.has(scheme) : /[\u0000-\u001f]/.test(resolved)) return '';
    return escapeAttrValue(resolved);
  },
});

/** Safe HTML for `html`, with relative URLs resolved against `base`. */
export function sanitizeFeedHtml(html: string, base: string | null): string {
  // Plain text (no tags): entities are all there is to normalise.
  if (html.indexOf('<') < 0) return escapeText(html.indexOf('&') < 0 ? html : decodeHTML(html));
  const fast = fastSanitize(html, base);
  if (fast !== null) return fast;
  currentBase = base;
  try {
    return filter.process(html);
  } finally {
    currentBase = null;
  }
}
