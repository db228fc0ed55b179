// Corrections through the admin API, end to end: seed run -> correction -> every view shows it
// (pre-rendered feeds included) -> a later run with news keeps it -> revoking restores the engine's view.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { runScheduled } from '../../src/scheduled';
import { splitStoryId } from '../../src/stories/corrections';
import { KV_KEYS } from '../../src/store/keys';
import { readRendered } from '../../src/store/rendered';
import { clearKv, instrumentedKv, jsonBody, request, runDeps, testEnv } from './helpers';

const target = testEnv();
interface ApiStory { id: string; title: string; updated: string; source_count: number; sources: { id: string; outlet: string; title: string }[] }

beforeEach(async () => {
  await clearKv();
  await runScheduled(target, runDeps());
});

async function stories(path = '/api/stories'): Promise<ApiStory[]> {
  return ((await (await request(target, path, { token: null })).json()) as { stories: ApiStory[] }).stories;
}

async function seedStory(): Promise<ApiStory> {
  return (await stories()).find((s) => s.source_count === 5)!;
}

const correct = (body: unknown) => request(target, '/api/admin/corrections', jsonBody(body));

describe('corrections API', () => {
  it('needs the token', async () => {
    expect((await request(target, '/api/admin/corrections', { token: null })).status).toBe(401);
    expect((await request(target, '/api/admin/corrections', { ...jsonBody({ type: 'merge', story: 'a', absorb: 'b' }), token: 'wrong' })).status).toBe(403);
  });

  it('splits a source out: its own story at once in every view, the pre-rendered feeds included, with two writes', async () => {
    const seed = await seedStory();
    const civic = seed.sources.find((s) => s.outlet === 'The Civic Wire')!;
    const counted = instrumentedKv(env.STATE);
    const res = await request({ ...target, STATE: counted.kv }, '/api/admin/corrections', jsonBody({ type: 'split', story: seed.id, article: civic.id, note: 'different event' }));
    expect(res.status).toBe(201);
    const { correction } = (await res.json()) as { correction: { id: string; type: string; active: boolean; into: string | null; note: string } };
    expect(correction).toMatchObject({ type: 'split', active: true, into: null, note: 'different event' });
    expect(res.headers.get('location')).toBe(`/api/admin/corrections/${correction.id}`);
    expect(counted.writes().map((w) => `${w.op} ${w.key}`)).toEqual([`put ${KV_KEYS.corrections}`, `put ${KV_KEYS.rendered}`]);

    const after = await stories();
    expect(after.find((s) => s.id === seed.id)!.source_count).toBe(4);
    const alone = after.find((s) => s.id === splitStoryId(civic.id))!;
    expect(alone.sources.map((s) => s.outlet)).toEqual(['The Civic Wire']);
    const page = await (await request(target, `/stories/${seed.id}`, { token: null })).text();
    expect(page).not.toContain('The Civic Wire');
    const feed = await (await request(target, '/feed.json', { token: null })).text();
    expect(feed).toContain(`/stories/${splitStoryId(civic.id)}`);
    // Served from the bundle the correction stored.
    expect((await readRendered(env.STATE))?.body('json')).toBe(feed);
  });

  it('merges two stories: the absorbed id redirects (page, JSON and story feed), and a later run with news keeps the merge', async () => {
    const seed = await seedStory();
    const other = (await stories()).find((s) => s.source_count === 2)!;
    expect((await correct({ type: 'merge', story: seed.id, absorb: other.id })).status).toBe(201);
    for (const suffix of ['', '.json', '/feed.xml', '/feed.json']) {
      const res = await request(target, `/stories/${other.id}${suffix}`, { token: null });
      expect(res.status, suffix).toBe(301);
      expect(res.headers.get('location')).toBe(`https://news.example.org/stories/${seed.id}${suffix}`);
    }
    expect((await stories()).find((s) => s.id === seed.id)!.source_count).toBe(7);

    // A later run with news: the engine knows nothing of the merge, and the merge holds.
    await request(target, '/api/articles', jsonBody({ source: 'https://lighthouse.example/', outlet: 'Lighthouse Gazette', id: 'lg-9', title: 'Harbour tunnel opens to traffic', text: 'The tunnel opened on Tuesday.' }));
    const report = await runScheduled(target, runDeps({ now: () => new Date('2025-07-23T12:30:00Z') }));
    expect(report.newArticles).toBe(1);
    const later = await stories();
    expect(later.find((s) => s.id === seed.id)!.source_count).toBe(7);
    expect(later.some((s) => s.id === other.id)).toBe(false);
    expect(later.some((s) => s.title === 'Harbour tunnel opens to traffic')).toBe(true);
  });

  it('pins a lead headline, lists corrections with their state, and revoking one restores the engine\'s view', async () => {
    const seed = await seedStory();
    const northline = seed.sources.find((s) => s.outlet === 'Northline News')!;
    const pinned = (await (await correct({ type: 'lead', story: seed.id, article: northline.id })).json()) as { correction: { id: string } };
    expect((await stories()).find((s) => s.id === seed.id)!.title).toBe(northline.title);
    const written = (await (await correct({ type: 'lead', story: seed.id, title: 'Ukraine seeks new round of peace talks' })).json()) as { correction: { id: string } };
    expect((await stories()).find((s) => s.id === seed.id)!.title).toBe('Ukraine seeks new round of peace talks');
    // The pre-rendered front page shows it too.
    expect(await (await request(target, '/', { token: null })).text()).toContain('Ukraine seeks new round of peace talks');

    const list = (await (await request(target, '/api/admin/corrections')).json()) as { corrections: { id: string; active: boolean; reason: string | null }[] };
    expect(list.corrections.map((c) => [c.id, c.active])).toEqual([[pinned.correction.id, true], [written.correction.id, true]]);
    expect((await request(target, `/api/admin/corrections/${written.correction.id}`)).status).toBe(200);

    expect((await request(target, `/api/admin/corrections/${written.correction.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await stories()).find((s) => s.id === seed.id)!.title).toBe(northline.title);
    expect((await request(target, `/api/admin/corrections/${pinned.correction.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await stories()).find((s) => s.id === seed.id)!.title).toBe(seed.title);
    expect((await request(target, `/api/admin/corrections/${pinned.correction.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses what cannot be done with a clear status and message', async () => {
    const seed = await seedStory();
    const single = (await stories()).find((s) => s.source_count === 1)!;
    const cases: [unknown, number, RegExp][] = [
      [{ type: 'merge', story: seed.id, absorb: 'no-such-story' }, 404, /no story with id "no-such-story"/],
      [{ type: 'merge', story: seed.id, absorb: seed.id }, 409, /already one story/],
      [{ type: 'split', story: seed.id, article: 'nope' }, 404, /has no source with article id "nope"/],
      [{ type: 'split', story: single.id, article: single.sources[0]!.id }, 409, /only source/],
      [{ type: 'split', story: seed.id, article: seed.sources[0]!.id, into: seed.id }, 409, /already in story/],
      [{ type: 'lead', story: seed.id }, 422, /either "article".*or "title"/],
      [{ type: 'lead', story: seed.id, article: seed.sources[0]!.id, title: 'x' }, 422, /not both/],
      [{ type: 'rename', story: seed.id }, 422, /type/],
      [{ type: 'merge', story: seed.id, absorb: single.id, extra: 1 }, 422, /extra|Unrecognized/i],
    ];
    for (const [body, status, message] of cases) {
      const res = await correct(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(((await res.json()) as { error: string }).error, JSON.stringify(body)).toMatch(message);
    }
    expect(await env.STATE.get(KV_KEYS.corrections)).toBeNull();
  });
});
