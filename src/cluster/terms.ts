// The terms of active story centroids, numbered with small integer ids (so a centroid can be a
// pair of sorted typed arrays, see vector.ts, and an article can be spread into a dense array
// by id), and the inverted index from each id to the stories (by slot, see slots.ts) whose
// centroid holds it, with the term's weight there: nominating candidates then reads no story
// or centroid at all.
//
// An id lives while some centroid holds its term (`size` counts them) and freed ids are reused,
// so the id space stays the size of the active vocabulary. Ids are stored in snapshots with the
// centroids, so a load needs no dictionary.
//
// The postings are built once per load as one array sorted by term id, then by slot (CSR):
// three passes over the centroid entries and no object per term. A posting is one 32-bit word:
// the slot and the weight as the snapshot quantised it (a 12-bit step of its story's unit), a
// third of the fresh memory that slots and weights as numbers took, written in one place per
// entry: fresh memory and scattered writes are most of a load's cost (docs/clustering.md, "One
// run's engine cost"). A run changes a few thousand postings in place: a weight that changes
// goes to a small map (its step becomes 0), a story that lets go of a term leaves a step of 0
// and no weight in the map, and a story that takes a term it did not hold at load goes to a small
// overflow list for that term.
import { KeyTable } from './keyTable';

/**
 * Every centroid entry of the stories in slots 0, 1, …: `sizes[slot]` entries each, term id
 * `ids[e]`, weight `steps[e] × units[slot]` (the snapshot's quantised weights).
 */
export interface StoredEntries {
  ids: Int32Array;
  steps: Uint16Array;
  sizes: ArrayLike<number>;
  units: Float64Array;
}

/** A loaded posting: slot << STEP_BITS | step; steps are 1..WEIGHT_STEPS (snapshot-format.ts), 12 bits. */
const STEP_BITS = 12;
const STEP_MASK = (1 << STEP_BITS) - 1;
/** Stories a loaded index can number (20 bits); a snapshot past KV's 25 MiB holds far fewer. */
const MAX_LOADED_STORIES = 2 ** (32 - STEP_BITS);

export class TermIndex {
  /** Term hash -> id (a snapshot stores it as it is). */
  readonly table: KeyTable;
  /** Id -> term hash. */
  private hashes: Uint32Array;
  /** Id -> stories holding the term (0: the id is free). */
  private holders: Int32Array;
  /** Ids are below this. */
  private next = 0;
  private readonly free: number[] = [];
  /**
   * The postings at load: `base` [start[id], start[id + 1]), slots ascending; a step is the
   * weight in units of its slot's `slotUnits`, 0 = the weight changed (in `changed`) or was let go.
   */
  private start: Uint32Array;
  private readonly base: Uint32Array;
  private readonly slotUnits: Float64Array;
  /** Loaded postings whose weight changed since the load, by position. */
  private readonly changed = new Map<number, number>();
  /** Postings gained since the load, by term id. */
  private readonly overflow = new Map<number, Posting>();

  /**
   * `holders`: how many stories hold each id (0: the id is free); `posting`: the loaded
   * postings; `table`: the stored hash -> id table, else one is built over the held ids.
   */
  constructor(
    hashes: Uint32Array = new Uint32Array(64),
    count = 0,
    holders: Int32Array | null = null,
    posting: { start: Uint32Array; base: Uint32Array; units: Float64Array } | null = null,
    table: KeyTable | null = null,
  ) {
    this.next = count;
    this.hashes = hashes.length >= 16 ? hashes : grown(hashes, 16);
    this.holders = holders && holders.length >= this.hashes.length ? holders : grown(holders ?? new Int32Array(0), this.hashes.length);
    this.start = posting ? posting.start : new Uint32Array(1);
    this.base = posting ? posting.base : new Uint32Array(0);
    this.slotUnits = posting ? posting.units : new Float64Array(0);
    this.table = table ?? new KeyTable(false, Math.ceil((count + 1) / 0.35));
    for (let id = 0; id < count; id++) {
      if (this.holders[id]! === 0) this.free.push(id);
      else if (!table) this.table.set(this.hashes[id]!, 0, id);
    }
    if (this.table.size !== count - this.free.length) throw new Error('cluster: snapshot term ids do not match their table (corrupt)');
    // Lowest free id first, as ids freed one by one are taken.
    this.free.reverse();
  }

  /**
   * The index over stored centroids (term ids below `count`, each id's hash in `hashes`, and the
   * table from hash to id if it was stored): counts each id's holders, then places every entry
   * under its id in slot order.
   */
  static load(hashes: Uint32Array, count: number, entries: StoredEntries, table: KeyTable | null = null): TermIndex {
    const { ids, steps, sizes, units } = entries;
    if (sizes.length > MAX_LOADED_STORIES) throw new Error(`cluster: snapshot holds more than ${MAX_LOADED_STORIES} stories`);
    const holders = new Int32Array(Math.max(hashes.length, 16));
    for (let e = 0; e < ids.length; e++) holders[ids[e]!]!++;
    const start = new Uint32Array(count + 1);
    for (let id = 0; id < count; id++) start[id + 1] = start[id]! + holders[id]!;
    const fill = start.slice(0, count);
    const base = new Uint32Array(ids.length);
    const shift = STEP_BITS; // a local: a module constant can cost a lookup per use in this loop
    let e = 0;
    for (let slot = 0; slot < sizes.length; slot++) {
      const high = slot << shift;
      for (const end = e + sizes[slot]!; e < end; e++) base[fill[ids[e]!]!++] = high | steps[e]!;
    }
    return new TermIndex(hashes, count, holders, { start, base, units }, table);
  }

