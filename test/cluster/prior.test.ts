// The background prior (src/cluster/prior.ts, built by `npm run prior`): a fresh engine already
// knows which words are common, so two different events sharing one rare name and an everyday
// word stay apart, while two reports of one event in other words (any language) still join.
import { describe, expect, it } from 'vitest';
import { StoryClusterer, type ClusterOptions } from '../../src/cluster/index';
import { TermFrequencies } from '../../src/cluster/frequencies';
import { termHash } from '../../src/cluster/keys';
import { backgroundPrior, decodePriorTable, encodePriorTable, fractionIn, hashAt, NO_PRIOR, shippedPriorTable } from '../../src/cluster/prior';
import { PRIOR_EVENTS, PRIOR_TERMS } from '../../src/cluster/prior-table';
import { tokenizeTerms } from '../../src/cluster/tokenize';
import { commonTerms, countEvents } from '../../scripts/lib/priorCounts';
import { articlesOf, DIFFERENT_EVENTS, OTHER_LANGUAGES, SAME_EVENT, type Pair } from './fixtures/cold-pairs';

const hashOf = (word: string) => termHash(tokenizeTerms(word)[0]!);

function joins(pair: Pair, options: Partial<ClusterOptions> = {}): boolean {
  const clusterer = StoryClusterer.restore(null, options);
  const [first, second] = articlesOf(pair, 'pair');
  return clusterer.add(first).storyId === clusterer.add(second).storyId;
}

describe('the shipped prior table', () => {
  it('loads: its hashes ascend, and everyday words are common in it while invented names are absent', () => {
    const table = shippedPriorTable();
    expect(table.terms).toBe(PRIOR_TERMS);
    expect(PRIOR_EVENTS).toBeGreaterThan(1000);
    let ascending = true;
    for (let i = 1; i < table.terms; i++) ascending &&= hashAt(table, i) > hashAt(table, i - 1);
    expect(ascending).toBe(true);
    expect(fractionIn(table, hashOf('returned'))).toBeGreaterThan(0.02);
    expect(fractionIn(table, hashOf('police'))).toBeGreaterThan(fractionIn(table, hashOf('museum')));
    expect(fractionIn(table, hashOf('museum'))).toBeGreaterThan(0);
    expect(fractionIn(table, hashOf('Corvith'))).toBe(0);
  });

  it('is constant code, not state: an engine with the prior saves the same bytes as one without', () => {
    expect(StoryClusterer.restore(null, { priorUnits: 1000 }).snapshot()).toEqual(StoryClusterer.restore(null, { priorUnits: 0 }).snapshot());
  });
});

describe('prior table bytes', () => {
  const counts = new Map([[0xffffffff, 3], [7, 100], [0x80000000, 1], [12345, 50]]);

  it('are the same whatever order the counts come in, and read back within the quantisation', () => {
    const bytes = encodePriorTable(counts, 100);
    expect(encodePriorTable(new Map([...counts].reverse()), 100)).toEqual(bytes);
    const table = decodePriorTable(bytes, counts.size);
    expect([0, 1, 2, 3].map((i) => hashAt(table, i))).toEqual([7, 12345, 0x80000000, 0xffffffff]);
    for (const [hash, count] of counts) expect(fractionIn(table, hash)).toBeCloseTo(count / 100, 1);
    expect(Math.abs(fractionIn(table, 12345) / 0.5 - 1)).toBeLessThan(0.035);
    expect(fractionIn(table, 8)).toBe(0);
  });

  it('refuse bytes that do not hold the terms announced', () => {
    const bytes = encodePriorTable(counts, 100);
    expect(() => decodePriorTable(bytes.subarray(0, 3), counts.size)).toThrow('prior: expected 20 bytes for 4 terms, found 3');
    expect(() => decodePriorTable(bytes, counts.size - 1)).toThrow(/expected 15 bytes for 3 terms/);
    expect(() => encodePriorTable(new Map([[1, 5]]), 4)).toThrow(/outside 1..4/);
    expect(() => encodePriorTable(new Map([[-1, 1]]), 4)).toThrow(/not a 32-bit hash/);
  });

  it('are built from events, not articles: a name every report of one event repeats counts once', () => {
    const article = (id: string, gold: string, text: string) => ({ input: { id, title: '', text, published: null }, gold });
    const counted = countEvents([
      article('a', 'e1', 'Flooding in Marrowby closes the bridge.'),
      article('b', 'e1', 'Marrowby bridge closed by flooding.'),
      article('c', 'e2', 'The council closes the library.'),
    ]);
    expect(counted.units).toBe(2);
    expect(counted.counts.get(hashOf('Marrowby'))).toBe(1);
    expect(counted.counts.get(hashOf('closes'))).toBe(2);
    expect([...commonTerms(counted.counts, 2).keys()]).toEqual([hashOf('closes')]);
  });
});

describe('IDF with the prior', () => {
  it('knows a common word from a rare one before anything is counted, and fades as stories are counted', () => {
    const prior = backgroundPrior(1000);
    const fresh = new TermFrequencies();
    expect(fresh.idf(hashOf('returned'), prior)).toBeLessThan(fresh.idf(hashOf('Corvith'), prior) - 1);
    expect(fresh.idf(hashOf('returned'))).toBe(fresh.idf(hashOf('Corvith')));
    // After 100,000 stories, 5,000 of them holding each word, the live counts have the last word.
    const grown = new TermFrequencies(100_000);
    for (let i = 0; i < 5000; i++) grown.addTerms([hashOf('Corvith'), hashOf('returned')]);
    const gap = (p = NO_PRIOR) => grown.idf(hashOf('Corvith'), p) - grown.idf(hashOf('returned'), p);
    expect(gap(prior)).toBeGreaterThan(0);
    expect(gap(prior)).toBeLessThan(0.05);
    expect(gap()).toBe(0);
  });
});

describe('cold start with the prior (invented pairs)', () => {
  it.each(DIFFERENT_EVENTS.map((pair) => [pair.name, pair] as const))('keeps different events sharing one rare name apart: %s', (_, pair) => {
    expect(joins(pair)).toBe(false);
  });

  it.each(SAME_EVENT.map((pair) => [pair.name, pair] as const))('still joins one event told in other words: %s', (_, pair) => {
    expect(joins(pair)).toBe(true);
  });

  it.each(OTHER_LANGUAGES.map((pair) => [pair.name, pair] as const))('still joins one event in %s', (_, pair) => {
    expect(joins(pair)).toBe(true);
    expect(joins(pair, { priorUnits: 0, oneWordShare: 0 })).toBe(true);
  });

  it('says why the Corvith museum is not the Corvith strike', () => {
    const clusterer = StoryClusterer.restore(null);
    const [strike, museum] = articlesOf(DIFFERENT_EVENTS[0]!, 'corvith');
    clusterer.add(strike);
    expect(clusterer.add(museum).why).toMatch(/^new story; the closest story has 1 article and its likeness rests on one shared word \(\d+ %\)$/);
  });

  it('owes that to the prior and the one-word rule together: either alone lets pairs join', () => {
    const merged = (options: Partial<ClusterOptions>) => DIFFERENT_EVENTS.filter((pair) => joins(pair, options)).length;
    expect(merged({})).toBe(0);
    expect(merged({ priorUnits: 0 })).toBeGreaterThan(0);
    // The prior alone makes a rare name weigh more, so more pairs join than with neither.
    expect(merged({ oneWordShare: 0 })).toBeGreaterThan(merged({ priorUnits: 0, oneWordShare: 0 }));
  });
});
