// SPLIT_RUNS (scheduled.ts, runTurn): runs take turns. A polling turn polls and queues what is new
// in the inbox, loading neither the engine nor the records; the filing turns that follow file it,
// polling nothing. The stories must come out exactly as one ordinary run makes them, whatever
// turn a run dies in, and each turn makes only its own writes.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../src/fetch/fetcher';
import type { StoriesSnapshot } from '../../src/model';
import { runScheduled } from '../../src/scheduled';
import { INBOX_PREFIX, KV_KEYS, POLLING_RUN_WRITES, RUN_WRITES } from '../../src/store/keys';
import { readStories } from '../../src/store/stories';
import { clearKv, instrumentedKv, runDeps, testEnv } from './helpers';

const T0 = new Date('2025-07-23T12:00:00Z');
const at = (minutes: number) => () => new Date(T0.getTime() + minutes * 60_000);
const split = testEnv({ SPLIT_RUNS: 'true', MAX_ARTICLES_PER_RUN: '5' });

function shape(snapshot: StoriesSnapshot): Record<string, string[]> {
  return Object.fromEntries(snapshot.stories.map((s) => [s.id, s.sources.map((src) => src.articleId).sort()]));
}

/** The seed stub, counting the requests made through it. */
function countingFetch(): { fetch: FetchLike; count: () => number } {
  let n = 0;
  return { fetch: (input, init) => (n++, fetch(input, init)), count: () => n };
}

const writesOf = (calls: { op: string; key: string }[]) => calls.map((w) => `${w.op} ${w.key.startsWith(INBOX_PREFIX) ? `${INBOX_PREFIX}<batch>` : w.key}`);

beforeEach(() => clearKv());

describe('split runs', () => {
  it('poll and queue, then file a few at a time without polling, to the very stories one ordinary run makes', async () => {
    await runScheduled(testEnv(), runDeps({ now: at(0) }));
    const reference = shape(await readStories(env.STATE));
    expect(Object.values(reference).flat()).toHaveLength(13);
    await clearKv();

    // The polling turn: every source fetched, the 13 new articles queued, nothing filed or rendered.
    const polling = instrumentedKv(env.STATE);
    const first = await runScheduled({ ...split, STATE: polling.kv }, runDeps({ now: at(0) }));
    expect(first).toMatchObject({ fetched: 5, newArticles: 0, bounds: { articlesCarried: 13 } });
    expect(writesOf(polling.writes())).toEqual(POLLING_RUN_WRITES.map((w) => `${w.op} ${w.key}`));
    expect(polling.reads().map((r) => r.key)).not.toContain(KV_KEYS.cluster);
    // The inbox is listed once, as by any run: what waits is known from then on.
    expect(polling.calls.filter((c) => c.op === 'list')).toHaveLength(2);
    expect(await env.STATE.get(KV_KEYS.stories)).toBeNull();

    // Filing turns, each when every source is due again: five articles each, no fetch, the ordinary writes of a run with news.
    const filed: number[] = [];
    for (let run = 1; run <= 3; run++) {
      const counted = countingFetch();
      const filing = instrumentedKv(env.STATE);
      const report = await runScheduled({ ...split, STATE: filing.kv }, runDeps({ now: at(20 * run), fetch: counted.fetch }));
      expect(counted.count(), `run ${run}`).toBe(0);
      expect(report.fetched).toBe(0);
      expect(filing.writes().map((w) => `${w.op} ${w.key}`)).toEqual(RUN_WRITES.map((w) => `${w.op} ${w.key}`));
      filed.push(report.newArticles);
    }
    expect(filed).toEqual([5, 5, 3]);
    expect(shape(await readStories(env.STATE))).toEqual(reference);
    const { stories } = await readStories(env.STATE);
    expect(stories.filter((s) => s.sources.length === 5)).toHaveLength(1); // the seeds' one story of five outlets

    // The inbox empty, the next turn polls again: nothing new, nothing queued, nothing written but the run's record.
    const quiet = instrumentedKv(env.STATE);
    const again = await runScheduled({ ...split, STATE: quiet.kv }, runDeps({ now: at(80) }));
    expect(again).toMatchObject({ fetched: 5, newArticles: 0, bounds: { articlesCarried: 0 } });
    expect(writesOf(quiet.writes())).toEqual(POLLING_RUN_WRITES.filter((w) => w.always).map((w) => `${w.op} ${w.key}`));
    expect(shape(await readStories(env.STATE))).toEqual(reference);
  });

  it('the admin\'s "poll everything" polls and files in one run, articles waiting or not', async () => {
    await runScheduled(split, runDeps({ now: at(0) })); // a polling turn: 13 articles waiting
    const counted = countingFetch();
    const report = await runScheduled(split, runDeps({ now: at(1), fetch: counted.fetch, pollEverything: true, trigger: 'admin' }));
    expect(counted.count()).toBe(5);
    expect(report).toMatchObject({ fetched: 5, newArticles: 5 });
  });

  it('a polling turn queues no more than a push request may hold (MAX_PUSH_BYTES): the rest is read again by the next polling turn', async () => {
    await runScheduled(testEnv(), runDeps({ now: at(0) }));
    const reference = shape(await readStories(env.STATE));
    await clearKv();
    const small = testEnv({ SPLIT_RUNS: 'true', MAX_ARTICLES_PER_RUN: '5', MAX_PUSH_BYTES: '6000' });
    const first = await runScheduled(small, runDeps({ now: at(0) }));
    expect(first.bounds.articlesCarried).toBe(13);
    const batches = await env.STATE.list({ prefix: INBOX_PREFIX });
    expect(batches.keys).toHaveLength(1);
    const queued = (await env.STATE.get(batches.keys[0]!.name, 'json')) as { articles: unknown[] };
    expect(queued.articles.length).toBeGreaterThan(0);
    expect(queued.articles.length).toBeLessThan(13);
    expect(new TextEncoder().encode(JSON.stringify(queued.articles)).length).toBeLessThanOrEqual(6000);
    // Turns every 20 minutes (every source due again) until everything is filed: the same stories.
    for (let run = 1; run <= 12; run++) await runScheduled(small, runDeps({ now: at(20 * run) }));
    expect(shape(await readStories(env.STATE))).toEqual(reference);
  });

  it('a turn that dies at any write is made good by the next ones: nothing lost, nothing listed twice', async () => {
    await runScheduled(testEnv(), runDeps({ now: at(0) }));
    const reference = shape(await readStories(env.STATE));
    for (const [turn, puts] of [['polling', POLLING_RUN_WRITES], ['filing', RUN_WRITES]] as const) {
      const count = puts.filter((w) => w.op === 'put').length;
      for (let dieAt = 1; dieAt <= count; dieAt++) {
        await clearKv();
        if (turn === 'filing') await runScheduled(split, runDeps({ now: at(0) })); // the polling turn, whole
        const dying = instrumentedKv(env.STATE, (n) => (n === dieAt ? new Error('KV PUT failed: 500 Internal Server Error') : null));
        await expect(runScheduled({ ...split, STATE: dying.kv }, runDeps({ now: at(1) })), `${turn} dies at put ${dieAt}`).rejects.toThrow(/500/);
        // Later turns, each after the lease of the one before has expired, until nothing is left to do.
        for (let run = 0; run < 8; run++) await runScheduled(split, runDeps({ now: at(10 + 10 * run) }));
        expect(shape(await readStories(env.STATE)), `${turn} dies at put ${dieAt}`).toEqual(reference);
      }
    }
  }, 60_000); // about seventy runs: seconds on a busy machine
});
