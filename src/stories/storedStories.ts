// The stories value as stored in KV (format 4): an index of every story (its facts, listing and
// revision: stories/facts.ts) and the records themselves, each its own run of JSON, laid end to
// end as one JSON array. A run parses the index and only the records it changes or shows; it
// writes the rows it did not touch back as the bytes it read, index and record alike, a run of
// untouched rows at a time. Values of format 3 and 2 are read as they are, no record parsed (a
// deploy's first run must stay as cheap as any): they lack each story's lead source and whether it
// is dated, so their rows are marked "lead unknown" (their lead '' and counted as dated, the rank
// time their latest report's, as before) until their story changes and is written anew; format 1
// (one JSON document, StoriesSnapshot; store/stories.ts) is still read.
//
// Format 4, every section starting on a multiple of 8 bytes (numbers in the platform's byte
// order: little-endian wherever Workers run):
//   header   "SWST" | u32 format (4) | u32 stories | u32 listings | u32 meta bytes | u32 strings bytes
//   meta     UTF-8 JSON { generated, aliases }
//   f64      revisions[stories] | rank time (ms)[stories] | reports[listings] | article id hashes[listings] (articleIdHash)
//   u32      sources[stories] | outlets | independent | record bytes | strings bytes (of the row) | flags (1: dated,
//            2: lead unknown: a row of format 3 or 2, its lead '')
//   strings  one JSON array of strings, row after row: id, updated, firstSeen, lead source id,
//            then the article id of each source
//   records  one JSON array: [r0,r1,...]
import { articleIdHash, type StoryFacts, type StoryListing } from './facts';
import { bytesHash53 } from '../util/hash';

const MAGIC = [0x53, 0x57, 0x53, 0x54]; // "SWST"
const FORMAT = 4;
const FORMAT_3 = 3;
const FORMAT_2 = 2;
const HEADER_BYTES = 24;
const FORMAT_2_HEADER_BYTES = 12;
/** Strings of a row before its article ids: id, updated, firstSeen, lead. */
const ROW_STRINGS = 4;
/** u32 columns of format 4 (format 3 had five: no flags). */
const U32_COLUMNS = 6;
const DATED = 1;
const LEAD_UNKNOWN = 2;
/** The flags of a row read from a value of format 3 or 2: ranked as they were then (by their latest report, as dated). */
const OLDER_ROW = DATED | LEAD_UNKNOWN;
const OPEN = 0x5b; // [
const COMMA = 0x2c;
const CLOSE = 0x5d; // ]

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What a value holds once read, whichever format it came in. */
interface Columns {
  generated: string;
  aliases: Record<string, string>;
  count: number;
  /** Row by row: id, updated, firstSeen, lead, then `sources[row]` article ids (rowStart). */
  strings: string[];
  sources: Uint32Array;
  outlets: Uint32Array;
  independent: Uint32Array;
  recordBytes: Uint32Array;
  flags: Uint32Array;
  /** Each row's strings as stored (format 4), null when they must be written anew (formats 3 and 2: no lead). */
  stringsRaw: { bytes: Uint8Array; rowBytes: Uint32Array } | null;
  /** 0 where not yet worked out (a value of format 2 written before revisions were kept). */
  revisions: Float64Array;
  latestMs: Float64Array;
  reports: Float64Array;
  /** Each listed article id's articleIdHash, listing by listing. */
  articleKeys: Float64Array;
  /** The records section: "[r0,r1,...]". */
  body: Uint8Array;
}

/** A value read: its index, and where each row's strings, listing and record are. Nothing is parsed per row. */
export class StoredStories {
  private readonly rowStart: Uint32Array;
  private readonly listingStart: Uint32Array;
  private readonly recordStart: Uint32Array;
  private readonly stringStart: Uint32Array | null;

