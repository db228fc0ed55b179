// Agreement of our parser with the Universal Feed Parser's reading of the same documents
// (feedparser.jsonl of a captured real-feed collection), field by field. Pure: the caller reads
// the files and runs the parser. Where the collection's README says feedparser is wrong, the
// entry (or document) is set aside as "feedparser wrong" instead of counted against us.
import type { ParsedItem } from '../../src/model';
import { htmlToText, titleText } from '../../src/normalise/text';

/** One entry as feedparser.jsonl records it. */
export interface ReferenceEntry {
  title: string | null;
  link: string | null;
  id: string | null;
  published: string | null;
  updated: string | null;
  published_raw: string | null;
  updated_raw: string | null;
  summary_len: number;
  content_len: number;
  author: string | null;
}

/** One document as feedparser.jsonl records it. */
export interface ReferenceDocument {
  path: string;
  version: string | null;
  n_entries: number;
  entries: ReferenceEntry[];
}

export const FIELDS = ['count', 'title', 'text', 'author', 'date', 'link', 'id'] as const;
export type Field = (typeof FIELDS)[number];

export const FIELD_LABELS: Record<Field, string> = {
  count: 'same entry count (documents)',
  title: 'entry titles as written',
  text: 'entries with/without text',
  author: 'entries with/without author',
  date: 'dates (published else updated, UTC)',
  link: 'links',
  id: 'ids',
};

export interface Disagreement {
  path: string;
  /** Entry index, or -1 for the document's entry count. */
  entry: number;
  field: Field;
  reference: string;
  ours: string;
}

export interface Tally {
  agree: number;
  total: number;
  /** Entries (documents for `count`) set aside because feedparser is known to be wrong there. */
  feedparserWrong: number;
}

export interface Agreement {
  documents: number;
  entries: number;
  /** feedparser entries dropped before comparing: its empty entries made of nested `<item />`. */
  droppedEntries: number;
  tallies: Record<Field, Tally>;
  disagreements: Disagreement[];
  /** Set aside by rule, for --show: what was excluded and why. */
  excluded: Disagreement[];
}

export function emptyAgreement(): Agreement {
  const tallies = {} as Record<Field, Tally>;
  for (const field of FIELDS) tallies[field] = { agree: 0, total: 0, feedparserWrong: 0 };
  return { documents: 0, entries: 0, droppedEntries: 0, tallies, disagreements: [], excluded: [] };
}

/**
 * Adds one document: `raw` is its text (only searched for the README's known feedparser
 * mistakes), `ours` our items or null when our parser refused the document.
 */
export function addDocument(into: Agreement, reference: ReferenceDocument, raw: string, ours: ParsedItem[] | null): void {
  into.documents++;
  const items = ours ?? [];
  const mistakes = knownMistakes(reference, raw);
  if (mistakes.refusedJsonFeedVersion) {
    // feedparser refused a JSON Feed for its http:// version URL: nothing of it is comparable.
    into.tallies.count.feedparserWrong++;
    into.excluded.push({ path: reference.path, entry: -1, field: 'count', reference: `${reference.n_entries} (version URL refused)`, ours: String(items.length) });
    return;
  }
  // Nested `<item />` elements that feedparser turned into empty entries of their own.
  const entries = mistakes.nestedEmptyItems ? reference.entries.filter((entry) => !isEmptyEntry(entry)) : reference.entries;
  const dropped = reference.entries.length - entries.length;
  into.droppedEntries += dropped;
  if (dropped > 0) into.excluded.push({ path: reference.path, entry: -1, field: 'count', reference: `${reference.n_entries} (${dropped} empty nested items)`, ours: String(items.length) });

  const count = into.tallies.count;
  count.total++;
  if (entries.length === items.length) count.agree++;
  else into.disagreements.push({ path: reference.path, entry: -1, field: 'count', reference: String(entries.length), ours: ours ? String(items.length) : 'refused' });

  entries.forEach((entry, i) => {
    into.entries++;
    const item = items[i] ?? null;
    for (const field of FIELDS) {
      if (field === 'count') continue;
      const verdict = compareField(field, entry, item, mistakes);
      const tally = into.tallies[field];
      const record = { path: reference.path, entry: i, field, reference: verdict.reference, ours: verdict.ours };
      if (verdict.feedparserWrong) {
        tally.feedparserWrong++;
        into.excluded.push(record);
        continue;
      }
      tally.total++;
      if (verdict.agree) tally.agree++;
      else into.disagreements.push(record);
    }
  });
}

interface KnownMistakes {
  nestedEmptyItems: boolean;
  emptyCreator: boolean;
  jsonAuthors: boolean;
  refusedJsonFeedVersion: boolean;
}

