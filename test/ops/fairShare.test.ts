// Issue 22's first target, through real scheduled runs and the Worker's routes: two flooding
// sources next to one ordinary source. One feed holds 100,000 undated items (200 kept); the other
// brings 200 new items at every poll (its ids change on every fetch). After three polls the
// ordinary source's story is stored and on the first page of every output, in both orders; no
// source leads more than a quarter of that page; the floods' other stories are on later pages;
// and every story MAX_STORIES left out is counted in the run report, the log line and /health.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FetchLike } from '../../src/fetch/fetcher';
import { fairShareCap } from '../../src/render/fairShare';
import { logRun } from '../../src/runReport';
import { runScheduled } from '../../src/scheduled';
import { leadSource } from '../../src/stories/facts';
import { sourceId } from '../../src/sources/registry';
import { readStories } from '../../src/store/stories';
import { clearKv, request, runDeps, testEnv } from './helpers';

const T0 = new Date('2025-07-23T12:00:00Z');
const UNDATED = 'https://undated.example/feed.xml';
const CHURN = 'https://churn.example/feed.xml';
const ORDINARY = 'https://ordinary.example/feed.xml';
const PAGE = 50;

beforeEach(() => clearKv());

function rss(title: string, items: string[]): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><link>https://${title.toLowerCase()}.example/</link>${items.join('')}</channel></rss>`;
}

/** A made-up word per number, so that no two flood items share a word and each is a story of its own. */
function word(n: number): string {
  let out = '';
  for (let x = n + 26 * 27; x > 0; x = Math.floor(x / 26)) out += String.fromCharCode(97 + (x % 26));
  return out;
}

const undatedFeed = rss('Undated', Array.from({ length: 100_000 }, (_, i) => `<item><title>${word(3 * i)} ${word(3 * i + 1)} ${word(3 * i + 2)}</title></item>`));

function churnFeed(poll: number): string {
  const base = 1_000_000 + poll * 1_000;
  const date = new Date(T0.getTime() + poll * 20 * 60_000 - 60_000).toUTCString();
  return rss('Churn', Array.from({ length: 200 }, (_, i) => {
    const n = 3 * (base + i);
    return `<item><guid>churn-${poll}-${i}</guid><title>${word(n)} ${word(n + 1)} ${word(n + 2)}</title><link>https://churn.example/${poll}/${i}</link><pubDate>${date}</pubDate></item>`;
  }));
}

const ordinaryFeed = rss('Ordinary', [
  `<item><guid>harbour-strike</guid><title>Harbour workers strike over pay</title><link>https://ordinary.example/harbour-strike</link>` +
  `<pubDate>Wed, 23 Jul 2025 11:00:00 GMT</pubDate><description>Dock workers walked out on Wednesday after talks on wages broke down.</description></item>`,
]);

describe('two flooding sources next to an ordinary one', () => {
  it('after three polls the ordinary story is stored and on the first page of every output, no source leads more than a quarter of it, and every drop is counted', async () => {
    let poll = 0;
    const fetchImpl: FetchLike = async (input) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const body = url === UNDATED ? undatedFeed : url === CHURN ? churnFeed(poll) : url === ORDINARY ? ordinaryFeed : null;
      return body === null ? new Response('not here', { status: 404 }) : new Response(body, { headers: { 'content-type': 'application/rss+xml' } });
    };
    const target = testEnv({ SOURCES: JSON.stringify([{ url: UNDATED, name: 'Undated' }, { url: CHURN, name: 'Churn' }, { url: ORDINARY, name: 'Ordinary' }]) });
    const reports = [];
    for (poll = 0; poll < 3; poll++) {
      const report = await runScheduled(target, runDeps({ fetch: fetchImpl, now: () => new Date(T0.getTime() + poll * 20 * 60_000) }));
      expect(report.errors, `poll ${poll}`).toEqual([]);
      reports.push(report);
    }
    expect(reports.map((r) => r.newArticles)).toEqual([401, 200, 200]);

    // Storage: 801 stories for 500 places; the churn lost its own oldest; each drop counted.
    const { stories } = await readStories(env.STATE);
    const leadOf = new Map(stories.map((s) => [s.id, leadSource(s)]));
    const ordinary = stories.filter((s) => leadOf.get(s.id) === sourceId(ORDINARY));
    expect(ordinary.map((s) => s.title)).toEqual(['Harbour workers strike over pay']);
    expect(stories).toHaveLength(500);
    expect(reports.map((r) => r.bounds.storiesDropped)).toEqual([0, 101, 200]);
    const undated = stories.filter((s) => leadOf.get(s.id) === sourceId(UNDATED)).length;
    expect(undated).toBe(200); // levelled: the undated feed keeps its 200, the churn the rest
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    logRun(reports[2]!, { trigger: 'cron' });
    expect(JSON.parse(String(log.mock.calls[0]![0]))).toMatchObject({ event: 'run', bounds: { storiesDropped: 200 } });
    log.mockRestore();
    const health = await (await request(target, '/health', { token: null })).json() as { lastRun: { storiesDropped: number } };
    expect(health.lastRun.storiesDropped).toBe(200);

    // Every output's first page, both orders (the default ones pre-rendered, the others worked out per request).
    const idsOf = (body: string) => [...new Set([...body.matchAll(/\/stories\/([0-9a-z]{14})/g)].map((m) => m[1]!))];
    for (const path of ['/feed.json', '/feed.xml', '/atom.xml', '/', '/api/stories']) {
      for (const sort of ['', '?sort=top', '?sort=new']) {
        const response = await request(target, `${path}${sort}`, { token: null, headers: { accept: path === '/' ? 'text/html' : '*/*' } });
        expect(response.status, `${path}${sort}`).toBe(200);
        const ids = idsOf(await response.text());
        const counts = new Map<string, number>();
        for (const id of ids) counts.set(leadOf.get(id)!, (counts.get(leadOf.get(id)!) ?? 0) + 1);
        expect(ids, `${path}${sort}`).toContain(ordinary[0]!.id);
        expect(ids.length, `${path}${sort}`).toBe(2 * fairShareCap(PAGE) + 1);
        for (const [lead, count] of counts) expect(count, `${path}${sort}: ${lead}`).toBeLessThanOrEqual(fairShareCap(PAGE));
      }
    }

    // Every stored story is on exactly one page of the API, both orders.
    for (const sort of ['new', 'top']) {
      const seen: string[] = [];
      let lastPage = 1;
      for (let page = 1; page <= lastPage; page++) {
        const body = await (await request(target, `/api/stories?sort=${sort}&page=${page}`, { token: null })).json() as { stories: { id: string }[]; last_page: number };
        lastPage = body.last_page;
        seen.push(...body.stories.map((s) => s.id));
      }
      expect(seen.length, sort).toBe(500);
      expect(new Set(seen), sort).toEqual(new Set(stories.map((s) => s.id)));
    }
  }, 180_000);
});
