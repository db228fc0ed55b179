// Version 1 of the engine snapshot, a JSON document (gzipped in KV until the binary version 2
// of snapshot.ts replaced it): read only, so that a stored version 1 state still loads; the
// next save writes version 2. Its decoding is what version 2 reproduces exactly: the same term
// dictionary order, quantisation, and order of interning, so an engine loads the same state
// from either.
import { TermFrequencies } from './frequencies';
import { ClusterState } from './state';
import type { Story } from './story';
import { fromPairs, norm } from './vector';

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

export function fromSnapshotV1(snapshot: ClusterSnapshotV1): ClusterState {
  if (!snapshot || typeof snapshot !== 'object' || snapshot.version !== 1) {
    throw new Error(`cluster: unsupported snapshot version ${String((snapshot as { version?: unknown })?.version)}`);
  }
  const { terms } = snapshot;
  if (!Array.isArray(terms) || !Array.isArray(snapshot.df) || terms.length !== snapshot.df.length) {
    throw new Error('cluster: snapshot term dictionary is malformed');
  }
  const state = new ClusterState();
  state.clock = millis(snapshot.clock);
  state.lastSweep = millis(snapshot.lastSweep);
  state.storiesCreated = snapshot.storiesCreated;
  const df = new Map<string, number>();
  terms.forEach((term, i) => {
    const count = snapshot.df[i]!;
    if (count > 0) df.set(term, count);
  });
  state.frequencies = new TermFrequencies(snapshot.units, df);

  for (const entry of snapshot.stories) {
    const [id, created, firstTime, lastTime, size, leadId, leadTime, scale, indices, weights] = entry;
    if (indices.length !== weights.length) throw new Error(`cluster: snapshot story ${id} is malformed`);
    const pairs: [number, number][] = [];
    let index = 0;
    indices.forEach((delta, k) => {
      // Indices are distinct and ascending: a repeated term would corrupt the sorted centroid.
      if (k > 0 && delta <= 0) throw new Error(`cluster: snapshot story ${id} is malformed`);
      index += delta;
      const term = terms[index];
      if (term === undefined) throw new Error(`cluster: snapshot story ${id} points outside the dictionary`);
      const weight = (weights[k]! / WEIGHT_STEPS) * scale;
      pairs.push([state.terms.intern(term), weight]);
    });
    const centroid = fromPairs(pairs);
    const story: Story = {
      id, created, size, leadId, centroid,
      firstTime: millis(firstTime), lastTime: millis(lastTime), leadTime: millis(leadTime),
      norm: norm(centroid) || 1, slot: -1,
    };
    state.stories.set(id, story);
    state.slots.add(story);
    pairs.forEach(([termId, weight]) => state.terms.set(termId, story.slot, weight));
  }

  snapshot.seenIds.forEach((articleId, i) => {
    const storyId = snapshot.seenStoryIds[snapshot.seenStory[i]!];
    if (storyId === undefined) throw new Error(`cluster: snapshot seen entry ${articleId} is malformed`);
    state.seen.set(articleId, storyId);
  });
  for (const [from, to] of snapshot.aliases) state.aliases.set(from, to);
  return state;
}

function millis(s: number | null): number | null {
  return s === null ? null : s * 1000;
}
