// Version 1 of the engine snapshot, a JSON document (gzipped in KV until the binary version 2
// replaced it): read only, so that a stored version 1 state still loads (legacyState.ts); the
// next save writes the current version.
import type { LegacyState } from './legacyState';

/** [id, created, firstTime, lastTime, size, leadId, leadTime, scale, term indices (delta-coded), quantised weights] */
export type SnapshotStory = [
  string, number, number | null, number | null, number, string, number | null, number, number[], number[],
];

export interface ClusterSnapshotV1 {
  version: 1;
  /** Stream clock and last expiry sweep, seconds since epoch. */
  clock: number | null;
  lastSweep: number | null;
  storiesCreated: number;
  /** Units (stories) counted in the document frequencies. */
  units: number;
  /** Term dictionary, most frequent first; `df[i]` belongs to `terms[i]` (0: only in a centroid). */
  terms: string[];
  df: number[];
  /** Active stories, least recently updated first. */
  stories: SnapshotStory[];
  /** Seen articles, oldest first: `seenStory[i]` indexes `seenStoryIds` (already alias-resolved). */
  seenIds: string[];
  seenStory: number[];
  seenStoryIds: string[];
  /** [merged-away id, absorbing id], oldest first. */
  aliases: [string, string][];
}

const WEIGHT_STEPS = 4095;

export function fromSnapshotV1(snapshot: ClusterSnapshotV1): LegacyState {
  if (!snapshot || typeof snapshot !== 'object' || snapshot.version !== 1) {
    throw new Error(`cluster: unsupported snapshot version ${String((snapshot as { version?: unknown })?.version)}`);
  }
  const { terms } = snapshot;
  if (!Array.isArray(terms) || !Array.isArray(snapshot.df) || terms.length !== snapshot.df.length) {
    throw new Error('cluster: snapshot term dictionary is malformed');
  }
  const stories = snapshot.stories.map(([id, created, firstTime, lastTime, size, leadId, leadTime, scale, indices, weights]) => {
    if (indices.length !== weights.length) throw new Error(`cluster: snapshot story ${id} is malformed`);
    const storyTerms: string[] = [];
    let index = 0;
    indices.forEach((delta, k) => {
      // Indices are distinct and ascending: a repeated term would corrupt the sorted centroid.
      if (k > 0 && delta <= 0) throw new Error(`cluster: snapshot story ${id} is malformed`);
      index += delta;
      const term = terms[index];
      if (term === undefined) throw new Error(`cluster: snapshot story ${id} points outside the dictionary`);
      storyTerms.push(term);
    });
    return {
      id, created, size, leadId, firstTime: millis(firstTime), lastTime: millis(lastTime), leadTime: millis(leadTime),
      terms: storyTerms, weights: weights.map((q) => (q / WEIGHT_STEPS) * scale),
    };
  });
  const seen = snapshot.seenIds.map((articleId, i): [string, string] => {
    const storyId = snapshot.seenStoryIds[snapshot.seenStory[i]!];
    if (storyId === undefined) throw new Error(`cluster: snapshot seen entry ${articleId} is malformed`);
    return [articleId, storyId];
  });
  return {
    clock: millis(snapshot.clock), lastSweep: millis(snapshot.lastSweep), storiesCreated: snapshot.storiesCreated, units: snapshot.units,
    df: terms.map((term, i): [string, number] => [term, snapshot.df[i]!]).filter(([, count]) => count > 0),
    stories, seen, aliases: snapshot.aliases,
  };
}

function millis(s: number | null): number | null {
  return s === null ? null : s * 1000;
}
