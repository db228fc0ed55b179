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
// three passes over the centroid entries and no object per term. They keep each weight as the
// snapshot quantised it (a 16-bit step of its story's unit) and slots in 16 bits while they fit:
// a third of the fresh memory that slots and weights as numbers took, and fresh memory is most
// of a load's cost (docs/clustering.md, "One run's engine cost"). A run changes a few thousand
// postings in place: a weight that changes is marked where it is (found by binary search) and
// kept in a small map, a story that lets go of a term leaves a 0 there, and a story that takes a
// term it did not hold at load goes to a small overflow list for that term.
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

/**
 * The step of a loaded posting whose weight changed since the load (the weight is in `changed`);
 * stored steps are at most WEIGHT_STEPS (snapshot-format.ts), far below it.
 */
const CHANGED = 0xffff;

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
   * The postings at load: `baseSlots`/`baseSteps` [start[id], start[id + 1]), slots ascending;
   * a step is the weight in its slot's `slotUnits`, 0 = let go, CHANGED = the weight is in `changed`.
   */
  private start: Uint32Array;
  readonly baseSlots: Uint16Array | Int32Array;
  private readonly baseSteps: Uint16Array;
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
    posting: { start: Uint32Array; slots: Uint16Array | Int32Array; steps: Uint16Array; units: Float64Array } | null = null,
    table: KeyTable | null = null,
  ) {
    this.next = count;
    this.hashes = hashes.length >= 16 ? hashes : grown(hashes, 16);
    this.holders = holders && holders.length >= this.hashes.length ? holders : grown(holders ?? new Int32Array(0), this.hashes.length);
    this.start = posting ? posting.start : new Uint32Array(1);
    this.baseSlots = posting ? posting.slots : new Int32Array(0);
    this.baseSteps = posting ? posting.steps : new Uint16Array(0);
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
    const holders = new Int32Array(Math.max(hashes.length, 16));
    for (let e = 0; e < ids.length; e++) holders[ids[e]!]!++;
    const start = new Uint32Array(count + 1);
    for (let id = 0; id < count; id++) start[id + 1] = start[id]! + holders[id]!;
    const fill = start.slice(0, count);
    const slots = sizes.length <= 0x10000 ? new Uint16Array(ids.length) : new Int32Array(ids.length);
    const placed = new Uint16Array(ids.length);
    let e = 0;
    for (let slot = 0; slot < sizes.length; slot++) {
      for (const end = e + sizes[slot]!; e < end; e++) {
        const at = fill[ids[e]!]!++;
        slots[at] = slot;
        placed[at] = steps[e]!;
      }
    }
    return new TermIndex(hashes, count, holders, { start, slots, steps: placed, units }, table);
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

  /** The posting as loaded: [from, to) of `baseSlots`, weights read with `baseWeight`. */
  baseRange(id: number): [number, number] {
    return id + 1 < this.start.length ? [this.start[id]!, this.start[id + 1]!] : [0, 0];
  }

  /** The weight of loaded posting `at` now (0: let go since the load). */
  baseWeight(at: number): number {
    const step = this.baseSteps[at]!;
    return step === CHANGED ? this.changed.get(at)! : step * this.slotUnits[this.baseSlots[at]!]!;
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
      this.baseSteps[at] = CHANGED;
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
      this.baseSteps[at] = 0;
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
    const slots = this.baseSlots;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const found = slots[middle]!;
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
