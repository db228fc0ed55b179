// "What the feed says" (ParsedFeed) to complete Article records: stable identity, canonical
// absolute URL, plain-text title, paragraph-structured text and a short summary. Pure.
import type { Article, ParsedFeed, ParsedItem, Source } from '../model';
import { stripBidi } from '../util/bidi';
import { stableHash } from '../util/hash';
import { hasScheme, WEB_SCHEMES } from '../util/urlSchemes';
import { stripForbiddenChars } from '../util/xmlChars';
import { MAX_ITEMS_PER_FEED, MAX_SUMMARY_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS, newestItems, noCuts, type BoundCounters } from './bounds';
import { htmlToText, summarise, titleText, truncateAtWord } from './text';
import { canonicalUrl } from './url';

export { canonicalUrl } from './url';
export { htmlToText, looksLikeHtml, summarise, titleText, truncateAtWord } from './text';
export { stableHash } from '../util/hash';
export { MAX_ITEMS_PER_FEED, MAX_SUMMARY_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS, addCuts, noCuts, type BoundCounters } from './bounds';

const TITLE_FALLBACK_CHARS = 120;
/** Outlet names are shown next to every headline; the admin API caps them at 200 as well. */
const MAX_OUTLET_CHARS = 200;

export interface NormaliseOptions {
  /** Items kept, newest first (MAX_ITEMS_PER_FEED unless the settings say otherwise). */
  maxItems?: number;
  /** Counts every bound that fired (items dropped, titles, summaries and bodies cut). */
  counters?: BoundCounters;
}

export function normaliseItems(feed: ParsedFeed, source: Source, seenAt: string, options: NormaliseOptions = {}): Article[] {
  const counters = options.counters ?? noCuts();
  const named = readable(source.name ?? '').trim() || readable(titleText(feed.feed.title)) || hostOf(source.url) || source.url;
  const outlet = truncateAtWord(named, MAX_OUTLET_CHARS);
  const items = newestItems(feed.items, options.maxItems ?? MAX_ITEMS_PER_FEED);
  counters.itemsDropped += feed.items.length - items.length;
  const seen = new Set<string>();
  const articles: Article[] = [];
  // Undated items are stamped with when they were seen; a millisecond earlier for each undated
  // item above them, so that their order within the feed (newest first) is kept wherever they are ordered by it.
  const seenMs = Date.parse(seenAt);
  let undated = 0;
  for (const item of items) {
    const isUndated = !(item.published ?? item.updated);
    const stamp = isUndated && undated > 0 && Number.isFinite(seenMs) ? new Date(seenMs - undated).toISOString() : seenAt;
    if (isUndated) undated++;
    const article = normaliseItem(item, source, outlet, stamp, counters);
    if (!article || seen.has(article.id)) continue;
    seen.add(article.id);
    articles.push(article);
  }
  return articles;
}

function normaliseItem(item: ParsedItem, source: Source, outlet: string, seenAt: string, counters: BoundCounters): Article | null {
  const url = articleUrl(item.link, source.url);
  const fullText = readable(htmlToText(clip(item.content, MAX_TEXT_CHARS)) || htmlToText(clip(item.summary, MAX_TEXT_CHARS)));
  const fullTitle = readable(titleText(clip(item.title, MAX_TITLE_CHARS)));
  if (!fullTitle && !url && !fullText) return null;
  const text = bounded(fullText, MAX_TEXT_CHARS, () => counters.textsCut++);
  const rawTitle = bounded(fullTitle, MAX_TITLE_CHARS, () => counters.titlesCut++);
  const summarySource = readable(htmlToText(clip(item.summary, MAX_TEXT_CHARS))) || text;
  const title = rawTitle || truncateAtWord(text.replace(/\n/g, ' '), TITLE_FALLBACK_CHARS) || url || '';
  const summary = summarise(summarySource, title, MAX_SUMMARY_CHARS);
  if (summarySource.length > MAX_SUMMARY_CHARS && summary.length < summarySource.replace(/\n/g, ' ').length) counters.summariesCut++;
  return {
    // Identity from the item as the feed gives it (whole title and body), so a bound never
    // changes which article an item is.
    id: articleId(source.id, item, url, fullTitle, fullText),
    sourceId: source.id,
    outlet,
    url,
    title,
    text,
    summary,
    published: item.published ?? item.updated ?? null,
    seenAt,
  };
}

/**
 * Text as stored: no bidi controls, and none of the code points no output may carry (they can
 * come back from character references when HTML becomes text, `&#xFFFF;`).
 */
function readable(text: string): string {
  return stripForbiddenChars(stripBidi(text));
}

/**
 * Raw markup cut long before the plain-text bound: enough to yield `chars` of text from
 * ordinary HTML, without converting megabytes that would be cut anyway.
 */
function clip(value: string | null, chars: number): string | null {
  const rawLimit = chars * 8;
  return value && value.length > rawLimit ? value.slice(0, rawLimit) : value;
}

function bounded(text: string, max: number, onCut: () => void): string {
  if (text.length <= max) return text;
  onCut();
  return truncateAtWord(text, max);
}

/** Identity: the guid/id when the feed gives one, else the canonical URL, else title + text. */
function articleId(sourceId: string, item: ParsedItem, url: string | null, title: string, text: string): string {
  const guid = item.id?.trim();
  const key = guid ? `id:${guid}` : url ? `url:${url}` : `text:${title}\n${text}`;
  return stableHash(`${sourceId}\n${key}`);
}

function articleUrl(link: string | null, sourceUrl: string): string | null {
  if (!link) return null;
  let absolute: URL;
  try {
    absolute = new URL(link.trim(), sourceUrl);
  } catch {
    return null;
  }
  if (!hasScheme(absolute, WEB_SCHEMES)) return null;
  return canonicalUrl(absolute.href);
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return null;
  }
}