  private constructor(private readonly x: Columns) {
    const { count } = x;
    this.rowStart = new Uint32Array(count + 1);
    this.listingStart = new Uint32Array(count + 1);
    this.recordStart = new Uint32Array(count);
    this.stringStart = x.stringsRaw ? new Uint32Array(count) : null;
    let record = 1;
    let string = 1;
    for (let row = 0; row < count; row++) {
      const listed = x.sources[row]!;
      this.listingStart[row + 1] = this.listingStart[row]! + listed;
      this.rowStart[row + 1] = this.rowStart[row]! + ROW_STRINGS + listed;
      this.recordStart[row] = record;
      record += x.recordBytes[row]! + 1;
      if (this.stringStart) {
        this.stringStart[row] = string;
        string += x.stringsRaw!.rowBytes[row]! + 1;
      }
    }
    if (x.strings.length !== this.rowStart[count]) throw damaged('strings and index disagree');
    if (x.reports.length !== this.listingStart[count] || x.articleKeys.length !== x.reports.length) throw damaged('listings and index disagree');
    const end = count === 0 ? 2 : record;
    if (x.body.length !== end || x.body[0] !== OPEN || x.body[end - 1] !== CLOSE) throw damaged('records and index disagree on length');
    for (let row = 0; row < count; row++) {
      if (x.body[this.recordStart[row]! - 1] !== (row === 0 ? OPEN : COMMA)) throw damaged(`record ${row} is not where the index puts it`);
    }
    if (x.stringsRaw && x.stringsRaw.bytes.length !== (count === 0 ? 2 : string)) throw damaged('strings cut short');
  }

  static decode(bytes: Uint8Array): StoredStories {
    if (!isStoredStories(bytes)) throw damaged('no header');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const format = view.getUint32(4, true);
    if (format === FORMAT_2) return new StoredStories(readFormat2(bytes, view));
    if (format === FORMAT_3) return new StoredStories(readFormat3(bytes, view));
    if (format !== FORMAT) throw new Error(`stories: stored format ${format} is not one this version reads (${FORMAT}; a newer version wrote it?)`);
    return new StoredStories(readFormat4(bytes, view));
  }

  get count(): number {
    return this.x.count;
  }
  get generated(): string {
    return this.x.generated;
  }
  get aliases(): Record<string, string> {
    return this.x.aliases;
  }
  id(row: number): string {
    return this.x.strings[this.rowStart[row]!]!;
  }
  updated(row: number): string {
    return this.x.strings[this.rowStart[row]! + 1]!;
  }
  firstSeen(row: number): string {
    return this.x.strings[this.rowStart[row]! + 2]!;
  }
  /** The source id of the story's lead article; '' when not known (a row of format 3 or 2, or a story without sources). */
  lead(row: number): string {
    return this.x.strings[this.rowStart[row]! + 3]!;
  }
  dated(row: number): boolean {
    return (this.x.flags[row]! & DATED) !== 0;
  }

  facts(row: number): StoryFacts {
    const { strings, latestMs, sources, outlets, independent } = this.x;
    const at = this.rowStart[row]!;
    return {
      id: strings[at]!, updated: strings[at + 1]!, firstSeen: strings[at + 2]!, latestMs: latestMs[row]!, lead: strings[at + 3]!, dated: this.dated(row),
      sources: sources[row]!, outlets: outlets[row]!, independent: independent[row]!,
    };
  }

  /** The row's record as stored (a view into the value). */
  record(row: number): Uint8Array {
    return this.x.body.subarray(this.recordStart[row], this.recordStart[row]! + this.x.recordBytes[row]!);
  }

  /** The record's revision: a hash of its bytes (recordRevision), from the index when it has it. */
  revision(row: number): number {
    const { revisions } = this.x;
    return (revisions[row] ||= recordRevision(this.record(row)));
  }

  /** Every record as one JSON array (a view): what reading them all parses at once. */
  allRecords(): Uint8Array {
    return this.x.body;
  }

  /** Calls `each` with the row's article ids and report hashes, source by source. */
  eachListed(row: number, each: (articleId: string, report: number) => void): void {
    const { strings, reports } = this.x;
    const listed = this.listingStart[row]!;
    const first = this.rowStart[row]! + ROW_STRINGS;
    for (let i = 0, n = this.x.sources[row]!; i < n; i++) each(strings[first + i]!, reports[listed + i]!);
  }

  /** Adds to `found` the ids among `wanted` (by articleIdHash) that the row lists. */
  listedAmong(row: number, wanted: ReadonlyMap<number, string>, found: Set<string>): void {
    const { strings, articleKeys } = this.x;
    const listed = this.listingStart[row]!;
    const first = this.rowStart[row]! + ROW_STRINGS;
    for (let i = 0, n = this.x.sources[row]!; i < n; i++) {
      const id = wanted.get(articleKeys[listed + i]!);
      if (id !== undefined && strings[first + i] === id) found.add(id);
    }
  }

