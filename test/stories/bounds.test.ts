// The measuring behind the story bounds: byte counts that agree with an encoder and an
// upper estimate that never undercounts the JSON it stands for.
import { describe, expect, it } from 'vitest';
import { forgetSize, jsonBytesAtMost, recordBytes, recordJson, snapshotJson, utf8Bytes } from '../../src/stories/bounds';
import { applyAssignment } from '../../src/stories/apply';
import { parseStories } from '../../src/store/stories';
import type { Article, StoriesSnapshot } from '../../src/model';
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

describe('the stories value, one record per line', () => {
  const snapshot = (): StoriesSnapshot => ({
    version: 1, generated: '2026-11-20T09:00:00.000Z', aliases: { old: 'st-2' },
    stories: [story({ id: 'st-1', title: 'Line\nbreak and "quotes" 😀' }), story({ id: 'st-2', sources: [source(), source({ articleId: 'a2', outlet: 'Harbor Daily' })] })],
  });

  it('is one JSON document that reads back to the same records, old one-line values included', () => {
    const original = snapshot();
    const text = snapshotJson(original);
    expect(JSON.parse(text)).toEqual(original);
    expect(text.split('\n')).toHaveLength(original.stories.length + 2);
    expect(parseStories(text)).toEqual(original);
    expect(parseStories(JSON.stringify(original))).toEqual(original);
    expect(parseStories(snapshotJson({ ...original, stories: [] }))).toEqual({ ...original, stories: [] });
  });

  it('writes a record read from it as it was stored, and a record the run changed as it is now', () => {
    const read = parseStories(snapshotJson(snapshot()))!;
    const line = snapshotJson(read).split('\n')[1]!;
    expect(line).toBe(`${JSON.stringify(read.stories[0])},`);
    const article: Article = {
      id: 'a9', sourceId: 's9', outlet: 'Northline News', title: 'Bridge reopens', summary: 'Open again.', text: 'Open again.',
      url: 'https://northline.example/bridge', published: '2026-11-20T10:00:00.000Z', seenAt: '2026-11-20T10:00:00.000Z',
    };
    applyAssignment(read, article, { articleId: 'a9', storyId: 'st-1', created: false, duplicate: false, merged: [], lead: false }, new Date('2026-11-20T10:05:00Z'));
    expect(recordJson(read.stories[0]!)).toBe(JSON.stringify(read.stories[0]));
    expect(JSON.parse(snapshotJson(read))).toEqual(read);
  });
});
