// The engine state as bytes (snapshot version 4): a fixed header, then typed-array sections
// that a load reads where they are. The state holds no strings (story ids are stored as the two
// numbers they are written from, story-id.ts), so a load builds no dictionary and parses
// nothing per element: it checks the centroids, makes the story objects and lays out the
// inverted index (terms.ts); centroids stay quantised in the bytes until read (story.ts), and
// the tables and logs are copied at their first change (keyTable.ts, keyLog.ts). The loaded
// bytes are never changed. Pure: src/store/clusterState.ts moves the bytes to and from KV.
//
// Layout (little-endian, every section starts on a multiple of 8 bytes):
//   header    HEADER_BYTES: magic "SWCS", version, counts, total length, checksum of everything
//             after the header, clock, lastSweep (s), storiesCreated, units
//   f64[5 × stories]   per story: created, firstTime, lastTime, leadTime (s, NaN = none), scale
//   u32[4 × stories]   per story: lead article key (2 lanes), articles, centroid entries
//   u32[2 × stories]   story keys: the two lanes each story id is written from (story-id.ts)
//   u32[termIds]       term hash of each term id
//   u32[idCapacity]×2  the term hash -> id table as it is in memory: keys, then values
//   u32[entries]       term id of each centroid entry (ascending within its story)
//   u32[dfCapacity]×2  the document-frequency table as it is in memory: keys, then values
//   u32[4 × seen]      seen article key -> story key, oldest first
//   u32[4 × aliases]   merged-away story key -> absorbing story key, oldest first
//   u16[entries]       quantised weight of each entry (1..4095 of the story's scale)
// Version 3 held the story ids as text (14 ASCII bytes each) and a slower checksum
// (snapshot-format.ts); it loads with those read as they are. Versions 1 (JSON) and 2 (binary,
// strings) still load, through legacyState.ts.
import { TermFrequencies } from './frequencies';
import { KeyLog } from './keyLog';
import { KeyTable } from './keyTable';
import { ActiveStories } from './activeStories';
import { fromLegacy, type LegacyState } from './legacyState';
import { checksum, checksumV3, MAGIC, millis, seconds, Sections, WEIGHT_STEPS } from './snapshot-format';
import { fromSnapshotV1, type ClusterSnapshotV1 } from './snapshot-v1';
import { decodeSnapshotV2 } from './snapshot-v2';
import { ClusterState } from './state';
import { storyIdOf, storyKey, storyKeyAt } from './story-id';
import { LoadedStory, type Story, type StoredCentroids } from './story';
import { TermIndex } from './terms';
import type { TermVector } from './vector';

/** The engine state as bytes (uncompressed); `StoryClusterer.snapshot()` / `restore()`. */
export type ClusterSnapshot = Uint8Array;

export const SNAPSHOT_VERSION = 4;
const HEADER_BYTES = 96;
const STORY_NUMBERS = 5;
const STORY_WORDS = 4;
/** Version 3's story ids: 14 ASCII characters each. */
const STORY_ID_CHARS = 14;
const KEY_LANES = 2;
const LOG_LANES = 4;

interface Counts {
  stories: number;
  entries: number;
  termIds: number;
  idCapacity: number;
  dfCapacity: number;
  seen: number;
  aliases: number;
}