  /** Adds to `found` the reports among `wanted` that the row lists. */
  reportsAmong(row: number, wanted: ReadonlySet<number>, found: Set<number>): void {
    const { reports } = this.x;
    for (let i = this.listingStart[row]!, end = this.listingStart[row + 1]!; i < end; i++) {
      if (wanted.has(reports[i]!)) found.add(reports[i]!);
    }
  }

  /** What the encoder copies of rows `from`..`to` (inclusive, consecutive): their bytes as stored, and their numbers. */
  span(from: number, to: number): StoredSpan {
    const { x } = this;
    const recordEnd = this.recordStart[to]! + x.recordBytes[to]!;
    return {
      rows: to - from + 1,
      listings: this.listingStart[to + 1]! - this.listingStart[from]!,
      records: x.body.subarray(this.recordStart[from], recordEnd),
      strings: this.stringStart ? x.stringsRaw!.bytes.subarray(this.stringStart[from], this.stringStart[to]! + x.stringsRaw!.rowBytes[to]!) : null,
      rowStrings: (row) => JSON.stringify(x.strings.slice(this.rowStart[from + row], this.rowStart[from + row + 1])).slice(1, -1),
      copyNumbers: (into, at, listingAt) => {
        into.revisions.set(x.revisions.subarray(from, to + 1), at);
        into.latestMs.set(x.latestMs.subarray(from, to + 1), at);
        into.sources.set(x.sources.subarray(from, to + 1), at);
        into.outlets.set(x.outlets.subarray(from, to + 1), at);
        into.independent.set(x.independent.subarray(from, to + 1), at);
        into.recordBytes.set(x.recordBytes.subarray(from, to + 1), at);
        into.flags.set(x.flags.subarray(from, to + 1), at);
        into.reports.set(x.reports.subarray(this.listingStart[from], this.listingStart[to + 1]), listingAt);
        into.articleKeys.set(x.articleKeys.subarray(this.listingStart[from], this.listingStart[to + 1]), listingAt);
        if (this.stringStart) into.stringBytes.set(x.stringsRaw!.rowBytes.subarray(from, to + 1), at);
      },
    };
  }
}

/** Consecutive stored rows, as the encoder copies them. */
interface StoredSpan {
  rows: number;
  listings: number;
  records: Uint8Array;
  /** Their strings as stored, or null (formats 3 and 2: written anew, row by row, with rowStrings). */
  strings: Uint8Array | null;
  rowStrings(row: number): string;
  copyNumbers(into: NumberColumns, at: number, listingAt: number): void;
}

interface NumberColumns {
  revisions: Float64Array;
  latestMs: Float64Array;
  reports: Float64Array;
  articleKeys: Float64Array;
  sources: Uint32Array;
  outlets: Uint32Array;
  independent: Uint32Array;
  recordBytes: Uint32Array;
  stringBytes: Uint32Array;
  flags: Uint32Array;
}

function damaged(why: string): Error {
  return new Error(`stories: the stored value is truncated or corrupt (${why})`);
}

function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch (err) {
    throw damaged(`${what}: ${(err as Error).message}`);
  }
}

const align8 = (n: number) => (n + 7) & ~7;

/** A typed view of `bytes` at `offset` (a copy when the value does not start on an aligned address). */
function typedAt<T extends Float64Array | Uint32Array>(Kind: { new (buffer: ArrayBufferLike, offset: number, length: number): T; new (length: number): T; BYTES_PER_ELEMENT: number }, bytes: Uint8Array, offset: number, length: number): T {
  const start = bytes.byteOffset + offset;
  if (start % Kind.BYTES_PER_ELEMENT === 0) return new Kind(bytes.buffer, start, length);
  const copy = new Kind(length);
  new Uint8Array(copy.buffer).set(bytes.subarray(offset, offset + length * Kind.BYTES_PER_ELEMENT));
  return copy;
}

