// From an article to its term weights: clean the text, tokenise title and body, weight the
// title and names more, damp repetition (1 + ln tf), and cap how much of a long body counts
// (the first paragraphs say what the event is; the tail drifts into background).
import { bodyParagraphs, collapse } from './boilerplate';
import { tokenize } from './tokenize';
import type { SparseVector } from './vector';

export interface FeatureOptions {
  titleWeight: number;
  properNounWeight: number;
  bodyTokenLimit: number;
}

/** Raw (not yet IDF-weighted) term scores of one article. */
export function termScores(title: string, text: string, options: FeatureOptions): SparseVector {
  const cleanTitle = collapse(title);
  const counts: SparseVector = new Map();
  const add = (term: string, weight: number) => counts.set(term, (counts.get(term) ?? 0) + weight);
  // Headlines Are Often Title-Cased, which says nothing about names: trust capitals in the
  // title only when most of its words are lower-case.
  const titleTokens = tokenize(cleanTitle);
  const titleCapsMeaningful = titleTokens.filter((t) => t.proper).length * 2 < titleTokens.length;
  for (const token of titleTokens) {
    add(token.term, options.titleWeight * (token.proper && titleCapsMeaningful ? options.properNounWeight : 1));
  }
  let budget = options.bodyTokenLimit;
  for (const paragraph of bodyParagraphs(cleanTitle, text)) {
    if (budget <= 0) break;
    for (const token of tokenize(paragraph, budget)) {
      if (budget-- <= 0) break;
      add(token.term, token.proper ? options.properNounWeight : 1);
    }
  }
  for (const [term, score] of counts) counts.set(term, score > 1 ? 1 + Math.log(score) : score);
  return counts;
}
