// An insertion-ordered map from a 64-bit key to a 64-bit value that forgets its oldest entries
// past a bound: the seen articles (article -> story) and the aliases of merged-away stories
// (story -> story). The entries sit in one typed array in insertion order; a KeyTable maps each
// key to its entry's sequence number. A snapshot stores the entries alone: a load reads them
// where they are (copied at the first change) and rebuilds the table (one probe per entry).
import { KeyTable } from './keyTable';
import type { Key } from './keys';

/** u32 lanes per entry: key lo, key hi, value lo, value hi. */
const LANES = 4;

export class KeyLog {
  private entries: Uint32Array;
  /** Entries [head, tail) are live; entry e has sequence number `base + e`. */
  private head = 0;
  private tail = 0;
  private base = 0;
  private index: KeyTable;
  /** `entries` is a loaded snapshot's, never written: the first change copies it. */
  private borrowed: boolean;

  /** `stored`: a snapshot's entries (a view of its bytes, copied before the first change). */
  constructor(stored?: Uint32Array) {
    const count = stored ? stored.length / LANES : 0;
    if (!Number.isInteger(count)) throw new Error('cluster: snapshot key log is malformed');
    this.entries = stored ?? new Uint32Array(64 * LANES);
    this.borrowed = stored !== undefined;
    this.index = new KeyTable(true, Math.ceil((count + 1) / 0.35));
    for (let e = 0; e < count; e++) {
      const at = e * LANES;
      const seq = this.index.get(stored![at]!, stored![at + 1]!);
      if (seq !== undefined) throw new Error('cluster: snapshot key log repeats a key (corrupt)');
      this.index.set(stored![at]!, stored![at + 1]!, e);
    }
    this.tail = count;
  }

  get size(): number {
    return this.tail - this.head;
  }

  has(key: Key): boolean {
    return this.index.get(key.lo, key.hi) !== undefined;
  }

  /** The value under `key`, or null. */
  get(key: Key): Key | null {
    const seq = this.index.get(key.lo, key.hi);
    if (seq === undefined) return null;
    const at = (seq - this.base) * LANES;
    return { lo: this.entries[at + 2]!, hi: this.entries[at + 3]! };
  }

  /** Sets the value; a new key goes last in the order, a known one keeps its place (as a Map does). */
  set(key: Key, value: Key): void {
    if (this.borrowed) this.own();
    const seq = this.index.get(key.lo, key.hi);
    if (seq !== undefined) {
      const at = (seq - this.base) * LANES;
      this.entries[at + 2] = value.lo;
      this.entries[at + 3] = value.hi;
      return;
    }
    if ((this.tail + 1) * LANES > this.entries.length) this.makeRoom();
    const at = this.tail * LANES;
    this.entries[at] = key.lo;
    this.entries[at + 1] = key.hi;
    this.entries[at + 2] = value.lo;
    this.entries[at + 3] = value.hi;
    this.index.set(key.lo, key.hi, this.base + this.tail);
    this.tail++;
  }

  /** Forgets the oldest entries until at most `bound` are left. */
  trim(bound: number): void {
    while (this.size > bound) {
      const at = this.head * LANES;
      this.index.delete(this.entries[at]!, this.entries[at + 1]!);
      this.head++;
    }
  }

  /** Rewrites every value through `map` (it returns the same lanes to keep one). */
  mapValues(map: (lo: number, hi: number) => Key): void {
    for (let at = this.head * LANES; at < this.tail * LANES; at += LANES) {
      const { entries } = this;
      const value = map(entries[at + 2]!, entries[at + 3]!);
      if (value.lo === entries[at + 2] && value.hi === entries[at + 3]) continue;
      if (this.borrowed) this.own();
      this.entries[at + 2] = value.lo;
      this.entries[at + 3] = value.hi;
    }
  }

  /** The live entries, oldest first, as stored (LANES u32 each). */
  stored(): Uint32Array {
    return this.entries.subarray(this.head * LANES, this.tail * LANES);
  }

  /** Copies borrowed entries into an array with room to grow (the loaded bytes are never changed). */
  private own(): void {
    const owned = new Uint32Array(Math.max(64, this.tail * 2) * LANES);
    owned.set(this.entries.subarray(0, this.tail * LANES));
    this.entries = owned;
    this.borrowed = false;
  }

  /** Drops forgotten entries from the front, or doubles the array when more than half is live. */
  private makeRoom(): void {
    if (this.head * 2 >= this.tail) {
      this.entries.copyWithin(0, this.head * LANES, this.tail * LANES);
    } else {
      const grown = new Uint32Array(this.entries.length * 2);
      grown.set(this.entries.subarray(this.head * LANES, this.tail * LANES));
      this.entries = grown;
    }
    this.base += this.head;
    this.tail -= this.head;
    this.head = 0;
  }
}