/** The header and sections of a value of format 3 or 4 (they differ in their u32 columns). */
function sectionsOf(bytes: Uint8Array, view: DataView, u32Columns: number) {
  if (bytes.length < HEADER_BYTES) throw damaged('header cut short');
  const count = view.getUint32(8, true);
  const listings = view.getUint32(12, true);
  const metaBytes = view.getUint32(16, true);
  const stringsBytes = view.getUint32(20, true);
  const metaAt = HEADER_BYTES;
  const floatsAt = align8(metaAt + metaBytes);
  const intsAt = floatsAt + 8 * (2 * count + 2 * listings);
  const stringsAt = align8(intsAt + 4 * u32Columns * count);
  const recordsAt = stringsAt + stringsBytes;
  if (recordsAt > bytes.length) throw damaged('sections cut short');
  const meta = parseJson(bytes.subarray(metaAt, metaAt + metaBytes), 'meta') as { generated?: unknown; aliases?: unknown } | null;
  if (!meta || typeof meta.generated !== 'string' || typeof meta.aliases !== 'object' || meta.aliases === null) throw damaged('meta');
  const u32 = (i: number) => typedAt(Uint32Array, bytes, intsAt + 4 * count * i, count);
  return { count, listings, floatsAt, stringsAt, recordsAt, u32, generated: meta.generated, aliases: meta.aliases as Record<string, string> };
}

function readFormat4(bytes: Uint8Array, view: DataView): Columns {
  const { count, listings, floatsAt, stringsAt, recordsAt, u32, generated, aliases } = sectionsOf(bytes, view, U32_COLUMNS);
  const strings = parseJson(bytes.subarray(stringsAt, recordsAt), 'strings');
  if (!Array.isArray(strings) || !strings.every((s) => typeof s === 'string')) throw damaged('strings');
  return {
    generated,
    aliases,
    count,
    strings: strings as string[],
    revisions: typedAt(Float64Array, bytes, floatsAt, count),
    latestMs: typedAt(Float64Array, bytes, floatsAt + 8 * count, count),
    reports: typedAt(Float64Array, bytes, floatsAt + 16 * count, listings),
    articleKeys: typedAt(Float64Array, bytes, floatsAt + 8 * (2 * count + listings), listings),
    sources: u32(0),
    outlets: u32(1),
    independent: u32(2),
    recordBytes: u32(3),
    stringsRaw: { bytes: bytes.subarray(stringsAt, recordsAt), rowBytes: u32(4) },
    flags: u32(5),
    body: bytes.subarray(recordsAt),
  };
}

/** Format 3: format 4 without the flags column and without each row's lead among its strings. */
function readFormat3(bytes: Uint8Array, view: DataView): Columns {
  const { count, listings, floatsAt, stringsAt, recordsAt, u32, generated, aliases } = sectionsOf(bytes, view, U32_COLUMNS - 1);
  const older = parseJson(bytes.subarray(stringsAt, recordsAt), 'strings');
  if (!Array.isArray(older) || !older.every((s) => typeof s === 'string')) throw damaged('strings');
  const sources = u32(0);
  const strings: string[] = [];
  let at = 0;
  for (let row = 0; row < count; row++) {
    const end = at + 3 + sources[row]!;
    if (end > older.length) throw damaged('strings and index disagree');
    strings.push(older[at]!, older[at + 1]!, older[at + 2]!, '');
    for (at += 3; at < end; at++) strings.push(older[at]!);
  }
  if (at !== older.length) throw damaged('strings and index disagree');
  return {
    generated,
    aliases,
    count,
    strings,
    revisions: typedAt(Float64Array, bytes, floatsAt, count),
    latestMs: typedAt(Float64Array, bytes, floatsAt + 8 * count, count),
    reports: typedAt(Float64Array, bytes, floatsAt + 16 * count, listings),
    articleKeys: typedAt(Float64Array, bytes, floatsAt + 8 * (2 * count + listings), listings),
    sources,
    outlets: u32(1),
    independent: u32(2),
    recordBytes: u32(3),
    stringsRaw: null,
    flags: new Uint32Array(count).fill(OLDER_ROW),
    body: bytes.subarray(recordsAt),
  };
}

