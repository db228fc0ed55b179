// The engine state as bytes (snapshot version 2): a fixed header, then typed-array sections read
// as views straight from the bytes (no per-element parsing), then one UTF-8 blob holding every
// string. Pure: src/store/clusterState.ts compresses it and moves it to and from KV.
//
// What is stored and how it is rounded is exactly what version 1 (JSON, snapshot-v1.ts) stored:
// the term dictionary most frequent first (ties in the dictionary's own order), centroid weights
// quantised to 12 bits of the story's heaviest term, times in whole seconds. Loading interns
// terms and fills the same structures in the same order, so an engine restored from either
// version is the same engine, and the predictions do not move (see docs/clustering.md).
//
// Layout (little-endian, every section starts on a multiple of 8 bytes):
//   header    HEADER_BYTES: magic "SWCS", version, counts, total length, clock, lastSweep,
//             storiesCreated, units, checksum of everything after the header
//   f64[5 × stories]   per story: created, firstTime, lastTime, leadTime (s, NaN = none), scale
//   u32[terms]         document frequency of each dictionary term (0: only in a centroid)
//   u32[stories]       articles per story
//   u32[stories]       centroid entries per story
//   u32[entries]       dictionary index of each entry, delta-coded within its story (ascending)
//   u32[seen]          seen article -> index into the seen story ids
//   u32[strings]       length of each string in UTF-16 units
//   u16[entries]       quantised weight of each entry (1..4095 of the story's scale)
//   u8[stringBytes]    the strings, UTF-8, in this order: terms, story ids, lead ids, seen
//                      article ids, seen story ids, alias sources, alias targets
import { TermFrequencies } from './frequencies';
import { fromSnapshotV1, type ClusterSnapshotV1 } from './snapshot-v1';
import { ClusterState } from './state';
import type { Story } from './story';
import { norm } from './vector';

/** The engine state as bytes (uncompressed); `StoryClusterer.snapshot()` / `restore()`. */
export type ClusterSnapshot = Uint8Array;

export const SNAPSHOT_VERSION = 2;
const MAGIC = 0x53435753; // "SWCS" read as a little-endian u32
const HEADER_BYTES = 80;
const WEIGHT_STEPS = 4095;
const STORY_NUMBERS = 5;
/** Entry position packed under the sort key (term index × 2^20 + position): centroids are far smaller. */
const POSITION_BITS = 2 ** 20;

