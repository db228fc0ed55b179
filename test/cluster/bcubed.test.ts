// The training script's B-cubed scorer (scripts/lib/bcubed.ts) against a hand-worked case; it
// was also checked once against the eval sets' bcubed.py on a real prediction (same figures).
import { describe, expect, it } from 'vitest';
import { bcubed } from '../../scripts/lib/bcubed';

describe('bcubed', () => {
  it('scores a hand-worked clustering', () => {
    const gold = new Map([['a', '1'], ['b', '1'], ['c', '2']]);
    // a alone; b wrongly with c: P = (1 + 1/2 + 1/2) / 3, R = (1/2 + 1/2 + 1) / 3.
    const result = bcubed(gold, new Map([['a', 'x'], ['b', 'y'], ['c', 'y']]));
    expect(result.precision).toBeCloseTo(2 / 3, 12);
    expect(result.recall).toBeCloseTo(2 / 3, 12);
    expect(result.f1).toBeCloseTo(2 / 3, 12);
  });

  it('gives precision 1 to singletons and recall 1 to one big cluster', () => {
    const gold = new Map([['a', '1'], ['b', '1'], ['c', '2'], ['d', '3']]);
    expect(bcubed(gold, new Map([...gold.keys()].map((id) => [id, id]))).precision).toBe(1);
    expect(bcubed(gold, new Map([...gold.keys()].map((id) => [id, 'all']))).recall).toBe(1);
  });

  it('refuses a prediction that misses a document', () => {
    expect(() => bcubed(new Map([['a', '1']]), new Map())).toThrow(/no prediction for a/);
  });
});
