// The training script's B-cubed scorer (scripts/lib/bcubed.ts) against a hand-worked case; it
// was also checked once against the eval sets' bcubed.py on a real prediction (same figures).
import { describe, expect, it } from 'vitest';
import { bcubed, readerFigures, scoreLine } from '../../scripts/lib/bcubed';

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

describe('readerFigures', () => {
  // Events 1 (a, b, c), 2 (d, e), 3 (f) and 4 (g, h); stories x = a b d, y = c, z = e, w = f g h.
  const gold = new Map([['a', '1'], ['b', '1'], ['c', '1'], ['d', '2'], ['e', '2'], ['f', '3'], ['g', '4'], ['h', '4']]);
  const predicted = new Map([['a', 'x'], ['b', 'x'], ['d', 'x'], ['c', 'y'], ['e', 'z'], ['f', 'w'], ['g', 'w'], ['h', 'w']]);

  it('counts stories of 2+ articles that mix events and events of 2+ articles shown as several stories', () => {
    // Stories with 2+: x (1 and 2: mixed), w (3 and 4: mixed). Events with 2+: 1 (x, y: split), 2 (x, z: split), 4 (w: whole).
    expect(readerFigures(gold, predicted)).toEqual({ multiStories: 2, mixedStories: 2, multiEvents: 3, splitEvents: 2 });
  });

  it('sees nothing wrong in the gold itself, and only splits in all-singletons', () => {
    expect(readerFigures(gold, gold)).toEqual({ multiStories: 3, mixedStories: 0, multiEvents: 3, splitEvents: 0 });
    expect(readerFigures(gold, new Map([...gold.keys()].map((id) => [id, id])))).toEqual({ multiStories: 0, mixedStories: 0, multiEvents: 3, splitEvents: 3 });
  });

  it('puts both next to B-cubed in one line', () => {
    expect(scoreLine(gold, gold)).toBe(
      'B-cubed P 1.0000 R 1.0000 F1 1.0000; mixed stories 0.0 % (0 of 3) of stories with 2+ articles; events shown split 0.0 % (0 of 3) of events with 2+ articles',
    );
  });

  it('refuses a prediction that misses a document', () => {
    expect(() => readerFigures(new Map([['a', '1']]), new Map())).toThrow(/no prediction for a/);
  });
});