export function encodeSnapshot(state: ClusterState, resolve: (id: string) => string): ClusterSnapshot {
  const { df } = state.frequencies;
  const { terms: dictionary, termIndexOf } = dictionaryOf(state);
  const strings: string[] = dictionary;

  const stories = [...state.stories.values()];
  let entryCount = 0;
  for (const story of stories) entryCount += story.centroid.size;
  const numbers = new Float64Array(stories.length * STORY_NUMBERS);
  const sizes = new Uint32Array(stories.length);
  const entriesPer = new Uint32Array(stories.length);
  const entryTerms = new Uint32Array(entryCount);
  const entryWeights = new Uint16Array(entryCount);
  const storyIds: string[] = [];
  const leadIds: string[] = [];
  let at = 0;
  stories.forEach((story, s) => {
    const { ids, weights, size } = story.centroid;
    if (size >= POSITION_BITS) throw new Error(`cluster: story ${story.id} has ${size} centroid terms, too many to store`);
    // Order the entries by dictionary index (a term only in centroids gets the next free index
    // in the order met: stories in order, each story's entries by term id, as version 1 did).
    const keys = new Float64Array(size);
    let scale = 0;
    for (let k = 0; k < size; k++) {
      const id = ids[k]!;
      let index = termIndexOf[id]!;
      if (index < 0) {
        index = dictionary.push(state.terms.term(id)) - 1;
        termIndexOf[id] = index;
      }
      keys[k] = index * POSITION_BITS + k;
      if (weights[k]! > scale) scale = weights[k]!;
    }
    keys.sort();
    scale = scale || 1;
    let previous = 0;
    for (let k = 0; k < size; k++) {
      const key = keys[k]!;
      const index = Math.floor(key / POSITION_BITS);
      entryTerms[at] = index - previous;
      entryWeights[at] = Math.max(1, Math.round((weights[key - index * POSITION_BITS]! / scale) * WEIGHT_STEPS));
      previous = index;
      at++;
    }
    const n = s * STORY_NUMBERS;
    numbers[n] = story.created;
    numbers[n + 1] = seconds(story.firstTime);
    numbers[n + 2] = seconds(story.lastTime);
    numbers[n + 3] = seconds(story.leadTime);
    numbers[n + 4] = Math.round(scale * 1e4) / 1e4;
    sizes[s] = story.size;
    entriesPer[s] = size;
    storyIds.push(story.id);
    leadIds.push(story.leadId);
  });
  const termCount = dictionary.length;
  const frequencies = new Uint32Array(termCount);
  for (let i = 0; i < termCount; i++) frequencies[i] = df.get(dictionary[i]!) ?? 0;

  // Seen articles point into a table of (alias-resolved) story ids: many articles, few stories.
  const seenIds: string[] = [];
  const seenStory = new Uint32Array(state.seen.size);
  const seenStoryIds: string[] = [];
  const refOf = new Map<string, number>();
  let i = 0;
  for (const [articleId, storyId] of state.seen) {
    let ref = refOf.get(storyId);
    if (ref === undefined) {
      const resolved = resolve(storyId);
      ref = refOf.get(resolved);
      if (ref === undefined) ref = seenStoryIds.push(resolved) - 1;
      refOf.set(storyId, ref);
      refOf.set(resolved, ref);
    }
    seenIds.push(articleId);
    seenStory[i++] = ref;
  }
  const aliasFrom = [...state.aliases.keys()];
  const aliasTo = [...state.aliases.values()].map(resolve);

  const all = [...strings, ...storyIds, ...leadIds, ...seenIds, ...seenStoryIds, ...aliasFrom, ...aliasTo];
  const lengths = Uint32Array.from(all, (text) => text.length);
  const blob = new TextEncoder().encode(all.join(''));

  const layout = sectionsFor({
    terms: termCount, stories: stories.length, entries: entryCount, seen: seenIds.length, strings: all.length, stringBytes: blob.length,
  });
  const bytes = new Uint8Array(layout.total);
  const header = new DataView(bytes.buffer);
  header.setUint32(0, MAGIC, true);
  header.setUint32(4, SNAPSHOT_VERSION, true);
  header.setUint32(8, termCount, true);
  header.setUint32(12, stories.length, true);
  header.setUint32(16, entryCount, true);
  header.setUint32(20, seenIds.length, true);
  header.setUint32(24, seenStoryIds.length, true);
  header.setUint32(28, aliasFrom.length, true);
  header.setUint32(32, blob.length, true);
  header.setUint32(36, layout.total, true);
  header.setFloat64(40, seconds(state.clock), true);
  header.setFloat64(48, seconds(state.lastSweep), true);
  header.setFloat64(56, state.storiesCreated, true);
  header.setFloat64(64, state.frequencies.units, true);
  new Float64Array(bytes.buffer, layout.numbers, numbers.length).set(numbers);
  new Uint32Array(bytes.buffer, layout.df, termCount).set(frequencies);
  new Uint32Array(bytes.buffer, layout.sizes, stories.length).set(sizes);
  new Uint32Array(bytes.buffer, layout.entriesPer, stories.length).set(entriesPer);
  new Uint32Array(bytes.buffer, layout.entryTerms, entryCount).set(entryTerms);
  new Uint32Array(bytes.buffer, layout.seenStory, seenStory.length).set(seenStory);
  new Uint32Array(bytes.buffer, layout.lengths, lengths.length).set(lengths);
  new Uint16Array(bytes.buffer, layout.entryWeights, entryCount).set(entryWeights);
  bytes.set(blob, layout.blob);
  header.setUint32(72, checksum(bytes), true);
  return bytes;
}

