// Incremental document frequencies for IDF. The unit counted is a *story* (an event), not an
// article: a name that fifty outlets repeat about one event stays rare, and therefore
// telling, instead of being discounted as if it were a common word.
//
// A prior keeps a cold start sane: as if PRIOR_UNITS stories without the term had been
// counted already, so the first few stories do not score every shared word alike. It fades
// as real stories outnumber it.
const PRIOR_UNITS = 20;

export class TermFrequencies {
  constructor(
    /** Units counted so far. */
    public units = 0,
    readonly df = new Map<string, number>(),
  ) {}

  /** Smoothed IDF as if one more unit containing the term were counted (so it is never 0). */
  idf(term: string): number {
    const count = this.df.get(term) ?? 0;
    return Math.log((this.units + PRIOR_UNITS + 2) / (count + 2)) + 1;
  }

  addUnit(terms: Iterable<string>): void {
    this.units += 1;
    this.addTerms(terms);
  }

  /** Terms newly present in an already counted unit. */
  addTerms(terms: Iterable<string>): void {
    for (const term of terms) this.df.set(term, (this.df.get(term) ?? 0) + 1);
  }

  /**
   * Keeps the dictionary under `maxTerms` by forgetting the rarest terms (most are typos,
   * one-off names and numbers). A forgotten term that returns just looks rare again.
   */
  prune(maxTerms: number): void {
    if (this.df.size <= maxTerms) return;
    const target = Math.floor(maxTerms * 0.8);
    for (let floor = 1; this.df.size > target; floor++) {
      for (const [term, count] of this.df) {
        if (count <= floor) this.df.delete(term);
        if (this.df.size <= target) break;
      }
    }
  }
}