export function encodeSnapshot(state: ClusterState): ClusterSnapshot {
  const stories = [...state.stories.values()];
  let entries = 0;
  for (const story of stories) entries += neverRead(story)?.entries ?? story.centroid.size;
  const df = state.frequencies.counts;
  const termHashes = state.terms.termHashes;
  const idTable = state.terms.table;
  const seen = state.seen.stored();
  const aliases = state.aliases.stored();
  const count: Counts = {
    stories: stories.length, entries, termIds: termHashes.length, idCapacity: idTable.capacity, dfCapacity: df.capacity,
    seen: seen.length / LOG_LANES, aliases: aliases.length / LOG_LANES,
  };
  const layout = sectionsFor(count, SNAPSHOT_VERSION);
  const bytes = new Uint8Array(layout.total);
  const { buffer } = bytes;
  const numbers = new Float64Array(buffer, layout.numbers, stories.length * STORY_NUMBERS);
  const words = new Uint32Array(buffer, layout.storyWords, stories.length * STORY_WORDS);
  const keys = new Uint32Array(buffer, layout.storyKeys, stories.length * KEY_LANES);
  const entryIds = new Int32Array(buffer, layout.entryIds, entries);
  const entryWeights = new Uint16Array(buffer, layout.entryWeights, entries);
  let at = 0;
  // Never-read centroids that sit one after another in the loaded bytes are copied in one go.
  const copy = new StoredCopy(entryIds, entryWeights);
  for (let s = 0; s < stories.length; s++) {
    const story = stories[s]!;
    let size: number;
    let scale: number;
    const stored = neverRead(story);
    if (stored) {
      size = stored.entries;
      scale = stored.scale;
      copy.add(stored, at);
    } else {
      copy.flush();
      size = story.centroid.size;
      scale = quantise(story.centroid, entryIds, entryWeights, at);
    }
    at += size;
    const n = s * STORY_NUMBERS;
    numbers[n] = story.created;
    numbers[n + 1] = seconds(story.firstTime);
    numbers[n + 2] = seconds(story.lastTime);
    numbers[n + 3] = seconds(story.leadTime);
    numbers[n + 4] = scale;
    const w = s * STORY_WORDS;
    words[w] = story.lead.lo;
    words[w + 1] = story.lead.hi;
    words[w + 2] = story.size;
    words[w + 3] = size;
    // Active story ids are always minted ones (story-id.ts): two 32-bit lanes.
    if (story instanceof LoadedStory) {
      keys[s * KEY_LANES] = story.keys[story.place * KEY_LANES]!;
      keys[s * KEY_LANES + 1] = story.keys[story.place * KEY_LANES + 1]!;
    } else {
      const key = storyKey(story.id);
      if (key === null) throw new Error('cluster: an active story has an id the engine never mints');
      keys[s * KEY_LANES] = key.lo;
      keys[s * KEY_LANES + 1] = key.hi;
    }
  }
  copy.flush();
  new Uint32Array(buffer, layout.termHashes, termHashes.length).set(termHashes);
  new Uint32Array(buffer, layout.idKeys, idTable.capacity).set(idTable.lo);
  new Uint32Array(buffer, layout.idValues, idTable.capacity).set(idTable.values);
  new Uint32Array(buffer, layout.dfKeys, df.capacity).set(df.lo);
  new Uint32Array(buffer, layout.dfValues, df.capacity).set(df.values);
  new Uint32Array(buffer, layout.seen, seen.length).set(seen);
  new Uint32Array(buffer, layout.aliases, aliases.length).set(aliases);

  const header = new DataView(buffer);
  header.setUint32(0, MAGIC, true);
  header.setUint32(4, SNAPSHOT_VERSION, true);
  header.setUint32(8, count.stories, true);
  header.setUint32(12, count.entries, true);
  header.setUint32(16, count.termIds, true);
  header.setUint32(20, count.dfCapacity, true);
  header.setUint32(24, df.size, true);
  header.setUint32(28, df.deleted, true);
  header.setUint32(32, count.seen, true);
  header.setUint32(36, count.aliases, true);
  header.setUint32(40, layout.total, true);
  header.setUint32(80, count.idCapacity, true);
  header.setUint32(84, idTable.size, true);
  header.setUint32(88, idTable.deleted, true);
  header.setFloat64(48, seconds(state.clock), true);
  header.setFloat64(56, seconds(state.lastSweep), true);
  header.setFloat64(64, state.storiesCreated, true);
  header.setFloat64(72, state.frequencies.units, true);
  header.setUint32(44, checksum(bytes, HEADER_BYTES), true);
  return bytes;
}

/** The story as loaded, when its centroid was never read (it is saved by copying its stored entries). */
function neverRead(story: Story): LoadedStory | null {
  return story instanceof LoadedStory && story.untouched ? story : null;
}

/** Copies never-read centroids' stored entries, joining neighbours into one copy. */
class StoredCopy {
  private from: StoredCentroids | null = null;
  private first = 0;
  private end = 0;
  private at = 0;

  constructor(
    private readonly ids: Int32Array,
    private readonly weights: Uint16Array,
  ) {}

  add(story: LoadedStory, at: number): void {
    if (story.stored !== this.from || story.first !== this.end || at !== this.at + (this.end - this.first)) {
      this.flush();
      this.from = story.stored;
      this.first = story.first;
      this.end = story.first;
      this.at = at;
    }
    this.end += story.entries;
  }

  flush(): void {
    if (this.from === null || this.end === this.first) return;
    this.ids.set(this.from.ids.subarray(this.first, this.end), this.at);
    this.weights.set(this.from.quantised.subarray(this.first, this.end), this.at);
    this.from = null;
  }
}

/**
 * Writes the centroid's ids and quantised weights from `at`; returns the scale the weights are
 * fractions of (the heaviest weight, rounded).
 */
function quantise(centroid: TermVector, ids: Int32Array, weights: Uint16Array, at: number): number {
  const { size } = centroid;
  const from = centroid.weights;
  const fromIds = centroid.ids;
  const top = WEIGHT_STEPS; // a local: an imported binding can cost a lookup per use in this loop
  let scale = 0;
  for (let k = 0; k < size; k++) if (from[k]! > scale) scale = from[k]!;
  scale = Math.round((scale || 1) * 1e4) / 1e4;
  const steps = top / scale;
  for (let k = 0; k < size; k++) {
    ids[at + k] = fromIds[k]!;
    const q = Math.floor(from[k]! * steps + 0.5);
    weights[at + k] = q < 1 ? 1 : q > top ? top : q;
  }
  return scale;
}

