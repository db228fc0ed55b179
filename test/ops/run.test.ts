// Failure safety of the scheduled run: KV write budget, a run killed at every write and then
// resumed, overlapping runs, and KV's 429 answered with retries.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../src/fetch/fetcher';
import type { RunReport, StoriesSnapshot } from '../../src/model';
import { runScheduled } from '../../src/scheduled';
import { INBOX_PREFIX, KV_KEYS, RUN_WRITES, SOURCE_PREFIX } from '../../src/store/keys';
import { isRateLimited, withKvRetry } from '../../src/store/retry';
import { readSourceState } from '../../src/store/sourceState';
import { readStories } from '../../src/store/stories';
import { clearKv, instrumentedKv, jsonBody, request, runDeps, testEnv } from './helpers';

const target = testEnv();
const T0 = new Date('2025-07-23T12:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const noSleep = async () => {};

const PUSHED = {
  source: 'https://lighthouse.example/', outlet: 'Lighthouse Gazette', id: 'lg-1',
  url: 'https://lighthouse.example/tunnel', title: 'Harbour tunnel opens to traffic', text: 'The tunnel opened on Tuesday.',
  published: '2025-07-22T09:30:00Z',
};

beforeEach(() => clearKv());

/** Story ids with their article ids: what must come out the same however the runs went. */
function shape(snapshot: StoriesSnapshot): Record<string, string[]> {
  return Object.fromEntries(snapshot.stories.map((s) => [s.id, s.sources.map((src) => src.articleId).sort()]));
}

async function expectNoDuplicates() {
  const { stories } = await readStories(env.STATE);
  const articleIds = stories.flatMap((s) => s.sources.map((src) => src.articleId));
  expect(new Set(articleIds).size).toBe(articleIds.length);
  expect(new Set(stories.map((s) => s.id)).size).toBe(stories.length);
}

/** A clean pair of runs from empty KV: the shape every other scenario must reach. */
async function referenceShape(): Promise<Record<string, string[]>> {
  await clearKv();
  await request(target, '/api/articles', jsonBody(PUSHED));
  await runScheduled(target, runDeps());
  const reference = shape(await readStories(env.STATE));
  await clearKv();
  return reference;
}

const ALL_WRITES = RUN_WRITES.map((w) => `${w.op} ${w.key}`);
const QUIET_WRITES = RUN_WRITES.filter((w) => w.always).map((w) => `${w.op} ${w.key}`);
const RUN_PUTS = RUN_WRITES.filter((w) => w.op === 'put').length;

describe('KV writes per run', () => {
  it('are exactly RUN_WRITES (src/store/keys.ts): all of them for a run with news, the `always` ones for a run with nothing new', async () => {
    expect(ALL_WRITES.length).toBeLessThanOrEqual(10); // 96 runs a day inside the free plan's 1,000 writes
    await request(target, '/api/articles', jsonBody(PUSHED));
    const first = instrumentedKv(env.STATE);
    const report = await runScheduled({ ...target, STATE: first.kv }, runDeps());
    expect(report).toMatchObject({ fetched: 5, newArticles: 14, pushedArticles: 1 });
    expect(first.writes().map((w) => `${w.op} ${w.key}`)).toEqual(ALL_WRITES);
    // Two lists: the inbox batches and the sources added through the admin API.
    expect(first.calls.filter((c) => c.op === 'list').map((c) => c.key)).toEqual([`prefix:${SOURCE_PREFIX}`, `prefix:${INBOX_PREFIX}`]);

    // Every source polled again: the seed stub answers with the same documents, nothing new.
    const second = instrumentedKv(env.STATE);
    const again = await runScheduled({ ...target, STATE: second.kv }, runDeps({ now: () => later(20) }));
    expect(again).toMatchObject({ fetched: 5, newArticles: 0, pushedArticles: 0 });
    expect(second.writes().map((w) => `${w.op} ${w.key}`)).toEqual(QUIET_WRITES);
    expect(second.reads().some((r) => r.key.startsWith(INBOX_PREFIX))).toBe(false); // filed inbox articles are not read again
  });
});

describe('KV reads and lists', () => {
  // What docs/deploy.md ("KV budget") and docs/api.md say. A bulk get is billed per key, so reads count keys.
  const cost = (counted: ReturnType<typeof instrumentedKv>) => ({
    reads: counted.reads().flatMap((r) => r.key.split(',')).length,
    lists: counted.calls.filter((c) => c.op === 'list').length,
    writes: counted.writes().length,
  });
  const newItem = (title: string): FetchLike => async () =>
    new Response(`<rss version="2.0"><channel><title>X</title><item><title>${title}</title><link>https://x.example/${encodeURIComponent(title)}</link></item></channel></rss>`, { headers: { 'content-type': 'application/rss+xml' } });

  it('per run: 7 with nothing due, 9 when polls find nothing new, 11 with news, + 1 per waiting push batch; always 2 lists', async () => {
    await runScheduled(target, runDeps());
    const measure = async (minutes: number, fetch?: FetchLike) => {
      const counted = instrumentedKv(env.STATE);
      const report = await runScheduled({ ...target, STATE: counted.kv }, runDeps({ now: () => later(minutes), ...(fetch ? { fetch } : {}) }));
      return { ...cost(counted), report };
    };

    const quiet = await measure(5);
    expect(quiet.report.sourcesDue).toBe(0);
    expect(quiet).toMatchObject({ reads: 7, lists: 2 });

    const polled = await measure(20);
    expect(polled.report).toMatchObject({ fetched: 5, newArticles: 0 });
    expect(polled).toMatchObject({ reads: 9, lists: 2 });

    const news = await measure(40, newItem('New bridge toll'));
    expect(news.report.newArticles).toBeGreaterThan(0);
    expect(news).toMatchObject({ reads: 11, lists: 2 });

    await request(target, '/api/articles', jsonBody(PUSHED));
    await request(target, '/api/articles', jsonBody({ ...PUSHED, id: 'lg-2', url: 'https://lighthouse.example/ferry', title: 'Ferry timetable changes' }));
    const pushed = await measure(45);
    expect(pushed.report).toMatchObject({ sourcesDue: 0, pushedArticles: 2 });
    expect(pushed).toMatchObject({ reads: 11 + 2, lists: 2 });
  });

  it('per push request: 2 lists, 1 write, 2 reads + 1 per waiting batch; per admin add: 1 list, 1 write, 3 reads', async () => {
    const push = async (id: string) => {
      const counted = instrumentedKv(env.STATE);
      const res = await request({ ...target, STATE: counted.kv }, '/api/articles', jsonBody({ ...PUSHED, id, url: `https://lighthouse.example/${id}` }));
      expect(res.status).toBe(202);
      return cost(counted);
    };
    expect(await push('a')).toEqual({ reads: 2, lists: 2, writes: 1 });
    expect(await push('b')).toEqual({ reads: 3, lists: 2, writes: 1 });

    const counted = instrumentedKv(env.STATE);
    const res = await request({ ...target, STATE: counted.kv }, '/api/admin/sources', jsonBody({ url: 'https://feeds.example.org/rss' }));
    expect(res.status).toBe(201);
    // The old single key, the list of added sources, then the new key read, written and read back.
    expect(cost(counted)).toEqual({ reads: 3, lists: 1, writes: 1 });
  });
});

describe('pushed articles in bulk', () => {
  it('120 waiting articles are filed in one run with the same writes, and never read again', async () => {
    const articles = Array.from({ length: 120 }, (_, i) => ({
      ...PUSHED, id: `bulk-${i}`, url: `https://lighthouse.example/bulk/${i}`,
      title: `Bulletin ${i}: ${['tide', 'ferry', 'crane', 'berth', 'pilot'][i % 5]} schedule ${i}`, text: `Notice number ${i} for the port.`,
    }));
    expect((await request(target, '/api/articles', jsonBody(articles))).status).toBe(202);
    const counted = instrumentedKv(env.STATE);
    const report = await runScheduled({ ...target, STATE: counted.kv }, runDeps());
    expect(report).toMatchObject({ pushedArticles: 120, newArticles: 133 });
    expect(counted.writes().map((w) => `${w.op} ${w.key}`)).toEqual(ALL_WRITES);
    const { stories } = await readStories(env.STATE);
    expect(stories.flatMap((s) => s.sources).filter((s) => s.outlet === 'Lighthouse Gazette')).toHaveLength(120);

    const next = instrumentedKv(env.STATE);
    expect(await runScheduled({ ...target, STATE: next.kv }, runDeps({ now: () => later(20) }))).toMatchObject({ pushedArticles: 0, newArticles: 0 });
    expect(next.reads().filter((r) => r.key.includes(INBOX_PREFIX))).toEqual([]);
  });
});

describe('the last pre-rendered bundle', () => {
  it('that KV cannot give a run only costs it a whole render: the run completes and writes a good bundle', async () => {
    await runScheduled(target, runDeps());
    await request(target, '/api/articles', jsonBody(PUSHED));
    const failing = new Proxy(env.STATE, {
      get(kv, property) {
        const value = Reflect.get(kv, property, kv) as unknown;
        if (property !== 'get' || typeof value !== 'function') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(kv) : value;
        return (key: string, ...rest: unknown[]) => (key === KV_KEYS.rendered ? Promise.reject(new Error('KV GET failed: 500 Internal Server Error')) : (value as (...a: unknown[]) => unknown).call(kv, key, ...rest));
      },
    });
    const report = await runScheduled({ ...target, STATE: failing }, runDeps({ now: () => later(20) }));
    expect(report).toMatchObject({ skipped: null, errors: [], pushedArticles: 1 });
    expect(report.newArticles).toBeGreaterThan(0);
    const feed = await (await request(target, '/feed.json')).json() as { items: { title: string }[] };
    expect(feed.items.map((i) => i.title).join(' ')).toContain(PUSHED.title);
  });
});

describe('a run killed half-way', () => {
  it('is completed by the next run, whichever write it died at: nothing lost, nothing listed twice', async () => {
    const reference = await referenceShape();
    expect(Object.values(reference).flat()).toHaveLength(14);
    // Every put of a full run (RUN_WRITES).
    for (let dieAt = 1; dieAt <= RUN_PUTS; dieAt++) {
      await clearKv();
      await request(target, '/api/articles', jsonBody(PUSHED));
      const dying = instrumentedKv(env.STATE, (n) => (n === dieAt ? new Error('KV PUT failed: 500 Internal Server Error') : null));
      await expect(runScheduled({ ...target, STATE: dying.kv }, runDeps()), `dies at put ${dieAt}`).rejects.toThrow(/500/);

      const resumed = await runScheduled(target, runDeps({ now: () => later(20) }));
      expect(resumed.skipped, `dies at put ${dieAt}`).toBeNull();
      expect(shape(await readStories(env.STATE)), `dies at put ${dieAt}`).toEqual(reference);
      await expectNoDuplicates();

      // And a third run changes nothing.
      const settled = await runScheduled(target, runDeps({ now: () => later(40), pollEverything: true }));
      expect(settled.newArticles, `dies at put ${dieAt}`).toBe(0);
    }
  });

  it('that never released its lease blocks runs only until the lease expires', async () => {
    const dead = { owner: 'dead-run', trigger: 'cron', acquired: T0.toISOString(), expires: later(5).toISOString() };
    await env.STATE.put(KV_KEYS.lease, JSON.stringify(dead));
    const blocked = await runScheduled(target, runDeps({ now: () => later(1) }));
    expect(blocked.skipped).toMatch(/another run \(cron, started 2025-07-23T12:00:00.000Z\) holds the lease until 2025-07-23T12:05:00.000Z/);
    expect(await env.STATE.get(KV_KEYS.stories)).toBeNull();

    const after = await runScheduled(target, runDeps({ now: () => later(6) }));
    expect(after).toMatchObject({ skipped: null, newArticles: 13 });
    expect(await env.STATE.get(KV_KEYS.lease)).toBeNull();
  });
});

/** A fetch that holds every request until `open()` is called, and says when the first one arrived. */
function gatedFetch() {
  let open!: () => void;
  let arrived!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const firstRequest = new Promise<void>((resolve) => (arrived = resolve));
  const fetchImpl: FetchLike = async (input, init) => {
    arrived();
    await gate;
    return fetch(input, init);
  };
  return { fetch: fetchImpl, open, firstRequest };
}

describe('overlapping runs', () => {
  it('started together: one runs, the others stand aside, and the state is the same as one run', async () => {
    const reference = await referenceShape();
    await request(target, '/api/articles', jsonBody(PUSHED));
    const reports = await Promise.all([1, 2, 3].map(() => runScheduled(target, runDeps())));
    expect(reports.filter((r) => r.skipped === null).length).toBeGreaterThanOrEqual(1);
    expect(reports.filter((r) => r.skipped !== null).length).toBeGreaterThanOrEqual(1);
    expect(shape(await readStories(env.STATE))).toEqual(reference);
    await expectNoDuplicates();
  });

  it('a run started while another is polling is skipped and writes nothing', async () => {
    const gated = gatedFetch();
    const first = runScheduled(target, runDeps({ fetch: gated.fetch }));
    await gated.firstRequest;
    const counted = instrumentedKv(env.STATE);
    const second = await runScheduled({ ...target, STATE: counted.kv }, runDeps({ trigger: 'admin' }));
    expect(second.skipped).toMatch(/another run \(cron/);
    expect(counted.writes()).toEqual([]);
    gated.open();
    expect((await first).newArticles).toBe(13);
    await expectNoDuplicates();
  });

  it('a run whose lease was taken over while it polled writes nothing and says so', async () => {
    const gated = gatedFetch();
    const counted = instrumentedKv(env.STATE);
    const first = runScheduled({ ...target, STATE: counted.kv }, runDeps({ fetch: gated.fetch }));
    await gated.firstRequest;
    const thief = { owner: 'other', trigger: 'admin', acquired: T0.toISOString(), expires: later(5).toISOString() };
    await env.STATE.put(KV_KEYS.lease, JSON.stringify(thief));
    gated.open();
    const report: RunReport = await first;
    expect(report.skipped).toMatch(/another run took the lease/);
    expect(counted.writes().map((w) => w.key)).toEqual([KV_KEYS.lease]); // its own claim, nothing after
    expect(await env.STATE.get(KV_KEYS.lease, 'json')).toEqual(thief);
    expect(await env.STATE.get(KV_KEYS.stories)).toBeNull();
  });
});

describe('KV rate limits', () => {
  it('a run retries writes answered with 429 and completes', async () => {
    const tries = new Map<string, number>();
    const limited = instrumentedKv(env.STATE, (_, key) => {
      tries.set(key, (tries.get(key) ?? 0) + 1);
      return tries.get(key)! <= 2 ? new Error('KV PUT failed: 429 Too Many Requests') : null;
    });
    const slept: number[] = [];
    const report = await runScheduled({ ...target, STATE: limited.kv }, runDeps({ sleep: async (ms) => void slept.push(ms) }));
    expect(report.newArticles).toBe(13);
    expect([...tries.values()].every((n) => n === 3)).toBe(true);
    expect(slept.length).toBe(2 * tries.size);
    expect((await readSourceState(env.STATE)).lastRun?.newArticles).toBe(13);
  });

  it('withKvRetry backs off exponentially, gives up after the last attempt, and never retries other errors', async () => {
    const delays: number[] = [];
    const options = { attempts: 4, baseDelayMs: 1000, sleep: async (ms: number) => void delays.push(ms) };
    let calls = 0;
    await expect(withKvRetry(async () => { calls++; throw new Error('KV PUT failed: 429 Too Many Requests'); }, options)).rejects.toThrow(/429/);
    expect(calls).toBe(4);
    expect(delays.map((d) => Math.floor(d / 1000))).toEqual([1, 2, 4]);

    calls = 0;
    await expect(withKvRetry(async () => { calls++; throw new Error('KV PUT failed: 413 Value too large'); }, options)).rejects.toThrow(/413/);
    expect(calls).toBe(1);
    expect(await withKvRetry(async () => 'ok', { ...options, sleep: noSleep })).toBe('ok');
    expect(isRateLimited(new Error('Too Many Requests'))).toBe(true);
    expect(isRateLimited(new Error('KV GET failed: 404'))).toBe(false);
  });
});

describe('the URL policy at run time', () => {
  it('refuses private sources and redirects to them without requesting them, and records why', async () => {
    const requested: string[] = [];
    const publisher: FetchLike = async (input) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      requested.push(url);
      if (url === 'https://moved.example/feed') return new Response(null, { status: 301, headers: { location: 'http://[::ffff:169.254.169.254]/latest/' } });
      return new Response('<rss version="2.0"><channel><title>ok</title></channel></rss>');
    };
    const sources = ['http://127.0.0.1:8788/feed.xml', 'http://2130706433/feed', 'https://moved.example/feed', 'https://fine.example/feed'];
    const strict = testEnv({ SOURCES: JSON.stringify(sources) });
    const report = await runScheduled(strict, runDeps({ fetch: publisher }));
    expect(requested).toEqual(['https://moved.example/feed', 'https://fine.example/feed']);
    expect(report.errors).toEqual([
      { source: 'http://127.0.0.1:8788/feed.xml', error: 'fetch: refused http://127.0.0.1:8788/feed.xml: 127.0.0.1 is a loopback address' },
      { source: 'http://127.0.0.1/feed', error: 'fetch: refused http://127.0.0.1/feed: 127.0.0.1 is a loopback address' },
      { source: 'https://moved.example/feed', error: expect.stringMatching(/^fetch: refused http:\/\/\[::ffff:a9fe:a9fe\]\/latest\/: IPv4-mapped IPv6 address: 169\.254\.169\.254 is a link-local/) },
    ]);

    // The local demo allows them.
    requested.length = 0;
    await clearKv();
    const demo = await runScheduled(testEnv({ SOURCES: JSON.stringify(sources), ALLOW_PRIVATE_SOURCES: 'true' }), runDeps({ fetch: publisher }));
    expect(demo.errors).toEqual([]);
    expect(requested).toContain('http://127.0.0.1:8788/feed.xml');
  });
});