/** Format 2: "SWST" | u32 2 | u32 index length | index (JSON columns) | records. */
function readFormat2(bytes: Uint8Array, view: DataView): Columns {
  const indexLength = view.getUint32(8, true);
  if (FORMAT_2_HEADER_BYTES + indexLength > bytes.length) throw damaged('index cut short');
  const index = parseJson(bytes.subarray(FORMAT_2_HEADER_BYTES, FORMAT_2_HEADER_BYTES + indexLength), 'index') as {
    generated: string; aliases: Record<string, string>; ids: string[]; updated: string[]; firstSeen: string[]; latest: string[];
    sources: number[]; outlets: number[]; independent: number[]; bytes: number[]; articles: string[]; reports: number[]; revisions?: number[];
  };
  const count = Array.isArray(index?.ids) ? index.ids.length : -1;
  const columns = [index?.updated, index?.firstSeen, index?.latest, index?.sources, index?.outlets, index?.independent, index?.bytes];
  if (count < 0 || columns.some((c) => !Array.isArray(c) || c.length !== count) || !Array.isArray(index.articles) || !Array.isArray(index.reports) ||
    typeof index.aliases !== 'object' || index.aliases === null || (index.revisions !== undefined && (!Array.isArray(index.revisions) || index.revisions.length !== count))) {
    throw damaged('index columns');
  }
  if (index.reports.length !== index.articles.length) throw damaged('listings and index disagree');
  const strings: string[] = [];
  let listed = 0;
  for (let row = 0; row < count; row++) {
    strings.push(index.ids[row]!, index.updated[row]!, index.firstSeen[row]!, '');
    for (let i = 0; i < index.sources[row]!; i++) strings.push(index.articles[listed++]!);
  }
  return {
    generated: index.generated,
    aliases: index.aliases,
    count,
    strings,
    revisions: index.revisions ? Float64Array.from(index.revisions) : new Float64Array(count),
    latestMs: Float64Array.from(index.latest, (latest) => Date.parse(latest)),
    reports: Float64Array.from(index.reports),
    articleKeys: Float64Array.from(index.articles, articleIdHash),
    sources: Uint32Array.from(index.sources),
    outlets: Uint32Array.from(index.outlets),
    independent: Uint32Array.from(index.independent),
    recordBytes: Uint32Array.from(index.bytes),
    stringsRaw: null,
    flags: new Uint32Array(count).fill(OLDER_ROW),
    body: bytes.subarray(FORMAT_2_HEADER_BYTES + indexLength),
  };
}

/** Bytes a value may take beyond its header, meta, rows and records: the padding that aligns its sections. */
export const STORED_SLACK_BYTES = 16;

/** What one story's row takes in the index: its numbers, and its strings with the comma before them. */
export function indexRowBytes(facts: StoryFacts, articles: readonly string[]): number {
  const strings = encoder.encode(JSON.stringify([facts.id, facts.updated, facts.firstSeen, facts.lead, ...articles])).length - 1;
  return 16 + 16 * articles.length + 4 * U32_COLUMNS + strings;
}

/** What a record's bytes are known by: equal revisions, equal bytes (but for odds of 1 in 2^53). */
export function recordRevision(record: Uint8Array): number {
  return bytesHash53(record);
}

export function isStoredStories(bytes: Uint8Array): boolean {
  return bytes.length >= FORMAT_2_HEADER_BYTES && MAGIC.every((b, i) => bytes[i] === b);
}

/** One story to store: unchanged from a value read (its row there), or worked out anew. */
export type StoredRow = { from: StoredStories; row: number } | { facts: StoryFacts; listing: StoryListing; record: Uint8Array; revision: number };

/** A story worked out anew, as the encoder writes it. */
type NewRow = Extract<StoredRow, { facts: StoryFacts }>;

/** Rows in order, consecutive stored rows of one value grouped into spans (copied as they are). */
function spansOf(rows: readonly StoredRow[]): (StoredSpan | NewRow)[] {
  const out: (StoredSpan | NewRow)[] = [];
  for (let i = 0; i < rows.length;) {
    const row = rows[i]!;
    if (!('from' in row)) {
      out.push(row);
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < rows.length) {
      const next = rows[j + 1]!;
      if (!('from' in next) || next.from !== row.from || next.row !== (rows[j] as { row: number }).row + 1) break;
      j++;
    }
    out.push(row.from.span(row.row, (rows[j] as { row: number }).row));
    i = j + 1;
  }
  return out;
}

