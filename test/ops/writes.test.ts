// Concurrent admin edits are never lost silently; bidi controls reach no output; pushed things
// that are not feeds are refused (issues 11 and 13).
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseSourceList } from '../../src/config';
import { runScheduled } from '../../src/scheduled';
import { INBOX_PREFIX, KV_KEYS } from '../../src/store/keys';
import { clearKv, jsonBody, request, runDeps, seedFetch, SEED_URLS, testEnv } from './helpers';

const target = testEnv();
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

beforeEach(() => clearKv());

interface SourceView { id: string; url: string; name: string | null; paused: boolean }

async function listed(): Promise<SourceView[]> {
  return ((await (await request(target, '/api/admin/sources')).json()) as { sources: SourceView[] }).sources;
}

describe('concurrent admin edits', () => {
  it('ten sources added at once are all kept', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      request(target, '/api/admin/sources', jsonBody({ url: `https://feeds${i}.example.org/rss`, name: `Feed ${i}` }))));
    expect(answers.map((r) => r.status)).toEqual(new Array(10).fill(201));
    const urls = (await listed()).map((s) => s.url);
    for (let i = 0; i < 10; i++) expect(urls).toContain(`https://feeds${i}.example.org/rss`);
    expect(urls).toHaveLength(SEED_URLS.length + 10);
  });

  it('a rename and a pause of the same source at once: every change answered 200 is kept, the others say 409', async () => {
    const created = await request(target, '/api/admin/sources', jsonBody({ url: 'https://one.example.org/rss', name: 'One' }));
    const { source } = (await created.json()) as { source: SourceView };
    const [rename, pause] = await Promise.all([
      request(target, `/api/admin/sources/${source.id}`, jsonBody({ name: 'Renamed' }, 'PATCH')),
      request(target, `/api/admin/sources/${source.id}`, jsonBody({ paused: true }, 'PATCH')),
    ]);
    expect([200, 409]).toContain(rename.status);
    expect([200, 409]).toContain(pause.status);
    const now = (await listed()).find((s) => s.id === source.id)!;
    if (rename.status === 200) expect(now.name).toBe('Renamed');
    if (pause.status === 200) expect(now.paused).toBe(true);
    if (rename.status === 409) expect(((await rename.json()) as { error: string }).error).toMatch(/^admin: another change to source .* try again/);
  });
});

describe('bidi control characters', () => {
  it('are stripped from titles and outlet names wherever they enter, and reach no output', async () => {
    const sources = parseSourceList(JSON.stringify([{ url: SEED_URLS[0], name: 'Meridian \u202eTSOP' }, ...SEED_URLS.slice(1)]));
    expect(sources[0]!.name).toBe('Meridian TSOP');
    const spiked = testEnv({ SOURCES: JSON.stringify([{ url: SEED_URLS[0], name: 'Meridian \u202eTSOP\u2066' }, ...SEED_URLS.slice(1).map((url) => ({ url }))]) });
    const fetchImpl = seedFetch((body, url) => url.endsWith('.xml') ? new TextEncoder().encode(new TextDecoder().decode(body).replaceAll('<title>', '<title>\u202e\u200f')) : body);
    await request(spiked, '/api/articles', jsonBody({ source: 'https://push.example/', outlet: 'Push \u202aOutlet\u202c', id: 'p1', title: 'Pushed \u2067headline\u2069', text: 'Body \u061c.', published: '2025-07-22T09:30:00Z' }));
    const added = await request(spiked, '/api/admin/sources', jsonBody({ url: 'https://added.example/rss', name: 'Added \u202e\u200eName' }));
    expect(((await added.json()) as { source: SourceView }).source.name).toBe('Added Name');
    expect((await runScheduled(spiked, runDeps({ fetch: fetchImpl }))).newArticles).toBe(14);
    for (const path of ['/', '/feed.xml', '/atom.xml', '/feed.json', '/api/stories', '/api/admin/sources']) {
      const body = await (await request(spiked, path)).text();
      expect(BIDI.test(body), path).toBe(false);
    }
    expect(await (await request(spiked, '/feed.json')).text()).toContain('Push Outlet');
  });
});

describe('POST /api/feeds/ingest with what is not a feed', () => {
  const ingest = (body: string, type: string) =>
    request(target, '/api/feeds/ingest?source=https://push.example/feed.xml', { method: 'POST', headers: { 'content-type': type }, body });

  it.each([
    ['{"a":1}', 'application/json', /^ingest: not a feed: a JSON Feed needs "version"/],
    ['{"version": "https://jsonfeed.org/version/1.1", "title": "t"}', 'application/feed+json', /^ingest: not a feed: a JSON Feed needs .*"items"/],
    ['<?xml version="1.0"?><rss version="2.0">', 'application/rss+xml', /^ingest: the document ends before its root element <rss> is closed \(truncated\?\)/],
    ['<rss version="2.0"><channel><title>x</title><item><title>Half', 'application/rss+xml', /truncated/],
    ['<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>cut', 'application/atom+xml', /root element <feed>/],
    ['<rss version="2.0"></rss>', 'application/rss+xml', /^ingest: not a feed: no channel, feed metadata or items found/],
  ])('refuses %j with 422 and publishes nothing', async (body, type, message) => {
    const res = await ingest(body, type);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
    expect((await env.STATE.list({ prefix: INBOX_PREFIX })).keys).toEqual([]);
    await runScheduled(target, runDeps());
    expect(await env.STATE.get(KV_KEYS.stories)).not.toContain('push.example');
  });

  it('still takes a complete feed, with trailing whitespace and comments', async () => {
    const res = await ingest('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>x</title><item><guid>1</guid><title>Whole</title></item></channel></rss>\n<!-- generated -->\n', 'application/rss+xml');
    expect(res.status).toBe(202);
  });
});
