import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkBearer } from '../../src/auth';
import { parseOpml } from '../../src/sources/opml';
import { sourceId } from '../../src/sources/registry';
import { KV_KEYS } from '../../src/store/keys';
import type { RunSummary } from '../../src/model';
import { readSourceState } from '../../src/store/sourceState';
import { clearKv, instrumentedKv, jsonBody, request, SEED_URLS, testEnv, TOKEN } from './helpers';

const target = testEnv();

beforeEach(() => clearKv());

describe('admin auth', () => {
  it('is off without ADMIN_TOKEN: 503 saying how to turn it on, for admin and push alike', async () => {
    const off = testEnv({ ADMIN_TOKEN: '' });
    for (const [path, init] of [['/api/admin/sources', {}], ['/api/articles', jsonBody({})], ['/api/feeds/ingest', { method: 'POST' }]] as const) {
      const res = await request(off, path, init);
      expect(res.status, path).toBe(503);
      expect(((await res.json()) as { error: string }).error).toMatch(/set the ADMIN_TOKEN secret/);
    }
  });

  it('refuses a missing token with 401 and a Bearer challenge', async () => {
    const res = await request(target, '/api/admin/sources', { token: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="storywire"');
    expect(await res.json()).toEqual({ error: expect.stringMatching(/^auth: missing Authorization/) });
  });

  it.each([
    ['Basic dXNlcjpwYXNz'],
    ['Bearer'],
    ['Bearer '],
    [`Bearer ${TOKEN} extra`],
    [`Token ${TOKEN}`],
    ['Bearer tok\ten'],
  ])('refuses the malformed header %j with 401', async (header) => {
    const res = await request(target, '/api/admin/sources', { token: null, headers: { authorization: header } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
    expect(((await res.json()) as { error: string }).error).toMatch(/^auth: malformed/);
  });

  it.each([
    ['wrong'],
    [TOKEN.slice(0, -1)],
    [`${TOKEN}x`],
    [TOKEN.toUpperCase()],
  ])('refuses the wrong token %j with 403', async (token) => {
    const res = await request(target, '/api/admin/sources', { token });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(await res.json()).toEqual({ error: 'auth: wrong token' });
  });

  it('a misconfigured setting is a 500 naming it, not a crash', async () => {
    const res = await request(testEnv({ MAX_PUSH_BYTES: 'lots' }), '/api/articles', jsonBody({}));
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: string }).error).toMatch(/^misconfigured: MAX_PUSH_BYTES: expected a whole number/);
  });

  it('lets the right token through, case-insensitive scheme', async () => {
    expect((await request(target, '/api/admin/sources')).status).toBe(200);
    expect((await request(target, '/api/admin/sources', { token: null, headers: { authorization: `bearer ${TOKEN}` } })).status).toBe(200);
    expect(await checkBearer(`Bearer ${TOKEN}`, TOKEN)).toBeNull();
    expect(await checkBearer('Bearer p@ss!word#1', 'p@ss!word#1')).toBeNull();
    expect((await checkBearer('Bearer p@ss!word#2', 'p@ss!word#1'))?.status).toBe(403);
  });

  it('leaves the public routes public', async () => {
    expect((await request(target, '/api/stories', { token: null })).status).toBe(200);
    expect((await request(target, '/health', { token: null })).status).toBe(200);
  });
});

interface SourceView { id: string; url: string; name: string | null; origin: string; paused: boolean; refused: string | null; health: null | { lastStatus: number | null; itemCount: number; lastError: string | null; lastFetched: string | null } }

async function sources(): Promise<SourceView[]> {
  const res = await request(target, '/api/admin/sources');
  expect(res.status).toBe(200);
  return ((await res.json()) as { sources: SourceView[] }).sources;
}

describe('admin sources', () => {
  it('lists the configured sources with their origin and, after a run, their health', async () => {
    const before = await sources();
    expect(before.map((s) => s.url)).toEqual(SEED_URLS);
    expect(before.every((s) => s.origin === 'settings' && !s.paused && s.refused === null && s.health === null)).toBe(true);

    expect((await request(target, '/api/admin/run', { method: 'POST' })).status).toBe(200);
    const after = await sources();
    for (const s of after) {
      expect(s.health, s.url).toMatchObject({ lastStatus: 200, lastError: null });
      expect(s.health!.itemCount).toBeGreaterThan(0);
      expect(s.health).not.toHaveProperty('etag');
    }
  });

  it('shows which configured sources the URL policy refuses, before any run', async () => {
    const misconfigured = testEnv({ SOURCES: JSON.stringify(['http://10.0.0.7/feed.xml', SEED_URLS[0]]) });
    const res = await request(misconfigured, '/api/admin/sources');
    const list = ((await res.json()) as { sources: SourceView[] }).sources;
    expect(list.map((s) => s.refused)).toEqual(['10.0.0.7 is a private address', null]);
  });

  it('adds a source, refuses it twice (409), and removes it', async () => {
    const res = await request(target, '/api/admin/sources', jsonBody({ url: 'https://Feeds.Example.org/rss#top', name: 'Example' }));
    expect(res.status).toBe(201);
    const { source } = (await res.json()) as { source: SourceView };
    expect(source).toMatchObject({ url: 'https://feeds.example.org/rss', name: 'Example', origin: 'admin', paused: false });
    expect(res.headers.get('location')).toBe(`/api/admin/sources/${source.id}`);
    expect((await sources()).map((s) => s.id)).toContain(source.id);

    const again = await request(target, '/api/admin/sources', jsonBody({ url: 'https://feeds.example.org/rss' }));
    expect(again.status).toBe(409);
    const configured = await request(target, '/api/admin/sources', jsonBody({ url: SEED_URLS[0] }));
    expect(configured.status).toBe(409);

    expect((await request(target, `/api/admin/sources/${source.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await sources()).map((s) => s.id)).not.toContain(source.id);
    expect((await request(target, `/api/admin/sources/${source.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses what it cannot accept, each with its own status and a JSON error', async () => {
    const cases: [RequestInit, number, RegExp][] = [
      [jsonBody({ url: 'http://169.254.169.254/latest/meta-data/' }), 422, /^admin: url refused: .*link-local/],
      [jsonBody({ url: 'http://localhost:8080/feed' }), 422, /local name/],
      [jsonBody({ url: 'ftp://feeds.example.org/' }), 422, /only http and https/],
      [jsonBody({ url: 'not a url' }), 422, /not an absolute URL/],
      [jsonBody({ url: 'https://feeds.example.org/', colour: 'red' }), 422, /^admin: .*colour/i],
      [jsonBody({ name: 'no url' }), 422, /^admin: url/],
      [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"url":' }, 400, /not valid JSON/],
      [{ method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }, 415, /Content-Type must be application\/json, not text\/plain/],
      [jsonBody({ url: `https://feeds.example.org/${'x'.repeat(2 * 1024 * 1024)}` }), 413, /larger than/],
    ];
    for (const [init, status, message] of cases) {
      const res = await request(target, '/api/admin/sources', init);
      expect(res.status, String(message)).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    expect(await env.STATE.get(KV_KEYS.sources)).toBeNull();
  });

  it('pauses a configured source; the next run skips it; resuming brings it back', async () => {
    const id = sourceId(SEED_URLS[1]!);
    const paused = await request(target, `/api/admin/sources/${id}`, jsonBody({ paused: true }, 'PATCH'));
    expect(paused.status).toBe(200);
    expect(((await paused.json()) as { source: SourceView }).source).toMatchObject({ id, paused: true, origin: 'settings' });

    const run = (await (await request(target, '/api/admin/run', { method: 'POST' })).json()) as { report: { sourcesDue: number } };
    expect(run.report.sourcesDue).toBe(4);
    expect((await sources()).find((s) => s.id === id)!.health).toBeNull();

    expect((await request(target, `/api/admin/sources/${id}`, jsonBody({ name: 'Renamed' }, 'PATCH'))).status).toBe(409);
    expect((await request(target, `/api/admin/sources/${id}`, { method: 'DELETE' })).status).toBe(409);
    expect((await request(target, `/api/admin/sources/${id}`, jsonBody({ paused: false }, 'PATCH'))).status).toBe(200);
    const again = (await (await request(target, '/api/admin/run?all=1', { method: 'POST' })).json()) as { report: { sourcesDue: number } };
    expect(again.report.sourcesDue).toBe(5);
    expect((await request(target, '/api/admin/sources/nope', jsonBody({ paused: true }, 'PATCH'))).status).toBe(404);
  });
});

const OPML = `<?xml version="1.0"?>
<opml version="2.0"><head><title>mine</title></head><body>
  <outline text="News">
    <outline type="rss" text="Alpha &amp; Co" xmlUrl="https://alpha.example/feed.xml"/>
    <outline text="Nested"><outline type="rss" title="Beta" xmlUrl="https://beta.example/atom"/></outline>
  </outline>
  <outline type="rss" text="Dup of Alpha" xmlUrl="https://ALPHA.example/feed.xml"/>
  <outline type="rss" text="Metadata" xmlUrl="http://169.254.169.254/"/>
  <outline type="rss" text="Script" xmlUrl="javascript:alert(1)"/>
  <outline type="rss" text="Seed" xmlUrl="${SEED_URLS[0]}"/>
  <outline text="just a folder"/>
</body></opml>`;

describe('admin OPML', () => {
  it('imports the feeds it may poll, says why it skipped the others, and exports them all', async () => {
    const res = await request(target, '/api/admin/opml', { method: 'POST', headers: { 'content-type': 'text/x-opml' }, body: OPML });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { added: SourceView[]; skipped: { url: string; reason: string }[] };
    expect(body.added.map((s) => [s.url, s.name])).toEqual([
      ['https://alpha.example/feed.xml', 'Alpha & Co'],
      ['https://beta.example/atom', 'Beta'],
    ]);
    expect(body.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/already a source/),
      expect.stringMatching(/link-local/),
      expect.stringMatching(/only http and https/),
      expect.stringMatching(/already a source/),
    ]);

    const exported = await request(target, '/api/admin/opml');
    expect(exported.headers.get('content-type')).toMatch(/^text\/x-opml/);
    const feeds = parseOpml(await exported.text());
    expect(feeds.map((f) => f.url)).toEqual([...SEED_URLS, 'https://alpha.example/feed.xml', 'https://beta.example/atom']);
    expect(feeds.find((f) => f.url.includes('alpha'))!.name).toBe('Alpha & Co');
  });

  it('reads sloppy real-world OPML: any attribute case, unescaped ampersands, OPML 1.0', async () => {
    const sloppy = '<opml version="1.0"><body><outline TEXT="Gamma & Delta" XMLURL="https://gamma.example/rss?a=1&b=2"/></body></opml>';
    const res = await request(target, '/api/admin/opml', { method: 'POST', headers: { 'content-type': 'text/xml' }, body: sloppy });
    expect(res.status).toBe(200);
    const { added } = (await res.json()) as { added: SourceView[] };
    expect(added.map((s) => [s.url, s.name])).toEqual([['https://gamma.example/rss?a=1&b=2', 'Gamma & Delta']]);
  });

  it('refuses documents that are not OPML, DTDs, and other media types', async () => {
    const post = (body: string, type = 'application/xml') => request(target, '/api/admin/opml', { method: 'POST', headers: { 'content-type': type }, body });
    expect((await post('<rss version="2.0"/>')).status).toBe(422);
    const truncated = await post('<opml><body><outline text="a folder"><outline');
    expect(truncated.status).toBe(422);
    expect(((await truncated.json()) as { error: string }).error).toBe('opml: no feeds in it (no <outline> with an xmlUrl)');
    expect((await post('not xml at all')).status).toBe(422);
    const bomb = '<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><opml><body><outline xmlUrl="https://x.example/&b;"/></body></opml>';
    const refused = await post(bomb);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: string }).error).toMatch(/^opml: .*DTD/);
    expect((await post(OPML, 'application/json')).status).toBe(415);
    expect(await env.STATE.get(KV_KEYS.sources)).toBeNull();
  });
});

describe('admin run', () => {
  it('runs now and answers with the report; 409 while another run holds the lease', async () => {
    const res = await request(target, '/api/admin/run', { method: 'POST' });
    expect(res.status).toBe(200);
    const { report } = (await res.json()) as { report: { fetched: number; newArticles: number; skipped: null } };
    expect(report).toMatchObject({ skipped: null, fetched: 5, newArticles: 13 });

    const future = new Date(Date.now() + 120_000).toISOString();
    await env.STATE.put(KV_KEYS.lease, JSON.stringify({ owner: 'other', trigger: 'cron', acquired: new Date().toISOString(), expires: future }));
    const busy = await request(target, '/api/admin/run', { method: 'POST' });
    expect(busy.status).toBe(409);
    expect(((await busy.json()) as { error: string }).error).toMatch(/^admin: another run \(cron.*holds the lease/);
  });
});

describe('/health', () => {
  it('waits for the first run, then reports it and the sources, from one KV read and without secrets', async () => {
    const first = await request(target, '/health', { token: null });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ status: 'waiting for the first run', lastRun: null, sources: { tracked: 0 } });

    await env.STATE.put(KV_KEYS.sources, JSON.stringify({ version: 1, added: [{ id: 'broken', url: 'http://seeds.test/missing.xml', name: 'Broken' }], paused: [] }));
    await request(target, '/api/admin/run', { method: 'POST' });

    const counted = instrumentedKv(env.STATE);
    const res = await request({ ...target, STATE: counted.kv }, '/health', { token: null });
    expect(counted.calls).toHaveLength(1);
    const text = await res.text();
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('seeds.test');
    const health = JSON.parse(text) as { status: string; lastRun: RunSummary & { ageMinutes: number }; sources: Record<string, number> };
    expect(health.status).toBe('degraded');
    expect(health.sources).toEqual({ tracked: 6, ok: 5, failing: 1, paused: 0 });
    expect(health.lastRun).toMatchObject({ trigger: 'admin', outcome: 'errors', fetched: 5, failed: 1, newArticles: 13 });
    expect(health.lastRun.ageMinutes).toBeLessThan(2);

    // Paused, the failing source is counted apart from failing ones and no longer makes the Worker degraded.
    expect((await request(target, '/api/admin/sources/broken', jsonBody({ paused: true }, 'PATCH'))).status).toBe(200);
    await request(target, '/api/admin/run', { method: 'POST' });
    const paused = (await (await request(target, '/health', { token: null })).json()) as typeof health;
    expect(paused.status).toBe('ok');
    expect(paused.sources).toEqual({ tracked: 6, ok: 5, failing: 0, paused: 1 });
    const listed = (await (await request(target, '/api/admin/sources/broken')).json()) as { source: SourceView };
    expect(listed.source).toMatchObject({ paused: true, health: { failures: 1 } });
    expect(listed.source.health).not.toHaveProperty('paused');

    // Resumed, it counts as failing again from the next run.
    expect((await request(target, '/api/admin/sources/broken', jsonBody({ paused: false }, 'PATCH'))).status).toBe(200);
    await request(target, '/api/admin/run', { method: 'POST' });
    const resumed = (await (await request(target, '/health', { token: null })).json()) as typeof health;
    expect(resumed.status).toBe('degraded');
    expect(resumed.sources).toMatchObject({ failing: 1, paused: 0 });
  });

  it('answers 503 when no run has happened for three poll intervals', async () => {
    await request(target, '/api/admin/run', { method: 'POST' });
    const state = await readSourceState(env.STATE);
    const old = { ...state, lastRun: { ...state.lastRun!, at: new Date(Date.now() - 60 * 60_000).toISOString() } };
    await env.STATE.put(KV_KEYS.sourceState, JSON.stringify({ version: 2, ...old }));
    const res = await request(target, '/health', { token: null });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { status: string }).status).toBe('stale');
  });
});
