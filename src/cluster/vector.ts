// Sparse vectors. An article's vector is keyed by term and L2-normalised. A story centroid is
// the sum of its members' vectors over interned term ids (terms.ts), kept as two sorted typed
// arrays: scoring a few dozen article terms against it touches a few cache lines, where a
// Map per story costs a cache miss per lookup once thousands of stories are active. The
// arrays keep room to grow, so a join updates them in place.

export type SparseVector = Map<string, number>;

/** Term ids ascending in `ids[0, size)`, `weights[i]` belongs to `ids[i]`; spare room beyond `size`. */
export interface TermVector {
  ids: Int32Array;
  weights: Float64Array;
  size: number;
}

export function emptyVector(): TermVector {
  return { ids: new Int32Array(0), weights: new Float64Array(0), size: 0 };
}

export function normalise(vector: SparseVector): SparseVector {
  let sum = 0;
  for (const weight of vector.values()) sum += weight * weight;
  const length = Math.sqrt(sum);
  if (length === 0) return new Map();
  const out: SparseVector = new Map();
  for (const [term, weight] of vector) out.set(term, weight / length);
  return out;
}

export function norm(vector: TermVector): number {
  let sum = 0;
  for (let i = 0; i < vector.size; i++) sum += vector.weights[i]! * vector.weights[i]!;
  return Math.sqrt(sum);
}

/** The weight of `id` in `vector`, undefined when absent (binary search). */
export function weightOf(vector: TermVector, id: number): number | undefined {
  const { ids } = vector;
  let low = 0;
  let high = vector.size - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const found = ids[middle]!;
    if (found < id) low = middle + 1;
    else if (found > id) high = middle - 1;
    else return vector.weights[middle];
  }
  return undefined;
}

/**
 * Dot product with a vector spread out by id (`dense[id]`, 0 for absent terms): a sequential
 * walk over the centroid with no branches, the cheapest way to score many centroids.
 */
export function dotDense(vector: TermVector, dense: Float64Array): number {
  const { ids, weights, size } = vector;
  let sum = 0;
  for (let i = 0; i < size; i++) sum += dense[ids[i]!]! * weights[i]!;
  return sum;
}

/** What one walk over a centroid measures against an article spread out by term id (see `overlapDense`). */
export interface Overlap {
  /** Dot product with the whole article and with its title terms only. */
  full: number;
  title: number;
  /** Terms shared; of those, names (flag 1 or 2) and rare names (flag 2). */
  shared: number;
  names: number;
  rareNames: number;
  /** The largest single term's part of `full`. */
  top: number;
}

/**
 * `dotDense` plus the sub-products and counts the candidate features need, in the same single
 * sequential walk: `title[id]` holds the article's weight for title terms only, `flags[id]`
 * marks its names (1) and rare names (2).
 */
export function overlapDense(vector: TermVector, dense: Float64Array, title: Float64Array, flags: Uint8Array, out: Overlap): void {
  const { ids, weights, size } = vector;
  let full = 0;
  let inTitle = 0;
  let shared = 0;
  let names = 0;
  let rareNames = 0;
  let top = 0;
  for (let i = 0; i < size; i++) {
    const id = ids[i]!;
    const a = dense[id]!;
    if (a === 0) continue;
    const w = weights[i]!;
    const product = a * w;
    full += product;
    if (product > top) top = product;
    inTitle += title[id]! * w;
    shared++;
    const flag = flags[id]!;
    if (flag !== 0) {
      names++;
      if (flag === 2) rareNames++;
    }
  }
  out.full = full;
  out.title = inTitle;
  out.shared = shared;
  out.names = names;
  out.rareNames = rareNames;
  out.top = top;
}

/** Dot product of two vectors (merge walk). */
export function dot(a: TermVector, b: TermVector): number {
  return sharedWeight(a, b).product;
}

/** The dot product of two vectors, the number of terms they share, and the largest one term's part of it. */
export function sharedWeight(a: TermVector, b: TermVector): { product: number; shared: number; top: number } {
  let product = 0;
  let shared = 0;
  let top = 0;
  let i = 0;
  let j = 0;
  while (i < a.size && j < b.size) {
    const x = a.ids[i]!;
    const y = b.ids[j]!;
    if (x < y) i++;
    else if (x > y) j++;
    else {
      const part = a.weights[i++]! * b.weights[j++]!;
      product += part;
      shared++;
      if (part > top) top = part;
    }
  }
  return { product, shared, top };
}

/** Adds b to a in place (merging from the back); `changed` hears each of b's ids with its new weight in a. */
export function addTo(a: TermVector, b: TermVector, changed: (id: number, weight: number) => void): void {
  const total = a.size + b.size - shared(a, b);
  if (total > a.ids.length) grow(a, total + (total >> 1));
  const { ids, weights } = a;
  let i = a.size - 1;
  // Once b is used up, a's remaining entries are already where they belong.
  for (let j = b.size - 1, k = total - 1; j >= 0; k--) {
    const x = i >= 0 ? ids[i]! : -1;
    const y = b.ids[j]!;
    if (x > y) {
      ids[k] = x;
      weights[k] = weights[i--]!;
    } else {
      const weight = x === y ? weights[i--]! + b.weights[j]! : b.weights[j]!;
      ids[k] = y;
      weights[k] = weight;
      changed(y, weight);
      j--;
    }
  }
  a.size = total;
}

function grow(vector: TermVector, capacity: number): void {
  const ids = new Int32Array(capacity);
  const weights = new Float64Array(capacity);
  ids.set(vector.ids.subarray(0, vector.size));
  weights.set(vector.weights.subarray(0, vector.size));
  vector.ids = ids;
  vector.weights = weights;
}

/** How many ids two vectors have in common. */
function shared(a: TermVector, b: TermVector): number {
  let count = 0;
  let i = 0;
  let j = 0;
  while (i < a.size && j < b.size) {
    const x = a.ids[i]!;
    const y = b.ids[j]!;
    if (x <= y) i++;
    if (x >= y) j++;
    if (x === y) count++;
  }
  return count;
}

/** Keeps only the entries at `positions` (ascending), in place. */
export function retain(vector: TermVector, positions: number[]): void {
  positions.forEach((p, k) => {
    vector.ids[k] = vector.ids[p]!;
    vector.weights[k] = vector.weights[p]!;
  });
  vector.size = positions.length;
}

/** A vector from (id, weight) pairs in any order, ids distinct. */
export function fromPairs(pairs: [number, number][]): TermVector {
  pairs.sort((x, y) => x[0] - y[0]);
  return { ids: Int32Array.from(pairs, (p) => p[0]), weights: Float64Array.from(pairs, (p) => p[1]), size: pairs.length };
}
