// The engine state as older snapshots held it — terms, article ids and story ids as strings —
// and the one way from there to today's state (keys.ts): versions 1 and 2 decode to
// `LegacyState` (snapshot-v1.ts, snapshot-v2.ts), `fromLegacy` hashes it, and snapshot.ts
// writes that as the current version and loads it. Runs once per deployment, on the first load
// after an upgrade.
import { TermFrequencies } from './frequencies';
import { articleKey, termHash, type Key } from './keys';
import { storyKey } from './story-id';
import { ClusterState } from './state';
import type { Story } from './story';
import { TermIndex } from './terms';
import { fromPairs, norm, type TermVector } from './vector';

export interface LegacyStory {
  id: string;
  created: number;
  firstTime: number | null;
  lastTime: number | null;
  size: number;
  leadId: string;
  leadTime: number | null;
  /** Centroid terms and their weights. */
  terms: string[];
  weights: number[];
}

export interface LegacyState {
  clock: number | null;
  lastSweep: number | null;
  storiesCreated: number;
  units: number;
  /** Document frequencies (counts above 0). */
  df: [string, number][];
  /** Active stories, least recently updated first. */
  stories: LegacyStory[];
  /** [article id, story id], oldest first. */
  seen: [string, string][];
  /** [merged-away story id, absorbing story id], oldest first. */
  aliases: [string, string][];
}

export function fromLegacy(legacy: LegacyState): ClusterState {
  const state = new ClusterState();
  state.clock = legacy.clock;
  state.lastSweep = legacy.lastSweep;
  state.storiesCreated = legacy.storiesCreated;
  const frequencies = new TermFrequencies(legacy.units);
  // Two terms that share a hash become one term: their counts add up.
  for (const [term, count] of legacy.df) frequencies.counts.set(termHash(term), 0, frequencies.count(termHash(term)) + count);
  state.frequencies = frequencies;

  const idOf = new Map<number, number>();
  const hashes: number[] = [];
  const centroids: TermVector[] = [];
  for (const entry of legacy.stories) {
    if (entry.terms.length !== entry.weights.length) throw new Error(`cluster: snapshot story ${entry.id} is malformed`);
    const byId = new Map<number, number>();
    entry.terms.forEach((term, k) => {
      const hash = termHash(term);
      let id = idOf.get(hash);
      if (id === undefined) {
        id = hashes.push(hash) - 1;
        idOf.set(hash, id);
      }
      byId.set(id, (byId.get(id) ?? 0) + entry.weights[k]!);
    });
    const centroid = fromPairs([...byId]);
    const story: Story = {
      id: entry.id, created: entry.created, size: entry.size, centroid,
      firstTime: entry.firstTime, lastTime: entry.lastTime, leadTime: entry.leadTime,
      lead: articleKey(entry.leadId), norm: norm(centroid) || 1, slot: -1,
    };
    keyOfStory(entry.id); // an id the engine could not have minted makes the snapshot malformed
    state.stories.set(story.id, story);
    state.slots.add(story);
    centroids.push(centroid);
  }
  // The ids and their table, without postings: snapshot.ts writes this state as the current
  // version and loads that, which lays out the postings.
  const holders = new Int32Array(hashes.length);
  for (const centroid of centroids) for (let k = 0; k < centroid.size; k++) holders[centroid.ids[k]!]!++;
  state.terms = new TermIndex(Uint32Array.from(hashes), hashes.length, holders);
  for (const [articleId, storyId] of legacy.seen) state.seen.set(articleKey(articleId), keyOfStory(storyId));
  for (const [from, to] of legacy.aliases) state.aliases.set(keyOfStory(from), keyOfStory(to));
  return state;
}

function keyOfStory(id: string): Key {
  const key = typeof id === 'string' ? storyKey(id) : null;
  if (key === null) throw new Error(`cluster: snapshot holds a story id the engine never mints (${String(id).slice(0, 40)})`);
  return key;
}
