// A damaged engine state in KV stops the run before it writes anything: nothing is filed
// against a state it could not read, and nothing (the pushed article, the stored value, the
// sources' records) is lost or overwritten, so the next run after a repair does the same work.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { runScheduled } from '../../src/scheduled';
import { INBOX_PREFIX, KV_KEYS } from '../../src/store/keys';
import { clearKv, instrumentedKv, jsonBody, request, runDeps, testEnv } from '../ops/helpers';

const target = testEnv();
const PUSHED = {
  source: 'https://lighthouse.example/', outlet: 'Lighthouse Gazette', id: 'lg-1',
  url: 'https://lighthouse.example/tunnel', title: 'Harbour tunnel opens to traffic', text: 'The tunnel opened on Tuesday.',
  published: '2025-07-22T09:30:00Z',
};

beforeEach(() => clearKv());

describe('a corrupt engine state', () => {
  it('fails the run with a clear error before any write; the value and the waiting article stay', async () => {
    await request(target, '/api/articles', jsonBody(PUSHED));
    // A binary snapshot cut short (a header that promises more than is there).
    const damaged = new Uint8Array(120);
    damaged.set(new TextEncoder().encode('SWCS'));
    new DataView(damaged.buffer).setUint32(4, 2, true);
    new DataView(damaged.buffer).setUint32(8, 1000, true);
    await env.STATE.put(KV_KEYS.cluster, damaged);
    const counted = instrumentedKv(env.STATE);
    await expect(runScheduled({ ...target, STATE: counted.kv }, runDeps())).rejects.toThrow(/^cluster: snapshot is truncated or corrupt/);

    expect(counted.writes().map((w) => `${w.op} ${w.key}`)).toEqual([`put ${KV_KEYS.lease}`, `delete ${KV_KEYS.lease}`]);
    expect([...new Uint8Array((await env.STATE.get(KV_KEYS.cluster, 'arrayBuffer'))!)]).toEqual([...damaged]);
    expect((await env.STATE.list({ prefix: INBOX_PREFIX })).keys).toHaveLength(1);
    expect(await env.STATE.get(KV_KEYS.stories)).toBeNull();

    // Once the value is removed (the engine starts over), the next run files the article.
    await env.STATE.delete(KV_KEYS.cluster);
    expect(await runScheduled(target, runDeps())).toMatchObject({ pushedArticles: 1 });
  });
});
