// Counts for the background prior (src/cluster/prior.ts): in how many labelled events each term
// occurs. The unit is an event, as in the engine's own IDF (frequencies.ts): a name that every
// report of one event repeats is counted once, so it stays rare. Terms are exactly the
// engine's (articleTerms with the shipped options: title, first body words, stemmed), hashed
// as the engine hashes them.
import { articleTerms } from '../../src/cluster/features';
import { termHash } from '../../src/cluster/keys';
import { DEFAULT_OPTIONS } from '../../src/cluster/options';
import type { LabelledArticle } from './articles';

export interface EventCounts {
  /** Events counted. */
  units: number;
  /** Term hash -> events holding it. */
  counts: Map<number, number>;
}

/** Adds one labelled set's events to `into` (events are the set's gold labels). */
export function countEvents(articles: readonly LabelledArticle[], into: EventCounts = { units: 0, counts: new Map() }): EventCounts {
  const termsOf = new Map<string, Set<number>>();
  for (const { input, gold } of articles) {
    let terms = termsOf.get(gold);
    if (!terms) termsOf.set(gold, (terms = new Set()));
    for (const term of articleTerms(input.title, input.text, DEFAULT_OPTIONS).scores.keys()) terms.add(termHash(term));
  }
  for (const terms of termsOf.values()) {
    into.units++;
    for (const hash of terms) into.counts.set(hash, (into.counts.get(hash) ?? 0) + 1);
  }
  return into;
}

/** Only the terms held by at least `minUnits` events: rarer ones the prior would call rare anyway. */
export function commonTerms(counts: ReadonlyMap<number, number>, minUnits: number): Map<number, number> {
  return new Map([...counts].filter(([, count]) => count >= minUnits));
}
