// Unicode-aware tokeniser: words of any script, English stop words removed, English (Latin)
// words Porter-stemmed, scripts written without spaces split into character bigrams.
import { stemmer } from 'stemmer';
import { STOP_WORDS } from './stopwords';
import { memoized } from '../util/memo';

export interface Token {
  /** Normalised, stemmed form: the vector dimension. */
  term: string;
  /** Capitalised inside a sentence: likely part of a name or place. */
  proper: boolean;
}

// A word: letters/digits (with their combining marks), optionally joined by an apostrophe.
// Numbers keep their decimal and thousands separators ("8.6", "1,200"): figures are evidence.
const WORD = /\p{N}+(?:[.,]\p{N}+)+|[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’][\p{L}\p{M}]+)*/gu;
// Sentence boundary between the previous word and this one.
const SENTENCE_END = /[.!?:;\n"“”]\s*$/;
// Scripts that do not separate words with spaces: index character bigrams instead.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const LATIN_MARKS = /(\p{Script=Latin})\p{M}+/gu;
const ASCII_WORD = /^[a-z]+$/;
const ASCII = /^[\x00-\x7f]*$/;
const POSSESSIVE = /['’]s$/;
// "won't", "they're", "I'd": function words once contracted.
const CONTRACTION = /'(t|ll|re|ve|d|m)$/;

/** Tokens of the text, stopping once at least `limit` are found. */
export function tokenize(text: string, limit = Infinity): Token[] {
  const tokens: Token[] = [];
  // NFKC folds compatibility forms (full-width letters, ligatures); marks are then dropped
  // only from Latin letters ("café" = "cafe"), because other scripts need theirs.
  const normalised = text.normalize('NFKC');
  let last = 0;
  for (const match of normalised.matchAll(WORD)) {
    if (tokens.length >= limit) break;
    const raw = match[0];
    const at = match.index;
    const sentenceStart = last === 0 || SENTENCE_END.test(normalised.slice(last, at)) || at === 0;
    last = at + raw.length;
    const first = raw[0] ?? '';
    const proper = !sentenceStart && first !== first.toLowerCase();
    for (const term of terms(raw)) tokens.push({ term, proper });
  }
  return tokens;
}

/**
 * How the text writes each wanted term: the first word that yields it, its possessive dropped,
 * and lower-cased unless `names` holds the term (so "Zelensky's" gives "Zelensky", "Ceasefire" at
 * the start of a sentence "ceasefire"). Stops once every wanted term is found.
 */
export function surfaceForms(text: string, wanted: ReadonlySet<string>, names: ReadonlySet<string>, found = new Map<string, string>()): Map<string, string> {
  if (found.size >= wanted.size) return found;
  for (const match of text.normalize('NFKC').matchAll(WORD)) {
    const raw = match[0];
    for (const term of terms(raw)) {
      if (!wanted.has(term) || found.has(term)) continue;
      const word = UNSPACED.test(raw) ? term : raw.replace(POSSESSIVE, '');
      found.set(term, names.has(term) ? word : word.toLowerCase());
    }
    if (found.size >= wanted.size) break;
  }
  return found;
}

/** Plain list of terms, for callers that do not need the proper-noun flag. */
export function tokenizeTerms(text: string): string[] {
  return tokenize(text).map((t) => t.term);
}

// Words repeat (Zipf), and normalising and stemming one is most of the tokeniser's cost.
const terms: (raw: string) => readonly string[] = memoized(termsOf, 50_000);

function termsOf(raw: string): string[] {
  const word = raw.toLowerCase().replace(POSSESSIVE, '').replace(/’/g, "'");
  if (UNSPACED.test(word)) return bigrams(word);
  const folded = ASCII.test(word) ? word : word.normalize('NFD').replace(LATIN_MARKS, '$1').normalize('NFC');
  if (folded.length < 2 || STOP_WORDS.has(folded) || CONTRACTION.test(folded)) return [];
  if (/^\d/.test(folded)) return numberTerm(folded);
  const plain = folded.replace(/'/g, '');
  return [ASCII_WORD.test(plain) ? foldPlace(stemmer(plain.replace(/yy$/, 'y'))) : plain];
}

// "1,200" = "1200"; a trailing ".0" says nothing. Lone digits are too common to tell events apart.
function numberTerm(word: string): string[] {
  const plain = word.replace(/,(?=\d{3}\b)/g, '').replace(/\.0+$/, '');
  return plain.length >= 2 ? [plain] : [];
}

// Porter keeps a place and its people apart ("iran"/"iranian", "russia"/"russian",
// "america"/"american"): fold both to a shared root. Roots shorter than four letters stay
// unfolded (too many unrelated words would meet there).
const PLACE_SUFFIX = /(?:ian|ean|ia|an|a)$/;
function foldPlace(stem: string): string {
  const match = PLACE_SUFFIX.exec(stem);
  if (!match) return stem;
  const suffix = match[0];
  // Plain "-an" only on long words (american, mexican), not on "plan", "woman", "began".
  if (suffix === 'an' && stem.length < 7) return stem;
  const root = stem.slice(0, -suffix.length);
  return root.length >= 4 ? root : stem;
}

// "東京都知事" -> 東京 京都 都知 知事: overlapping bigrams match across word boundaries we cannot see.
function bigrams(word: string): string[] {
  const chars = Array.from(word);
  if (chars.length === 1) return [word];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}
