// Sources added through the admin API are read from the listing's metadata: a cron over many
// sources makes a list per 1,000 keys, not a read per source. Entries too large for KV's 1,024
// bytes of metadata, and keys written before, are read from their values.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { readAdminSources, writeSourceEntry } from '../../src/store/adminSources';
import { SOURCE_PREFIX } from '../../src/store/keys';
import { clearKv, instrumentedKv } from './helpers';

beforeEach(() => clearKv());

const add = (id: string, url: string, name: string | null = null) =>
  writeSourceEntry(env.STATE, id, () => ({ source: { id, url, name }, paused: false }));

describe('admin sources in KV', () => {
  it('reads entries written with their metadata from the listing alone', async () => {
    for (let i = 0; i < 30; i++) expect(await add(`s${i}`, `https://outlet-${i}.example/feed.xml`, `Outlet ${i}`)).toBe(true);
    const counted = instrumentedKv(env.STATE);
    const admin = await readAdminSources(counted.kv);
    expect(admin.added.map((s) => s.id)).toEqual(Array.from({ length: 30 }, (_, i) => `s${i}`));
    expect(counted.reads().filter((c) => c.key.startsWith(SOURCE_PREFIX))).toEqual([]);
  });

  it('reads from the value an entry too large for metadata, and a key written without metadata', async () => {
    const long = `https://outlet.example/feed.xml?${'q'.repeat(1500)}`;
    await add('long', long, 'Long');
    await env.STATE.put(`${SOURCE_PREFIX}old`, JSON.stringify({ version: 1, source: { id: 'old', url: 'https://old.example/feed', name: null }, paused: true, stamp: 'x', addedAt: '2025-01-01T00:00:00.000Z#000000' }));
    await add('short', 'https://short.example/feed');
    const counted = instrumentedKv(env.STATE);
    const admin = await readAdminSources(counted.kv);
    expect(admin.added.map((s) => s.url).sort()).toEqual([long, 'https://old.example/feed', 'https://short.example/feed'].sort());
    expect(admin.paused).toEqual(['old']);
    expect(counted.reads().filter((c) => c.key.startsWith(SOURCE_PREFIX)).map((c) => c.key.split(',').sort())).toEqual([[`${SOURCE_PREFIX}long`, `${SOURCE_PREFIX}old`]]);
  });

  it('a change rewrites the metadata (a paused source lists as paused)', async () => {
    await add('a', 'https://a.example/feed');
    await writeSourceEntry(env.STATE, 'a', (current) => ({ source: current!.source, paused: true }));
    expect((await readAdminSources(env.STATE)).paused).toEqual(['a']);
  });
});
