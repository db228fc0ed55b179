// The run report and the summary /health keeps of it (one type, the summary derived from it).
import { describe, expect, it } from 'vitest';
import { summariseRun } from '../src/model';
import { skippedRun } from '../src/runReport';

describe('summariseRun', () => {
  it('keeps the counts, when and who, and no source URL or error text', () => {
    const report = { ...skippedRun('x', Date.now()), skipped: null, sourcesDue: 3, fetched: 2, newArticles: 5, storiesCreated: 4, durationMs: 12,
      errors: [{ source: 'https://secret.example/feed?token=abc', error: 'fetch: 500' }] };
    const summary = summariseRun(report, new Date('2025-07-23T12:00:00Z'), 'admin');
    expect(summary).toEqual({
      at: '2025-07-23T12:00:00.000Z', trigger: 'admin', outcome: 'errors', failed: 1, durationMs: 12, sourcesDue: 3, fetched: 2,
      notModified: 0, newArticles: 5, pushedArticles: 0, storiesCreated: 4, storiesUpdated: 0, storiesMerged: 0, storiesDropped: 0, backlogDropped: 0,
    });
    expect(JSON.stringify(summary)).not.toContain('secret.example');
  });

  it('says ok when no source failed', () => {
    expect(summariseRun(skippedRun('x', Date.now()), new Date(0), 'cron').outcome).toBe('ok');
  });
});
