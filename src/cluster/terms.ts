// The terms of active story centroids, interned to small integer ids (so a centroid can be a
// pair of sorted typed arrays, see vector.ts), and the inverted index from each id to the
// stories (by slot, see slots.ts) whose centroid holds it, with the term's weight there:
// nominating candidates then reads no story or centroid at all. An id lives while some
// centroid holds its term — its posting is its reference count — and freed ids are reused,
// so the table stays the size of the active vocabulary. Ids mean nothing outside one
// process: snapshots store terms.
export class TermIndex {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly postings: (Posting | undefined)[] = [];
  private readonly free: number[] = [];

  /** The term's id, undefined when no active centroid holds it. */
  id(term: string): number | undefined {
    return this.ids.get(term);
  }

  term(id: number): string {
    return this.terms[id]!;
  }

  /** Ids are below this. */
  get capacity(): number {
    return this.terms.length;
  }

  /** Slots of the stories whose centroid holds the term, with its weight there. */
  stories(id: number): Posting {
    return this.postings[id]!;
  }

  /** The term's id, minted if it is new: the caller is about to `set` it in a centroid. */
  intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.free.pop() ?? this.terms.length;
      this.ids.set(term, id);
      this.terms[id] = term;
    }
    return id;
  }

  /** Records the term's (new) weight in the centroid of the story in `slot`. */
  set(id: number, slot: number, weight: number): void {
    const posting = this.postings[id];
    if (posting) posting.set(slot, weight);
    else this.postings[id] = new Posting(slot, weight);
  }

  /**
   * `set` for a slot the term's posting does not hold yet (loading a snapshot): appends without
   * looking the slot up first.
   */
  add(id: number, slot: number, weight: number): void {
    const posting = this.postings[id];
    if (posting) posting.append(slot, weight);
    else this.postings[id] = new Posting(slot, weight);
  }

  /** Records that the story's centroid no longer holds the term; frees the id if none does. */
  remove(id: number, slot: number): void {
    const posting = this.postings[id]!;
    posting.delete(slot);
    if (posting.size > 0) return;
    this.ids.delete(this.terms[id]!);
    this.postings[id] = undefined;
    this.free.push(id);
  }
}

/** Postings up to this long find a story by scanning; longer ones keep a map. */
const SCAN_LIMIT = 16;

/**
 * The stories (slots) holding one term and its weight in each, as parallel arrays:
 * nominating candidates walks them in memory order, with no boxed numbers to chase. Most
 * terms belong to one or a few stories, so a posting starts as small as it can.
 */
export class Posting {
  readonly slots: number[];
  readonly weights: number[];
  private positions: Map<number, number> | null = null;

  constructor(slot: number, weight: number) {
    this.slots = [slot];
    this.weights = [weight];
  }

  get size(): number {
    return this.slots.length;
  }

  set(slot: number, weight: number): void {
    const at = this.indexOf(slot);
    if (at >= 0) {
      this.weights[at] = weight;
      return;
    }
    this.append(slot, weight);
  }

  /** Adds a slot known to be absent. */
  append(slot: number, weight: number): void {
    this.slots.push(slot);
    this.weights.push(weight);
    this.positions?.set(slot, this.slots.length - 1);
  }

  /** Removes the slot, moving the last entry into its place. */
  delete(slot: number): void {
    const at = this.indexOf(slot);
    if (at < 0) return;
    this.positions?.delete(slot);
    const lastSlot = this.slots.pop()!;
    const lastWeight = this.weights.pop()!;
    if (at === this.slots.length) return;
    this.slots[at] = lastSlot;
    this.weights[at] = lastWeight;
    this.positions?.set(lastSlot, at);
  }

  /**
   * The map is built the first time a long posting is searched, not as it grows: a snapshot
   * load fills thousands of postings, few of which a run then changes.
   */
  private indexOf(slot: number): number {
    if (!this.positions && this.slots.length > SCAN_LIMIT) this.positions = new Map(this.slots.map((s, i) => [s, i]));
    return this.positions ? (this.positions.get(slot) ?? -1) : this.slots.indexOf(slot);
  }
}
