// One active story as the engine keeps it (state.ts holds them, slots.ts indexes them).
import type { Key } from './keys';
import type { TermVector } from './vector';

export interface Story {
  id: string;
  /** Creation order: the lower, the older (merges keep the older story). */
  created: number;
  /** Earliest and newest article times (ms since epoch), null while none had a time. */
  firstTime: number | null;
  lastTime: number | null;
  /** Articles in the story. */
  size: number;
  /** Sum of member vectors, bounded to the heaviest terms. */
  centroid: TermVector;
  norm: number;
  /** Where the story sits in the active-story table (process-local). */
  slot: number;
  /** The lead article, as its key (keys.ts): the engine only ever compares it. */
  lead: Key;
  leadTime: number | null;
}
