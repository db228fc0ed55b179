import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import harborDaily from '../../seeds/feeds/harbor-daily.xml?raw';
import { runScheduled } from '../../src/scheduled';
import { sourceId } from '../../src/sources/registry';
import { INBOX_PREFIX, KV_KEYS } from '../../src/store/keys';
import { readStories } from '../../src/store/stories';
import { clearKv, instrumentedKv, jsonBody, request, runDeps, SEED_URLS, testEnv } from './helpers';

const target = testEnv();

beforeEach(() => clearKv());

const ARTICLE = {
  source: 'https://lighthouse.example/',
  outlet: 'Lighthouse Gazette',
  id: 'lg-2025-0722-1',
  url: 'https://lighthouse.example/2025/07/harbour-tunnel-opens',
  title: 'Harbour tunnel opens to traffic after six years of work',
  content: '<p>The new harbour tunnel opened to traffic on Tuesday morning.</p><script>alert(1)</script>',
  summary: 'The tunnel links the two halves of the port city.',
  published: '2025-07-22T09:30:00Z',
};

interface Accepted { accepted: number; queued: number; articles: { id: string; source: string; status: string }[] }

async function push(body: unknown, overrides: Env = target) {
  return request(overrides, '/api/articles', jsonBody(body));
}

async function inboxKeys(): Promise<string[]> {
  return (await env.STATE.list({ prefix: INBOX_PREFIX })).keys.map((k) => k.name);
}

/** Every article waiting in the inbox, by id. */
async function inboxArticles(): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  for (const key of await inboxKeys()) {
    const batch = (await env.STATE.get(key, 'json')) as { articles: Record<string, string>[] };
    for (const article of batch.articles) out.set(article.id!, article);
  }
  return out;
}

