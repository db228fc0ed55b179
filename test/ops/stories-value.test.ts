// The stories value across versions and damage, through whole runs: a value of format 1 (one
// JSON document, written by earlier versions) is read and rewritten as format 2 with nothing
// lost; a damaged value stops the run before it writes anything, like a damaged engine state.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StoriesSnapshot } from '../../src/model';
import { runScheduled } from '../../src/scheduled';
import { isStoredStories } from '../../src/stories/storedStories';
import { INBOX_PREFIX, KV_KEYS } from '../../src/store/keys';
import { readStories } from '../../src/store/stories';
import { clearKv, instrumentedKv, jsonBody, request, runDeps, testEnv } from './helpers';
import { story } from '../render/fixtures';

const target = testEnv();
const PUSHED = {
  source: 'https://lighthouse.example/', outlet: 'Lighthouse Gazette', id: 'lg-1',
  url: 'https://lighthouse.example/tunnel', title: 'Harbour tunnel opens to traffic', text: 'The tunnel opened on Tuesday after four years of work.',
  published: '2025-07-22T09:30:00Z',
};

beforeEach(() => clearKv());

const storedBytes = async () => new Uint8Array((await env.STATE.get(KV_KEYS.stories, 'arrayBuffer'))!);

describe('the stories value', () => {
  it('written by an earlier version (one JSON document) is read, kept whole, and rewritten in the new form', async () => {
    const older: StoriesSnapshot = {
      version: 1, generated: '2025-07-21T00:00:00.000Z', aliases: { 'st-gone': 'st-1' },
      stories: [story({ updated: '2025-07-21T00:00:00.000Z' }), story({ id: 'st-2', updated: '2025-07-20T00:00:00.000Z', sources: [story().sources[0]!] })],
    };
    await env.STATE.put(KV_KEYS.stories, JSON.stringify(older));
    expect((await readStories(env.STATE)).stories).toEqual(older.stories);

    await request(target, '/api/articles', jsonBody(PUSHED));
    expect(await runScheduled(target, runDeps())).toMatchObject({ pushedArticles: 1 });
    expect(isStoredStories(await storedBytes())).toBe(true);
    const after = await readStories(env.STATE);
    // The run's new stories come first (newer changes); the older records follow, as they were.
    expect(after.stories.slice(-2)).toEqual(older.stories);
    expect(after.aliases).toMatchObject(older.aliases);
    expect(after.stories.flatMap((s) => s.sources.map((src) => src.url))).toContain(PUSHED.url);
  });

  it('damaged: the run fails with a clear error before any write; the value and the waiting article stay', async () => {
    await request(target, '/api/articles', jsonBody(PUSHED));
    expect(await runScheduled(target, runDeps())).toMatchObject({ pushedArticles: 1 });
    const good = await storedBytes();
    const damaged = good.subarray(0, good.length - 7);
    await env.STATE.put(KV_KEYS.stories, damaged);
    await request(target, '/api/articles', jsonBody({ ...PUSHED, id: 'lg-2', url: 'https://lighthouse.example/tunnel-2', title: 'Tunnel traffic builds up' }));

    const counted = instrumentedKv(env.STATE);
    await expect(runScheduled({ ...target, STATE: counted.kv }, runDeps())).rejects.toThrow(/^stories: the stored value is truncated or corrupt/);
    expect(counted.writes().map((w) => `${w.op} ${w.key}`)).toEqual([`put ${KV_KEYS.lease}`, `delete ${KV_KEYS.lease}`]);
    expect([...(await storedBytes())]).toEqual([...damaged]);
    expect((await env.STATE.list({ prefix: INBOX_PREFIX })).keys.length).toBeGreaterThan(0);

    // A value that is not even JSON says so too.
    await env.STATE.put(KV_KEYS.stories, 'not json at all');
    await expect(runScheduled(target, runDeps())).rejects.toThrow(/^stories: the stored value is neither format 2 nor JSON/);
  });
});
