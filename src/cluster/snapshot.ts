// The clusterer's state as a compact JSON document: one term dictionary that everything
// points into, centroid weights quantised to integers, times in whole seconds, and the seen
// map grouped through a story-id table. store.ts gzips it into one KV value.
import { TermFrequencies } from './frequencies';
import { ClusterState, type Story } from './state';
import { fromPairs, norm } from './vector';

/** [id, created, firstTime, lastTime, size, leadId, leadTime, scale, term indices (delta-coded), quantised weights] */
export type SnapshotStory = [
  string, number, number | null, number | null, number, string, number | null, number, number[], number[],
];

export interface ClusterSnapshot {
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

export function toSnapshot(state: ClusterState, resolve: (id: string) => string): ClusterSnapshot {
  const { df } = state.frequencies;
  const terms = [...df.keys()].sort((a, b) => df.get(b)! - df.get(a)!);
  const termIndex = new Map<string, number>();
  terms.forEach((term, i) => termIndex.set(term, i));
  const indexOf = (term: string): number => {
    let i = termIndex.get(term);
    if (i === undefined) {
      i = terms.length;
      terms.push(term);
      termIndex.set(term, i);
    }
    return i;
  };

  const stories: SnapshotStory[] = [];
  for (const story of state.stories.values()) {
    const { ids, weights: centroid, size } = story.centroid;
    const entries = [...ids.subarray(0, size)].map((id, k) => [indexOf(state.terms.term(id)), centroid[k]!] as const).sort((a, b) => a[0] - b[0]);
    const scale = Math.max(...entries.map((e) => e[1]), 0) || 1;
    let previous = 0;
    const indices = entries.map(([i]) => {
      const delta = i - previous;
      previous = i;
      return delta;
    });
    const weights = entries.map(([, w]) => Math.max(1, Math.round((w / scale) * WEIGHT_STEPS)));
    stories.push([
      story.id, story.created, seconds(story.firstTime), seconds(story.lastTime), story.size,
      story.leadId, seconds(story.leadTime), round(scale), indices, weights,
    ]);
  }

  const seenStoryIds: string[] = [];
  const storyRef = new Map<string, number>();
  const seenIds: string[] = [];
  const seenStory: number[] = [];
  for (const [articleId, storyId] of state.seen) {
    const resolved = resolve(storyId);
    let ref = storyRef.get(resolved);
    if (ref === undefined) {
      ref = seenStoryIds.push(resolved) - 1;
      storyRef.set(resolved, ref);
    }
    seenIds.push(articleId);
    seenStory.push(ref);
  }

  return {
    version: 1,
    clock: seconds(state.clock),
    lastSweep: seconds(state.lastSweep),
    storiesCreated: state.storiesCreated,
    units: state.frequencies.units,
    terms,
    df: terms.map((term) => df.get(term) ?? 0),
    stories,
    seenIds,
    seenStory,
    seenStoryIds,
    aliases: [...state.aliases].map(([from, to]) => [from, resolve(to)]),
  };
}

export function fromSnapshot(snapshot: ClusterSnapshot): ClusterState {
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

function seconds(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 1000);
}

function millis(s: number | null): number | null {
  return s === null ? null : s * 1000;
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
