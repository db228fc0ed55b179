// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). Values of the wrong type are
// ignored rather than trusted; HTML fields are sanitised like any other feed HTML.
import type { FeedFormat, ParsedItem, Person } from '../../model';
import { parseDate } from '../dates';
import { FeedParseError } from '../errors';
import { sanitizeFeedHtml } from '../html';
import type { FeedParts } from '../model';
import { resolveUrl } from '../urls';
import { escapeText } from '../xml';

type Json = Record<string, unknown>;

export interface JsonFeedParts extends FeedParts {
  format: FeedFormat;
}

export function readJsonFeed(text: string, documentUrl: string | null): JsonFeedParts {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FeedParseError(`json: ${(err as Error).message}`);
  }
  if (!isObject(doc)) throw new FeedParseError('json: not a feed (top level is not an object)');
  const version = str(field(doc, 'version'))?.trim() ?? '';
  const base = str(field(doc, 'feed_url')) ?? documentUrl;
  const listed = field(doc, 'items');
  const items = Array.isArray(listed) ? listed.filter(isObject) : [];
  return {
    format: jsonFeedVersion(version),
    feed: {
      title: str(field(doc, 'title')),
      link: url(field(doc, 'home_page_url'), base),
      description: str(field(doc, 'description')),
      id: url(field(doc, 'feed_url'), documentUrl),
      updated: null,
      published: null,
      author: authorOf(doc),
    },
    items: items.filter(hasUsableId).map((item) => readItem(item, base)),
  };
}

/** The version a `version` URL names; an unknown or missing one is just `json`, as `rss` is for RSS. */
function jsonFeedVersion(version: string): FeedFormat {
  if (/^https?:\/\/jsonfeed\.org\/version\/1\/?$/i.test(version)) return 'json1.0';
  if (/^https?:\/\/jsonfeed\.org\/version\/1\.1\/?$/i.test(version)) return 'json1.1';
  return 'json';
}

function readItem(item: Json, base: string | null): ParsedItem {
  const html = str(field(item, 'content_html'));
  const text = str(field(item, 'content_text'));
  const summary = str(field(item, 'summary'));
  const id = field(item, 'id');
  return {
    id: typeof id === 'number' ? String(id) : str(id)?.trim() || null,
    title: str(field(item, 'title')),
    link: url(field(item, 'url'), base) ?? url(field(item, 'external_url'), base),
    summary: summary === null ? null : escapeText(summary),
    content: html !== null ? sanitizeFeedHtml(html, base) : text !== null ? escapeText(text) : null,
    published: parseDate(str(field(item, 'date_published'))),
    updated: parseDate(str(field(item, 'date_modified'))),
    author: authorOf(item),
  };
}

/** An id that is present must be a string or number (JSON Feed); anything else drops the item. */
function hasUsableId(item: Json): boolean {
  const id = field(item, 'id');
  return id === undefined || id === null || typeof id === 'string' || typeof id === 'number';
}

/** 1.1 `authors` (the first that names someone), else 1.0 `author`. */
function authorOf(obj: Json): Person | null {
  const authors = field(obj, 'authors');
  const candidates: unknown[] = [...(Array.isArray(authors) ? authors : []), field(obj, 'author')];
  for (const candidate of candidates) {
    if (!isObject(candidate)) continue;
    const name = str(field(candidate, 'name'))?.trim() || null;
    const link = str(field(candidate, 'url'))?.trim() || null;
    const email = link?.toLowerCase().startsWith('mailto:') ? link.slice(7).split('?')[0]! : null;
    if (name || link) return { name, email, url: email ? null : link };
  }
  return null;
}

function url(value: unknown, base: string | null): string | null {
  const text = str(value)?.trim();
  return text ? resolveUrl(text, base) : null;
}

/** A member the object itself has: names are read as own properties only, never inherited. */
function field(obj: Json, name: string): unknown {
  return Object.hasOwn(obj, name) ? obj[name] : undefined;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
