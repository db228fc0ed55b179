// "What the feed says" (ParsedFeed) to complete Article records: stable identity, canonical
// absolute URL, plain-text title, paragraph-structured text and a short summary. Pure.
import type { Article, ParsedFeed, ParsedItem, Source } from '../model';
import { stableHash } from '../util/hash';
import { hasScheme, WEB_SCHEMES } from '../util/urlSchemes';
import { htmlToText, summarise, titleText, truncateAtWord } from './text';
import { canonicalUrl } from './url';

export { canonicalUrl } from './url';
export { htmlToText, looksLikeHtml, summarise, titleText, truncateAtWord } from './text';
export { stableHash } from '../util/hash';

const SUMMARY_CHARS = 300;
const TITLE_FALLBACK_CHARS = 120;

export function normaliseItems(feed: ParsedFeed, source: Source, seenAt: string): Article[] {
  const outlet = source.name?.trim() || titleText(feed.feed.title) || hostOf(source.url) || source.url;
  const seen = new Set<string>();
  const articles: Article[] = [];
  for (const item of feed.items) {
    const article = normaliseItem(item, source, outlet, seenAt);
    if (!article || seen.has(article.id)) continue;
    seen.add(article.id);
    articles.push(article);
  }
  return articles;
}

function normaliseItem(item: ParsedItem, source: Source, outlet: string, seenAt: string): Article | null {
  const url = articleUrl(item.link, source.url);
  const text = htmlToText(item.content) || htmlToText(item.summary);
  const rawTitle = titleText(item.title);
  if (!rawTitle && !url && !text) return null;
  const summarySource = htmlToText(item.summary) || text;
  const title = rawTitle || truncateAtWord(text.replace(/\n/g, ' '), TITLE_FALLBACK_CHARS) || url || '';
  return {
    id: articleId(source.id, item, url, rawTitle, text),
    sourceId: source.id,
    outlet,
    url,
    title,
    text,
    summary: summarise(summarySource, title, SUMMARY_CHARS),
    published: item.published ?? item.updated ?? null,
    seenAt,
  };
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
