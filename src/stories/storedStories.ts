// The stories value as stored in KV (format 2): a small header, an index of every story (its
// facts and listing, stories/facts.ts) and the records themselves, each its own run of JSON,
// laid end to end as one JSON array. A run parses the index and only the records it changes or
// shows; it writes the records it did not touch back as the bytes it read. Values of format 1
// (one JSON document, StoriesSnapshot) are still read (store/stories.ts).
//
//   "SWST" | u32 format (2) | u32 index length | index (UTF-8 JSON, in columns) | records: [r0,r1,...]
//
// The index's `revisions` column (a hash of each record's bytes) came after the format: a value
// without it is read, and a revision is then worked out from the record's bytes when asked for.
import type { StoryFacts, StoryListing } from './facts';
import { bytesHash53 } from '../util/hash';

const MAGIC = [0x53, 0x57, 0x53, 0x54]; // "SWST"
const STORED_STORIES_FORMAT = 2;
const HEADER_BYTES = 12;
const OPEN = 0x5b; // [
const COMMA = 0x2c;
const CLOSE = 0x5d; // ]

/** The index: one column per fact, one row per story in stored order (newest change first). */
interface StoredIndex {
  generated: string;
  aliases: Record<string, string>;
  ids: string[];
  updated: string[];
  firstSeen: string[];
  latest: string[];
  sources: number[];
  outlets: number[];
  independent: number[];
  /** Each record's length in bytes. */
  bytes: number[];
  /** Every story's listing, one after another (`sources` entries per story). */
  articles: string[];
  reports: number[];
  /** Each record's revision (recordRevision); 0 where not yet worked out. Absent in values written before it. */
  revisions?: number[];
}

/** A value read: its index, and where each row's record and listing are. Nothing is parsed per row. */
export class StoredStories {
  private constructor(
    private readonly index: StoredIndex,
    private readonly body: Uint8Array,
    private readonly recordStart: Uint32Array,
    private readonly listingStart: Uint32Array,
  ) {}

  static decode(bytes: Uint8Array): StoredStories {
    const damaged = (why: string) => new Error(`stories: the stored value is truncated or corrupt (${why})`);
    if (!isStoredStories(bytes)) throw damaged('no header');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const format = view.getUint32(4, true);
    if (format !== STORED_STORIES_FORMAT) throw new Error(`stories: stored format ${format} is not one this version reads (${STORED_STORIES_FORMAT}; a newer version wrote it?)`);
    const indexLength = view.getUint32(8, true);
    if (HEADER_BYTES + indexLength > bytes.length) throw damaged('index cut short');
    let index: StoredIndex;
    try {
      index = JSON.parse(new TextDecoder().decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + indexLength))) as StoredIndex;
    } catch (err) {
      throw damaged(`index: ${(err as Error).message}`);
    }
    const count = Array.isArray(index.ids) ? index.ids.length : -1;
    const columns = [index.updated, index.firstSeen, index.latest, index.sources, index.outlets, index.independent, index.bytes];
    if (count < 0 || columns.some((c) => !Array.isArray(c) || c.length !== count) || !Array.isArray(index.articles) || !Array.isArray(index.reports) ||
      typeof index.aliases !== 'object' || index.aliases === null || (index.revisions !== undefined && (!Array.isArray(index.revisions) || index.revisions.length !== count))) {
      throw damaged('index columns');
    }
    index.revisions ??= new Array<number>(count).fill(0);
    const body = bytes.subarray(HEADER_BYTES + indexLength);
    const recordStart = new Uint32Array(count);
    const listingStart = new Uint32Array(count + 1);
    let at = 1;
    for (let row = 0; row < count; row++) {
      if (body[at - 1] !== (row === 0 ? OPEN : COMMA)) throw damaged(`record ${row} is not where the index puts it`);
      recordStart[row] = at;
      at += index.bytes[row]! + 1;
      listingStart[row + 1] = listingStart[row]! + index.sources[row]!;
    }
    const end = count === 0 ? 2 : at;
    if (body.length !== end || body[0] !== OPEN || body[end - 1] !== CLOSE) throw damaged('records and index disagree on length');
    if (listingStart[count] !== index.articles.length || index.reports.length !== index.articles.length) throw damaged('listings and index disagree');
    return new StoredStories(index, body, recordStart, listingStart);
  }

  get count(): number {
    return this.index.ids.length;
  }
  get generated(): string {
    return this.index.generated;
  }
  get aliases(): Record<string, string> {
    return this.index.aliases;
  }
  id(row: number): string {
    return this.index.ids[row]!;
  }
  updated(row: number): string {
    return this.index.updated[row]!;
  }
  firstSeen(row: number): string {
    return this.index.firstSeen[row]!;
  }

  facts(row: number): StoryFacts {
    const x = this.index;
    return { id: x.ids[row]!, updated: x.updated[row]!, firstSeen: x.firstSeen[row]!, latest: x.latest[row]!, sources: x.sources[row]!, outlets: x.outlets[row]!, independent: x.independent[row]! };
  }

  /** The row's record as stored (a view into the value). */
  record(row: number): Uint8Array {
    return this.body.subarray(this.recordStart[row], this.recordStart[row]! + this.index.bytes[row]!);
  }

  /** The record's revision: a hash of its bytes (recordRevision), from the index when it has it. */
  revision(row: number): number {
    const revisions = this.index.revisions!;
    return (revisions[row] ||= recordRevision(this.record(row)));
  }

  /** Every record as one JSON array (a view): what reading them all parses at once. */
  allRecords(): Uint8Array {
    return this.body;
  }

  /** Adds the row to an index being written (encodeStoredStories), as it stands here. */
  appendTo(target: StoredIndex, row: number): void {
    const x = this.index;
    target.ids.push(x.ids[row]!);
    target.updated.push(x.updated[row]!);
    target.firstSeen.push(x.firstSeen[row]!);
    target.latest.push(x.latest[row]!);
    target.sources.push(x.sources[row]!);
    target.outlets.push(x.outlets[row]!);
    target.independent.push(x.independent[row]!);
    target.bytes.push(x.bytes[row]!);
    target.revisions!.push(x.revisions![row]!);
    for (let i = this.listingStart[row]!, end = this.listingStart[row + 1]!; i < end; i++) {
      target.articles.push(x.articles[i]!);
      target.reports.push(x.reports[i]!);
    }
  }

  /** Calls `each` with the row's article ids and report hashes, source by source. */
  eachListed(row: number, each: (articleId: string, report: number) => void): void {
    const { articles, reports } = this.index;
    for (let i = this.listingStart[row]!, end = this.listingStart[row + 1]!; i < end; i++) each(articles[i]!, reports[i]!);
  }
}

