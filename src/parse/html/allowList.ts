// What feed HTML may keep: tags and, per tag, attributes. Shared by both sanitising paths
// (fastHtml.ts and the js-xss fallback in sanitize.ts) so they agree on the result.

const TEXT = ['lang', 'dir', 'title'];
const SVG_ATTRS = ['xmlns', 'version', 'baseprofile', 'width', 'height', 'viewbox', 'cx', 'cy', 'r', 'rx', 'ry', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'd', 'points', 'fill', 'stroke', 'stroke-width', 'transform', 'offset', 'stop-color', 'font-size', 'text-anchor', 'opacity'];
const MATH_ATTRS = ['xmlns', 'display', 'mathvariant', 'stretchy', 'fence', 'separator', 'lspace', 'rspace', 'linethickness', 'encoding'];

const PLAIN_HTML_TAGS = [
  'abbr', 'acronym', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'big', 'br', 'caption', 'center', 'cite',
  'code', 'col', 'colgroup', 'dd', 'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'footer',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i', 'kbd', 'main', 'mark', 'p', 'picture', 'pre', 'rp',
  'rt', 'ruby', 's', 'samp', 'section', 'small', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table',
  'tbody', 'tfoot', 'thead', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
];
// Static SVG and MathML (no scripting, animation, foreignObject or links) so figures and formulas survive.
const SVG_TAGS = ['svg', 'g', 'path', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'rect', 'text', 'tspan', 'desc', 'title', 'defs', 'lineargradient', 'radialgradient', 'stop'];
const MATH_TAGS = ['math', 'mrow', 'mi', 'mo', 'mn', 'ms', 'mtext', 'mspace', 'msup', 'msub', 'msubsup', 'mfrac', 'msqrt', 'mroot', 'mover', 'munder', 'munderover', 'mtable', 'mtr', 'mtd', 'mstyle', 'semantics', 'annotation'];

/**
 * HTML elements (not SVG or MathML) and the attributes each keeps. A Map: it is looked up with
 * tag names from feeds, and a tag named `constructor` must not find Object.prototype's.
 */
export const HTML_ALLOWED: ReadonlyMap<string, readonly string[]> = new Map([
  ...PLAIN_HTML_TAGS.map((tag): [string, readonly string[]] => [tag, TEXT]),
  ['a', [...TEXT, 'href', 'name', 'hreflang', 'rel']],
  ['img', [...TEXT, 'src', 'alt', 'width', 'height']],
  ['blockquote', [...TEXT, 'cite']], ['q', [...TEXT, 'cite']], ['del', [...TEXT, 'cite', 'datetime']], ['ins', [...TEXT, 'cite', 'datetime']],
  ['time', [...TEXT, 'datetime']], ['ol', [...TEXT, 'start', 'reversed', 'type']], ['li', [...TEXT, 'value']],
  ['td', [...TEXT, 'colspan', 'rowspan', 'headers']], ['th', [...TEXT, 'colspan', 'rowspan', 'headers', 'scope']],
]);

/** Everything allowed, foreign content included, as js-xss takes it (it checks own properties only). */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(SVG_TAGS.map((tag) => [tag, SVG_ATTRS])),
  ...Object.fromEntries(MATH_TAGS.map((tag) => [tag, MATH_ATTRS])),
  ...Object.fromEntries(HTML_ALLOWED),
};

/** HTML elements with no end tag. */
export const VOID_TAGS: ReadonlySet<string> = new Set(['br', 'hr', 'img', 'wbr', 'col']);

export const URL_ATTRS: ReadonlySet<string> = new Set(['href', 'src', 'cite']);

/** Elements removed together with everything inside them. */
export const DROPPED_WITH_BODY = ['script', 'style', 'iframe', 'object', 'embed', 'applet', 'noscript', 'template', 'textarea', 'select', 'frameset', 'noframes', 'xmp', 'head'];
