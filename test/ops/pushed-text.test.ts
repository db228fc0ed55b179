// Text pushed by a publisher (POST /api/articles, POST /api/feeds/ingest) reaches every output
// without a code point XML 1.0 forbids or a noncharacter, and a declared-UTF-8 document with a
// bad byte is read as UTF-8.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { runScheduled } from '../../src/scheduled';
import { readStories } from '../../src/store/stories';
import { hasForbiddenChars } from '../../src/util/xmlChars';
import { clearKv, jsonBody, request, runDeps, testEnv } from './helpers';

const target = testEnv({ SOURCES: '' });
const NASTY = '\u0001\u000B\uD800\uFDD0\uFFFE\uFFFF\uD83F\uDFFE\uDBFF\uDFFF';

beforeEach(() => clearKv());

const stringsIn = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(stringsIn) : [];

describe('pushed text in every output', () => {
  it('drops forbidden code points from pushed JSON and feed documents, and reads a bad UTF-8 byte as U+FFFD', async () => {
    const pushed = await request(target, '/api/articles', jsonBody({
      source: 'https://pushed.example/',
      outlet: `Pushed ${NASTY}Daily`,
      url: 'https://pushed.example/a',
      title: `Tunnel${NASTY} opens to traffic`,
      text: `The tunnel opened on Tuesday.${NASTY} Traffic is light.`,
      summary: `Tunnel opens${NASTY}.`,
      published: '2025-07-23T08:00:00Z',
    }));
    expect(pushed.status).toBe(202);

    const encoder = new TextEncoder();
    const doc = Uint8Array.from([
      ...encoder.encode('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Ingested &#xFFFF;</title><link>https://ingested.example/</link><item><title>Bridge A'),
      0xc3, 0x28,
      ...encoder.encode(` reopens &#1;&#xFDD0;\uFFFF</title><link>https://ingested.example/b</link><description>Repairs done.&#x10FFFF;</description><pubDate>Wed, 23 Jul 2025 07:00:00 GMT</pubDate></item></channel></rss>`),
    ]);
    const ingested = await request(target, '/api/feeds/ingest', { method: 'POST', headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body: doc });
    expect(ingested.status).toBe(202);

    await runScheduled(target, runDeps());
    const { stories } = await readStories(env.STATE);
    const titles = stories.flatMap((s) => s.sources.map((source) => source.title)).sort();
    expect(titles).toEqual(['Bridge A\uFFFD( reopens', 'Tunnel opens to traffic']);
    expect(stories.flatMap((s) => s.sources.map((source) => source.outlet)).sort()).toEqual(['Ingested', 'Pushed Daily']);
    expect(stringsIn(stories).filter(hasForbiddenChars)).toEqual([]);

    const paths = ['/feed.xml', '/atom.xml', '/feed.json', '/', '/api/stories'];
    for (const story of stories) {
      const id = encodeURIComponent(story.id);
      paths.push(`/stories/${id}`, `/stories/${id}.json`, `/stories/${id}/feed.xml`, `/stories/${id}/feed.json`);
    }
    for (const path of paths) {
      const res = await request(target, path, { token: null });
      expect(res.status, path).toBe(200);
      const body = await res.text();
      expect(hasForbiddenChars(body), path).toBe(false);
      if (body.startsWith('{')) expect(stringsIn(JSON.parse(body)).filter(hasForbiddenChars), path).toEqual([]);
      expect(body, path).not.toMatch(/&#x?0*(?:1|65535|fffe|ffff|fdd0);/i);
    }
  });
});