/** The state in `bytes`: version 2, or a version 1 JSON document (migrated: the next save writes version 2). */
export function decodeSnapshot(bytes: Uint8Array): ClusterState {
  if (bytes.length > 0 && bytes[0] === 0x7b) return decodeVersion1(bytes); // "{"
  if (bytes.length < HEADER_BYTES) throw new Error(`cluster: snapshot is truncated (${bytes.length} bytes, the header alone is ${HEADER_BYTES})`);
  // Typed-array views need aligned offsets; bytes handed over by a decompressor start at 0.
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (header.getUint32(0, true) !== MAGIC) throw new Error('cluster: snapshot is not a storywire engine state (bad magic number)');
  const version = header.getUint32(4, true);
  if (version !== SNAPSHOT_VERSION) throw new Error(`cluster: snapshot has unknown version ${version}`);
  const count = {
    terms: header.getUint32(8, true), stories: header.getUint32(12, true), entries: header.getUint32(16, true),
    seen: header.getUint32(20, true), seenStories: header.getUint32(24, true), aliases: header.getUint32(28, true),
    stringBytes: header.getUint32(32, true),
  };
  const strings = count.terms + 2 * count.stories + count.seen + count.seenStories + 2 * count.aliases;
  const layout = sectionsFor({ ...count, strings });
  const declared = header.getUint32(36, true);
  if (declared !== layout.total || bytes.length !== layout.total) {
    throw new Error(`cluster: snapshot is truncated or corrupt (${bytes.length} bytes, header says ${declared}, sections need ${layout.total})`);
  }
  if (header.getUint32(72, true) !== checksum(bytes)) throw new Error('cluster: snapshot fails its checksum (corrupt)');
  const { buffer, byteOffset } = bytes;
  const numbers = new Float64Array(buffer, byteOffset + layout.numbers, count.stories * STORY_NUMBERS);
  const frequencies = new Uint32Array(buffer, byteOffset + layout.df, count.terms);
  const sizes = new Uint32Array(buffer, byteOffset + layout.sizes, count.stories);
  const entriesPer = new Uint32Array(buffer, byteOffset + layout.entriesPer, count.stories);
  const entryTerms = new Uint32Array(buffer, byteOffset + layout.entryTerms, count.entries);
  const seenStory = new Uint32Array(buffer, byteOffset + layout.seenStory, count.seen);
  const lengths = new Uint32Array(buffer, byteOffset + layout.lengths, strings);
  const entryWeights = new Uint16Array(buffer, byteOffset + layout.entryWeights, count.entries);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(layout.blob, layout.blob + count.stringBytes));
  } catch {
    throw new Error('cluster: snapshot string table is not valid UTF-8 (corrupt)');
  }
  let cursor = 0;
  let next = 0;
  const take = (n: number): string[] => {
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const end = cursor + lengths[next++]!;
      out[i] = text.slice(cursor, end);
      cursor = end;
    }
    return out;
  };
  const terms = take(count.terms);
  const storyIds = take(count.stories);
  const leadIds = take(count.stories);
  const seenIds = take(count.seen);
  const seenStoryIds = take(count.seenStories);
  const aliasFrom = take(count.aliases);
  const aliasTo = take(count.aliases);
  if (cursor !== text.length) throw new Error('cluster: snapshot string table does not match its lengths (corrupt)');

  const state = new ClusterState();
  state.clock = millis(header.getFloat64(40, true));
  state.lastSweep = millis(header.getFloat64(48, true));
  state.storiesCreated = header.getFloat64(56, true);
  const df = new Map<string, number>();
  for (let i = 0; i < count.terms; i++) if (frequencies[i]! > 0) df.set(terms[i]!, frequencies[i]!);
  state.frequencies = new TermFrequencies(header.getFloat64(64, true), df);

  // Pass 1, entries in stored order: dictionary index -> term id, minted on first use in the
  // order version 1 interned them (stories in order, each by dictionary index).
  const termIdOf = new Int32Array(count.terms).fill(-1);
  const entryTermId = new Int32Array(count.entries);
  const entryStory = new Uint32Array(count.entries);
  let at = 0;
  for (let s = 0; s < count.stories; s++) {
    const size = entriesPer[s]!;
    if (at + size > count.entries) throw new Error(`cluster: snapshot story ${storyIds[s]} is malformed`);
    let index = 0;
    for (let k = 0; k < size; k++, at++) {
      const delta = entryTerms[at]!;
      // Indices are distinct and ascending: a repeated term would corrupt the sorted centroid.
      if (k > 0 && delta === 0) throw new Error(`cluster: snapshot story ${storyIds[s]} is malformed`);
      index += delta;
      if (index >= count.terms) throw new Error(`cluster: snapshot story ${storyIds[s]} points outside the dictionary`);
      let termId = termIdOf[index]!;
      if (termId < 0) {
        termId = state.terms.intern(terms[index]!);
        termIdOf[index] = termId;
      }
      entryTermId[at] = termId;
      entryStory[at] = s;
    }
  }
  if (at !== count.entries) throw new Error('cluster: snapshot centroid entries do not add up (corrupt)');

  // Pass 2: a stable counting sort of all entries by term id. Walking it fills every centroid
  // in ascending term id (no per-story sort) and every posting in story order, as version 1 did.
  const idCount = state.terms.capacity;
  const starts = new Uint32Array(idCount + 1);
  for (let e = 0; e < count.entries; e++) starts[entryTermId[e]! + 1]!++;
  for (let id = 0; id < idCount; id++) starts[id + 1]! += starts[id]!;
  const byTerm = new Uint32Array(count.entries);
  for (let e = 0; e < count.entries; e++) byTerm[starts[entryTermId[e]!]!++] = e;

  // All centroids live in two shared buffers (one view each); a centroid that outgrows its view
  // gets arrays of its own (vector.ts).
  const allIds = new Int32Array(count.entries);
  const allWeights = new Float64Array(count.entries);
  const fill = new Uint32Array(count.stories);
  const stories: Story[] = new Array(count.stories);
  let first = 0;
  for (let s = 0; s < count.stories; s++) {
    const size = entriesPer[s]!;
    fill[s] = first;
    const n = s * STORY_NUMBERS;
    const story: Story = {
      id: storyIds[s]!, created: numbers[n]!, size: sizes[s]!, leadId: leadIds[s]!,
      centroid: { ids: allIds.subarray(first, first + size), weights: allWeights.subarray(first, first + size), size },
      firstTime: millis(numbers[n + 1]!), lastTime: millis(numbers[n + 2]!), leadTime: millis(numbers[n + 3]!),
      norm: 1, slot: -1,
    };
    stories[s] = story;
    state.stories.set(story.id, story);
    state.slots.add(story);
    first += size;
  }
  for (let i = 0; i < count.entries; i++) {
    const e = byTerm[i]!;
    const s = entryStory[e]!;
    const termId = entryTermId[e]!;
    const weight = (entryWeights[e]! / WEIGHT_STEPS) * numbers[s * STORY_NUMBERS + 4]!;
    const position = fill[s]!++;
    allIds[position] = termId;
    allWeights[position] = weight;
    state.terms.add(termId, stories[s]!.slot, weight);
  }
  for (const story of stories) {
    story.norm = norm(story.centroid) || 1;
    state.slots.sync(story);
  }

  for (let i = 0; i < count.seen; i++) {
    const storyId = seenStoryIds[seenStory[i]!];
    if (storyId === undefined) throw new Error(`cluster: snapshot seen entry ${seenIds[i]} is malformed`);
    state.seen.set(seenIds[i]!, storyId);
  }
  for (let i = 0; i < count.aliases; i++) state.aliases.set(aliasFrom[i]!, aliasTo[i]!);
  return state;
}

