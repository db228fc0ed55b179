// The whole product, end to end: the five seed publishers' feeds -> the real scheduled handler
// (and, with queues, the real queue handler: poll consumers, then the one writer) -> KV -> the
// feed routes. The seed event must come out as ONE story with five sources, on either topology.
import { createScheduledController, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import sourcesJson from '../../seeds/sources.json';
import worker from '../../src/index';
import { KV_KEYS } from '../../src/store/keys';
import { readStories } from '../../src/store/stories';
import { LocalQueues } from '../fixtures/localQueues';
import { clearKv } from '../ops/helpers';

const SEED_SOURCES = JSON.stringify(sourcesJson.map((s) => ({ url: `http://seeds.test/${s.file}`, name: s.name })));

describe.each(['one invocation', 'queues'] as const)('seed feeds end to end (%s)', (topology) => {
  const queues = new LocalQueues();
  const bindings = topology === 'queues' ? queues.bindings() : { POLL_QUEUE: undefined, FILE_QUEUE: undefined };
  const testEnv = { ...env, ...bindings, SOURCES: SEED_SOURCES, ALLOW_PRIVATE_SOURCES: 'true', PUBLIC_URL: 'https://news.example.org' } as unknown as Env;

  async function runCron() {
    await worker.scheduled(createScheduledController({ cron: '*/15 * * * *', scheduledTime: Date.now() }), testEnv);
    await queues.drain((queue, messages) => worker.queue({ queue, messages, ackAll() {}, retryAll() {} } as unknown as MessageBatch, testEnv));
  }

  async function get(path: string) {
    return worker.fetch(new Request(`https://news.example.org${path}`), testEnv, {} as ExecutionContext);
  }

  interface JsonFeedItem { id: string; title: string; url: string; _sources: { count: number; items: { url: string | null; outlet: string }[] } }

  function isSeedEvent(title: string) {
    return /ukrain|zelensky|peace talks/i.test(title);
  }

  beforeAll(async () => {
    await clearKv();
    await runCron();
  });

  if (topology === 'queues') {
    it('went through the queues: one poll order, one filing, nothing retried or dead-lettered', () => {
      expect(queues.counts.get('storywire-poll')).toMatchObject({ sent: 1, acked: 1, retried: 0 });
      expect(queues.counts.get('storywire-file')).toMatchObject({ sent: 1, acked: 1, retried: 0 });
      expect(queues.counts.get('storywire-dead')!.sent).toBe(0);
    });
  }

  it('files the five reports of the seed event as one story with five sources', async () => {
    const { stories } = await readStories(env.STATE);
    const seedStories = stories.filter((s) => s.sources.some((src) => isSeedEvent(src.title)));
    expect(seedStories).toHaveLength(1);
    const outlets = seedStories[0]!.sources.map((s) => s.outlet).sort();
    expect(outlets).toEqual(['Eastgate Review', 'Harbor Daily', 'Northline News', 'The Civic Wire', 'The Meridian Post']);
  });

  it('keeps the other stories apart, and merges the two reports of the rate decision', async () => {
    const { stories } = await readStories(env.STATE);
    const ecb = stories.filter((s) => s.sources.some((src) => /central bank|ECB/i.test(src.title)));
    expect(ecb).toHaveLength(1);
    expect(ecb[0]!.sources.map((s) => s.outlet).sort()).toEqual(['Harbor Daily', 'Northline News']);
    const floods = stories.filter((s) => s.sources.some((src) => /flood/i.test(src.title)));
    expect(floods).toHaveLength(1);
    expect(floods[0]!.sources).toHaveLength(1);
    // 13 seed articles: 5 in one story, 2 in another, 6 alone.
    expect(stories).toHaveLength(8);
  });

  it('serves the story once in JSON Feed with a link to every source', async () => {
    const res = await get('/feed.json');
    expect(res.status).toBe(200);
    const feed = (await res.json()) as { items: JsonFeedItem[] };
    const seedItems = feed.items.filter((i) => isSeedEvent(i.title));
    expect(seedItems).toHaveLength(1);
    const links = seedItems[0]!._sources.items.map((s) => s.url);
    expect(links).toHaveLength(5);
    expect(links).toContain('https://www.meridianpost.example/world/2025/07/ukraine-proposes-renewed-peace-talks');
    expect(links).toContain('https://northline.example/2025/07/ukraine-proposes-fresh-peace-talks-zelensky-putin-meeting/');
    expect(new Set(feed.items.map((i) => i.id)).size).toBe(feed.items.length);
  });

  it('serves the same story once in RSS, Atom and HTML', async () => {
    for (const path of ['/feed.xml', '/atom.xml', '/']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      const body = await res.text();
      for (const outlet of ['The Meridian Post', 'Harbor Daily', 'Northline News', 'The Civic Wire', 'Eastgate Review']) {
        expect(body, `${path} names ${outlet}`).toContain(outlet);
      }
    }
  });

  it('lists the seed story first under ?sort=top in every listing and on the front page by default, five independent outlets', async () => {
    for (const path of ['/?sort=top', '/', '/feed.json?sort=top', '/api/stories?sort=top', '/feed.xml?sort=top', '/atom.xml?sort=top']) {
      const body = await (await get(path)).text();
      const firstTitle = path.startsWith('/feed.json')
        ? (JSON.parse(body) as { items: JsonFeedItem[] }).items[0]!.title
        : path.startsWith('/api/')
          ? (JSON.parse(body) as { stories: { title: string; independent_outlets: number }[] }).stories[0]!.title
          : /<(?:h2><a[^>]*|item>\s*<title|entry>\s*<id>[^<]*<\/id>\s*<title)>([^<]+)</.exec(body)?.[1] ?? '';
      expect(isSeedEvent(firstTitle), `${path} starts with "${firstTitle}"`).toBe(true);
    }
    const api = (await (await get('/api/stories?sort=top')).json()) as { stories: { independent_outlets: number; sources: { copy_of: string | null }[] }[] };
    expect(api.stories[0]!.independent_outlets).toBe(5);
    expect(api.stories[0]!.sources.map((s) => s.copy_of)).toEqual([null, null, null, null, null]);
    // The feeds keep newest first unless asked: the seed story is not their first item.
    const newest = (await (await get('/feed.json')).json()) as { items: JsonFeedItem[] };
    expect(isSeedEvent(newest.items[0]!.title)).toBe(false);
  });

  it('does not duplicate anything when the same feeds are polled again', async () => {
    const before = await readStories(env.STATE);
    // Make every source due again, then run.
    await env.STATE.delete(KV_KEYS.sourceState);
    await env.STATE.delete(KV_KEYS.pollsSent);
    await runCron();
    const after = await readStories(env.STATE);
    expect(after.stories).toHaveLength(8);
    expect(after.stories.flatMap((s) => s.sources)).toHaveLength(13);
    expect(before.stories.map((s) => s.id).sort()).toEqual(after.stories.map((s) => s.id).sort());
  });
});
