import { describe, expect, it } from 'vitest';
import { freshStatus, type Article, type SourceStatuses } from '../../src/model';
import { BACKLOG_POLL_AFTER_MINUTES, backlogLimit, fitBacklog, MAX_REMEMBERED_DROPS, pollsOverdue, rememberDrops } from '../../src/sources/backlog';

const now = new Date('2025-07-22T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();

function article(sourceId: string, n: number, hoursAgo: number): Article {
  return {
    id: `${sourceId}-${n}`, sourceId, outlet: sourceId, url: null, title: `${sourceId} ${n}`, text: '', summary: '',
    published: new Date(now.getTime() - hoursAgo * 3_600_000).toISOString(), seenAt: now.toISOString(),
  };
}

describe('pollsOverdue', () => {
  const polledAgo = (minutes: number) => ({ ...freshStatus(), lastFetched: minutesAgo(minutes), nextDue: minutesAgo(minutes - 10) });

  it('asks for a poll once a due source has gone more than an hour without one', () => {
    expect(pollsOverdue([{ id: 'a', url: 'u', name: null }], { a: polledAgo(BACKLOG_POLL_AFTER_MINUTES) }, now)).toBe(false);
    expect(pollsOverdue([{ id: 'a', url: 'u', name: null }], { a: polledAgo(BACKLOG_POLL_AFTER_MINUTES + 1) }, now)).toBe(true);
  });

  it('asks at once for a source never polled (a new deployment, a source just added)', () => {
    expect(pollsOverdue([{ id: 'a', url: 'u', name: null }], {}, now)).toBe(true);
  });

  it('leaves out paused sources and sources backing off after failures (not due)', () => {
    const backingOff: SourceStatuses = { a: { ...freshStatus(), lastFetched: minutesAgo(300), failures: 5, nextDue: minutesAgo(-60) } };
    expect(pollsOverdue([{ id: 'a', url: 'u', name: null }], backingOff, now)).toBe(false);
    expect(pollsOverdue([{ id: 'a', url: 'u', name: null, paused: true }], {}, now)).toBe(false);
  });
});

describe('fitBacklog', () => {
  it('keeps everything within the limit', () => {
    const fresh = [article('a', 1, 1), article('b', 1, 2)];
    expect(fitBacklog([article('a', 0, 3)], fresh, 3)).toEqual({ queued: fresh, evicted: [], refused: [] });
  });

  it('past the limit, a source that floods loses its own oldest, waiting or fresh, and the others keep theirs', () => {
    const waiting = [...Array.from({ length: 6 }, (_, i) => article('flood', i, 10 - i)), article('quiet', 0, 9)];
    const fresh = [article('flood', 6, 1), article('flood', 7, 0.5), article('quiet', 1, 2), article('other', 0, 20)];
    const fit = fitBacklog(waiting, fresh, 6);
    // Each source's newest first, then each one's second newest, ...: quiet and other keep all three.
    expect(fit.queued.map((a) => a.id)).toEqual(['flood-6', 'flood-7', 'quiet-1', 'other-0']);
    expect(fit.evicted).toEqual(['flood-0', 'flood-1', 'flood-2', 'flood-3', 'flood-4']); // flood keeps its newest three
    expect(fit.refused).toEqual([]);
    expect(fit.queued.length + waiting.length - fit.evicted.length).toBe(6);
  });

  it('refuses fresh articles older than what waits of the same source', () => {
    const waiting = [article('a', 1, 1), article('a', 2, 2)];
    const fit = fitBacklog(waiting, [article('a', 0, 5)], 2);
    expect(fit).toEqual({ queued: [], evicted: [], refused: ['a-0'] });
  });

  it('holds a day of filing turns', () => {
    expect(backlogLimit(5)).toBe(720);
  });
});

describe('rememberDrops', () => {
  it('keeps the newest ids, at most MAX_REMEMBERED_DROPS', () => {
    expect(rememberDrops(['a'], [])).toEqual(['a']);
    const many = Array.from({ length: MAX_REMEMBERED_DROPS + 5 }, (_, i) => `id${i}`);
    const kept = rememberDrops(['old'], many);
    expect(kept).toHaveLength(MAX_REMEMBERED_DROPS);
    expect(kept.at(-1)).toBe(`id${MAX_REMEMBERED_DROPS + 4}`);
    expect(kept).not.toContain('old');
  });
});