function decodeVersion1(bytes: Uint8Array): ClusterState {
  let snapshot: ClusterSnapshotV1;
  try {
    snapshot = JSON.parse(new TextDecoder().decode(bytes)) as ClusterSnapshotV1;
  } catch (err) {
    throw new Error(`cluster: stored state (version 1) is not valid JSON (${(err as Error).message})`);
  }
  try {
    return fromSnapshotV1(snapshot);
  } catch (err) {
    const message = (err as Error).message;
    throw new Error(message.startsWith('cluster: ') ? message : `cluster: stored state (version 1) is malformed (${message})`);
  }
}

/**
 * The dictionary version 1 wrote: every counted term, most frequent first, ties in the
 * frequency map's order (a stable counting sort, no string comparisons), and for each term id
 * of the engine its index there (-1: only in centroids, given an index when met).
 */
function dictionaryOf(state: ClusterState): { terms: string[]; termIndexOf: Int32Array } {
  const { df } = state.frequencies;
  const counted = new Array<string>(df.size);
  const counts = new Uint32Array(df.size);
  let n = 0;
  let highest = 0;
  for (const [term, count] of df) {
    counted[n] = term;
    counts[n++] = count;
    if (count > highest) highest = count;
  }
  const starts = new Uint32Array(highest + 2);
  for (let i = 0; i < n; i++) starts[highest - counts[i]! + 1]!++;
  for (let c = 1; c < starts.length; c++) starts[c]! += starts[c - 1]!;
  const terms = new Array<string>(n);
  const termIndexOf = new Int32Array(state.terms.capacity).fill(-1);
  for (let i = 0; i < n; i++) {
    const position = starts[highest - counts[i]!]!++;
    const term = counted[i]!;
    terms[position] = term;
    const id = state.terms.id(term);
    if (id !== undefined) termIndexOf[id] = position;
  }
  return { terms, termIndexOf };
}

