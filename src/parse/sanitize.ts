// Feed HTML is untrusted: it goes through sanitize-html with an allow-list before it is stored.
// No script, style, event handlers, frames, objects, forms or javascript: URLs survive; relative
// URLs are made absolute against the element's base so the HTML can be shown anywhere.
import sanitizeHtml from 'sanitize-html';
import { decodeHTML } from 'entities';
import { escapeText } from './tree';
import { resolveUrl } from './urls';

const HTML_TAGS = [
  'a', 'abbr', 'acronym', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br',
  'caption', 'center', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt',
  'em', 'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i', 'img',
  'ins', 'kbd', 'li', 'main', 'mark', 'ol', 'p', 'picture', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp',
  'section', 'small', 'source', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody',
  'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
];
// Static SVG and MathML (no scripting, animation, foreignObject or links) so formulas and figures survive.
const SVG_TAGS = ['svg', 'g', 'path', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'rect', 'text', 'tspan', 'desc', 'title', 'defs', 'lineargradient', 'radialgradient', 'stop'];
const MATH_TAGS = ['math', 'mrow', 'mi', 'mo', 'mn', 'ms', 'mtext', 'mspace', 'msup', 'msub', 'msubsup', 'mfrac', 'msqrt', 'mroot', 'mover', 'munder', 'munderover', 'mtable', 'mtr', 'mtd', 'mstyle', 'semantics', 'annotation'];
const SVG_ATTRS = ['xmlns', 'version', 'baseprofile', 'width', 'height', 'viewbox', 'cx', 'cy', 'r', 'rx', 'ry', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'd', 'points', 'fill', 'stroke', 'stroke-width', 'transform', 'offset', 'stop-color', 'font-size', 'text-anchor', 'opacity'];
const MATH_ATTRS = ['xmlns', 'display', 'mathvariant', 'stretchy', 'fence', 'separator', 'lspace', 'rspace', 'linethickness', 'encoding', 'xlink:href', 'xlink:type', 'xlink:show'];

const URL_ATTRS = ['href', 'src', 'cite', 'poster', 'longdesc', 'xlink:href'];

const BASE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...HTML_TAGS, ...SVG_TAGS, ...MATH_TAGS],
  allowedAttributes: {
    '*': ['lang', 'dir', 'title'],
    a: ['href', 'name', 'hreflang', 'rel'],
    img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height'],
    source: ['srcset', 'sizes', 'media', 'type'],
    blockquote: ['cite'], q: ['cite'], del: ['cite', 'datetime'], ins: ['cite', 'datetime'],
    time: ['datetime'], ol: ['start', 'reversed', 'type'], li: ['value'],
    td: ['colspan', 'rowspan', 'headers'], th: ['colspan', 'rowspan', 'headers', 'scope'],
    ...Object.fromEntries(SVG_TAGS.map((tag) => [tag, SVG_ATTRS])),
    ...Object.fromEntries(MATH_TAGS.map((tag) => [tag, MATH_ATTRS])),
  },
  allowedSchemes: ['http', 'https', 'mailto', 'ftp', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowProtocolRelative: true,
  disallowedTagsMode: 'discard',
  parseStyleAttributes: false,
  parser: { lowerCaseTags: true, lowerCaseAttributeNames: true },
};

/** Safe HTML for `html`, with relative URLs resolved against `base`. */
export function sanitizeFeedHtml(html: string, base: string | null): string {
  // Plain text (no tags): entities are all there is to normalise; skip the HTML parser.
  if (html.indexOf('<') < 0) return escapeText(html.indexOf('&') < 0 ? html : decodeHTML(html));
  const options: sanitizeHtml.IOptions = base
    ? { ...BASE_OPTIONS, transformTags: { '*': (tagName, attribs) => ({ tagName, attribs: absolutise(attribs, base) }) } }
    : BASE_OPTIONS;
  return sanitizeHtml(html, options);
}

function absolutise(attribs: sanitizeHtml.Attributes, base: string): sanitizeHtml.Attributes {
  for (const name of URL_ATTRS) {
    const value = attribs[name];
    if (value !== undefined) attribs[name] = resolveUrl(value, base);
  }
  if (attribs.srcset !== undefined) {
    attribs.srcset = attribs.srcset
      .split(',')
      .map((candidate) => {
        const [url, ...descriptor] = candidate.trim().split(/\s+/);
        return url ? [resolveUrl(url, base), ...descriptor].join(' ') : '';
      })
      .filter(Boolean)
      .join(', ');
  }
  return attribs;
}
