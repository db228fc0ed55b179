// Broken feeds (test/fixtures/mutations.ts) through whole scheduled runs: a run fed such documents
// must not fail, and must not lose or duplicate anything once the feeds are whole again. (The
// same documents through parse and normalise alone: test/parse/fuzz.test.ts.)
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { runScheduled } from '../../src/scheduled';
import { readStories } from '../../src/store/stories';
import { mutate } from '../fixtures/mutations';
import { seededRandom as random } from '../fixtures/random';
import { clearKv, runDeps, seedFetch, testEnv } from './helpers';

describe('fuzzed feeds through scheduled runs', () => {
  beforeEach(() => clearKv());

  it('runs on broken feeds never fail, and the whole feeds afterwards leave every article listed once', async () => {
    const target = testEnv();
    await runScheduled(target, runDeps());
    // An article counts as listed under its id, or as the same report (URL and headline) under
    // another id: a mutated guid gives the same report a new id, and a report is listed once.
    const reportOf = (src: { url: string | null; title: string }) => `${src.url}|${src.title}`;
    const expected = (await readStories(target.STATE)).stories.flatMap((s) => s.sources.map((src) => ({ id: src.articleId, report: reportOf(src) })));
    expect(expected).toHaveLength(13);
    await clearKv();

    const rng = random(7);
    const broken = seedFetch((body) => mutate(body, rng));
    for (let run = 0; run < 15; run++) {
      const report = await runScheduled(target, runDeps({ fetch: broken, pollEverything: true, now: () => new Date(Date.UTC(2025, 6, 23, 12, run)) }));
      expect(report.skipped).toBeNull();
      expect(report.sourcesDue).toBe(5);
    }
    const whole = await runScheduled(target, runDeps({ pollEverything: true, now: () => new Date('2025-07-23T13:00:00Z') }));
    expect(whole.errors).toEqual([]);

    const { stories } = await readStories(env.STATE);
    const listed = stories.flatMap((s) => s.sources.map((src) => src.articleId));
    expect(new Set(listed).size).toBe(listed.length);
    const reports = new Set(stories.flatMap((s) => s.sources.map(reportOf)));
    for (const { id, report } of expected) expect(listed.includes(id) || reports.has(report), `${id} ${report}`).toBe(true);
  });
});
