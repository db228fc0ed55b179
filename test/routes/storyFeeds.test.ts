// Follow a story: /stories/:id/feed.xml and /feed.json, an entry per report as it joins.
import { parseFeed as parseWithRowanmanning } from '@rowanmanning/feed-parser';
import { env } from 'cloudflare:test';
import { parseAtomFeed, parseJsonFeed } from 'feedsmith';
import { beforeEach, describe, expect, it } from 'vitest';
import { app } from '../../src/app';
import { renderStoryAtom, renderStoryJsonFeed } from '../../src/render/storyFeed';
import { buildStoryView } from '../../src/render/view';
import { siteInfo } from '../../src/render/site';
import { KV_KEYS } from '../../src/store/keys';
import { storedSnapshot } from '../../src/stories/shelf';
import { StoredStories } from '../../src/stories/storedStories';
import { writeStories } from '../../src/store/stories';
import { hostileStory, snapshotOf, source, story, testSettings } from '../render/fixtures';

const vars = { ...env, PUBLIC_URL: 'https://wire.example' } as Env;
const get = (path: string, init: RequestInit = {}) => app.request(`https://wire.example${path}`, init, vars);
const site = siteInfo(testSettings(), 'https://wire.example');

const third = source({ articleId: 'a3', sourceId: 's3', outlet: 'Metro Times', title: 'Bridge back in service', url: 'https://metro.example/bridge', published: '2026-11-20T10:00:00.000Z', seenAt: '2026-11-20T10:05:00.000Z', summary: 'Metro summary' });

beforeEach(async () => {
  await env.STATE.delete(KV_KEYS.corrections);
  await writeStories(env.STATE, storedSnapshot(snapshotOf([story(), hostileStory()], { 'st-old': 'st-1' })));
});

describe('/stories/:id/feed.xml', () => {
  it('is Atom with one entry per report, newest first, each with its outlet as the one author', async () => {
    const res = await get('/stories/st-1/feed.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const xml = await res.text();
    const feed = parseAtomFeed(xml);
    expect(feed.id).toBe('https://wire.example/stories/st-1/feed.xml');
    expect(feed.links?.find((l) => l.rel === 'self')?.href).toBe('https://wire.example/stories/st-1/feed.xml');
    expect(feed.links?.find((l) => l.rel === 'alternate')?.href).toBe('https://wire.example/stories/st-1');
    expect(feed.entries?.map((e) => (e.title as unknown as { value: string }).value ?? e.title)).toEqual(['Gotham Gazette: City bridge open again', 'Daily Planet: Bridge reopens after repairs']);
    expect(feed.entries?.map((e) => e.authors?.map((a) => a.name))).toEqual([['Gotham Gazette'], ['Daily Planet']]);
    expect(feed.entries?.[0]?.id).toBe('https://wire.example/stories/st-1#report-a2');
    expect(feed.entries?.[0]?.links?.find((l) => l.rel === 'alternate')?.href).toBe('https://gazette.example/b?x=1&y=2');
    const strict = parseWithRowanmanning(xml);
    expect(strict.items).toHaveLength(2);
  });

  it('keeps every earlier entry byte for byte when another outlet joins', () => {
    const before = buildStoryView(story(), site.base, '2026-11-22T00:00:00.000Z');
    const after = buildStoryView(story({ updated: '2026-11-20T10:05:00.000Z', sources: [...story().sources, third] }), site.base, '2026-11-25T00:00:00.000Z');
    const entries = (xml: string) => xml.match(/<entry>[\s\S]*?<\/entry>/g) ?? [];
    const [oldAtom, newAtom] = [entries(renderStoryAtom(before, site)), entries(renderStoryAtom(after, site))];
    expect(newAtom).toHaveLength(3);
    expect(newAtom.slice(1)).toEqual(oldAtom);
    type Item = { id: string; date_modified: string; content_html: string };
    const items = (view: typeof before) => (JSON.parse(renderStoryJsonFeed(view, site)) as { items: Item[] }).items;
    expect(items(after).slice(1)).toEqual(items(before));
    expect(items(after)[0]).toMatchObject({ id: 'https://wire.example/stories/st-1#report-a3', date_modified: '2026-11-20T10:00:00.000Z', summary: 'Metro summary' });
  });

  it('escapes hostile text and stays well-formed', async () => {
    const xml = await (await get(`/stories/${encodeURIComponent('st-hostile/../?x=1&y')}/feed.xml`)).text();
    expect(xml).not.toContain('<script>');
    expect(parseWithRowanmanning(xml).items).toHaveLength(2);
  });

  it('redirects a merged-away id to the survivor\'s feed, and answers 404 for an unknown one', async () => {
    const moved = await get('/stories/st-old/feed.xml');
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe('https://wire.example/stories/st-1/feed.xml');
    const missing = await get('/stories/nope/feed.json');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'story: no story with id "nope"' });
  });

  it('answers conditional requests with 304', async () => {
    const etag = (await get('/stories/st-1/feed.json')).headers.get('etag')!;
    expect((await get('/stories/st-1/feed.json', { headers: { 'if-none-match': etag } })).status).toBe(304);
  });
});

describe('/stories/:id/feed.json', () => {
  it('is JSON Feed 1.1: version, feed_url, unique string ids, RFC 3339 dates, one author per item', async () => {
    const res = await get('/stories/st-1/feed.json');
    expect(res.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const text = await res.text();
    const feed = JSON.parse(text) as { version: string; feed_url: string; home_page_url: string; items: { id: string; url: string; date_published: string; authors: { name: string }[]; content_html: string }[] };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.feed_url).toBe('https://wire.example/stories/st-1/feed.json');
    expect(feed.home_page_url).toBe('https://wire.example/stories/st-1');
    expect(new Set(feed.items.map((i) => i.id)).size).toBe(2);
    for (const item of feed.items) {
      expect(typeof item.id).toBe('string');
      expect(item.date_published).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      expect(item.authors).toHaveLength(1);
      expect(item.content_html).toContain('Every report of this story');
    }
    expect(parseJsonFeed(JSON.parse(text)).items).toHaveLength(2);
  });
});

describe('the story page', () => {
  it('links both story feeds with <link rel="alternate">, before the site-wide feeds', async () => {
    const html = await (await get('/stories/st-1')).text();
    const alternates = [...html.matchAll(/<link rel="alternate" type="([^"]+)"[^>]*href="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(alternates.slice(0, 2)).toEqual([
      'application/atom+xml https://wire.example/stories/st-1/feed.xml',
      'application/feed+json https://wire.example/stories/st-1/feed.json',
    ]);
  });
});

describe('one story, one record read', () => {
  it('a story page and its feeds read only that story\'s record (another damaged record does not touch them); a listing reads them all', async () => {
    const bytes = storedSnapshot(snapshotOf([story(), story({ id: 'st-2', title: 'Another story' })], { 'st-old': 'st-1' }));
    const stored = StoredStories.decode(bytes);
    stored.record(1).fill(0x7b); // st-2's bytes, damaged in place
    await writeStories(env.STATE, bytes);

    for (const path of ['/stories/st-1', '/stories/st-1.json', '/stories/st-1/feed.xml', '/stories/st-1/feed.json']) {
      expect((await get(path)).status, path).toBe(200);
    }
    expect((await get('/stories/st-old/feed.json')).headers.get('location')).toBe('https://wire.example/stories/st-1/feed.json');
    expect((await get('/stories/st-3')).status).toBe(404);
    // A filtered listing parses every record, and says it could not.
    expect((await get('/feed.json?limit=5')).status).toBe(500);
  });
});
