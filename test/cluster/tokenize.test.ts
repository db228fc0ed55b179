import { describe, expect, it } from 'vitest';
import { tokenize, tokenizeTerms } from '../../src/cluster/tokenize';

describe('tokenize', () => {
  it('lower-cases, drops stop words and possessives, and Porter-stems English', () => {
    expect(tokenizeTerms("The President's negotiations were running")).toEqual(['presid', 'negoti', 'run']);
  });

  it('treats inflected forms of one word as one term', () => {
    expect(tokenizeTerms('talks')).toEqual(tokenizeTerms('talk'));
    expect(tokenizeTerms('proposed')).toEqual(tokenizeTerms('proposing'));
  });

  it('drops contractions and single characters but keeps numbers', () => {
    expect(tokenizeTerms("They won't go, I'd say: a 340 drone strike")).toEqual(['go', '340', 'drone', 'strike'.slice(0, 6)]);
  });

  it('folds Latin accents but keeps other scripts intact', () => {
    expect(tokenizeTerms('café São')).toEqual(['cafe', 'sao']);
    expect(tokenizeTerms('Москва заявила')).toEqual(['москва', 'заявила']);
    expect(tokenizeTerms('नमस्ते दुनिया')).toEqual(['नमस्ते', 'दुनिया']);
  });

  it('splits unspaced scripts into character bigrams', () => {
    expect(tokenizeTerms('東京都')).toEqual(['東京', '京都']);
  });

  it('flags capitalised words inside a sentence as proper nouns, not sentence starts', () => {
    const tokens = tokenize('Officials met Zelensky. Talks resume');
    expect(tokens.map((t) => [t.term, t.proper])).toEqual([
      ['offici', false],
      ['met', false],
      ['zelenski', true],
      ['talk', false],
      ['resum', false],
    ]);
  });

  it('survives empty and symbol-only input', () => {
    expect(tokenizeTerms('')).toEqual([]);
    expect(tokenizeTerms('— … ¶ 🙂')).toEqual([]);
  });
});