describe('POST /api/articles', () => {
  it('queues one article (202, its id) in the inbox, sanitised and normalised, without touching the story keys', async () => {
    const counted = instrumentedKv(env.STATE);
    const res = await push(ARTICLE, { ...target, STATE: counted.kv });
    expect(res.status).toBe(202);
    const body = (await res.json()) as Accepted;
    expect(body).toMatchObject({ accepted: 1, queued: 1 });
    const [{ id, source, status }] = body.articles as [Accepted['articles'][0]];
    expect(status).toBe('queued');
    expect(source).toBe(sourceId('https://lighthouse.example/'));
    const [batchKey] = await inboxKeys();
    expect(counted.writes()).toEqual([{ op: 'put', key: batchKey }]);

    const stored = (await inboxArticles()).get(id)!;
    expect(stored).toMatchObject({ id, outlet: 'Lighthouse Gazette', title: ARTICLE.title, url: ARTICLE.url, published: '2025-07-22T09:30:00Z' });
    expect(stored.text).toContain('opened to traffic');
    expect(JSON.stringify(stored)).not.toContain('alert(1)');
    // It expires by itself (three days), so nothing ever has to delete it.
    const [key] = (await env.STATE.list({ prefix: INBOX_PREFIX })).keys;
    expect(key!.expiration! * 1000 - Date.now()).toBeGreaterThan(3 * 86_400_000 - 120_000);
    expect(key!.expiration! * 1000 - Date.now()).toBeLessThan(3 * 86_400_000 + 120_000);
  });

  it('is idempotent: the same article sent twice is stored once and written once', async () => {
    const first = (await (await push(ARTICLE)).json()) as Accepted;
    const counted = instrumentedKv(env.STATE);
    const again = await push([ARTICLE], { ...target, STATE: counted.kv });
    expect(again.status).toBe(202);
    const second = (await again.json()) as Accepted;
    expect(second).toMatchObject({ accepted: 1, queued: 0, articles: [{ id: first.articles[0]!.id, status: 'already queued' }] });
    expect(counted.writes()).toEqual([]);
    expect(await inboxKeys()).toHaveLength(1);
  });

  it('accepts one article, an array, or {articles}; the same guid from the same source is one article', async () => {
    const other = { ...ARTICLE, id: 'lg-2', title: 'Second story of the day', url: 'https://lighthouse.example/2' };
    const res = await push({ articles: [ARTICLE, other, { ...ARTICLE, title: 'Retitled' }] });
    expect(res.status).toBe(202);
    expect(((await res.json()) as Accepted).accepted).toBe(2);
    expect((await inboxArticles()).size).toBe(2);
  });

  it('costs one KV write per request, however many articles it carries, and none when all are already waiting', async () => {
    const articles = Array.from({ length: 200 }, (_, i) => ({ ...ARTICLE, id: `bulk-${i}`, url: `https://lighthouse.example/bulk/${i}`, title: `Bulletin ${i}` }));
    const counted = instrumentedKv(env.STATE);
    const res = await push(articles, { ...target, STATE: counted.kv });
    expect(res.status).toBe(202);
    expect(((await res.json()) as Accepted).queued).toBe(200);
    expect(counted.writes()).toHaveLength(1);
    expect((await inboxArticles()).size).toBe(200);

    // Half of them again, plus one new: one more write, holding only the new one.
    const again = instrumentedKv(env.STATE);
    const second = await push([...articles.slice(0, 100), { ...ARTICLE, id: 'bulk-new', url: 'https://lighthouse.example/bulk/new', title: 'New' }], { ...target, STATE: again.kv });
    expect(((await second.json()) as Accepted).queued).toBe(1);
    expect(again.writes()).toHaveLength(1);
    expect(await inboxKeys()).toHaveLength(2);
    expect((await inboxArticles()).size).toBe(201);
  });

  it('goes through the 429 retry: two pushes in the same second both answer 202', async () => {
    let puts = 0;
    const limited = instrumentedKv(env.STATE, () => (++puts === 1 ? new Error('KV PUT failed: 429 Too Many Requests') : null));
    const res = await push(ARTICLE, { ...target, STATE: limited.kv });
    expect(res.status).toBe(202);
    expect(puts).toBe(2);
    expect((await inboxArticles()).size).toBe(1);
  });

  it('refuses bad input with a status and a message naming the field', async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ ...ARTICLE, title: '' }, 422, /^push: articles\[0\]\.title/],
      [{ ...ARTICLE, source: undefined }, 422, /^push: articles\[0\]\.source/],
      [{ ...ARTICLE, source: 'no-such-source' }, 422, /^push: articles\[0\]\.source: "no-such-source" is neither/],
      [{ ...ARTICLE, url: 'javascript:alert(1)' }, 422, /^push: articles\[0\]\.url/],
      [{ ...ARTICLE, published: 'yesterday' }, 422, /^push: articles\[0\]\.published/],
      [{ ...ARTICLE, extra: 1 }, 422, /^push: articles\[0\].*extra/],
      [[ARTICLE, { ...ARTICLE, title: 7 }], 422, /^push: articles\[1\]\.title/],
      [[], 422, /^push: articles/],
      [Array.from({ length: 201 }, (_, i) => ({ ...ARTICLE, id: `n${i}` })), 413, /^push: articles: 201 articles in one request; at most 200/],
      [{ ...ARTICLE, published: '2025-07-22T09:30:00' }, 422, /^push: articles\[0\]\.published: a date needs a time zone: end it with Z or an offset/],
      [{ ...ARTICLE, updated: '2025-07-22 09:30' }, 422, /^push: articles\[0\]\.updated: a date needs a time zone/],
      [{ ...ARTICLE, title: 'x'.repeat(1001) }, 422, /^push: articles\[0\]\.title/],
      ['just a string', 422, /^push: articles\[0\]/],
    ];
    for (const [body, status, message] of cases) {
      const res = await push(body);
      expect(res.status, String(message)).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    const notJson = await request(target, '/api/articles', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title": ' });
    expect(notJson.status).toBe(400);
    const form = await request(target, '/api/articles', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'title=x' });
    expect(form.status).toBe(415);
    const small = testEnv({ MAX_PUSH_BYTES: '2048' });
    const big = await push({ ...ARTICLE, content: 'x'.repeat(4096) }, small);
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toMatch(/^push: request body larger than 2048 bytes/);
    expect(await inboxKeys()).toEqual([]);
  });

  it('refuses an oversize body sent without Content-Length (chunked) as well', async () => {
    const big = new TextEncoder().encode(JSON.stringify({ ...ARTICLE, content: 'x'.repeat(3000) }));
    const body = new ReadableStream({ start(controller) { controller.enqueue(big.slice(0, 1000)); controller.enqueue(big.slice(1000)); controller.close(); } });
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit;
    const res = await request(testEnv({ MAX_PUSH_BYTES: '2048' }), '/api/articles', init);
    expect(res.status).toBe(413);
    expect(await inboxKeys()).toEqual([]);
  });

  it('needs the token', async () => {
    expect((await request(target, '/api/articles', { ...jsonBody(ARTICLE), token: null })).status).toBe(401);
    expect((await request(target, '/api/articles', { ...jsonBody(ARTICLE), token: 'nope' })).status).toBe(403);
    expect(await inboxKeys()).toEqual([]);
  });
});

