import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { StoryClusterer } from '../../src/cluster/index';
import { loadClusterState, saveClusterState } from '../../src/store/clusterState';
import { KV_KEYS } from '../../src/store/keys';
import version1 from './fixtures/cluster-v1.json';
import { articles as snapshotArticles } from './fixtures/snapshot-articles';

const articles = [
  { id: 'q1', title: 'Earthquake strikes off Sumatra', text: 'A magnitude 7 quake hit Aceh; tsunami warning issued.', published: '2025-07-21T10:00:00Z' },
  { id: 'v1', title: 'Chile holds presidential runoff', text: 'Voters choose between Kast and Jara.', published: '2025-07-21T10:05:00Z' },
  { id: 'q2', title: 'Sumatra earthquake triggers tsunami warning', text: 'The Aceh quake damaged buildings.', published: '2025-07-21T11:00:00Z' },
  { id: 'v2', title: 'Kast wins Chile presidential runoff', text: 'Kast beat Jara in the runoff vote.', published: '2025-07-21T23:00:00Z' },
];

describe('cluster store', () => {
  it('returns null when nothing was saved', async () => {
    await env.STATE.delete(KV_KEYS.cluster);
    expect(await loadClusterState(env.STATE)).toBeNull();
  });

  it('round-trips a snapshot through KV: the restored engine carries on as the original', async () => {
    const original = StoryClusterer.restore(null);
    const firstHalf = articles.slice(0, 2).map((a) => original.add(a));
    await saveClusterState(env.STATE, original.snapshot());
    const restored = StoryClusterer.restore(await loadClusterState(env.STATE));
    const continued = StoryClusterer.restore(null);
    articles.slice(0, 2).forEach((a) => continued.add(a));

    const after = articles.slice(2).map((a) => restored.add(a).storyId);
    expect(after).toEqual(articles.slice(2).map((a) => continued.add(a).storyId));
    expect(after).toEqual([firstHalf[0]!.storyId, firstHalf[1]!.storyId]);
    expect(restored.add(articles[0]!)).toMatchObject({ duplicate: true, storyId: firstHalf[0]!.storyId });
  });

  it('stores the binary snapshot as it is: one value, read back byte for byte', async () => {
    const engine = StoryClusterer.restore(null);
    articles.forEach((a) => engine.add(a));
    const snapshot = engine.snapshot();
    await saveClusterState(env.STATE, snapshot);
    const stored = new Uint8Array((await env.STATE.get(KV_KEYS.cluster, 'arrayBuffer'))!);
    expect(new TextDecoder().decode(stored.subarray(0, 4))).toBe('SWCS');
    expect([...stored]).toEqual([...snapshot]);
  });

  it('loads a gzipped version 1 (JSON) state and writes it back as the current version on the next save', async () => {
    const json = new TextEncoder().encode(JSON.stringify(version1));
    const gzipped = await new Response(new Blob([json]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
    await env.STATE.put(KV_KEYS.cluster, gzipped);
    const migrated = StoryClusterer.restore(await loadClusterState(env.STATE));
    expect(migrated.activeStories).toBe(4);
    expect(migrated.add(snapshotArticles[0]!)).toMatchObject({ duplicate: true });
    await saveClusterState(env.STATE, migrated.snapshot());
    const stored = new Uint8Array((await env.STATE.get(KV_KEYS.cluster, 'arrayBuffer'))!);
    expect(new TextDecoder().decode(stored.subarray(0, 4))).toBe('SWCS');
    expect(StoryClusterer.restore(await loadClusterState(env.STATE)).activeStories).toBe(4);
  });

  it('reports corrupt state with a stage-prefixed error', async () => {
    await env.STATE.put(KV_KEYS.cluster, 'not a snapshot');
    await expect(loadClusterState(env.STATE).then((bytes) => StoryClusterer.restore(bytes))).rejects.toThrow(/^cluster: snapshot is/);
    const gzipped = new Uint8Array(await new Response(new Blob(['{"version":1}']).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
    await env.STATE.put(KV_KEYS.cluster, gzipped.slice(0, gzipped.length - 6));
    await expect(loadClusterState(env.STATE)).rejects.toThrow(/^cluster: stored state is corrupt or truncated gzip data/);
  });
});
