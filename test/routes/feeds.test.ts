import { parseFeed as parseWithRowanmanning } from '@rowanmanning/feed-parser';
import { env } from 'cloudflare:test';
import { parseJsonFeed } from 'feedsmith';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readSettings } from '../../src/config';
import type { PrerenderedFormat, StoriesSnapshot } from '../../src/model';
import { fitBundle } from '../../src/render/publish';
import { feedRoutes } from '../../src/routes/feeds';
import { KV_KEYS } from '../../src/store/keys';
import { readRendered, writeRendered } from '../../src/store/rendered';
import { readPages } from '../../src/store/corrections';
import { isStoredBundle } from '../../src/render/storedBundle';
import { storedSnapshot } from '../../src/stories/shelf';
import { writeStories } from '../../src/store/stories';
import { hostileStory, manyStories, snapshotOf, source, story } from '../render/fixtures';
import { layout, spoilt, withMeta } from '../render/storedBundleFixtures';

const publicEnv = { ...env, PUBLIC_URL: 'https://wire.example', FEED_PAGE_SIZE: '10' } as Env;
const settingsOf = (vars: Env) => readSettings(vars as unknown as Record<string, unknown>);

/** Stores the snapshot and publishes it as the scheduled run would, under `vars`' settings. */
async function seed(snapshot: StoriesSnapshot, vars: Env = publicEnv) {
  await writeStories(env.STATE, storedSnapshot(snapshot));
  await writeRendered(env.STATE, (await fitBundle(snapshot, settingsOf(vars))).bytes);
}

const get = (path: string, init: RequestInit = {}, vars: Env = publicEnv) =>
  feedRoutes.request(`http://localhost${path}`, init, vars);

const FEEDS = [
  ['/feed.xml', 'application/rss+xml; charset=utf-8'],
  ['/atom.xml', 'application/atom+xml; charset=utf-8'],
  ['/feed.json', 'application/feed+json; charset=utf-8'],
  ['/', 'text/html; charset=utf-8'],
  ['/api/stories', 'application/json; charset=utf-8'],
] as const;

beforeEach(async () => {
  await env.STATE.delete(KV_KEYS.stories);
  await env.STATE.delete(KV_KEYS.rendered);
  await seed(snapshotOf([story(), hostileStory(), ...manyStories(25)], { 'st-old': 'st-1', 'st-older': 'st-old' }));
});

