// The learned decision's building blocks: features stay bounded whatever the evidence, and the
// explanation names the evidence in plain words.
import { describe, expect, it } from 'vitest';
import { explain, FEATURES, featuresOf, JOIN_FEATURES, joinFeaturesOf, joinProbability, rankScore, SHIPPED_DECISION, type Evidence } from '../../src/cluster/decision';
import { MODEL } from '../../src/cluster/model-weights';

const evidence = (overrides: Partial<Evidence> = {}): Evidence => ({
  legacy: 1.2,
  cosine: 0.45,
  titleCosine: 0.41,
  bodyCosine: 0.3,
  sharedTerms: 9,
  oneTermShare: 0.3,
  articleNames: 4,
  sharedNames: 2,
  sharedRareNames: 1,
  hoursToNewest: 5,
  hoursToFirst: 30,
  size: 3,
  coherence: 0.8,
  articleTerms: 40,
  hasTitle: true,
  hasBody: true,
  ...overrides,
});

describe('candidate features', () => {
  it('has one value per named feature, all within 0..1', () => {
    for (const e of [evidence(), evidence({ legacy: 50, sharedTerms: 500, sharedNames: 40, size: 10_000, coherence: 3 }), evidence({ hoursToNewest: null, hoursToFirst: null })]) {
      const x = featuresOf(e);
      expect(x).toHaveLength(FEATURES.length);
      for (const value of x) expect(value >= 0 && value <= 1).toBe(true);
    }
  });

  it('marks a missing time explicitly instead of reading it as far apart', () => {
    const timed = featuresOf(evidence({ hoursToNewest: 0, hoursToFirst: 0 }));
    const untimed = featuresOf(evidence({ hoursToNewest: null, hoursToFirst: null }));
    const at = (name: string) => FEATURES.indexOf(name as (typeof FEATURES)[number]);
    expect(timed[at('timeKnown')]).toBe(1);
    expect(timed[at('nearNewest')]).toBe(1);
    expect(untimed[at('timeKnown')]).toBe(0);
    expect(untimed[at('nearNewest')]).toBe(0);
  });

  it('flags a name conflict only for an article naming several names, none shared', () => {
    const at = FEATURES.indexOf('nameConflict');
    expect(featuresOf(evidence({ sharedNames: 0, sharedRareNames: 0 }))[at]).toBe(1);
    expect(featuresOf(evidence({ articleNames: 2, sharedNames: 0, sharedRareNames: 0 }))[at]).toBe(0);
    expect(featuresOf(evidence())[at]).toBe(0);
  });

  it('matches the shipped weights in length', () => {
    expect(MODEL.ranker.weights).toHaveLength(FEATURES.length);
    expect(MODEL.joiner.weights).toHaveLength(JOIN_FEATURES.length);
    expect(MODEL.joiner.threshold).toBeGreaterThan(0);
    expect(MODEL.joiner.threshold).toBeLessThan(1);
  });
});

describe('shipped decision', () => {
  const probability = (legacy: number) => {
    const x = featuresOf(evidence({ legacy }));
    return joinProbability(joinFeaturesOf(x, rankScore(x, SHIPPED_DECISION.ranker)), SHIPPED_DECISION.joiner);
  };

  it('joins exactly when the hand-built score clears its bar', () => {
    expect(probability(0.99)).toBeLessThan(SHIPPED_DECISION.joiner.threshold);
    expect(probability(1.01)).toBeGreaterThanOrEqual(SHIPPED_DECISION.joiner.threshold);
  });

  it('grades the evidence instead of printing 1.00 for every join', () => {
    expect(probability(1.2)).toBeLessThan(probability(1.5));
    expect(probability(1.5)).toBeLessThan(probability(2));
    expect(probability(1.2)).toBeLessThan(0.8);
  });
});

describe('why grouped', () => {
  it('gives the score and the evidence in plain words', () => {
    const e = evidence();
    const text = explain(e, joinFeaturesOf(featuresOf(e), 2), 0.87, true, MODEL.joiner);
    expect(text).toMatch(/^0\.87: /);
    const parts = text.slice('0.87: '.length).split(' · ');
    expect(parts.length).toBeGreaterThanOrEqual(1);
    expect(parts.length).toBeLessThanOrEqual(3);
    for (const part of parts) expect(part).toMatch(/^(title 0\.41|text 0\.45|9 shared words|2 shared names \(1 rare\)|5 h apart|story of 3)$/);
  });

  it('says when the names disagree and how far apart in days', () => {
    const e = evidence({ sharedNames: 0, sharedRareNames: 0, hoursToNewest: 80, titleCosine: 0, bodyCosine: 0, cosine: 0.05 });
    const text = explain(e, joinFeaturesOf(featuresOf(e), -3), 0.04, false, MODEL.joiner);
    expect(text).toMatch(/^0\.04: /);
    expect(explain(e, joinFeaturesOf(featuresOf(e), -3), 0.04, false, { weights: JOIN_FEATURES.map((n) => (n === 'nameConflict' ? -5 : n === 'timeKnown' ? -3 : 0)) })).toMatch(/no shared names.*3 days apart/);
  });
});