describe('pushed articles reach the stories at the next run', () => {
  it('files them once, even when pushed again after the run', async () => {
    await push(ARTICLE);
    const report = await runScheduled(target, runDeps());
    expect(report).toMatchObject({ pushedArticles: 1, newArticles: 14 });
    const { stories } = await readStories(env.STATE);
    const tunnel = stories.filter((s) => s.sources.some((src) => src.outlet === 'Lighthouse Gazette'));
    expect(tunnel).toHaveLength(1);

    await push(ARTICLE);
    const again = await runScheduled(target, runDeps({ now: () => new Date('2025-07-23T12:30:00Z') }));
    expect(again).toMatchObject({ pushedArticles: 0, newArticles: 0 });
    const after = await readStories(env.STATE);
    expect(after.stories.flatMap((s) => s.sources)).toHaveLength(14);
  });

  it('gives a pushed copy of a polled article the polled identity, so it is not listed twice', async () => {
    await runScheduled(target, runDeps());
    const before = await readStories(env.STATE);
    // The Harbor Daily feed pushed by its publisher, naming the polled source by id.
    const res = await request(target, `/api/feeds/ingest?source=${sourceId(SEED_URLS[1]!)}`, {
      method: 'POST', headers: { 'content-type': 'application/rss+xml' }, body: harborDaily,
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as Accepted;
    expect(body.accepted).toBeGreaterThan(0);
    const polledIds = new Set(before.stories.flatMap((s) => s.sources.map((src) => src.articleId)));
    expect(body.articles.every((a) => polledIds.has(a.id))).toBe(true);

    const report = await runScheduled(target, runDeps({ now: () => new Date('2025-07-23T12:30:00Z') }));
    expect(report.newArticles).toBe(0);
    expect((await readStories(env.STATE)).stories).toEqual(before.stories);
  });
});

describe('POST /api/feeds/ingest', () => {
  const ingest = (body: string, type: string, query = '') =>
    request(target, `/api/feeds/ingest${query}`, { method: 'POST', headers: { 'content-type': type }, body });

  it('takes a feed document for a new source named by URL', async () => {
    const res = await ingest(harborDaily, 'application/rss+xml; charset=utf-8', '?source=https://push.example/feed.xml&outlet=Pushed%20Daily');
    expect(res.status).toBe(202);
    const body = (await res.json()) as Accepted;
    expect(body.articles.every((a) => a.source === sourceId('https://push.example/feed.xml'))).toBe(true);
    const first = (await inboxArticles()).get(body.articles[0]!.id)!;
    expect(first.outlet).toBe('Pushed Daily');
  });

  it('refuses what is not a feed (422, with the parser stage), other media types (415) and oversize bodies (413)', async () => {
    const html = await ingest('<!doctype html><html><body>hi</body></html>', 'text/xml', '?source=https://push.example/');
    expect(html.status).toBe(422);
    expect(((await html.json()) as { error: string }).error).toMatch(/^parse: not a feed/);
    const broken = await ingest('{"version": "https://jsonfeed.org/version/1.1", "items": [', 'application/feed+json', '?source=https://push.example/');
    expect(broken.status).toBe(422);
    expect(((await broken.json()) as { error: string }).error).toMatch(/^json: /);
    expect((await ingest(harborDaily, 'text/html')).status).toBe(415);
    const tooMany = `<rss version="2.0"><channel><title>t</title><link>https://many.example/</link>${Array.from({ length: 201 }, (_, i) => `<item><guid>g${i}</guid><title>Item ${i}</title></item>`).join('')}</channel></rss>`;
    expect((await ingest(tooMany, 'application/rss+xml')).status).toBe(413);
    const small = testEnv({ MAX_PUSH_BYTES: '1024' });
    expect((await request(small, '/api/feeds/ingest?source=https://push.example/', { method: 'POST', headers: { 'content-type': 'application/rss+xml' }, body: harborDaily })).status).toBe(413);
    expect(await inboxKeys()).toEqual([]);
  });

  it('asks which source it is when neither the query nor the feed says', async () => {
    const anonymous = '<rss version="2.0"><channel><title>t</title><item><title>One</title></item></channel></rss>';
    const res = await ingest(anonymous, 'application/rss+xml');
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toMatch(/^ingest: say which source/);
    expect(await env.STATE.get(KV_KEYS.stories)).toBeNull();
  });
});
