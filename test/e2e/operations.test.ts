// Operating the product end to end, through the real Worker: three seed feeds configured, the other
// two imported as OPML, a publisher pushing an article, the cron filing everything, /health and
// `wrangler tail` telling the operator what happened, and the merged feeds showing the result.
import { createScheduledController, env } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import sourcesJson from '../../seeds/sources.json';
import worker from '../../src/index';

const TOKEN = 'e2e-admin-token-9d1c7b35';
const seeds = sourcesJson.map((s) => ({ url: `http://seeds.test/${s.file}`, name: s.name }));
const testEnv = {
  ...env,
  POLL_QUEUE: undefined,
  FILE_QUEUE: undefined,
  SOURCES: JSON.stringify(seeds.slice(0, 3)),
  ADMIN_TOKEN: TOKEN,
  ALLOW_PRIVATE_SOURCES: 'false',
  PUBLIC_URL: 'https://news.example.org',
} as unknown as Env;

function call(path: string, init: RequestInit = {}, token: string | null = TOKEN) {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return worker.fetch(new Request(`https://news.example.org${path}`, { ...init, headers }), testEnv, {} as ExecutionContext);
}

async function cron(): Promise<Record<string, unknown>> {
  const log = vi.spyOn(console, 'log');
  await worker.scheduled(createScheduledController({ cron: '*/15 * * * *', scheduledTime: Date.now() }), testEnv);
  const lines = log.mock.calls.map((args) => JSON.parse(String(args[0])) as Record<string, unknown>).filter((l) => l.event === 'run');
  log.mockRestore();
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

afterEach(() => vi.restoreAllMocks());

describe('operating storywire', () => {
  let firstRun: Record<string, unknown>;

  beforeAll(async () => {
    const opml = `<opml version="2.0"><body>${seeds.slice(3).map((s) => `<outline type="rss" text="${s.name}" xmlUrl="${s.url}"/>`).join('')}</body></opml>`;
    const imported = await call('/api/admin/opml', { method: 'POST', headers: { 'content-type': 'text/x-opml' }, body: opml });
    expect(imported.status).toBe(200);
    const pushed = await call('/api/articles', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'https://lighthouse.example/', outlet: 'Lighthouse Gazette', id: 'lg-1',
        url: 'https://lighthouse.example/2025/07/tunnel', title: 'Harbour tunnel opens to traffic after six years',
        text: 'The new harbour tunnel opened to traffic on Tuesday morning, linking the two halves of the port city.',
        published: '2025-07-22T09:30:00Z',
      }),
    });
    expect(pushed.status).toBe(202);
    firstRun = await cron();
  });

  it('logs one JSON line per run for wrangler tail', () => {
    expect(firstRun).toMatchObject({
      event: 'run', trigger: 'cron', cron: '*/15 * * * *', skipped: null, sourcesDue: 5, fetched: 5, notModified: 0,
      failed: 0, errors: [], newArticles: 14, pushedArticles: 1, storiesCreated: 9,
    });
    expect(typeof firstRun.wallMs).toBe('number');
  });

  it('serves the five-source story and the pushed article in the merged feed', async () => {
    const feed = (await (await call('/feed.json', {}, null)).json()) as { items: { title: string; _sources: { count: number; items: { outlet: string }[] } }[] };
    const peace = feed.items.filter((i) => /ukrain|zelensky|peace talks/i.test(i.title));
    expect(peace).toHaveLength(1);
    expect(peace[0]!._sources.count).toBe(5);
    const tunnel = feed.items.filter((i) => i._sources.items.some((s) => s.outlet === 'Lighthouse Gazette'));
    expect(tunnel).toHaveLength(1);
    expect(feed.items).toHaveLength(9);
  });

  it('reports health without secrets, and per-source health to the admin', async () => {
    const health = await call('/health', {}, null);
    expect(health.status).toBe(200);
    const text = await health.text();
    expect(text).not.toContain(TOKEN);
    expect(JSON.parse(text)).toMatchObject({ status: 'ok', sources: { tracked: 5, ok: 5, failing: 0, paused: 0 }, lastRun: { newArticles: 14, pushedArticles: 1 } });

    const list = (await (await call('/api/admin/sources')).json()) as { sources: { origin: string; health: { lastStatus: number } }[] };
    expect(list.sources.map((s) => s.origin)).toEqual(['settings', 'settings', 'settings', 'admin', 'admin']);
    expect(list.sources.every((s) => s.health.lastStatus === 200)).toBe(true);
  });

  it('keeps the admin and push APIs shut to anyone without the token', async () => {
    expect((await call('/api/admin/sources', {}, null)).status).toBe(401);
    expect((await call('/api/admin/run', { method: 'POST' }, 'guess')).status).toBe(403);
    expect((await call('/api/articles', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, null)).status).toBe(401);
  });

  it('a later cron run with nothing due changes nothing', async () => {
    const before = await (await call('/feed.json', {}, null)).text();
    const run = await cron();
    expect(run).toMatchObject({ sourcesDue: 0, newArticles: 0, pushedArticles: 0 });
    expect(await (await call('/feed.json', {}, null)).text()).toBe(before);
  });
});
