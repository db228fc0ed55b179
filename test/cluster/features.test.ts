import { describe, expect, it } from 'vitest';
import { articleTerms } from '../../src/cluster/features';
import { DEFAULT_OPTIONS } from '../../src/cluster/options';

const names = (title: string, text: string) => [...articleTerms(title, text, DEFAULT_OPTIONS).names].sort();

describe('articleTerms', () => {
  it('weights title words over body words and damps repetition (1 + ln score)', () => {
    const { scores } = articleTerms('Flood warning', 'Rain rain rain fell on the river.', DEFAULT_OPTIONS);
    expect(scores.get('flood')).toBeCloseTo(1 + Math.log(DEFAULT_OPTIONS.titleWeight));
    expect(scores.get('rain')).toBeCloseTo(1 + Math.log(3));
    expect(scores.get('river')).toBe(1);
  });

  it('collects names from the body, and from the title only when it is not Title Cased', () => {
    expect(names('Plane crash in Nepal kills all 18 on board', 'A plane crashed near Kathmandu, officials said.')).toEqual(['kathmandu', 'nepal']);
    expect(names('Plane Crash In Nepal Kills All 18 On Board', 'A plane crashed near Kathmandu.')).toEqual(['kathmandu']);
  });

  it('does not count months as names: they say when, not who or where', () => {
    expect(names('Budget vote', 'Parliament will vote in January on the plan by Finance Minister Reeves.')).toEqual(['financ', 'minist', 'reev']);
  });
});
