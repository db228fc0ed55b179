// The terms of active story centroids, interned to small integer ids (so a centroid can be a
// pair of sorted typed arrays, see vector.ts), and the inverted index from each id to the
// stories (by slot, see slots.ts) whose centroid holds it, with the term's weight there:
// nominating candidates then reads no story or centroid at all. An id lives while some centroid holds its term — its posting is
// its reference count — and freed ids are reused, so the table stays the size of the active
// vocabulary. Ids mean nothing outside one process: snapshots store terms.
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

  /** The term's id, minted if it is new: the caller is about to `add` it to a centroid. */
  intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.free.pop() ?? this.terms.length;
      this.ids.set(term, id);
      this.terms[id] = term;
      this.postings[id] = new Posting();
    }
    return id;
  }

  /** Records the term's (new) weight in the centroid of the story in `slot`. */
  set(id: number, slot: number, weight: number): void {
    this.postings[id]!.set(slot, weight);
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

/**
 * The stories (slots) holding one term and its weight in each, as parallel arrays:
 * nominating candidates walks them in memory order, with no boxed numbers to chase.
 */
export class Posting {
  readonly slots: number[] = [];
  readonly weights: number[] = [];
  private readonly positions = new Map<number, number>();

  get size(): number {
    return this.slots.length;
  }

  set(slot: number, weight: number): void {
    const at = this.positions.get(slot);
    if (at !== undefined) {
      this.weights[at] = weight;
      return;
    }
    this.positions.set(slot, this.slots.length);
    this.slots.push(slot);
    this.weights.push(weight);
  }

  /** Removes the slot, moving the last entry into its place. */
  delete(slot: number): void {
    const at = this.positions.get(slot);
    if (at === undefined) return;
    this.positions.delete(slot);
    const lastSlot = this.slots.pop()!;
    const lastWeight = this.weights.pop()!;
    if (lastSlot === slot) return;
    this.slots[at] = lastSlot;
    this.weights[at] = lastWeight;
    this.positions.set(lastSlot, at);
  }
}