/** The state in `bytes`: version 4 or 3, or an older version (migrated: the next save writes version 4). */
export function decodeSnapshot(bytes: Uint8Array): ClusterState {
  if (bytes.length > 0 && bytes[0] === 0x7b) return migrated(decodeVersion1(bytes)); // "{"
  if (bytes.length < 8) throw new Error(`cluster: snapshot is truncated (${bytes.length} bytes, the header alone is ${HEADER_BYTES})`);
  // Typed-array views need aligned offsets; bytes handed over by a decompressor start at 0.
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (header.getUint32(0, true) !== MAGIC) throw new Error('cluster: snapshot is not a storywire engine state (bad magic number)');
  const version = header.getUint32(4, true);
  if (version === 2) return migrated(decodeSnapshotV2(bytes));
  if (version !== SNAPSHOT_VERSION && version !== 3) throw new Error(`cluster: snapshot has unknown version ${version}`);
  if (bytes.length < HEADER_BYTES) throw new Error(`cluster: snapshot is truncated (${bytes.length} bytes, the header alone is ${HEADER_BYTES})`);
  const count: Counts = {
    stories: header.getUint32(8, true), entries: header.getUint32(12, true), termIds: header.getUint32(16, true),
    dfCapacity: header.getUint32(20, true), seen: header.getUint32(32, true), aliases: header.getUint32(36, true),
    idCapacity: header.getUint32(80, true),
  };
  const layout = sectionsFor(count, version);
  const declared = header.getUint32(40, true);
  if (declared !== layout.total || bytes.length !== layout.total) {
    throw new Error(`cluster: snapshot is truncated or corrupt (${bytes.length} bytes, header says ${declared}, sections need ${layout.total})`);
  }
  const sum = version === 3 ? checksumV3 : checksum;
  if (header.getUint32(44, true) !== sum(bytes, HEADER_BYTES)) throw new Error('cluster: snapshot fails its checksum (corrupt)');
  const { buffer, byteOffset } = bytes;
  const view = <T>(Type: new (buffer: ArrayBufferLike, offset: number, length: number) => T, offset: number, length: number) =>
    new Type(buffer, byteOffset + offset, length);
  const numbers = view(Float64Array, layout.numbers, count.stories * STORY_NUMBERS);
  const words = view(Uint32Array, layout.storyWords, count.stories * STORY_WORDS);
  const entryIds = view(Int32Array, layout.entryIds, count.entries);
  const entryWeights = view(Uint16Array, layout.entryWeights, count.entries);

  const state = new ClusterState();
  state.clock = millis(header.getFloat64(48, true));
  state.lastSweep = millis(header.getFloat64(56, true));
  state.storiesCreated = header.getFloat64(64, true);
  const df = KeyTable.from(
    view(Uint32Array, layout.dfKeys, count.dfCapacity), null, view(Uint32Array, layout.dfValues, count.dfCapacity),
    header.getUint32(24, true), header.getUint32(28, true),
  );
  state.frequencies = new TermFrequencies(header.getFloat64(72, true), df);

  const keys = version === 3 ? keysOfIds(view(Uint8Array, layout.storyKeys, count.stories * STORY_ID_CHARS)) : view(Uint32Array, layout.storyKeys, count.stories * KEY_LANES);
  // Centroids stay quantised in these bytes until a run reads them (story.ts, LoadedStory).
  const stored = { ids: entryIds, quantised: entryWeights };
  const sizes = new Uint32Array(count.stories);
  const units = new Float64Array(count.stories);
  let first = 0;
  state.slots.reserve(count.stories);
  const loaded: Story[] = [];
  const places = new KeyTable(true, Math.ceil((count.stories + 1) / 0.35));
  for (let s = 0; s < count.stories; s++) {
    const w = s * STORY_WORDS;
    const n = s * STORY_NUMBERS;
    const size = words[w + 3]!;
    const end = first + size;
    const lo = keys[s * KEY_LANES]!;
    const hi = keys[s * KEY_LANES + 1]!;
    if (places.get(lo, hi) !== undefined) throw new Error(`cluster: snapshot repeats story ${storyIdOf(lo, hi)} (corrupt)`);
    places.set(lo, hi, s);
    if (end > count.entries) throw new Error('cluster: snapshot centroid entries do not add up (corrupt)');
    const scale = numbers[n + 4]!;
    const unit = scale / WEIGHT_STEPS;
    const squares = sumOfSquares(entryIds, entryWeights, first, end, count.termIds);
    if (squares < 0) throw new Error(`cluster: snapshot story ${storyIdOf(lo, hi)} is malformed`);
    sizes[s] = size;
    units[s] = unit;
    const story = new LoadedStory(
      keys, s, numbers[n]!, millis(numbers[n + 1]!), millis(numbers[n + 2]!), words[w + 2]!, { lo: words[w]!, hi: words[w + 1]! },
      millis(numbers[n + 3]!), Math.sqrt(squares) * unit || 1, -1, stored, first, size, unit, scale,
    );
    loaded.push(story);
    state.slots.add(story);
    first = end;
  }
  state.stories = new ActiveStories(loaded, places);
  if (first !== count.entries) throw new Error('cluster: snapshot centroid entries do not add up (corrupt)');
  const idTable = KeyTable.from(
    view(Uint32Array, layout.idKeys, count.idCapacity), null, view(Uint32Array, layout.idValues, count.idCapacity),
    header.getUint32(84, true), header.getUint32(88, true),
  );
  state.terms = TermIndex.load(view(Uint32Array, layout.termHashes, count.termIds).slice(), count.termIds, { ids: entryIds, steps: entryWeights, sizes, units }, idTable);
  state.seen = new KeyLog(view(Uint32Array, layout.seen, count.seen * LOG_LANES));
  state.aliases = new KeyLog(view(Uint32Array, layout.aliases, count.aliases * LOG_LANES));
  return state;
}