  /** The term's id, undefined when no active centroid holds it. */
  id(hash: number): number | undefined {
    return this.table.get(hash);
  }

  /** The term hash behind an id. */
  term(id: number): number {
    return this.hashes[id]!;
  }

  /** Ids are below this. */
  get capacity(): number {
    return this.next;
  }

  /** The ids' term hashes, for a snapshot (ids of no term hold stale hashes). */
  get termHashes(): Uint32Array {
    return this.hashes.subarray(0, this.next);
  }

  /** Stories whose centroid holds the term. */
  size(id: number): number {
    return this.holders[id]!;
  }

  /** The loaded postings of `id`: [from, to), read with `baseSlot` and `baseWeight`. */
  baseRange(id: number): [number, number] {
    return id + 1 < this.start.length ? [this.start[id]!, this.start[id + 1]!] : [0, 0];
  }

  /** The weight of loaded posting `at` now (0: let go since the load). */
  baseWeight(at: number): number {
    const posting = this.base[at]!;
    const step = posting & STEP_MASK;
    return step !== 0 ? step * this.slotUnits[posting >>> STEP_BITS]! : (this.changed.get(at) ?? 0);
  }

  /** The slot of loaded posting `at`. */
  baseSlot(at: number): number {
    return this.base[at]! >>> STEP_BITS;
  }

  /** The stories that took the term since the load, if any. */
  gained(id: number): Posting | undefined {
    return this.overflow.get(id);
  }

  /** The term's id, minted if it is new: the caller is about to `set` it in a centroid. */
  intern(hash: number): number {
    let id = this.table.get(hash);
    if (id === undefined) {
      id = this.free.pop() ?? this.next++;
      if (id >= this.hashes.length) {
        this.hashes = grown(this.hashes, this.hashes.length * 2);
        this.holders = grown(this.holders, this.hashes.length);
      }
      this.table.set(hash, 0, id);
      this.hashes[id] = hash;
    }
    return id;
  }

  /** Records the term's (new) weight in the centroid of the story in `slot`. */
  set(id: number, slot: number, weight: number): void {
    const at = this.find(id, slot);
    if (at >= 0) {
      if (this.baseWeight(at) === 0) this.holders[id]!++;
      this.base[at] = this.base[at]! & ~STEP_MASK;
      this.changed.set(at, weight);
      return;
    }
    let posting = this.overflow.get(id);
    if (!posting) this.overflow.set(id, (posting = new Posting()));
    if (posting.set(slot, weight)) this.holders[id]!++;
  }

  /** Records that the story's centroid no longer holds the term; frees the id if none does. */
  remove(id: number, slot: number): void {
    const at = this.find(id, slot);
    let removed = false;
    if (at >= 0 && this.baseWeight(at) !== 0) {
      this.base[at] = this.base[at]! & ~STEP_MASK;
      this.changed.delete(at);
      removed = true;
    } else {
      removed = this.overflow.get(id)?.delete(slot) ?? false;
    }
    if (!removed || --this.holders[id]! > 0) return;
    this.table.delete(this.hashes[id]!);
    this.overflow.delete(id);
    this.free.push(id);
  }

  /** Where the loaded posting of `id` has `slot` (binary search), -1 if nowhere. */
  private find(id: number, slot: number): number {
    let [low, high] = this.baseRange(id);
    high--;
    const { base } = this;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const found = base[middle]! >>> STEP_BITS;
      if (found < slot) low = middle + 1;
      else if (found > slot) high = middle - 1;
      else return middle;
    }
    return -1;
  }
}

/** The stories (slots) that took one term since the load and its weight in each, as parallel arrays. */
export class Posting {
  readonly slots: number[] = [];
  readonly weights: number[] = [];

  get size(): number {
    return this.slots.length;
  }

  /** Returns whether the slot is new here. */
  set(slot: number, weight: number): boolean {
    const at = this.slots.indexOf(slot);
    if (at >= 0) {
      this.weights[at] = weight;
      return false;
    }
    this.slots.push(slot);
    this.weights.push(weight);
    return true;
  }

  /** Removes the slot, moving the last entry into its place; returns whether it was here. */
  delete(slot: number): boolean {
    const at = this.slots.indexOf(slot);
    if (at < 0) return false;
    const lastSlot = this.slots.pop()!;
    const lastWeight = this.weights.pop()!;
    if (at < this.slots.length) {
      this.slots[at] = lastSlot;
      this.weights[at] = lastWeight;
    }
    return true;
  }
}

/** A copy of `values` in a longer array of the same kind. */
function grown<T extends Uint32Array | Int32Array>(values: T, length: number): T {
  const out = new (values.constructor as new (length: number) => T)(length);
  out.set(values);
  return out;
}