interface Counts {
  terms: number;
  stories: number;
  entries: number;
  seen: number;
  strings: number;
  stringBytes: number;
}

/** Byte offset of each section, in layout order, and the total length. */
function sectionsFor(count: Counts) {
  let offset = HEADER_BYTES;
  const place = (bytes: number) => {
    const start = offset;
    offset = Math.ceil((offset + bytes) / 8) * 8;
    return start;
  };
  const numbers = place(count.stories * STORY_NUMBERS * 8);
  const df = place(count.terms * 4);
  const sizes = place(count.stories * 4);
  const entriesPer = place(count.stories * 4);
  const entryTerms = place(count.entries * 4);
  const seenStory = place(count.seen * 4);
  const lengths = place(count.strings * 4);
  const entryWeights = place(count.entries * 2);
  const blob = place(count.stringBytes);
  return { numbers, df, sizes, entriesPer, entryTerms, seenStory, lengths, entryWeights, blob, total: offset };
}

/**
 * A 32-bit multiply-add hash of the words after the header: catches a damaged value (KV keeps
 * the snapshot uncompressed, so there is no gzip CRC) for about a millisecond per 4 MB.
 */
function checksum(bytes: Uint8Array): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + HEADER_BYTES, (bytes.length - HEADER_BYTES) >> 2);
  let hash = words.length;
  for (let i = 0; i < words.length; i++) hash = (Math.imul(hash, 0x01000193) + words[i]!) | 0;
  return hash >>> 0;
}

function seconds(ms: number | null): number {
  return ms === null ? NaN : Math.round(ms / 1000);
}

function millis(s: number): number | null {
  return Number.isNaN(s) ? null : s * 1000;
}
