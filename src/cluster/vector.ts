// Sparse vectors. An article's vector is keyed by term and L2-normalised. A story centroid is
// the sum of its members' vectors over interned term ids (terms.ts), kept as two sorted typed
// arrays: scoring a few dozen article terms against it touches a few cache lines, where a
// Map per story costs a cache miss per lookup once thousands of stories are active.

export type SparseVector = Map<string, number>;

/** Term ids ascending; `weights[i]` belongs to `ids[i]`. */
export interface TermVector {
  readonly ids: Int32Array;
  readonly weights: Float64Array;
}

export const EMPTY: TermVector = { ids: new Int32Array(0), weights: new Float64Array(0) };

export function normalise(vector: SparseVector): SparseVector {
  const length = norm(vector.values());
  if (length === 0) return new Map();
  const out: SparseVector = new Map();
  for (const [term, weight] of vector) out.set(term, weight / length);
  return out;
}

export function norm(weights: Iterable<number>): number {
  let sum = 0;
  for (const weight of weights) sum += weight * weight;
  return Math.sqrt(sum);
}

/** The weight of `id` in `vector`, undefined when absent (binary search). */
export function weightOf(vector: TermVector, id: number): number | undefined {
  const { ids } = vector;
  let low = 0;
  let high = ids.length - 1;
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
  const { ids, weights } = vector;
  let sum = 0;
  for (let i = 0; i < ids.length; i++) sum += dense[ids[i]!]! * weights[i]!;
  return sum;
}

/** Dot product of two vectors (merge walk). */
export function dot(a: TermVector, b: TermVector): number {
  let sum = 0;
  let i = 0;
  let j = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i]!;
    const y = b.ids[j]!;
    if (x < y) i++;
    else if (x > y) j++;
    else sum += a.weights[i++]! * b.weights[j++]!;
  }
  return sum;
}

/** a + b; `changed` hears each of b's ids with its weight in the sum. */
export function add(a: TermVector, b: TermVector, changed: (id: number, weight: number) => void): TermVector {
  const ids = new Int32Array(a.ids.length + b.ids.length - shared(a, b));
  const weights = new Float64Array(ids.length);
  let i = 0;
  let j = 0;
  for (let n = 0; n < ids.length; n++) {
    const x = i < a.ids.length ? a.ids[i]! : Infinity;
    const y = j < b.ids.length ? b.ids[j]! : Infinity;
    if (x < y) {
      ids[n] = x;
      weights[n] = a.weights[i++]!;
    } else if (x > y) {
      ids[n] = y;
      weights[n] = b.weights[j++]!;
      changed(y, weights[n]!);
    } else {
      ids[n] = x;
      weights[n] = a.weights[i++]! + b.weights[j++]!;
      changed(x, weights[n]!);
    }
  }
  return { ids, weights };
}

/** How many ids two vectors have in common. */
function shared(a: TermVector, b: TermVector): number {
  let count = 0;
  let i = 0;
  let j = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i]!;
    const y = b.ids[j]!;
    if (x <= y) i++;
    if (x >= y) j++;
    if (x === y) count++;
  }
  return count;
}

/** The entries at `positions` (ascending), as a vector of their own. */
export function select(vector: TermVector, positions: number[]): TermVector {
  const ids = new Int32Array(positions.length);
  const weights = new Float64Array(positions.length);
  positions.forEach((p, k) => {
    ids[k] = vector.ids[p]!;
    weights[k] = vector.weights[p]!;
  });
  return { ids, weights };
}

/** A vector from (id, weight) pairs in any order, ids distinct. */
export function fromPairs(pairs: [number, number][]): TermVector {
  pairs.sort((x, y) => x[0] - y[0]);
  return { ids: Int32Array.from(pairs, (p) => p[0]), weights: Float64Array.from(pairs, (p) => p[1]) };
}

/** The `size` heaviest terms (ties broken by term so the result is deterministic). */
export function topTerms(vector: SparseVector, size: number): [string, number][] {
  return [...vector].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)).slice(0, size);
}
