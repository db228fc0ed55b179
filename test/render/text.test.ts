// Text hygiene shared by the renderers (render/text.ts). Both functions skip their work for the
// text they cannot change; these check the shortcuts against the long way on awkward input.
import { describe, expect, it } from 'vitest';
import { cleanText, isoOrNull } from '../../src/render/text';

const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const longWay = (value: string) => value.replace(UNSAFE, '').replace(/\s+/g, ' ').trim();

describe('cleanText', () => {
  it('gives what removing forbidden characters and collapsing whitespace gives, for any mix of characters', () => {
    const pool = ['a', 'Z', '1', ' ', ' ', '  ', '\t', '\n', '\r', '\u000B', '\u0000', '\u0007', '\u007F', '\u0085', '\u009F', '\u00A0', '\u00E9', '\u1680',
      '\u2003', '\u2028', '\u202F', '\u3000', '\uFEFF', '\uFFFE', '\uFFFF', '\uD83D\uDE00', '\uD800', '\uDC00', '’', '“', 'ß', '日', '<', '&'];
    let state = 3;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
    for (let trial = 0; trial < 3000; trial++) {
      const value = Array.from({ length: Math.floor(next() * 12) }, () => pool[Math.floor(next() * pool.length)]).join('');
      expect(cleanText(value)).toBe(longWay(value));
    }
    expect(cleanText('Plain headline, nothing to do')).toBe('Plain headline, nothing to do');
    expect(cleanText('Café “quoted” — ok')).toBe('Café “quoted” — ok');
    expect(cleanText(null)).toBe('');
  });
});

describe('isoOrNull', () => {
  it('keeps a time already in ISO form, and rewrites the rest as Date does, a day that rolls over included', () => {
    expect(isoOrNull('2026-11-20T08:05:00.000Z')).toBe('2026-11-20T08:05:00.000Z');
    expect(isoOrNull('2026-02-30T00:00:00.000Z')).toBe('2026-03-02T00:00:00.000Z');
    expect(isoOrNull('2026-01-01T24:00:00.000Z')).toBe('2026-01-02T00:00:00.000Z');
    expect(isoOrNull('2026-13-01T00:00:00.000Z')).toBeNull();
    expect(isoOrNull('Tue, 22 Jul 2025 09:30:00 GMT')).toBe('2025-07-22T09:30:00.000Z');
    expect(isoOrNull('not a date')).toBeNull();
    expect(isoOrNull('')).toBeNull();
  });
});
