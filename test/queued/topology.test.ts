// The queue topology through the real handlers (src/index.ts's scheduled and queue, the admin
// and push routes) with Cloudflare Queues' delivery rules simulated (test/fixtures/localQueues.ts):
// the cron's fan-out, poll consumers, the one writer killed at each of its writes, a message that
// keeps failing, unreadable messages, dead letters through the admin API, pushed articles.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StoriesSnapshot } from '../../src/model';
import { consume, fanOut } from '../../src/queued';
import type { Delivery } from '../../src/queued/topology';
import { IN_FLIGHT_MS } from '../../src/queued/fanout';
import { DEAD_LETTER_PREFIX, FANOUT_WRITES, KV_KEYS, WRITER_WRITES } from '../../src/store/keys';
import { readSourceState } from '../../src/store/sourceState';
import { readStories } from '../../src/store/stories';
import { LocalQueues } from '../fixtures/localQueues';
import { clearKv, instrumentedKv, jsonBody, killedKv, request, runDeps, seedFetch, testEnv } from './../ops/helpers';

const T0 = new Date('2025-07-23T12:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const POLL = 'storywire-poll';
const FILE = 'storywire-file';
const DEAD = 'storywire-dead';

beforeEach(() => clearKv());

function topology(overrides: Record<string, unknown> = {}) {
  const queues = new LocalQueues();
  const target = { ...testEnv(overrides), ...queues.bindings() } as Env;
  return { queues, target };
}

/** A consumer for LocalQueues: the Worker's own queue code, on `target`, at `now`. */
function consumer(target: Env, now: Date, fetchImpl = runDeps().fetch) {
  return (queue: string, deliveries: Delivery[]) => consume(queue, deliveries, target, { fetch: fetchImpl, now: () => now });
}

function listed(snapshot: StoriesSnapshot): string[] {
  return snapshot.stories.flatMap((s) => s.sources.map((src) => src.articleId)).sort();
}

describe('the cron fans out', () => {
  it('sends every due source once, SOURCES_PER_POLL_MESSAGE to a message, and not again while in flight', async () => {
    const { queues, target } = topology({ SOURCES_PER_POLL_MESSAGE: '2' });
    const first = await fanOut(target, { poll: queues.producer(POLL), file: queues.producer(FILE) }, { now: T0 });
    expect(first).toMatchObject({ sources: 5, due: 5, sent: 5, messages: 3, inFlight: 0 });
    expect(queues.peek(POLL).map((o) => (o as { targets: unknown[] }).targets.length)).toEqual([2, 2, 1]);
    // The cron wrote only its own key.
    expect((await env.STATE.list()).keys.map((k) => k.name)).toEqual(FANOUT_WRITES.map((w) => w.key));
    const again = await fanOut(target, { poll: queues.producer(POLL), file: queues.producer(FILE) }, { now: at(15) });
    expect(again).toMatchObject({ due: 5, sent: 0, inFlight: 5 });
    // An order never recorded as polled is taken as lost after IN_FLIGHT_MS and sent again.
    const late = await fanOut(target, { poll: queues.producer(POLL), file: queues.producer(FILE) }, { now: new Date(T0.getTime() + IN_FLIGHT_MS + 1) });
    expect(late).toMatchObject({ sent: 5 });
  });

  it('polls, files and records every source; the next cron finds none due until the interval has passed', async () => {
    const { queues, target } = topology();
    const producers = { poll: queues.producer(POLL), file: queues.producer(FILE) };
    await fanOut(target, producers, { now: T0 });
    await queues.drain(consumer(target, T0));
    const state = await readSourceState(env.STATE);
    expect(Object.keys(state.statuses)).toHaveLength(5);
    expect(Object.values(state.statuses).every((s) => s.lastStatus === 200 && s.recent)).toBe(true);
    expect(state.lastRun).toMatchObject({ trigger: 'queue', sourcesDue: 5, fetched: 5, newArticles: 13 });
    expect(listed(await readStories(env.STATE))).toHaveLength(13);
    expect(await fanOut(target, producers, { now: at(5) })).toMatchObject({ due: 0, sent: 0 });
    expect(await fanOut(target, producers, { now: at(16) })).toMatchObject({ due: 5, sent: 5 });
  });

  it('leaves paused sources out, and sends every unpaused source when asked to poll everything', async () => {
    const { queues, target } = topology();
    const sources = (await (await request(target, '/api/admin/sources')).json()) as { sources: { id: string }[] };
    expect((await request(target, `/api/admin/sources/${sources.sources[0]!.id}`, jsonBody({ paused: true }, 'PATCH'))).status).toBe(200);
    const producers = { poll: queues.producer(POLL), file: queues.producer(FILE) };
    expect(await fanOut(target, producers, { now: T0 })).toMatchObject({ sources: 4, sent: 4 });
    await queues.drain(consumer(target, T0));
    expect(await fanOut(target, producers, { now: at(1), everything: true })).toMatchObject({ sent: 4 });
  });
});

describe('the cron\'s roster', () => {
  it('lets the writer keep the records of existing sources only, paused ones marked, as /health counts them', async () => {
    const { queues, target } = topology();
    const producers = { poll: queues.producer(POLL), file: queues.producer(FILE) };
    const added = await request(target, '/api/admin/sources', jsonBody({ url: 'http://seeds.test/meridian-post.xml?copy=1', name: 'Copy' }));
    expect(added.status).toBe(201);
    const { source } = (await added.json()) as { source: { id: string } };
    await fanOut(target, producers, { now: T0 });
    await queues.drain(consumer(target, T0));
    expect(Object.keys((await readSourceState(env.STATE)).statuses)).toHaveLength(6);
    const configured = ((await (await request(target, '/api/admin/sources')).json()) as { sources: { id: string; origin: string }[] }).sources.find((s) => s.id !== source.id)!;
    expect((await request(target, `/api/admin/sources/${source.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await request(target, `/api/admin/sources/${configured.id}`, jsonBody({ paused: true }, 'PATCH'))).status).toBe(200);
    await fanOut(target, producers, { now: at(16) });
    await queues.drain(consumer(target, at(16)));
    const statuses = (await readSourceState(env.STATE)).statuses;
    expect(Object.keys(statuses)).toHaveLength(5);
    expect(statuses[source.id]).toBeUndefined();
    expect(statuses[configured.id]!.paused).toBe(true);
    const health = (await (await request(target, '/health', { token: null })).json()) as { sources: { tracked: number; paused: number; ok: number } };
    expect(health.sources).toEqual({ tracked: 5, ok: 4, failing: 0, paused: 1 });
  });
});

describe('poll consumers', () => {
  it('send on only what is new since the last document; a failing feed is recorded, never retried as a message', async () => {
    const { queues, target } = topology();
    const producers = { poll: queues.producer(POLL), file: queues.producer(FILE) };
    await fanOut(target, producers, { now: T0 });
    await queues.drain(consumer(target, T0));
    const filedFirst = queues.counts.get(FILE)!.sent;
    // Next poll: one feed gained an item (a copy of its first with a new guid), one answers 500, the others are unchanged.
    const changed = seedFetch((body, url) => {
      if (url.endsWith('harbor-daily.xml')) return new Response('upstream error', { status: 500 });
      if (!url.endsWith('meridian-post.xml')) return body;
      const text = new TextDecoder().decode(body);
      const item = /<item>[\s\S]*?<\/item>/.exec(text)![0].replace(/<guid[^>]*>[^<]*<\/guid>/, '<guid isPermaLink="false">mp-extra-1</guid>').replace(/<title>[^<]*<\/title>/, '<title>Harbour tunnel opens to traffic after delays</title>');
      return new TextEncoder().encode(text.replace('<item>', `${item}<item>`));
    });
    await fanOut(target, producers, { now: at(16) });
    await queues.drain(consumer(target, at(16), changed));
    const files = queues.counts.get(FILE)!;
    expect(files.sent - filedFirst).toBe(1);
    expect(queues.counts.get(POLL)!.retried).toBe(0);
    const state = await readSourceState(env.STATE);
    const harbor = Object.values(state.statuses).find((s) => s.lastStatus === 500)!;
    expect(harbor).toMatchObject({ failures: 1, lastError: expect.stringMatching(/500/) });
    expect(state.lastRun).toMatchObject({ newArticles: 1, failed: 1 });
    expect(listed(await readStories(env.STATE))).toHaveLength(14);
  });
});

describe('the one writer', () => {
  it('makes the writes of WRITER_WRITES, in order, for a batch with news', async () => {
    const { queues, target } = topology();
    await fanOut(target, { poll: queues.producer(POLL), file: queues.producer(FILE) }, { now: T0 });
    while (queues.size(POLL) > 0) await queues.deliver(POLL, consumer(target, T0));
    const counted = instrumentedKv(env.STATE);
    await queues.deliver(FILE, consumer({ ...target, STATE: counted.kv } as Env, T0));
    expect(counted.writes().map((c) => c.key)).toEqual(WRITER_WRITES.map((w) => w.key));
  });

  for (const when of ['before', 'after'] as const) {
    it(`killed ${when} each of its writes, is given the batch again and files every article once`, async () => {
      const reference = await (async () => {
        const { queues, target } = topology();
        await fanOut(target, { poll: queues.producer(POLL), file: queues.producer(FILE) }, { now: T0 });
        await queues.drain(consumer(target, T0));
        return listed(await readStories(env.STATE));
      })();
      expect(reference).toHaveLength(13);
      for (let dieAt = 1; dieAt <= WRITER_WRITES.length; dieAt++) {
        await clearKv();
        const { queues, target } = topology();
        await fanOut(target, { poll: queues.producer(POLL), file: queues.producer(FILE) }, { now: T0 });
        while (queues.size(POLL) > 0) await queues.deliver(POLL, consumer(target, T0));
        let died = false;
        const killed = { ...target, STATE: killedKv((n) => (n === dieAt ? (died = true, when) : null), 'CPU limit') } as Env;
        await queues.deliver(FILE, consumer(killed, T0), () => died);
        expect(died, `write ${dieAt}`).toBe(true);
        expect(queues.size(FILE), `write ${dieAt}: the batch comes back`).toBe(1);
        await queues.drain(consumer(target, at(1)));
        const now = listed(await readStories(env.STATE));
        expect(now, `killed ${when} write ${dieAt}`).toEqual(reference);
        expect(queues.counts.get(DEAD)!.sent).toBe(0);
        expect(Object.keys((await readSourceState(env.STATE)).statuses)).toHaveLength(5);
      }
    });
  }

  it('files the others when one message keeps failing; that one ends, after its retries, as a dead letter the admin API lists, retries and discards', async () => {
    const { queues, target } = topology();
    // A store that refuses any stories value holding the poisoned headline: that message fails every time.
    const poisoned = new Proxy(env.STATE, {
      get(kv, property) {
        const value = Reflect.get(kv, property, kv) as unknown;
        if (property !== 'put' || typeof value !== 'function') return typeof value === 'function' ? (value as () => unknown).bind(kv) : value;
        return async (key: string, data: unknown, options?: KVNamespacePutOptions) => {
          const text = typeof data === 'string' ? data : new TextDecoder().decode(data as ArrayBuffer);
          if (key === KV_KEYS.stories && text.includes('POISONED headline')) throw new Error('value refused');
          return kv.put(key, data as string, options);
        };
      },
    });
    const writer = { ...target, STATE: poisoned } as Env;
    const push = (title: string, id: string) => request(target, '/api/articles', jsonBody({ source: 'https://lighthouse.example/', outlet: 'Lighthouse Gazette', id, url: `https://lighthouse.example/${id}`, title, text: `${title}. The council met on Tuesday.` }));
    expect((await push('Harbour tunnel opens to traffic', 'lg-1')).status).toBe(202);
    expect((await push('POISONED headline about the tunnel', 'lg-2')).status).toBe(202);
    expect((await push('Library extends its opening hours', 'lg-3')).status).toBe(202);
    expect(queues.size(FILE)).toBe(3);
    await queues.drain(consumer(writer, T0));
    const titles = (await readStories(env.STATE)).stories.flatMap((s) => s.sources.map((src) => src.title)).sort();
    expect(titles).toEqual(['Harbour tunnel opens to traffic', 'Library extends its opening hours']);
    // Tried in its batch, alone, and max_retries (5) times more, then dead-lettered and kept.
    expect(queues.counts.get(FILE)).toMatchObject({ delivered: 3 + 5, deadLettered: 1 });
    const list = (await (await request(target, '/api/admin/dead-letters')).json()) as { deadLetters: { key: string; kind: string; count: number; attempts: number }[] };
    expect(list.deadLetters).toHaveLength(1);
    expect(list.deadLetters[0]).toMatchObject({ kind: 'file', count: 1 });
    const key = list.deadLetters[0]!.key;
    expect(key.startsWith(DEAD_LETTER_PREFIX)).toBe(true);
    const one = (await (await request(target, `/api/admin/dead-letters/${encodeURIComponent(key)}`)).json()) as { body: { pushed: { title: string }[] } };
    expect(one.body.pushed[0]!.title).toBe('POISONED headline about the tunnel');
    // Retried once the cause is gone: filed, and no longer listed.
    expect((await request(target, `/api/admin/dead-letters/${encodeURIComponent(key)}/retry`, { method: 'POST' })).status).toBe(202);
    await queues.drain(consumer(target, at(1)));
    expect((await readStories(env.STATE)).stories.flatMap((s) => s.sources)).toHaveLength(3);
    expect(((await (await request(target, '/api/admin/dead-letters')).json()) as { count: number }).count).toBe(0);
    expect((await request(target, `/api/admin/dead-letters/${encodeURIComponent(key)}`)).status).toBe(404);
  });

  it('keeps an unreadable message as a dead letter at once, and files the rest of its batch', async () => {
    const { queues, target } = topology();
    await request(target, '/api/articles', jsonBody({ source: 'https://lighthouse.example/', id: 'lg-1', title: 'Harbour tunnel opens', text: 'It opened.' }));
    await queues.producer(FILE).send({ v: 1, kind: 'file', polls: [{ source: { id: 's' }, at: 'yesterday', result: {} }], polled: [], pushed: [] });
    await queues.drain(consumer(target, T0));
    expect(listed(await readStories(env.STATE))).toHaveLength(1);
    const list = (await (await request(target, '/api/admin/dead-letters')).json()) as { deadLetters: { key: string; kind: string; reason: string }[] };
    expect(list.deadLetters).toEqual([expect.objectContaining({ kind: 'unreadable', reason: expect.stringMatching(/valid time/) })]);
    expect(queues.counts.get(FILE)!.retried).toBe(0);
    const key = list.deadLetters[0]!.key;
    expect((await request(target, `/api/admin/dead-letters/${encodeURIComponent(key)}/retry`, { method: 'POST' })).status).toBe(422);
    expect((await request(target, `/api/admin/dead-letters/${encodeURIComponent(key)}`, { method: 'DELETE' })).status).toBe(204);
    expect((await env.STATE.list({ prefix: DEAD_LETTER_PREFIX })).keys).toEqual([]);
  });
});

describe('bounds of one invocation (the free plan\'s CPU)', () => {
  it('the writer files MAX_ARTICLES_PER_RUN a batch and sends the rest back on the file queue: all filed once, every source recorded', async () => {
    const { queues, target } = topology({ MAX_ARTICLES_PER_RUN: '5' });
    await fanOut(target, { poll: queues.producer(POLL), file: queues.producer(FILE) }, { now: T0 });
    const reports: unknown[] = [];
    await queues.drain(async (queue, deliveries) => reports.push(await consumer(target, T0)(queue, deliveries)));
    const ids = listed(await readStories(env.STATE));
    expect(ids).toHaveLength(13);
    expect(new Set(ids).size).toBe(13);
    const files = queues.counts.get(FILE)!;
    expect(files.batches).toBe(3);
    expect(files.retried).toBe(0);
    expect(reports.filter((r) => (r as { queue: string }).queue === FILE).map((r) => (r as { newArticles: number }).newArticles)).toEqual([5, 5, 3]);
    const state = await readSourceState(env.STATE);
    expect(Object.values(state.statuses).filter((s) => s.lastStatus === 200)).toHaveLength(5);
  });

  it('a poll consumer parses MAX_PARSE_BYTES_PER_RUN (the first document always) and sends the other sources back on the poll queue', async () => {
    const { queues, target } = topology({ MAX_PARSE_BYTES_PER_RUN: '1024', SOURCES_PER_POLL_MESSAGE: '5' });
    await fanOut(target, { poll: queues.producer(POLL), file: queues.producer(FILE) }, { now: T0 });
    expect(queues.size(POLL)).toBe(1);
    await queues.drain(consumer(target, T0));
    expect(queues.counts.get(POLL)).toMatchObject({ sent: 5, batches: 5, retried: 0 });
    expect(listed(await readStories(env.STATE))).toHaveLength(13);
  });
});

describe('pushed articles and "run now" with queues', () => {
  it('a push writes no KV and goes to the file queue; "run now" fans out and answers 202', async () => {
    const { queues, target } = topology();
    const counted = instrumentedKv(env.STATE);
    const withCount = { ...target, STATE: counted.kv } as Env;
    const res = await request(withCount, '/api/articles', jsonBody([{ source: 'https://lighthouse.example/', id: 'lg-1', title: 'Harbour tunnel opens', text: 'It opened.' }]));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 1, queued: 1 });
    expect(counted.writes()).toEqual([]);
    expect(queues.size(FILE)).toBe(1);
    const run = await request(target, '/api/admin/run?all=1', { method: 'POST' });
    expect(run.status).toBe(202);
    expect(await run.json()).toMatchObject({ fanout: { trigger: 'admin', sent: 5 } });
    expect(queues.size(POLL)).toBe(1);
  });

  it('without queues the dead-letter retry says there is nothing to send to', async () => {
    const target = testEnv();
    expect((await request(target, '/api/admin/dead-letters')).status).toBe(200);
    const res = await request(target, `/api/admin/dead-letters/${DEAD_LETTER_PREFIX}x/retry`, { method: 'POST' });
    expect(res.status).toBe(409);
  });
});
