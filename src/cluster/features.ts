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

// Capitalised, but they say when, not who or where: never evidence of a different event.
const CALENDAR_WORDS = new Set(
  'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December'
    .split(' ')
    .flatMap((word) => tokenize(word).map((token) => token.term)),
);

export interface ArticleTerms {
  /** Raw (not yet IDF-weighted) term scores. */
  scores: SparseVector;
  /** Terms written as names (capitalised inside a sentence): who and where the report is about. */
  names: Set<string>;
  /** Terms that occur in the title (the rest come from the body only). */
  titleTerms: Set<string>;
  /** Whether any body word counted. */
  hasBody: boolean;
}

/** Term scores and names of one article. */
export function articleTerms(title: string, text: string, options: FeatureOptions): ArticleTerms {
  const cleanTitle = collapse(title);
  const counts: SparseVector = new Map();
  const names = new Set<string>();
  const titleTerms = new Set<string>();
  let hasBody = false;
  const add = (term: string, weight: number, proper: boolean) => {
    counts.set(term, (counts.get(term) ?? 0) + weight);
    if (proper && !CALENDAR_WORDS.has(term)) names.add(term);
  };
  // Headlines Are Often Title-Cased, which says nothing about names: trust capitals in the
  // title only when most of its words are lower-case.
  const titleTokens = tokenize(cleanTitle);
  const titleCapsMeaningful = titleTokens.filter((t) => t.proper).length * 2 < titleTokens.length;
  for (const token of titleTokens) {
    const proper = token.proper && titleCapsMeaningful;
    add(token.term, options.titleWeight * (proper ? options.properNounWeight : 1), proper);
    titleTerms.add(token.term);
  }
  let budget = options.bodyTokenLimit;
  for (const paragraph of bodyParagraphs(cleanTitle, text)) {
    if (budget <= 0) break;
    for (const token of tokenize(paragraph, budget)) {
      if (budget-- <= 0) break;
      add(token.term, token.proper ? options.properNounWeight : 1, token.proper);
      hasBody = true;
    }
  }
  for (const [term, score] of counts) counts.set(term, score > 1 ? 1 + Math.log(score) : score);
  return { scores: counts, names, titleTerms, hasBody };
}