describe.each(FEEDS)('%s', (path, contentType) => {
  it('serves the pre-rendered view with validators and caching', async () => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe(contentType);
    expect(res.headers.get('ETag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(res.headers.get('Last-Modified')).toBe('Sat, 21 Nov 2026 11:00:00 GMT');
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300');
    expect(await res.text()).toContain('https://wire.example/stories/st-1');
  });

  it('answers 304 to a matching If-None-Match or a later If-Modified-Since', async () => {
    const etag = (await get(path)).headers.get('ETag')!;
    const byTag = await get(path, { headers: { 'If-None-Match': `W/${etag}, "other"` } });
    expect(byTag.status).toBe(304);
    expect(await byTag.text()).toBe('');
    expect(byTag.headers.get('ETag')).toBe(etag);
    expect((await get(path, { headers: { 'If-Modified-Since': 'Sat, 21 Nov 2026 11:00:00 GMT' } })).status).toBe(304);
    expect((await get(path, { headers: { 'If-Modified-Since': 'Sat, 21 Nov 2026 10:59:59 GMT' } })).status).toBe(200);
    // If-None-Match wins over If-Modified-Since.
    expect((await get(path, { headers: { 'If-None-Match': '"stale"', 'If-Modified-Since': 'Sat, 21 Nov 2026 11:00:00 GMT' } })).status).toBe(200);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await get(path, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe(contentType);
    expect(res.headers.get('ETag')).toBe((await get(path)).headers.get('ETag'));
    expect(await res.text()).toBe('');
  });

  it('renders the same document from the snapshot when nothing was pre-rendered', async () => {
    const published = await (await get(path)).text();
    await env.STATE.delete(KV_KEYS.rendered);
    expect(await (await get(path)).text()).toBe(published);
  });

  it('rejects a bad filter with 400 and a clear message', async () => {
    const res = await get(`${path}?min_sources=lots`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('filter: min_sources: expected a whole number from 1 to 1000, got &quot;lots&quot;'.replace(/&quot;/g, path === '/' ? '&quot;' : path.includes('json') || path.startsWith('/api') ? '\\"' : '"'));
  });
});

describe('filters and paging', () => {
  it('pages RSS with RFC 5005 links and no repeated items', async () => {
    const seen = new Set<string>();
    let url: string | null = 'https://wire.example/feed.xml?limit=8';
    let pages = 0;
    while (url) {
      const xml = await (await get(url.replace('https://wire.example', ''))).text();
      const feed = parseWithRowanmanning(xml);
      for (const item of feed.items) {
        expect(seen.has(item.id!)).toBe(false);
        seen.add(item.id!);
      }
      url = /<atom:link href="([^"]+)" rel="next"\/>/.exec(xml)?.[1]?.replace(/&amp;/g, '&') ?? null;
      pages++;
    }
    expect(pages).toBe(4);
    expect(seen.size).toBe(27);
  });

  it('follows JSON Feed next_url to the end', async () => {
    let next: string | undefined = '/feed.json';
    const ids: string[] = [];
    while (next) {
      const feed: ReturnType<typeof parseJsonFeed> = parseJsonFeed(await (await get(next)).json());
      ids.push(...(feed.items ?? []).map((item) => item.id ?? ""));
      next = feed.next_url?.replace('https://wire.example', '');
    }
    expect(new Set(ids).size).toBe(27);
  });

  it('applies min_sources, since and q from the snapshot', async () => {
    const api = async (search: string) => (await (await get(`/api/stories${search}`)).json()) as { total: number; stories: { id: string; source_count: number }[] };
    const multi = await api('?min_sources=3&limit=100');
    expect(multi.total).toBeGreaterThan(0);
    expect(multi.stories.every((s) => s.source_count >= 3)).toBe(true);
    expect((await api('?since=2026-11-20T00:00:00Z')).stories.map((s) => s.id)).toEqual(['st-1', 'st-hostile/../?x=1&y']);
    expect((await api('?q=gazette')).stories.map((s) => s.id)).toEqual(['st-1']);
  });

  it('answers 404 past the last page', async () => {
    const res = await get('/feed.xml?page=9');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('filter: page 9 is past the last page (3)');
  });
});

describe('story pages', () => {
  it('serves a story as HTML and JSON, ids percent-encoded', async () => {
    const html = await get('/stories/st-1');
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('Bridge reopens after repairs');
    const json = await get(`/stories/${encodeURIComponent('st-hostile/../?x=1&y')}.json`);
    expect(json.status).toBe(200);
    const body = (await json.json()) as { id: string; url: string; sources: unknown[] };
    expect(body.id).toBe('st-hostile/../?x=1&y');
    expect(body.url).toBe('https://wire.example/stories/st-hostile%2F..%2F%3Fx%3D1%26y');
    expect(body.sources).toHaveLength(2);
  });

  it('redirects merged-away ids to the surviving story, through chains', async () => {
    const res = await get('/stories/st-older.json');
    expect(res.status).toBe(301);
    expect(res.headers.get('Location')).toBe('https://wire.example/stories/st-1.json');
    expect((await get('/stories/st-old')).headers.get('Location')).toBe('https://wire.example/stories/st-1');
  });

  it('answers 404 for an unknown id', async () => {
    const res = await get('/stories/nope.json');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'story: no story with id "nope"' });
    expect((await get('/stories/nope')).status).toBe(404);
  });

  it('supports 304 on story pages', async () => {
    const etag = (await get('/stories/st-1')).headers.get('ETag')!;
    expect((await get('/stories/st-1', { headers: { 'If-None-Match': etag } })).status).toBe(304);
  });
});

