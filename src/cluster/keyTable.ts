// A hash table from a 32-bit key (or a pair of them) to a 32-bit value, in typed arrays: open
// addressing with linear probing. A snapshot stores the arrays as they are and a load reads
// them where they are, copying them at the first change (a Map would be rebuilt one entry at a
// time). The value array doubles as the
// occupancy marker, so every key (0 included) is usable; values must stay below 2^32 - 2.

const EMPTY = 0xffffffff;
const DELETED = 0xfffffffe;
/** Grow (or clean out tombstones) past this fill. */
const MAX_FILL = 0.7;

export class KeyTable {
  lo: Uint32Array;
  /** The second key lane; null for a table of single 32-bit keys. */
  hi: Uint32Array | null;
  values: Uint32Array;
  /** Live entries. */
  size = 0;
  /** Deleted entries still taking a place (they keep probe chains intact until the next rehash). */
  deleted = 0;
  private shift: number;
  /** The arrays are a loaded snapshot's, never written: the first change copies them. */
  private borrowed = false;

  constructor(pairs: boolean, capacity = 64) {
    const slots = 2 ** Math.max(4, Math.ceil(Math.log2(capacity)));
    this.lo = new Uint32Array(slots);
    this.hi = pairs ? new Uint32Array(slots) : null;
    this.values = new Uint32Array(slots).fill(EMPTY);
    this.shift = 32 - Math.log2(slots);
  }

  /** A table over stored arrays (views of a snapshot's bytes, copied before the first change). */
  static from(lo: Uint32Array, hi: Uint32Array | null, values: Uint32Array, size: number, deleted: number): KeyTable {
    const capacity = values.length;
    if (capacity < 16 || (capacity & (capacity - 1)) !== 0 || lo.length !== capacity || (hi !== null && hi.length !== capacity)) {
      throw new Error(`cluster: snapshot hash table has a bad capacity (${capacity})`);
    }
    // One pass to check the counts: a table with no free place would make a lookup loop forever.
    // Read as signed words EMPTY and DELETED are -1 and -2; counted without a branch (a table is
    // mostly free places in no order, so a branch would mispredict often), 3x as fast.
    const signed = new Int32Array(values.buffer, values.byteOffset, capacity);
    let free = 0;
    let gone = 0;
    for (let i = 0; i < capacity; i++) {
      const value = signed[i]!;
      free += +(value === -1);
      gone += +(value === -2);
    }
    const live = capacity - free - gone;
    if (live !== size || gone !== deleted || live + gone > capacity * MAX_FILL) {
      throw new Error('cluster: snapshot hash table does not match its counts (corrupt)');
    }
    const table = new KeyTable(hi !== null, 16);
    table.lo = lo;
    table.hi = hi;
    table.values = values;
    table.size = size;
    table.deleted = deleted;
    table.shift = 32 - Math.log2(capacity);
    table.borrowed = true;
    return table;
  }

  get capacity(): number {
    return this.values.length;
  }

  /** Whether place `i` holds a live entry (for walks over the arrays). */
  live(i: number): boolean {
    return this.values[i]! < DELETED;
  }

  get(lo: number, hi = 0): number | undefined {
    const at = this.find(lo, hi);
    return at < 0 ? undefined : this.values[at];
  }

  set(lo: number, hi: number, value: number): void {
    if (this.borrowed) this.own();
    const at = this.find(lo, hi);
    if (at >= 0) {
      this.values[at] = value;
      return;
    }
    if (this.size + this.deleted + 1 > this.capacity * MAX_FILL) this.rehash();
    this.insertNew(lo, hi, value);
  }

  delete(lo: number, hi = 0): boolean {
    const at = this.find(lo, hi);
    if (at < 0) return false;
    this.deleteAt(at);
    return true;
  }

  /** Removes the entry at place `i` (found by a walk over the arrays). */
  deleteAt(i: number): void {
    if (!this.live(i)) return;
    if (this.borrowed) this.own();
    this.values[i] = DELETED;
    this.size--;
    this.deleted++;
  }

  /** Copies borrowed arrays before the first change (the loaded bytes are never changed). */
  private own(): void {
    this.lo = this.lo.slice();
    this.hi = this.hi?.slice() ?? null;
    this.values = this.values.slice();
    this.borrowed = false;
  }

  private start(lo: number, hi: number): number {
    // Fibonacci hashing on the top bits: the keys are hashes already, this spreads the pair.
    return Math.imul(lo ^ Math.imul(hi, 0x27d4eb2f), 0x9e3779b1) >>> this.shift;
  }

  private find(lo: number, hi: number): number {
    const { values } = this;
    const mask = values.length - 1;
    const keysHi = this.hi;
    for (let i = this.start(lo, hi); ; i = (i + 1) & mask) {
      const value = values[i]!;
      if (value === EMPTY) return -1;
      if (value !== DELETED && this.lo[i] === lo && (keysHi === null || keysHi[i] === hi)) return i;
    }
  }

  private insertNew(lo: number, hi: number, value: number): void {
    const { values } = this;
    const mask = values.length - 1;
    let i = this.start(lo, hi);
    while (values[i]! < DELETED) i = (i + 1) & mask;
    if (values[i] === DELETED) this.deleted--;
    this.lo[i] = lo;
    if (this.hi) this.hi[i] = hi;
    values[i] = value;
    this.size++;
  }

  /** Rebuilds at a capacity that leaves room to grow (or the same one, to drop tombstones). */
  private rehash(): void {
    const { lo, hi, values } = this;
    let capacity = this.capacity;
    while ((this.size + 1) * 2 > capacity * MAX_FILL) capacity *= 2;
    this.lo = new Uint32Array(capacity);
    this.hi = hi ? new Uint32Array(capacity) : null;
    this.values = new Uint32Array(capacity).fill(EMPTY);
    this.shift = 32 - Math.log2(capacity);
    this.size = 0;
    this.deleted = 0;
    for (let i = 0; i < values.length; i++) {
      if (values[i]! < DELETED) this.insertNew(lo[i]!, hi ? hi[i]! : 0, values[i]!);
    }
  }
}
