// The measuring behind the story bounds: byte counts that agree with an encoder and an
// upper estimate that never undercounts the JSON it stands for.
import { describe, expect, it } from 'vitest';
import { forgetSize, jsonBytesAtMost, recordBytes, utf8Bytes } from '../../src/stories/bounds';
import { source, story } from '../render/fixtures';

const encoder = new TextEncoder();

describe('utf8Bytes', () => {
  it('counts what an encoder writes, for ASCII, accents, CJK, emoji and lone surrogates', () => {
    const texts = ['', 'plain ascii', 'Café München', '日本語のニュース', 'a😀b😀', '\ud800 lone', 'end \udc00', `{"t":"Zürich — “x” 😀\u0007"}`, 'é'.repeat(10_000) + 'x'];
    for (const text of texts) expect(utf8Bytes(text)).toBe(encoder.encode(text).length);
  });
});

describe('jsonBytesAtMost', () => {
  it('is never below the JSON it stands for, escapes included', () => {
    const records = [
      story(),
      story({ title: '"\\\u0001'.repeat(50), sources: [source({ title: '😀'.repeat(100), outlet: 'Zürich Zeitung' })] }),
      story({ summary: '', sources: Array.from({ length: 40 }, (_, i) => source({ articleId: `a${i}`, fingerprint: null })) }),
    ];
    for (const record of records) expect(jsonBytesAtMost(record)).toBeGreaterThanOrEqual(utf8Bytes(JSON.stringify(record)));
  });

  it('measures a record again once it is said to change', () => {
    const record = story();
    const before = recordBytes(record);
    record.title = `${record.title} and more`;
    forgetSize(record);
    expect(recordBytes(record)).toBe(before + ' and more'.length);
  });
});