/** Which of the README's known feedparser mistakes this document can trigger. */
function knownMistakes(reference: ReferenceDocument, raw: string): KnownMistakes {
  const json = /^\s*[{[]/.test(raw);
  return {
    nestedEmptyItems: /<item\s*\/>/.test(raw),
    emptyCreator: /<dc:creator\s*\/>|<dc:creator>\s*(?:<!\[CDATA\[\s*\]\]>)?\s*<\/dc:creator>/.test(raw),
    jsonAuthors: json && /"authors"\s*:/.test(raw),
    refusedJsonFeedVersion: json && reference.version === null && /"version"\s*:\s*"http:(?:\\?\/){2}jsonfeed\.org/.test(raw),
  };
}

function isEmptyEntry(entry: ReferenceEntry): boolean {
  return !entry.title && !entry.link && !entry.id && !entry.published && !entry.updated && !entry.author && !entry.summary_len && !entry.content_len;
}

interface Verdict {
  agree: boolean;
  feedparserWrong: boolean;
  reference: string;
  ours: string;
}

function compareField(field: Exclude<Field, 'count'>, entry: ReferenceEntry, item: ParsedItem | null, mistakes: KnownMistakes): Verdict {
  const show = (value: unknown) => (value === null || value === undefined || value === '' ? '∅' : String(value));
  switch (field) {
    case 'title': {
      const theirs = titleText(entry.title);
      const ours = titleText(item?.title);
      const agree = theirs === ours;
      // feedparser repairs double-encoded UTF-8 only when every character maps back to latin-1:
      // a title with windows-1252 punctuation ("dâ€™Ivoire") stays as it was, ours is the repair.
      return { agree, feedparserWrong: !agree && isDoubleEncodingOf(theirs, item?.title), reference: show(theirs), ours: show(ours) };
    }
    case 'text': {
      // feedparser.jsonl counts characters of text, so a body that is only an image is no text.
      const theirs = entry.summary_len + entry.content_len > 0;
      const ours = htmlToText(item?.summary) !== '' || htmlToText(item?.content) !== '';
      return { agree: theirs === ours, feedparserWrong: false, reference: theirs ? 'text' : '∅', ours: ours ? 'text' : '∅' };
    }
    case 'author': {
      const theirs = Boolean(entry.author?.trim());
      const ourName = item?.author ? (item.author.name ?? item.author.email ?? '').trim() : '';
      // feedparser drops JSON Feed 1.1 `authors`, and an empty trailing dc:creator wipes out a real author.
      const wrong = !theirs && ourName !== '' && (mistakes.jsonAuthors || mistakes.emptyCreator);
      return { agree: theirs === (ourName !== ''), feedparserWrong: wrong, reference: show(entry.author), ours: show(ourName) };
    }
    case 'date': {
      const wrong = [entry.published_raw, entry.updated_raw].some(misreadDate);
      // The date a reader sees: published, else updated (as src/normalise takes it).
      const agree = sameInstant(entry.published ?? entry.updated, item ? (item.published ?? item.updated) : null);
      return {
        agree,
        feedparserWrong: wrong,
        reference: `${show(entry.published)} / ${show(entry.updated)} (raw ${show(entry.published_raw)} / ${show(entry.updated_raw)})`,
        ours: `${show(item?.published)} / ${show(item?.updated)}`,
      };
    }
    case 'link': {
      const ours = item?.link ?? null;
      // feedparser gives an entry without an HTML link its tag: id as link; a tag: URI is no link.
      const wrong = entry.link !== null && entry.link === entry.id && entry.link.startsWith('tag:');
      return { agree: (entry.link || null) === (ours || null), feedparserWrong: wrong, reference: show(entry.link), ours: show(ours) };
    }
    case 'id': {
      const ours = item?.id || null;
      const agree = (entry.id || null) === ours;
      return { agree, feedparserWrong: !agree && resolvedAsUrl(ours, entry.id), reference: show(entry.id), ours: show(ours) };
    }
  }
}

/** Forms feedparser is known to misread: `2020/1/10 14:33:00` (as 1 December), 12-hour clocks (12 hours off). */
function misreadDate(raw: string | null): boolean {
  return raw !== null && (/^\s*\d{4}\/\d{1,2}\/\d{1,2}/.test(raw) || /\d\s*[AP]\.?M\.?\b/i.test(raw));
}

function sameInstant(theirs: string | null | undefined, ours: string | null | undefined): boolean {
  if (!theirs || !ours) return !theirs && !ours;
  return Date.parse(theirs) === Date.parse(ours);
}

/** feedparser resolved an Atom id against xml:base as if it were a URL: ours is the id as written. */
function resolvedAsUrl(ours: string | null, theirs: string | null): boolean {
  if (!ours || !theirs || /^[a-z][a-z0-9+.-]*:/i.test(ours)) return false;
  // Against a path-only base ("/t3_42tizy" for "t3_42tizy") or a full URL.
  if (theirs.endsWith(ours) && theirs.slice(0, -ours.length).endsWith('/')) return true;
  try {
    return new URL(ours, theirs).href === theirs;
  } catch {
    return false;
  }
}

export function percent(tally: Tally): string {
  return tally.total === 0 ? '-' : `${((100 * tally.agree) / tally.total).toFixed(1)}%`;
}

const WINDOWS_1252 = new TextDecoder('windows-1252');

/**
 * Whether feedparser's title is our title written as UTF-8 and read back as windows-1252 (C1
 * bytes as latin-1), both read as text (a no-break space from "à" is a space then).
 */
function isDoubleEncodingOf(theirs: string, ours: string | null | undefined): boolean {
  return Boolean(ours) && theirs === titleText(WINDOWS_1252.decode(new TextEncoder().encode(ours!)));
}
