// The engine's in-memory state. Pure data: the clusterer changes it, snapshot.ts encodes it.
import { TermFrequencies } from './frequencies';
import { StorySlots } from './slots';
import { TermIndex } from './terms';
import type { Story } from './story';

export class ClusterState {
  /** Active stories, least recently updated first (re-inserted on every update). */
  readonly stories = new Map<string, Story>();
  /** Term ids of the active centroids and the inverted index over them. */
  readonly terms = new TermIndex();
  /** The active stories by slot, with the numbers ranking reads. */
  readonly slots = new StorySlots();
  /** Article id -> story id it went to (oldest first). */
  readonly seen = new Map<string, string>();
  /** Merged-away story id -> story that absorbed it (oldest first). */
  readonly aliases = new Map<string, string>();
  frequencies = new TermFrequencies();
  /** Newest article time seen (ms), the stream's clock for expiring stories. */
  clock: number | null = null;
  /** When expired stories were last swept out (ms). */
  lastSweep: number | null = null;
  /** Stories created so far: the next story's `created`. */
  storiesCreated = 0;
}
