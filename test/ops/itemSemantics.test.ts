// What feed readers rely on: an item's id never changes, its updated/date_modified moves only
// when an outlet joins or the lead changes, and its body is the same on every re-render.
import { beforeEach, describe, expect, it } from 'vitest';
import { runScheduled } from '../../src/scheduled';
import { clearKv, jsonBody, request, runDeps, testEnv } from './helpers';

const target = testEnv();
interface Item { id: string; title: string; date_modified: string; content_html: string; authors: { name: string }[] }

async function items(path = '/feed.json'): Promise<Item[]> {
  return ((await (await request(target, path, { token: null })).json()) as { items: Item[] }).items;
}
const byId = (list: Item[]) => Object.fromEntries(list.map((item) => [item.id, item]));

beforeEach(async () => {
  await clearKv();
  await runScheduled(target, runDeps());
});

describe('item semantics for readers', () => {
  it('a later run that re-renders for unrelated news leaves every other item as it was', async () => {
    const before = byId(await items('/feed.json?limit=100'));
    await request(target, '/api/articles', jsonBody({ source: 'https://lighthouse.example/', outlet: 'Lighthouse Gazette', id: 'lg-1', title: 'Harbour tunnel opens to traffic', text: 'The tunnel opened on Tuesday.' }));
    expect((await runScheduled(target, runDeps({ now: () => new Date('2025-07-24T18:00:00Z') }))).newArticles).toBe(1);
    const after = byId(await items('/feed.json?limit=100'));
    expect(Object.keys(after)).toHaveLength(Object.keys(before).length + 1);
    for (const [id, item] of Object.entries(before)) expect(after[id], id).toEqual(item);
  });

  it('moves date_modified when an outlet joins (here: a merge correction), and only for that story', async () => {
    const before = byId(await items('/feed.json?limit=100'));
    const api = ((await (await request(target, '/api/stories?limit=100', { token: null })).json()) as { stories: { id: string; url: string; source_count: number }[] }).stories;
    const five = api.find((s) => s.source_count === 5)!;
    const two = api.find((s) => s.source_count === 2)!;
    await request(target, '/api/admin/corrections', jsonBody({ type: 'merge', story: five.id, absorb: two.id }));
    const after = byId(await items('/feed.json?limit=100'));
    expect(after[five.url]!.date_modified > before[five.url]!.date_modified).toBe(true);
    expect(after[two.url]).toBeUndefined();
    for (const [id, item] of Object.entries(before)) if (id !== five.url && id !== two.url) expect(after[id], id).toEqual(item);
  });

  it('gives each item one author line naming its outlets, in Atom and JSON Feed', async () => {
    const seed = (await items()).find((i) => /ukrain/i.test(i.title))!;
    expect(seed.authors).toEqual([{ name: 'The Meridian Post, Harbor Daily, Northline News and 2 more' }]);
    const atom = await (await request(target, '/atom.xml', { token: null })).text();
    const entry = atom.split('<entry>').find((e) => /Ukrain/i.test(e))!;
    expect(entry.match(/<author>/g)).toHaveLength(1);
  });
});
