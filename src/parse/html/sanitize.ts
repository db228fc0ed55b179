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
import { CONTENT_LINK_SCHEMES, schemeOf } from '../../util/urlSchemes';
import { ALLOWED, URL_ATTRS } from './allowList';
import { DroppedBodies } from './droppedBodies';
import { fastSanitize } from './fastHtml';
import { escapeText } from '../xml';
import { resolveUrl } from '../urls';

/** Base and removed bodies of the call in progress: js-xss hooks are synchronous, so module slots are safe. */
let currentBase: string | null = null;
let currentBodies: DroppedBodies | null = null;

// js-xss is CommonJS: use its default export (named imports do not survive every bundler's interop).
const { FilterXSS, escapeAttrValue, friendlyAttrValue } = xss as unknown as typeof import('xss');

const filter = new FilterXSS({
  whiteList: ALLOWED as Record<string, string[]>,
  // Tags off the list are dropped; the bodies of some go too (droppedBodies.ts: js-xss's own
  // stripIgnoreTagBody would leave "[removed]" for an element that is never closed).
  onIgnoreTag: (tag: string, html: string, options: { position?: number; isClosing?: boolean }) => {
    currentBodies?.onTag(tag, html, options.position ?? 0, options.isClosing ?? false);
    return '';
  },
  allowCommentTag: false,
  css: false,
  safeAttrValue: (_tag: string, name: string, value: string) => {
    const plain = friendlyAttrValue(value).trim();
    if (!URL_ATTRS.has(name)) return escapeAttrValue(plain);
    const resolved = resolveUrl(plain, currentBase);
    const scheme = schemeOf(resolved);
    if (scheme !== undefined ? !CONTENT_LINK_SCHEMES.has(scheme) : /[\u0000-\u001f]/.test(resolved)) return '';
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
  const bodies = (currentBodies = new DroppedBodies());
  try {
    return bodies.apply(filter.process(html));
  } finally {
    currentBase = null;
    currentBodies = null;
  }
}
