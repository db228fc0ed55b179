import { describe, expect, it } from 'vitest';
import { freshStatus, type SourceStatuses } from '../../src/model';
import { afterPoll, MAX_BACKOFF_MINUTES, pickDue } from '../../src/sources/schedule';
import { mergeSources, sourceId } from '../../src/sources/registry';

const now = new Date('2025-07-22T12:00:00Z');
const minutesFromNow = (m: number) => new Date(now.getTime() + m * 60_000).toISOString();

describe('pickDue', () => {
  const sources = ['a', 'b', 'c', 'd'].map((id) => ({ id }));

  it('polls never-polled sources first, then the most overdue, within the limit', () => {
    const statuses: SourceStatuses = {
      a: { ...freshStatus(), nextDue: minutesFromNow(-5) },
      b: { ...freshStatus(), nextDue: minutesFromNow(10) },
      c: { ...freshStatus(), nextDue: minutesFromNow(-60) },
    };
    expect(pickDue(sources, statuses, now, 10).map((s) => s.id)).toEqual(['d', 'c', 'a']);
    expect(pickDue(sources, statuses, now, 2).map((s) => s.id)).toEqual(['d', 'c']);
  });

  it('rotates: what a full run skipped comes first in the next', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ id: `s${i}` }));
    const statuses: SourceStatuses = {};
    const seen: string[][] = [];
    let clock = now;
    for (let run = 0; run < 3; run++) {
      const due = pickDue(many, statuses, clock, 2);
      seen.push(due.map((s) => s.id));
      for (const s of due) statuses[s.id] = afterPoll(statuses[s.id], { status: 200 }, clock, 15);
      clock = new Date(clock.getTime() + 60_000);
    }
    expect(seen).toEqual([['s0', 's1'], ['s2', 's3'], ['s4']]);
  });

  it('skips paused sources', () => {
    expect(pickDue([{ id: 'a', paused: true }, { id: 'b' }], {}, now, 10).map((s) => s.id)).toEqual(['b']);
  });
});

describe('afterPoll', () => {
  it('keeps validators from a 200 and schedules the next poll one interval on', () => {
    const s = afterPoll(undefined, { status: 200, etag: '"x"', lastModified: 'Tue, 22 Jul 2025 10:00:00 GMT', itemCount: 7, newItems: 3 }, now, 15);
    expect(s).toMatchObject({ etag: '"x"', failures: 0, lastError: null, itemCount: 7, newItems: 3, nextDue: minutesFromNow(15), lastSuccess: now.toISOString() });
  });

  it('keeps the old validators and item count on a 304', () => {
    const before = afterPoll(undefined, { status: 200, etag: '"x"', itemCount: 7 }, now, 15);
    const after = afterPoll(before, { status: 304, notModified: true }, now, 15);
    expect(after).toMatchObject({ etag: '"x"', itemCount: 7, lastStatus: 304, newItems: 0 });
  });

  it('backs off exponentially on failure, up to a day, and resets on success', () => {
    let s = freshStatus();
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      s = afterPoll(s, { status: 500, error: 'fetch: HTTP 500' }, now, 15);
      waits.push((Date.parse(s.nextDue!) - now.getTime()) / 60_000);
    }
    expect(waits.slice(0, 4)).toEqual([15, 30, 60, 120]);
    expect(Math.max(...waits)).toBe(MAX_BACKOFF_MINUTES);
    expect(s).toMatchObject({ failures: 10, lastError: 'fetch: HTTP 500', lastStatus: 500 });
    s = afterPoll(s, { status: 200 }, now, 15);
    expect(s).toMatchObject({ failures: 0, lastError: null, nextDue: minutesFromNow(15) });
  });

  it('waits at least as long as Retry-After asks', () => {
    const s = afterPoll(undefined, { status: 429, error: 'fetch: HTTP 429', retryAfterSeconds: 3600 }, now, 15);
    expect(s.nextDue).toBe(minutesFromNow(60));
  });
});

describe('sources', () => {
  it('gives one feed one id however its URL is written', () => {
    expect(sourceId('HTTPS://Pub.Example/feed#top')).toBe(sourceId('https://pub.example/feed'));
    expect(sourceId('https://pub.example/feed')).not.toBe(sourceId('https://pub.example/other'));
  });

  it('merges configured and stored sources, first definition winning', () => {
    const merged = mergeSources(
      [{ url: 'https://a.example/feed', name: 'A' }, { url: 'https://A.example/feed', name: 'dup' }],
      [{ id: sourceId('https://b.example/rss'), url: 'https://b.example/rss', name: null }],
    );
    expect(merged.map((s) => s.name)).toEqual(['A', null]);
  });
});
