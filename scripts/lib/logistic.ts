// Weighted L2-regularised logistic regression fitted by Newton's method: a fixed number of
// steps from all-zero weights, so the same examples always give the same weights.
export interface Example {
  x: number[];
  /** 1 or 0. */
  y: number;
  weight: number;
}

/** Weights for `dimensions` features (x[0] is the bias, which is not penalised). */
export function fitLogistic(examples: Example[], dimensions: number, l2: number, steps: number): number[] {
  const w = new Array<number>(dimensions).fill(0);
  for (let step = 0; step < steps; step++) {
    const gradient = new Array<number>(dimensions).fill(0);
    const hessian = Array.from({ length: dimensions }, () => new Array<number>(dimensions).fill(0));
    for (const { x, y, weight } of examples) {
      let z = 0;
      for (let i = 0; i < dimensions; i++) z += w[i]! * x[i]!;
      const p = 1 / (1 + Math.exp(-z));
      const g = weight * (p - y);
      const h = weight * Math.max(p * (1 - p), 1e-9);
      for (let i = 0; i < dimensions; i++) {
        const xi = x[i]!;
        if (xi === 0) continue;
        gradient[i]! += g * xi;
        const row = hessian[i]!;
        for (let j = i; j < dimensions; j++) row[j]! += h * xi * x[j]!;
      }
    }
    for (let i = 0; i < dimensions; i++) {
      for (let j = 0; j < i; j++) hessian[i]![j] = hessian[j]![i]!;
      if (i > 0) {
        gradient[i]! += l2 * w[i]!;
        hessian[i]![i]! += l2;
      }
      hessian[i]![i]! += 1e-9;
    }
    const delta = solve(hessian, gradient);
    for (let i = 0; i < dimensions; i++) w[i]! -= delta[i]!;
  }
  return w;
}

/** Solves A x = b (A symmetric positive definite) by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    if (Math.abs(p) < 1e-15) continue;
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / p;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let sum = m[r]![n]!;
    for (let c = r + 1; c < n; c++) sum -= m[r]![c]! * x[c]!;
    x[r] = Math.abs(m[r]![r]!) < 1e-15 ? 0 : sum / m[r]![r]!;
  }
  return x;
}
