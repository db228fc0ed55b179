import { describe, expect, it } from 'vitest';
import { surfaceForms, tokenize, tokenizeTerms } from '../../src/cluster/tokenize';

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

  it('folds places and their people to one root, but not short or unrelated words', () => {
    expect(tokenizeTerms('Iran Iranian Russia Russians Ukraine Ukrainian America American')).toEqual([
      'iran', 'iran', 'russ', 'russ', 'ukrain', 'ukrain', 'americ', 'americ',
    ]);
    expect(tokenizeTerms('Zelensky Zelenskyy')).toEqual(['zelenski', 'zelenski']);
    // "-an" only on long words; roots under four letters stay whole.
    expect(tokenizeTerms('plan woman media median')).toEqual(['plan', 'woman', 'media', 'median']);
  });

  it('keeps figures whole: decimals, thousands separators, no lone digits', () => {
    expect(tokenizeTerms('$8.6 billion for 1,200 miles, 7 states, 3.0 magnitude')).toEqual([
      '8.6', 'billion', '1200', 'mile', 'state', 'magnitud',
    ]);
  });

  it('survives empty and symbol-only input', () => {
    expect(tokenizeTerms('')).toEqual([]);
    expect(tokenizeTerms('— … ¶ 🙂')).toEqual([]);
  });
});

describe('surfaceForms', () => {
  it('finds how the text writes each wanted term: possessive dropped, lower case unless a name', () => {
    const wanted = new Set([...tokenizeTerms("Zelensky's"), ...tokenizeTerms('ceasefires'), ...tokenizeTerms('東京')]);
    const names = new Set(tokenizeTerms('Zelensky'));
    const forms = surfaceForms("Ceasefire talks: President Zelensky's offer of a ceasefire, made in 東京.", wanted, names);
    expect([...forms.values()].sort()).toEqual(['Zelensky', 'ceasefire', '東京'].sort());
  });
});
