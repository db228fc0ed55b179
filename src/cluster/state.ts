// The engine's in-memory state. Pure data, no strings but the active stories' ids: the
// clusterer changes it, snapshot.ts encodes it.
import { ActiveStories } from './activeStories';
import { TermFrequencies } from './frequencies';
import { KeyLog } from './keyLog';
import { StorySlots } from './slots';
import { TermIndex } from './terms';

export class ClusterState {
  /** Active stories by id, least recently updated first (re-inserted on every update). */
  stories = new ActiveStories();
  /** Term ids of the active centroids and the inverted index over them. */
  terms = new TermIndex();
  /** The active stories by slot, with the numbers ranking reads. */
  readonly slots = new StorySlots();
  /** Article key -> key of the story it went to (oldest first). */
  seen = new KeyLog();
  /** Merged-away story key -> key of the story that absorbed it (oldest first). */
  aliases = new KeyLog();
  frequencies = new TermFrequencies();
  /** Newest article time seen (ms), the stream's clock for expiring stories. */
  clock: number | null = null;
  /** When expired stories were last swept out (ms). */
  lastSweep: number | null = null;
  /** Stories created so far: the next story's `created`. */
  storiesCreated = 0;
}
