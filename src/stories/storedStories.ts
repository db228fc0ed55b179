// The stories value as stored in KV (format 2): a small header, an index of every story (its
// facts, stories/facts.ts) and the records themselves, each its own run of JSON, laid end to end
// as one JSON array. A run parses the index and only the records it changes or shows; it writes
// the records it did not touch back as the bytes it read. Values of format 1 (one JSON document,
// StoriesSnapshot) are still read.
//
//   "SWST" | u32 format (2) | u32 index length | index (UTF-8 JSON, columns) | records: [r0,r1,...]
import type { StoryFacts } from './facts';

const MAGIC = [0x53, 0x57, 0x53, 0x54]; // "SWST"
export const STORED_STORIES_FORMAT = 2;
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
  /** Every story's article ids and report hashes, one after another (`sources` per story). */
  articles: string[];
  reports: number[];
}

export interface StoredStories {
  generated: string;
  aliases: Record<string, string>;
  facts: StoryFacts[];
  /** Each record's JSON (UTF-8), views into the value read. */
  records: Uint8Array[];
  /** All the records as one JSON array (a view): what reading every record parses at once. */
  body: Uint8Array;
}

export function isStoredStories(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER_BYTES && MAGIC.every((b, i) => bytes[i] === b);
}

export function encodeStoredStories(generated: string, aliases: Record<string, string>, facts: readonly StoryFacts[], records: readonly Uint8Array[]): Uint8Array {
  const index: StoredIndex = {
    generated, aliases, ids: [], updated: [], firstSeen: [], latest: [], sources: [], outlets: [], independent: [], bytes: [], articles: [], reports: [],
  };
  let bodyBytes = 2 + Math.max(0, records.length - 1);
  facts.forEach((f, i) => {
    index.ids.push(f.id);
    index.updated.push(f.updated);
    index.firstSeen.push(f.firstSeen);
    index.latest.push(f.latest);
    index.sources.push(f.sources);
    index.outlets.push(f.outlets);
    index.independent.push(f.independent);
    index.bytes.push(records[i]!.length);
    for (const a of f.articles) index.articles.push(a);
    for (const r of f.reports) index.reports.push(r);
    bodyBytes += records[i]!.length;
  });
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

/** Reads the index and finds each record's bytes (not parsed). Throws "stories: ..." on a damaged value. */
export function decodeStoredStories(bytes: Uint8Array): StoredStories {
  const damaged = (why: string) => new Error(`stories: the stored value is truncated or corrupt (${why})`);
  if (!isStoredStories(bytes)) throw damaged('no header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = view.getUint32(4, true);
  if (format !== STORED_STORIES_FORMAT) throw new Error(`stories: stored format ${format} is newer than this version reads (${STORED_STORIES_FORMAT})`);
  const headLength = view.getUint32(8, true);
  if (HEADER_BYTES + headLength > bytes.length) throw damaged('index cut short');
  let index: StoredIndex;
  try {
    index = JSON.parse(new TextDecoder().decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + headLength))) as StoredIndex;
  } catch (err) {
    throw damaged(`index: ${(err as Error).message}`);
  }
  const count = index.ids?.length;
  const columns = [index.updated, index.firstSeen, index.latest, index.sources, index.outlets, index.independent, index.bytes];
  if (!Array.isArray(index.ids) || columns.some((c) => !Array.isArray(c) || c.length !== count) || typeof index.aliases !== 'object' || index.aliases === null) {
    throw damaged('index columns');
  }
  const body = bytes.subarray(HEADER_BYTES + headLength);
  const facts: StoryFacts[] = new Array(count);
  const records: Uint8Array[] = new Array(count);
  let at = 1;
  let article = 0;
  for (let i = 0; i < count; i++) {
    if (body[at - 1] !== (i === 0 ? OPEN : COMMA)) throw damaged(`record ${i} not where the index puts it`);
    const length = index.bytes[i]!;
    records[i] = body.subarray(at, at + length);
    at += length + 1;
    const sources = index.sources[i]!;
    facts[i] = {
      id: index.ids[i]!, updated: index.updated[i]!, firstSeen: index.firstSeen[i]!, latest: index.latest[i]!,
      sources, outlets: index.outlets[i]!, independent: index.independent[i]!,
      articles: index.articles.slice(article, article + sources), reports: index.reports.slice(article, article + sources),
    };
    article += sources;
  }
  if (count === 0 ? body.length !== 2 || body[0] !== OPEN : at !== body.length) throw damaged('records and index disagree on length');
  if (body[body.length - 1] !== CLOSE || article !== index.articles.length) throw damaged('records and index disagree');
  return { generated: index.generated, aliases: index.aliases, facts, records, body };
}