/** What a record's bytes are known by: equal revisions, equal bytes (but for odds of 1 in 2^53). */
export function recordRevision(record: Uint8Array): number {
  return bytesHash53(record);
}

export function isStoredStories(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER_BYTES && MAGIC.every((b, i) => bytes[i] === b);
}

/** One story to store: unchanged from a value read (its row there), or worked out anew. */
export type StoredRow = { from: StoredStories; row: number } | { facts: StoryFacts; listing: StoryListing; record: Uint8Array; revision: number };

export function encodeStoredStories(generated: string, aliases: Record<string, string>, rows: readonly StoredRow[]): Uint8Array {
  const index: StoredIndex = {
    generated, aliases, ids: [], updated: [], firstSeen: [], latest: [], sources: [], outlets: [], independent: [], bytes: [], articles: [], reports: [], revisions: [],
  };
  const records: Uint8Array[] = [];
  let bodyBytes = 2 + Math.max(0, rows.length - 1);
  for (const row of rows) {
    let record: Uint8Array;
    if ('from' in row) {
      row.from.appendTo(index, row.row);
      record = row.from.record(row.row);
    } else {
      const { facts, listing } = row;
      record = row.record;
      index.ids.push(facts.id);
      index.updated.push(facts.updated);
      index.firstSeen.push(facts.firstSeen);
      index.latest.push(facts.latest);
      index.sources.push(facts.sources);
      index.outlets.push(facts.outlets);
      index.independent.push(facts.independent);
      index.bytes.push(record.length);
      index.revisions!.push(row.revision);
      for (let i = 0; i < listing.articles.length; i++) {
        index.articles.push(listing.articles[i]!);
        index.reports.push(listing.reports[i]!);
      }
    }
    records.push(record);
    bodyBytes += record.length;
  }
  const head = new TextEncoder().encode(JSON.stringify(index));
  const out = new Uint8Array(HEADER_BYTES + head.length + bodyBytes);
  out.set(MAGIC);
  const view = new DataView(out.buffer);
  view.setUint32(4, STORED_STORIES_FORMAT, true);
  view.setUint32(8, head.length, true);
  out.set(head, HEADER_BYTES);
  let at = HEADER_BYTES + head.length;
  out[at++] = OPEN;
  records.forEach((record, i) => {
    if (i > 0) out[at++] = COMMA;
    out.set(record, at);
    at += record.length;
  });
  out[at] = CLOSE;
  return out;
}
