// Sparse vectors keyed by term. Article vectors are L2-normalised; story centroids are sums
// of their members' vectors, so their norm is kept alongside.

export type SparseVector = Map<string, number>;

export function normalise(vector: SparseVector): SparseVector {
  const length = norm(vector);
  if (length === 0) return new Map();
  const out: SparseVector = new Map();
  for (const [term, weight] of vector) out.set(term, weight / length);
  return out;
}

export function norm(vector: SparseVector): number {
  let sum = 0;
  for (const weight of vector.values()) sum += weight * weight;
  return Math.sqrt(sum);
}

/** Dot product; iterates the smaller vector. */
export function dot(a: SparseVector, b: SparseVector): number {
  const small = a.size <= b.size ? a : b;
  const large = small === a ? b : a;
  let sum = 0;
  for (const [term, weight] of small) {
    const other = large.get(term);
    if (other !== undefined) sum += weight * other;
  }
  return sum;
}

export function cosine(a: SparseVector, b: SparseVector): number {
  const denominator = norm(a) * norm(b);
  return denominator === 0 ? 0 : dot(a, b) / denominator;
}

/** The `size` heaviest terms (ties broken by term so the result is deterministic). */
export function topTerms(vector: SparseVector, size: number): [string, number][] {
  return [...vector].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)).slice(0, size);
}
