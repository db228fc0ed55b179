// One active story as the engine keeps it (state.ts holds them, slots.ts indexes them).
import type { Key } from './keys';
import { storyIdOf } from './story-id';
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

/**
 * The quantised centroids of a loaded snapshot, read in place (the snapshot's bytes are never
 * changed): term ids and 12-bit weights of every entry, story after story.
 */
export interface StoredCentroids {
  ids: Int32Array;
  quantised: Uint16Array;
}

/**
 * A story as a snapshot loaded it. Its centroid stays quantised in the snapshot's bytes until
 * something reads it: a run of a few dozen articles touches a few hundred of thousands of
 * stories, so a load turns no weights into numbers and allocates no centroid arrays. A centroid
 * never read is saved by copying its quantised entries, which is exactly what quantising it
 * again would write.
 */
export class LoadedStory implements Story {
  private vector: TermVector | null = null;
  private name: string | null = null;

  constructor(
    /** The snapshot's story keys (two lanes per story, story-id.ts) and this story's place there. */
    readonly keys: Uint32Array,
    readonly place: number,
    public created: number,
    public firstTime: number | null,
    public lastTime: number | null,
    public size: number,
    public lead: Key,
    public leadTime: number | null,
    public norm: number,
    public slot: number,
    readonly stored: StoredCentroids,
    /** Its entries in `stored`: [first, first + entries). */
    readonly first: number,
    readonly entries: number,
    /** The weight of one quantisation step. */
    readonly unit: number,
    /** The scale as stored (a save that copies the entries writes it back). */
    readonly scale: number,
  ) {}

  /** The id, written out from the stored key when first asked for (a run asks for a few). */
  get id(): string {
    return (this.name ??= storyIdOf(this.keys[this.place * 2]!, this.keys[this.place * 2 + 1]!));
  }

  get centroid(): TermVector {
    if (this.vector === null) {
      const { first, entries, unit } = this;
      const weights = new Float64Array(entries);
      const quantised = this.stored.quantised;
      for (let k = 0; k < entries; k++) weights[k] = quantised[first + k]! * unit;
      this.vector = { ids: this.stored.ids.slice(first, first + entries), weights, size: entries };
    }
    return this.vector;
  }

  set centroid(vector: TermVector) {
    this.vector = vector;
  }

  /** Whether the centroid was never read: it is still the stored one, entry for entry. */
  get untouched(): boolean {
    return this.vector === null;
  }
}
