// Version 2 of the engine snapshot (binary, with every term, article id and story id as a
// string): read only, so that a stored version 2 state still loads (legacyState.ts); the next
// save writes the current version (snapshot.ts).
//
// Layout (little-endian, every section starts on a multiple of 8 bytes):
//   header    HEADER_BYTES: magic "SWCS", version 2, counts, total length, clock, lastSweep,
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
import type { LegacyState, LegacyStory } from './legacyState';
import { checksumV3, millis, Sections, WEIGHT_STEPS } from './snapshot-format';

const HEADER_BYTES = 80;

const STORY_NUMBERS = 5;

/** The state in version 2 `bytes` (magic and version already checked by the caller, aligned to 8 bytes). */
export function decodeSnapshotV2(bytes: Uint8Array): LegacyState {
  if (bytes.length < HEADER_BYTES) throw new Error(`cluster: snapshot is truncated (${bytes.length} bytes, the header alone is ${HEADER_BYTES})`);
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
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
  if (header.getUint32(72, true) !== checksumV3(bytes, HEADER_BYTES)) throw new Error('cluster: snapshot fails its checksum (corrupt)');
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

  const stories: LegacyStory[] = [];
  let at = 0;
  for (let s = 0; s < count.stories; s++) {
    const size = entriesPer[s]!;
    if (at + size > count.entries) throw new Error(`cluster: snapshot story ${storyIds[s]} is malformed`);
    const n = s * STORY_NUMBERS;
    const scale = numbers[n + 4]!;
    const storyTerms: string[] = [];
    const weights: number[] = [];
    let index = 0;
    for (let k = 0; k < size; k++, at++) {
      const delta = entryTerms[at]!;
      // Indices are distinct and ascending: a repeated term would corrupt the sorted centroid.
      if (k > 0 && delta === 0) throw new Error(`cluster: snapshot story ${storyIds[s]} is malformed`);
      index += delta;
      if (index >= count.terms) throw new Error(`cluster: snapshot story ${storyIds[s]} points outside the dictionary`);
      storyTerms.push(terms[index]!);
      weights.push((entryWeights[at]! / WEIGHT_STEPS) * scale);
    }
    stories.push({
      id: storyIds[s]!, created: numbers[n]!, size: sizes[s]!, leadId: leadIds[s]!,
      firstTime: millis(numbers[n + 1]!), lastTime: millis(numbers[n + 2]!), leadTime: millis(numbers[n + 3]!),
      terms: storyTerms, weights,
    });
  }
  if (at !== count.entries) throw new Error('cluster: snapshot centroid entries do not add up (corrupt)');
  const seen = seenIds.map((articleId, i): [string, string] => {
    const storyId = seenStoryIds[seenStory[i]!];
    if (storyId === undefined) throw new Error(`cluster: snapshot seen entry ${articleId} is malformed`);
    return [articleId, storyId];
  });
  const df: [string, number][] = [];
  for (let i = 0; i < count.terms; i++) if (frequencies[i]! > 0) df.push([terms[i]!, frequencies[i]!]);
  return {
    clock: millis(header.getFloat64(40, true)), lastSweep: millis(header.getFloat64(48, true)),
    storiesCreated: header.getFloat64(56, true), units: header.getFloat64(64, true),
    df, stories, seen, aliases: aliasFrom.map((from, i): [string, string] => [from, aliasTo[i]!]),
  };
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
  const at = new Sections(HEADER_BYTES);
  const numbers = at.place(count.stories * STORY_NUMBERS * 8);
  const df = at.place(count.terms * 4);
  const sizes = at.place(count.stories * 4);
  const entriesPer = at.place(count.stories * 4);
  const entryTerms = at.place(count.entries * 4);
  const seenStory = at.place(count.seen * 4);
  const lengths = at.place(count.strings * 4);
  const entryWeights = at.place(count.entries * 2);
  const blob = at.place(count.stringBytes);
  return { numbers, df, sizes, entriesPer, entryTerms, seenStory, lengths, entryWeights, blob, total: at.offset };
}