describe('CORS', () => {
  it('lets any origin read the JSON routes and feeds', async () => {
    for (const path of ['/feed.json', '/api/stories', '/stories/st-1.json', '/feed.xml']) {
      const res = await get(path, { headers: { Origin: 'https://app.example' } });
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
      expect(res.headers.get('Access-Control-Expose-Headers')).toContain('ETag');
    }
  });

  it('answers a preflight', async () => {
    const res = await get('/api/stories', { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'If-None-Match' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Methods')).toContain('GET');
    expect(res.headers.get('Access-Control-Allow-Headers')).toContain('If-None-Match');
  });

  it('is not added to the HTML front page', async () => {
    expect((await get('/', { headers: { Origin: 'https://app.example' } })).headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('without PUBLIC_URL', () => {
  const originEnv = { ...env, PUBLIC_URL: '', FEED_PAGE_SIZE: '10' } as Env;

  it('links to the origin each request came to, from one pre-rendered bundle', async () => {
    await seed(snapshotOf([story()]), originEnv);
    const a = await feedRoutes.request('https://a.example/feed.xml', {}, originEnv);
    const b = await feedRoutes.request('http://localhost:8787/feed.xml', {}, originEnv);
    const aText = await a.text();
    expect(aText).toContain('<link>https://a.example/stories/st-1</link>');
    expect(aText).not.toContain('.invalid');
    expect(await b.text()).toContain('<link>http://localhost:8787/stories/st-1</link>');
    expect(a.headers.get('ETag')).not.toBe(b.headers.get('ETag'));
  });

  it('matches what rendering from the snapshot gives', async () => {
    await seed(snapshotOf([story(), hostileStory()]), originEnv);
    const published = await (await feedRoutes.request('https://a.example/atom.xml', {}, originEnv)).text();
    await env.STATE.delete(KV_KEYS.rendered);
    expect(await (await feedRoutes.request('https://a.example/atom.xml', {}, originEnv)).text()).toBe(published);
  });
});

it('ignores a bundle rendered under other settings', async () => {
  const retitled = { ...publicEnv, SITE_TITLE: 'Renamed Wire' } as Env;
  expect(await (await get('/feed.xml', {}, retitled)).text()).toContain('<title>Renamed Wire</title>');
});

it('serves an empty but valid feed before the first run', async () => {
  await env.STATE.delete(KV_KEYS.stories);
  await env.STATE.delete(KV_KEYS.rendered);
  const res = await get('/atom.xml');
  expect(res.status).toBe(200);
  expect(parseWithRowanmanning(await res.text()).items).toHaveLength(0);
});

/** The real namespace, with every call recorded. */
function countingKv() {
  const calls: string[] = [];
  const kv = new Proxy(env.STATE, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(`${String(prop)} ${String(args[0])}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { kv, calls };
}

describe('KV budget', () => {
  it('a published bundle is one write, and the default views are served from it alone', async () => {
    const { kv, calls } = countingKv();
    const published = await fitBundle(snapshotOf(manyStories(30)), settingsOf(publicEnv));
    await writeRendered(kv, published.bytes);
    expect(calls).toEqual([`put ${KV_KEYS.rendered}`]);
    const res = await get('/feed.json', {}, { ...publicEnv, STATE: kv } as Env);
    expect(await res.text()).toBe(published.bundle.views.json.body);
    expect(calls).toEqual([`put ${KV_KEYS.rendered}`, `get ${KV_KEYS.rendered}`]);
  });

  it('a default request reads only the pre-rendered views; a filtered or sorted one the snapshot and the corrections', async () => {
    const { kv, calls } = countingKv();
    const counted = { ...publicEnv, STATE: kv } as Env;
    for (const path of ['/feed.xml', '/']) {
      expect((await get(path, {}, counted)).status).toBe(200);
      expect(calls).toEqual([`get ${KV_KEYS.rendered}`]);
      calls.length = 0;
    }
    for (const path of ['/feed.xml?min_sources=2', '/feed.xml?sort=top', '/?sort=new']) {
      expect((await get(path, {}, counted)).status).toBe(200);
      expect(calls.sort()).toEqual([`get ${KV_KEYS.corrections}`, `get ${KV_KEYS.stories}`]);
      calls.length = 0;
    }
  });

  it('serves the default view as published, even if the snapshot moved on', async () => {
    await writeStories(env.STATE, storedSnapshot(snapshotOf([story({ id: 'newer', title: 'Not yet published' })])));
    expect(await (await get('/feed.json')).text()).not.toContain('Not yet published');
    expect(await (await get('/feed.json?limit=5')).text()).toContain('Not yet published');
  });
});

describe('the stored bundle', () => {
  const FORMAT_OF: Record<string, PrerenderedFormat> = { '/feed.xml': 'rss', '/atom.xml': 'atom', '/feed.json': 'json', '/': 'html', '/api/stories': 'api' };
  const originEnv = { ...env, PUBLIC_URL: '', FEED_PAGE_SIZE: '10' } as Env;
  const snapshot = snapshotOf([story(), hostileStory(), ...manyStories(25)]);
  /** Stories that moved on since the bundle: what a request rendering from them shows, and one served from the bundle does not. */
  const movedOn = () => writeStories(env.STATE, storedSnapshot(snapshotOf([story({ id: 'newer', title: 'Not yet published' }), ...snapshot.stories])));
  const text = async (res: Response) => {
    expect(res.status).toBe(200);
    return res.text();
  };

  afterEach(() => vi.restoreAllMocks());

  it('of the previous version (one JSON document) is served until a run rewrites it', async () => {
    for (const vars of [publicEnv, originEnv]) {
      const published = await fitBundle(snapshot, settingsOf(vars));
      await env.STATE.put(KV_KEYS.rendered, JSON.stringify(published.bundle));
      await movedOn();
      for (const [path] of FEEDS) {
        const res = await feedRoutes.request(`https://a.example${path}`, {}, vars);
        const expected = published.bundle.views[FORMAT_OF[path]!];
        expect(await text(res), path).toBe(expected.body.replaceAll(published.bundle.base, vars === publicEnv ? 'https://wire.example' : 'https://a.example'));
        if (vars === publicEnv) expect(res.headers.get('ETag')).toBe(expected.etag);
      }
    }
  });

  it('when damaged is no bundle: every default view is rendered from the stories, never a 500', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    for (const vars of [publicEnv, originEnv]) {
      const { bytes } = await fitBundle(snapshot, settingsOf(vars));
      await movedOn();
      await env.STATE.delete(KV_KEYS.rendered);
      const fromStories = new Map<string, string>();
      for (const [path] of FEEDS) fromStories.set(path, await text(await feedRoutes.request(`https://a.example${path}`, {}, vars)));
      expect(fromStories.get('/feed.xml')).toContain('Not yet published');
      const { meta, payloadStart } = layout(bytes);
      const damaged: [string, Uint8Array | string][] = [
        ['cut in half', bytes.subarray(0, bytes.length >> 1)],
        ['cut in the header', bytes.subarray(0, 6)],
        ['bad magic', new Uint8Array([0x53, 0x57, 0x53, 0x54, ...bytes.subarray(4)])],
        ['meta length past the end', (() => { const c = bytes.slice(); new DataView(c.buffer).setUint32(8, 0xffffffff, true); return c; })()],
        ['meta not JSON', spoilt(bytes, { offset: 12 - payloadStart, bytes: 3 }, 0x5b)],
        ['a body outside the payload', withMeta(bytes, (m) => ({ ...m, views: { ...meta.views, html: { offset: bytes.length, bytes: 10 } } }))],
        ['zero bytes', new Uint8Array(0)],
        ['JSON of something else', '{"version":1,"views":"no"}'],
        ['text', 'rendered'],
      ];
      for (const [what, value] of damaged) {
        await env.STATE.put(KV_KEYS.rendered, value);
        for (const [path] of FEEDS) expect(await text(await feedRoutes.request(`https://a.example${path}`, {}, vars)), `${what}: ${path}`).toBe(fromStories.get(path));
      }
    }
  });

  it('a default request decodes no body, and reads only its own: the others may be garbage', async () => {
    for (const vars of [publicEnv, originEnv]) {
      const published = await fitBundle(snapshot, settingsOf(vars));
      const { meta, metaLength } = layout(published.bytes);
      await movedOn();
      for (const [path] of FEEDS) {
        const format = FORMAT_OF[path]!;
        // 0xFF is never UTF-8: a request that decoded, or parsed, another body or the pieces would fail on them.
        let value = published.bytes;
        for (const [other, span] of Object.entries(meta.views)) if (other !== format) value = spoilt(value, span, 0xff);
        value = spoilt(value, meta.pieces!, 0xff);
        await env.STATE.put(KV_KEYS.rendered, value);
        let decoded = 0;
        const decode = TextDecoder.prototype.decode;
        vi.spyOn(TextDecoder.prototype, 'decode').mockImplementation(function (this: TextDecoder, ...args: Parameters<TextDecoder['decode']>) {
          decoded += args[0]?.byteLength ?? 0;
          return decode.apply(this, args);
        });
        const res = await feedRoutes.request(`https://a.example${path}`, {}, vars);
        vi.restoreAllMocks();
        const expected = published.bundle.views[format].body.replaceAll(published.bundle.base, vars === publicEnv ? 'https://wire.example' : 'https://a.example');
        expect(await text(res), path).toBe(expected);
        // The meta alone: the body's bytes are served as stored, or with the request's origin spliced in.
        expect(decoded, path).toBe(metaLength);
      }
    }
  });

  it('a run rewrites a damaged or older value as a good one', async () => {
    // The pieces test (test/render/pieces.test.ts) and the layout's (storedBundle.test.ts) show what is copied; here, end to end.
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await writeStories(env.STATE, storedSnapshot(snapshot));
    const published = await fitBundle(await readPages(env.STATE), settingsOf(publicEnv));
    for (const [value, reused] of [[published.bytes.subarray(0, 100), 0], [JSON.stringify(published.bundle), published.bundle.pieces!.stories.length]] as const) {
      await env.STATE.put(KV_KEYS.rendered, value);
      // What src/scheduled.ts does at the end of a run with news.
      const [pages, previous] = await Promise.all([readPages(env.STATE), readRendered(env.STATE)]);
      const next = await fitBundle(pages, settingsOf(publicEnv), { previous });
      await writeRendered(env.STATE, next.bytes);
      expect(next.report.storiesReused).toBe(reused);
      expect(next.bytes).toEqual(published.bytes);
      const stored = new Uint8Array((await env.STATE.get(KV_KEYS.rendered, 'arrayBuffer'))!);
      expect(isStoredBundle(stored)).toBe(true);
      expect(await text(await get('/feed.xml'))).toBe(published.bundle.views.rss.body);
    }
  });
});

describe('sort', () => {
  const WIRE = 'The regional transport authority said on Monday that the new tram line linking the harbour district ' +
    'with the university campus will open in March, two years later than planned, after a dispute over the tender.';

  it('refuses an unknown order with 400 naming the choices', async () => {
    const res = await get('/feed.json?sort=best');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'filter: sort: expected new or top, got "best"' });
  });

  it('ranks the front page by default and shows the formula; ?sort=new lists the newest change first', async () => {
    const crowded = story({
      id: 'crowded', title: 'Tram line delayed', updated: '2026-11-01T00:00:00.000Z', firstSeen: '2026-11-01T00:00:00.000Z',
      sources: ['A', 'B', 'C', 'D', 'E', 'F'].map((o, i) => source({ articleId: `t${i}`, outlet: `Outlet ${o}`, published: '2026-11-21T10:00:00.000Z', seenAt: '2026-11-21T10:00:00.000Z' })),
    });
    await seed(snapshotOf([hostileStory(), story(), crowded, ...manyStories(3)]));
    const top = await (await get('/')).text();
    expect(top).toContain('independent outlets ÷ (1 + hours since the latest report ÷ 24)');
    expect(/<h2><a[^>]*>([^<]+)/.exec(top)?.[1]).toBe('Tram line delayed');
    const latest = await (await get('/?sort=new')).text();
    expect(/<h2><a[^>]*>([^<]+)/.exec(latest)?.[1]).not.toBe('Tram line delayed');
    expect(latest).toContain('<a href="https://wire.example/">Top stories</a>');
    const feed = (await (await get('/feed.json')).json()) as { items: { title: string }[] };
    expect(feed.items[0]!.title).not.toBe('Tram line delayed');
    const ranked = (await (await get('/feed.json?sort=top')).json()) as { feed_url: string; items: { title: string }[] };
    expect(ranked.items[0]!.title).toBe('Tram line delayed');
    expect(ranked.feed_url).toBe('https://wire.example/feed.json?sort=top');
  });

  it('marks a syndicated copy on the page, in the feed body and in _sources, and counts it once', async () => {
    const { textFingerprint } = await import('../../src/stories/fingerprint');
    const fp = textFingerprint(WIRE);
    const syndicated = story({
      id: 'wire', sources: [
        source({ articleId: 'w1', outlet: 'Wire Agency', fingerprint: fp, published: '2026-11-20T08:00:00.000Z' }),
        source({ articleId: 'w2', sourceId: 's2', outlet: 'Town Paper', fingerprint: fp, published: '2026-11-20T08:01:00.000Z' }),
      ],
    });
    await seed(snapshotOf([syndicated]));
    const page = await (await get('/stories/wire')).text();
    expect(page).toContain('same text as Wire Agency');
    expect(page).toContain('1 independent');
    const item = ((await (await get('/feed.json')).json()) as { items: { content_html: string; _sources: { independent: number; items: { copy_of: string | null }[] } }[] }).items[0]!;
    expect(item.content_html).toContain('(same text as Wire Agency)');
    expect(item._sources.independent).toBe(1);
    expect(item._sources.items.map((s) => s.copy_of)).toEqual([null, 'Wire Agency']);
  });
});
