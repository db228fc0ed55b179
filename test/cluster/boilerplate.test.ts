import { describe, expect, it } from 'vitest';
import { bodyParagraphs } from '../../src/cluster/boilerplate';

const cleanText = (title: string, text: string) => ({ paragraphs: [...bodyParagraphs(title, text)] });

describe('bodyParagraphs', () => {
  it('drops body lines that repeat the title and paragraphs printed twice', () => {
    const text = ['Storm Hits Coast', '', 'Storm hits coast!', 'Winds reached 150 km/h.', 'Winds reached 150 km/h.', 'Power is out.'].join('\n');
    expect(cleanText('Storm Hits Coast', text).paragraphs).toEqual(['Winds reached 150 km/h.', 'Power is out.']);
  });

  it('cuts a trailing "Discover More" block that lists other stories', () => {
    const text = ['Rain fell for five days.', 'Discover More', 'Stocks Rally on Jobs Data', 'Markets rose sharply.'].join('\n');
    expect(cleanText('Floods', text).paragraphs).toEqual(['Rain fell for five days.']);
  });

  it('cuts newsletter pitches and drops single read-more teasers', () => {
    const text = ['The council voted 7-2.', 'Read more: why the vote matters', 'The plan starts in May.', 'Sign up for our daily newsletter', 'Get the news first.'].join('\n');
    expect(cleanText('Vote', text).paragraphs).toEqual(['The council voted 7-2.', 'The plan starts in May.']);
  });

  it('does not cut a teaser-looking first line (nothing precedes it)', () => {
    expect(cleanText('x', 'Related coverage of the trial continues.\nMore text.').paragraphs).toHaveLength(2);
  });
});
