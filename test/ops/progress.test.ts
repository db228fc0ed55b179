// The progress guarantee (issue 11): a run killed by the platform while it works on one source
// or one pushed article leaves its claim behind; later runs halve that work until they find the
// culprit, back it off or quarantine it, and deliver everyone else's articles.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../src/fetch/fetcher';
import type { RunReport } from '../../src/model';
import { runScheduled } from '../../src/scheduled';
import { deadRun, planWork } from '../../src/sources/progress';
import { sourceId } from '../../src/sources/registry';
import { KV_KEYS } from '../../src/store/keys';
import { readSourceState } from '../../src/store/sourceState';
import { readStories } from '../../src/store/stories';
import { clearKv, jsonBody, killedKv, request, runDeps, SEED_URLS, testEnv } from './helpers';

const T0 = new Date('2025-07-23T12:00:00Z');
const at = (minutes: number) => () => new Date(T0.getTime() + minutes * 60_000);
const POISON = 'https://poison.example/feed.xml';

beforeEach(() => clearKv());

/**
 * env.STATE as seen by a run the platform kills whenever it takes `unit` into its work (say the
 * document blows the memory limit): from the moment its claim names the unit, nothing it writes
 * or deletes lands, not even the lease release (a killed isolate runs no `finally`).
 */
function killedOn(unit: string): KVNamespace {
  return killedKv((_, method, args) =>
    method === 'put' && args[0] === KV_KEYS.lease && (JSON.parse(String(args[1])) as { work?: string[] }).work?.includes(unit) ? 'after' : null, 'memory limit');
}

async function runUntilSettled(target: Env, unit: string, fetchImpl?: FetchLike): Promise<RunReport[]> {
  const reports: RunReport[] = [];
  for (let run = 0; run < 12; run++) {
    // Each run starts after the previous one's claim expired (cron every 15 minutes).
    const deps = runDeps({ now: at(run * 15), ...(fetchImpl ? { fetch: fetchImpl } : {}) });
    try {
      reports.push(await runScheduled({ ...target, STATE: killedOn(unit) }, deps));
    } catch {
      reports.push({ skipped: 'killed' } as RunReport);
    }
  }
  return reports;
}

function listedArticles(stories: Awaited<ReturnType<typeof readStories>>['stories']) {
  return stories.flatMap((s) => s.sources);
}

describe('a source that kills every run that touches it', () => {
  it('is found, backed off and shown as failing; the next runs deliver every other source\'s articles', async () => {
    const target = testEnv({ SOURCES: JSON.stringify([...SEED_URLS.slice(0, 3), POISON, ...SEED_URLS.slice(3)]) });
    const publisher: FetchLike = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url === POISON) return new Response('<rss version="2.0"><channel><title>P</title><item><title>p</title></item></channel></rss>');
      return fetch(input, init);
    };
    const poison = sourceId(POISON);
    const reports = await runUntilSettled(target, `source:${poison}`, publisher);

    const killed = reports.filter((r) => r.skipped === 'killed').length;
    expect(killed).toBeGreaterThanOrEqual(2); // the first run, and the run that took it alone
    expect(killed).toBeLessThanOrEqual(4);
    const found = reports.find((r) => r.progress?.culprit);
    expect(found?.progress.culprit).toBe(`source:${poison}`);
    // Once found, runs complete again.
    expect(reports.slice(reports.indexOf(found!)).every((r) => r.skipped === null)).toBe(true);

    const listed = listedArticles((await readStories(env.STATE)).stories);
    expect(listed).toHaveLength(13);
    expect(listed.some((s) => s.sourceId === poison)).toBe(false);
    const status = (await readSourceState(env.STATE)).statuses[poison]!;
    expect(status.lastError).toMatch(/^run: the run started .* died while processing this source alone/);
    expect(status.failures).toBeGreaterThanOrEqual(1);
    const res = await request(target, `/api/admin/sources/${poison}`);
    expect(((await res.json()) as { source: { health: { lastError: string } } }).source.health.lastError).toMatch(/^run: /);
  });
});

describe('a pushed article that kills every run that files it', () => {
  it('is quarantined with the reason (admin API); the other pushed article and the polled ones are filed', async () => {
    const target = testEnv();
    const base = { source: 'https://lighthouse.example/', outlet: 'Lighthouse Gazette', text: 'Body.', published: '2025-07-22T09:30:00Z' };
    const res = await request(target, '/api/articles', jsonBody([
      { ...base, id: 'fine', url: 'https://lighthouse.example/fine', title: 'Harbour tunnel opens' },
      { ...base, id: 'poison', url: 'https://lighthouse.example/poison', title: 'A pathological article' },
    ]));
    const ids = ((await res.json()) as { articles: { id: string }[] }).articles.map((a) => a.id);
    const poison = ids[1]!;
    await runUntilSettled(target, `article:${poison}`);

    const listed = listedArticles((await readStories(env.STATE)).stories);
    expect(listed.map((s) => s.articleId)).toContain(ids[0]);
    expect(listed.map((s) => s.articleId)).not.toContain(poison);
    expect(listed).toHaveLength(14);

    const quarantine = await request(target, '/api/admin/quarantine');
    expect(quarantine.status).toBe(200);
    expect(await quarantine.json()).toEqual({
      quarantine: [{ id: poison, sourceId: sourceId('https://lighthouse.example/'), title: 'A pathological article', reason: expect.stringMatching(/^run: a run died while filing this article alone/), at: expect.any(String) }],
    });
    // The batch is settled: no run reads it again.
    expect((await readSourceState(env.STATE)).inboxFiled).toHaveLength(1);
  });
});

describe('planWork (pure)', () => {
  const lease = (work: string[], suspects: string[] = [], afterDeath = true) => ({ owner: 'dead', acquired: 'then', expires: '2025-07-23T12:05:00Z', work, suspects, afterDeath });

  it('repeats a first death\'s work once, whole; then halves a dead run\'s work, names a culprit that was taken alone, and carries the suspects', () => {
    const now = new Date('2025-07-23T12:20:00Z');
    expect(deadRun(lease(['a']), 'dead', now)).toBeNull(); // that run finished: its id is on the records
    expect(deadRun(lease(['a']), 'other', new Date('2025-07-23T12:01:00Z'))).toBeNull(); // still running
    expect(planWork(deadRun(lease(['a', 'b', 'c', 'd', 'e'], [], false), null, now), [])).toEqual({ take: null, suspects: [], culprit: null, repeat: true });
    expect(planWork(deadRun({ ...lease(['a', 'b']), afterDeath: undefined }, null, now), [])).toMatchObject({ take: null, repeat: true }); // a claim of an older version
    expect(planWork(deadRun(lease(['a', 'b', 'c', 'd', 'e']), null, now), [])).toEqual({ take: ['a', 'b', 'c'], suspects: ['d', 'e'], culprit: null, repeat: false });
    expect(planWork(deadRun(lease(['a'], ['d', 'e']), null, now), [])).toEqual({ take: ['d'], suspects: ['e'], culprit: 'a', repeat: false });
    expect(planWork(deadRun(lease(['a'], ['d', 'e'], false), null, now), [])).toMatchObject({ take: ['d'], culprit: 'a' }); // inside a search: no repeat
    expect(planWork(null, ['d', 'e'])).toEqual({ take: ['d'], suspects: ['e'], culprit: null, repeat: false });
    expect(planWork(null, [])).toEqual({ take: null, suspects: [], culprit: null, repeat: false });
    expect(planWork(deadRun(lease([]), null, now), [])).toEqual({ take: null, suspects: [], culprit: null, repeat: false });
  });
});