export function encodeStoredStories(generated: string, aliases: Record<string, string>, rows: readonly StoredRow[]): Uint8Array {
  const parts = spansOf(rows);
  const count = rows.length;
  let listings = 0;
  let recordsBytes = 2 + Math.max(0, count - 1);
  for (const part of parts) {
    listings += 'rows' in part ? part.listings : part.listing.articles.length;
    recordsBytes += 'rows' in part ? part.records.length - (part.rows - 1) : part.record.length;
  }
  // Numbers first: their columns are laid out by the row counts alone.
  const numbers: NumberColumns = {
    revisions: new Float64Array(count), latestMs: new Float64Array(count), reports: new Float64Array(listings), articleKeys: new Float64Array(listings),
    sources: new Uint32Array(count), outlets: new Uint32Array(count), independent: new Uint32Array(count), recordBytes: new Uint32Array(count), stringBytes: new Uint32Array(count),
    flags: new Uint32Array(count),
  };
  // Strings: a stored span's as they were when it has them, else each row's written anew.
  const stringChunks: Uint8Array[] = [];
  let at = 0;
  let listingAt = 0;
  for (const part of parts) {
    if ('rows' in part) {
      part.copyNumbers(numbers, at, listingAt);
      if (part.strings) stringChunks.push(part.strings);
      else {
        for (let r = 0; r < part.rows; r++) {
          const written = encoder.encode(part.rowStrings(r));
          numbers.stringBytes[at + r] = written.length;
          stringChunks.push(written);
        }
      }
      at += part.rows;
      listingAt += part.listings;
      continue;
    }
    const { facts, listing, record, revision } = part;
    numbers.revisions[at] = revision;
    numbers.latestMs[at] = facts.latestMs;
    numbers.reports.set(listing.reports, listingAt);
    listing.articles.forEach((id, i) => (numbers.articleKeys[listingAt + i] = articleIdHash(id)));
    numbers.sources[at] = facts.sources;
    numbers.outlets[at] = facts.outlets;
    numbers.independent[at] = facts.independent;
    numbers.recordBytes[at] = record.length;
    numbers.flags[at] = facts.dated ? DATED : 0;
    const written = encoder.encode(JSON.stringify([facts.id, facts.updated, facts.firstSeen, facts.lead, ...listing.articles]).slice(1, -1));
    numbers.stringBytes[at] = written.length;
    stringChunks.push(written);
    at++;
    listingAt += listing.articles.length;
  }
  const meta = encoder.encode(JSON.stringify({ generated, aliases }));
  const stringsBytes = 2 + Math.max(0, stringChunks.length - 1) + stringChunks.reduce((sum, chunk) => sum + chunk.length, 0);

  const floatsAt = align8(HEADER_BYTES + meta.length);
  const intsAt = floatsAt + 8 * (2 * count + 2 * listings);
  const stringsAt = align8(intsAt + 4 * U32_COLUMNS * count);
  const recordsAt = stringsAt + stringsBytes;
  const out = new Uint8Array(recordsAt + recordsBytes);
  out.set(MAGIC);
  const view = new DataView(out.buffer);
  view.setUint32(4, FORMAT, true);
  view.setUint32(8, count, true);
  view.setUint32(12, listings, true);
  view.setUint32(16, meta.length, true);
  view.setUint32(20, stringsBytes, true);
  out.set(meta, HEADER_BYTES);
  new Float64Array(out.buffer, floatsAt, count).set(numbers.revisions);
  new Float64Array(out.buffer, floatsAt + 8 * count, count).set(numbers.latestMs);
  new Float64Array(out.buffer, floatsAt + 16 * count, listings).set(numbers.reports);
  new Float64Array(out.buffer, floatsAt + 8 * (2 * count + listings), listings).set(numbers.articleKeys);
  [numbers.sources, numbers.outlets, numbers.independent, numbers.recordBytes, numbers.stringBytes, numbers.flags].forEach((column, i) => new Uint32Array(out.buffer, intsAt + 4 * count * i, count).set(column));
  writeArray(out, stringsAt, stringChunks);
  writeArray(out, recordsAt, parts.map((part) => ('rows' in part ? part.records : part.record)));
  return out;
}

/** `[`, the chunks separated by commas, `]` at `at` (each chunk is one or more elements, already comma-separated within). */
function writeArray(out: Uint8Array, at: number, chunks: readonly Uint8Array[]): void {
  out[at++] = OPEN;
  chunks.forEach((chunk, i) => {
    if (i > 0) out[at++] = COMMA;
    out.set(chunk, at);
    at += chunk.length;
  });
  out[at] = CLOSE;
}
