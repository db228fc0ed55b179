// Bounds on the story records before they are stored and rendered: each record within a size
// (boundStory), the whole list within one KV value (the budget here; StoryShelf.seal keeps to it).
// A record that grows too large (a huge headline stored by an
// older version, a story with hundreds of outlets) is cut down on its own: its headline, summary
// and source titles shortened, then its newest sources left out; never the whole publish.
import type { StoryRecord, StorySource } from '../model';
import { MAX_SUMMARY_CHARS, MAX_TITLE_CHARS } from '../normalise/bounds';
import { truncateAtWord } from '../normalise/text';
import { stripBidi } from '../util/bidi';

/** KV's hard limit on one value. */
export const KV_VALUE_LIMIT_BYTES = 25 * 1024 * 1024;
/** What we allow ourselves per value: room for the JSON envelope and a margin. */
export const KV_VALUE_BUDGET_BYTES = 24 * 1024 * 1024;
/** One story record, as JSON (about 250 outlets with ordinary headlines). */
export const MAX_STORY_RECORD_BYTES = 64 * 1024;
/** Source titles shortened to this before any source is left out of an oversize record. */
const SHORT_SOURCE_TITLE_CHARS = 200;

export interface StoryCuts {
  /** Records that had to be cut down. */
  storiesCut: number;
  /** Sources left out of oversize records. */
  sourcesDropped: number;
  /** Oldest stories left out so the list fits one KV value. */
  storiesDropped: number;
}

const NON_ASCII = /[^\x00-\x7f]+/g;

/**
 * The UTF-8 length of a string, counted without encoding it (the stories value runs to
 * megabytes): its length, plus what the runs of non-ASCII characters (found by a regular
 * expression, which scans far faster than a loop) add.
 */
export function utf8Bytes(text: string): number {
  let bytes = text.length;
  NON_ASCII.lastIndex = 0;
  for (let match = NON_ASCII.exec(text); match !== null; match = NON_ASCII.exec(text)) {
    const run = match[0];
    for (let i = 0; i < run.length; i++) {
      const unit = run.charCodeAt(i);
      // 2 bytes below U+0800, 3 above; a surrogate pair (two units) is 4 bytes, a lone surrogate 3 (U+FFFD).
      if (unit < 0x800) bytes += 1;
      else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < run.length && (run.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        bytes += 2;
        i++;
      } else bytes += 2;
    }
  }
  return bytes;
}

/**
 * At least as many bytes as `JSON.stringify(value)` takes in UTF-8 (every character as a
 * six-byte escape), without serialising it: most records are far under their bound, and this
 * says so without building their JSON.
 */
export function jsonBytesAtMost(value: unknown): number {
  if (typeof value === 'string') return value.length * 6 + 2;
  if (value === null || typeof value !== 'object') return 24;
  let bytes = 2;
  if (Array.isArray(value)) {
    for (const item of value) bytes += jsonBytesAtMost(item) + 1;
    return bytes;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) bytes += key.length * 6 + 4 + jsonBytesAtMost(record[key]);
  return bytes;
}

/**
 * Sizes already measured: a run measures every record when it writes `stories` and again for
 * each attempt to fit the pre-rendered bundle, and most records have not changed since the last
 * time. Whoever changes a record in place calls `forgetSize` (stories/apply.ts does).
 */
const measured = new WeakMap<StoryRecord, number>();

export function recordBytes(story: StoryRecord): number {
  let bytes = measured.get(story);
  if (bytes === undefined) {
    bytes = utf8Bytes(JSON.stringify(story));
    measured.set(story, bytes);
  }
  return bytes;
}

/** Records found clean and within a byte budget (the largest checked), as they are. */
const withinBudget = new WeakMap<StoryRecord, number>();

/** A record read from a stored value: the seal bounded and cleaned it before storing it, so it is not checked again. */
export function knownWithinBound(story: StoryRecord): void {
  withinBudget.set(story, MAX_STORY_RECORD_BYTES);
}

/** The record is about to change: its size is measured (and its bound checked) again next time. */
export function forgetSize(story: StoryRecord): void {
  measured.delete(story);
  withinBudget.delete(story);
}

/** The story within `maxBytes` of JSON, and whether it had to be cut. Pure: returns a copy when cut. */
export function boundStory(story: StoryRecord, maxBytes = MAX_STORY_RECORD_BYTES): { story: StoryRecord; cut: boolean; sourcesDropped: number } {
  // A run bounds its records for the stories value, then again for the pre-rendered feeds.
  if ((withinBudget.get(story) ?? -1) >= maxBytes) return { story, cut: false, sourcesDropped: 0 };
  const cleaned = cleanStory(story);
  let changed = cleaned !== story;
  if (jsonBytesAtMost(cleaned) <= maxBytes || recordBytes(cleaned) <= maxBytes) {
    if (!changed) withinBudget.set(story, maxBytes);
    return { story: cleaned, cut: changed, sourcesDropped: 0 };
  }
  changed = true;
  const shortened: StoryRecord = {
    ...cleaned,
    sources: cleaned.sources.map((s) => (s.title.length > SHORT_SOURCE_TITLE_CHARS ? { ...s, title: truncateAtWord(s.title, SHORT_SOURCE_TITLE_CHARS) } : s)),
  };
  let bytes = recordBytes(shortened);
  // Sources are oldest first: the first reports are kept, the latest left out.
  const sources = [...shortened.sources];
  let dropped = 0;
  while (bytes > maxBytes && sources.length > 1) {
    const gone = sources.pop()!;
    bytes -= utf8Bytes(JSON.stringify(gone)) + 1;
    dropped++;
  }
  let result: StoryRecord = { ...shortened, sources };
  if (recordBytes(result) > maxBytes) {
    // Still too big with one source: shorten the texts further (only a tiny budget gets here).
    const chars = Math.max(40, Math.floor(maxBytes / 12));
    result = {
      ...result,
      title: truncateAtWord(result.title, chars),
      summary: truncateAtWord(result.summary, chars),
      sources: result.sources.map((s) => ({ ...s, title: truncateAtWord(s.title, chars), outlet: truncateAtWord(s.outlet, chars) })),
    };
  }
  return { story: result, cut: changed, sourcesDropped: dropped };
}

/** Headline, summary and names within the normaliser's bounds, without bidi controls (records stored by older versions may have either). */
function cleanStory(story: StoryRecord): StoryRecord {
  const title = cleanField(story.title, MAX_TITLE_CHARS);
  const summary = cleanField(story.summary, MAX_SUMMARY_CHARS);
  let sourcesChanged = false;
  const sources = story.sources.map((s): StorySource => {
    const sourceTitle = cleanField(s.title, MAX_TITLE_CHARS);
    const outlet = cleanField(s.outlet, MAX_TITLE_CHARS);
    if (sourceTitle === s.title && outlet === s.outlet) return s;
    sourcesChanged = true;
    return { ...s, title: sourceTitle, outlet };
  });
  if (title === story.title && summary === story.summary && !sourcesChanged) return story;
  return { ...story, title, summary, sources };
}

function cleanField(value: string, max: number): string {
  const clean = stripBidi(value);
  return clean.length > max ? truncateAtWord(clean, max) : clean;
}