/**
 * The sum of squares of the quantised weights of entries [first, end), in steps; -1 when their
 * term ids are not distinct, ascending and below `termIds` (they would corrupt the sorted
 * centroid) or a weight is not 1..WEIGHT_STEPS.
 */
function sumOfSquares(ids: Int32Array, quantised: Uint16Array, first: number, end: number, termIds: number): number {
  const top = WEIGHT_STEPS; // a local: an imported binding can cost a lookup per use in this loop
  let previous = -1;
  let squares = 0;
  for (let e = first; e < end; e++) {
    const id = ids[e]!;
    const q = quantised[e]!;
    if (id <= previous || id >= termIds || q === 0 || q > top) return -1;
    previous = id;
    squares += q * q;
  }
  return squares;
}

/**
 * An older version's state, written as the current version and loaded from that: the loaded
 * postings are laid out in one place, and the first run sees the state as every later run will.
 */
function migrated(legacy: LegacyState): ClusterState {
  return decodeSnapshot(encodeSnapshot(fromLegacy(legacy)));
}

function decodeVersion1(bytes: Uint8Array) {
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

/** Version 3's story ids (ASCII text) as the story keys version 4 stores. */
function keysOfIds(text: Uint8Array): Uint32Array {
  let ids: string;
  try {
    ids = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(text);
  } catch {
    throw new Error('cluster: snapshot story ids are not text (corrupt)');
  }
  if (ids.length !== text.length) throw new Error('cluster: snapshot story ids are not ASCII (corrupt)');
  const keys = new Uint32Array((text.length / STORY_ID_CHARS) * KEY_LANES);
  for (let s = 0; s * STORY_ID_CHARS < ids.length; s++) {
    const key = storyKeyAt(ids, s * STORY_ID_CHARS);
    if (key === null) throw new Error(`cluster: snapshot story id ${ids.slice(s * STORY_ID_CHARS, (s + 1) * STORY_ID_CHARS)} is not one the engine mints (corrupt)`);
    keys[s * KEY_LANES] = key.lo;
    keys[s * KEY_LANES + 1] = key.hi;
  }
  return keys;
}

/** Byte offset of each section, in layout order, and the total length (version 3: story ids as text). */
function sectionsFor(count: Counts, version: number) {
  const at = new Sections(HEADER_BYTES);
  const numbers = at.place(count.stories * STORY_NUMBERS * 8);
  const storyWords = at.place(count.stories * STORY_WORDS * 4);
  const storyKeys = at.place(count.stories * (version === 3 ? STORY_ID_CHARS : KEY_LANES * 4));
  const termHashes = at.place(count.termIds * 4);
  const idKeys = at.place(count.idCapacity * 4);
  const idValues = at.place(count.idCapacity * 4);
  const entryIds = at.place(count.entries * 4);
  const dfKeys = at.place(count.dfCapacity * 4);
  const dfValues = at.place(count.dfCapacity * 4);
  const seen = at.place(count.seen * LOG_LANES * 4);
  const aliases = at.place(count.aliases * LOG_LANES * 4);
  const entryWeights = at.place(count.entries * 2);
  return { numbers, storyWords, storyKeys, termHashes, idKeys, idValues, entryIds, dfKeys, dfValues, seen, aliases, entryWeights, total: at.offset };
}
