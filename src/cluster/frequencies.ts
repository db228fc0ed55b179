// Incremental document frequencies for IDF, by term hash (keys.ts). The unit counted is a
// *story* (an event), not an article: a name that fifty outlets repeat about one event stays
// rare, and therefore telling, instead of being discounted as if it were a common word.
//
// Two priors keep a cold start sane, both fading as real stories outnumber them:
// - PRIOR_UNITS stories without the term counted already, so the first few stories do not
//   score every shared word alike;
// - the background prior (prior.ts, option `priorUnits`): that many more stories, in which a
//   term occurs as often as in the background news, so a fresh engine already knows that
//   "return" is common and "Corvith" is not. It is constant code, not stored state.
import { KeyTable } from './keyTable';
import { NO_PRIOR, type BackgroundPrior } from './prior';

const PRIOR_UNITS = 20;

export class TermFrequencies {
  constructor(
    /** Units counted so far. */
    public units = 0,
    /** Term hash -> units holding it. */
    readonly counts = new KeyTable(false, 1024),
  ) {}

  /** Terms counted. */
  get size(): number {
    return this.counts.size;
  }

  /** Units holding the term. */
  count(term: number): number {
    return this.counts.get(term) ?? 0;
  }

  /**
   * Smoothed IDF as if one more unit containing the term were counted (so it is never 0), the
   * background's W units holding it in its share f: ln((N + P + W + 2) / (df + W·f + 2)) + 1.
   */
  idf(term: number, prior: BackgroundPrior = NO_PRIOR): number {
    const background = prior.units > 0 ? prior.units * prior.fraction(term) : 0;
    return Math.log((this.units + PRIOR_UNITS + prior.units + 2) / (this.count(term) + background + 2)) + 1;
  }

  addUnit(terms: Iterable<number>): void {
    this.units += 1;
    this.addTerms(terms);
  }

  /** Terms newly present in an already counted unit. */
  addTerms(terms: Iterable<number>): void {
    for (const term of terms) this.counts.set(term, 0, this.count(term) + 1);
  }

  /**
   * Keeps the dictionary under `maxTerms` by forgetting the rarest terms (most are typos,
   * one-off names and numbers). A forgotten term that returns just looks rare again.
   */
  prune(maxTerms: number): void {
    const { counts } = this;
    if (counts.size <= maxTerms) return;
    const target = Math.floor(maxTerms * 0.8);
    for (let floor = 1; counts.size > target; floor++) {
      for (let i = 0; i < counts.capacity && counts.size > target; i++) {
        if (counts.live(i) && counts.values[i]! <= floor) counts.deleteAt(i);
      }
    }
  }
}
