// Sanitised feed HTML to plain text. Block elements become line breaks so that later stages
// can work paragraph by paragraph (the clusterer drops repeated paragraphs and teasers line by
// line). Input is the parser's sanitised output, so a tag scanner is enough here.
import { decodeHTML } from 'entities';

const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'dd', 'details', 'div', 'dl', 'dt', 'figcaption',
  'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'ol', 'p', 'pre',
  'section', 'summary', 'table', 'tr', 'ul', 'center', 'body', 'html', 'nav', 'form', 'fieldset', 'td', 'th',
]);
const SKIP_CONTENT = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object']);
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9:-]*)\b(?:[^>"']|"[^"]*"|'[^']*')*>|<!--[\s\S]*?(?:-->|$)|<![^>]*>|<\?[^>]*>/g;

/** Plain text with one paragraph per line; whitespace collapsed, blank lines removed. */
export function htmlToText(html: string | null | undefined): string {
  if (!html) return '';
  let out = '';
  let last = 0;
  let skipping: string | null = null;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    if (!skipping) out += html.slice(last, m.index);
    last = m.index + m[0].length;
    const name = m[2]?.toLowerCase();
    if (!name) continue;
    if (skipping) {
      if (m[1] && name === skipping) skipping = null;
      continue;
    }
    if (!m[1] && SKIP_CONTENT.has(name) && !m[0].endsWith('/>')) skipping = name;
    else if (BLOCK_TAGS.has(name)) out += '\n';
    else if (name === 'td' || name === 'th') out += ' ';
  }
  if (!skipping) out += html.slice(last);
  return tidyLines(decodeHTML(out));
}

/** Whether a string has markup or entities in it. */
export function looksLikeHtml(value: string): boolean {
  return /<[A-Za-z/!][^>]*>|&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i.test(value);
}

/** Text that may or may not be HTML (titles): markup and entities only when it looks like HTML. */
export function titleText(value: string | null | undefined): string {
  if (!value) return '';
  return (looksLikeHtml(value) ? htmlToText(value) : value).replace(/\s+/g, ' ').trim();
}

function tidyLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[\s\u00a0\u200b]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** At most `max` characters, cut at a word boundary, with an ellipsis when cut. */
/**
 * A short summary from paragraph-structured text: whole paragraphs while they fit, skipping
 * ones that only repeat the headline (real bodies often start with it), else the first
 * paragraph cut at its last full sentence that fits, else at a word.
 */
export function summarise(text: string, title: string, max: number): string {
  const headline = title.trim().toLowerCase();
  const paragraphs = text.split('\n').map((p) => p.trim()).filter((p) => p && p.toLowerCase() !== headline);
  const first = paragraphs[0];
  if (first === undefined) return '';
  if (first.length > max) {
    const cut = first.slice(0, max);
    const sentenceEnd = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('? '), cut.lastIndexOf('! '));
    return sentenceEnd > max * 0.4 ? cut.slice(0, sentenceEnd + 1) : truncateAtWord(first, max);
  }
  let summary = first;
  for (const next of paragraphs.slice(1)) {
    if (summary.length + 1 + next.length > max) break;
    summary += ` ${next}`;
  }
  return summary;
}

export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never end on the first half of a surrogate pair (an emoji cut in two is not text).
  const cut = text.slice(0, /[\ud800-\udbff]/.test(text[max - 1] ?? '') ? max - 1 : max);
  const space = cut.lastIndexOf(' ');
  const head = space > max * 0.6 ? cut.slice(0, space) : cut;
  return head.replace(/[\s,;:.\-–—]+$/, '') + '…';
}
