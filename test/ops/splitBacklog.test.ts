// A backlog under SPLIT_RUNS (scheduled.ts, runTurn; sources/backlog.ts): while articles wait in
// the inbox, filing turns must not starve the polls (a feed unread for hours loses the items that
// scroll off it), and a backlog larger than a day of filing turns is cut, each source's oldest
// first, every article left out counted in the run report and its log line, and counted once.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunReport } from '../../src/model';
import { logRun } from '../../src/runReport';
import { runScheduled } from '../../src/scheduled';
import { BACKLOG_POLL_AFTER_MINUTES, BACKLOG_RUNS } from '../../src/sources/backlog';
import { pendingInbox } from '../../src/store/inbox';
import { readSourceState } from '../../src/store/sourceState';
import { clearKv, jsonBody, request, runDeps, testEnv } from './helpers';

const T0 = new Date('2025-07-23T12:00:00Z');
const CRON_MINUTES = 10;
const at = (minutes: number) => () => new Date(T0.getTime() + minutes * 60_000);

/** `count` pushed articles from one outlet, on as many different subjects, published an hour apart up to T0. */
function pushedArticles(count: number, outlet = 'Floodgate Times') {
  return Array.from({ length: count }, (_, i) => ({
    source: 'https://floodgate.example/', outlet, id: `fg-${i}`, url: `https://floodgate.example/${i}`,
    title: `Bulletin ${i}: council ${['budget', 'bridge', 'school', 'harbour', 'tram'][i % 5]} item ${i}`,
    content: `<p>Item ${i} of the bulletin, about subject ${i}.</p>`,
    published: new Date(T0.getTime() - (count - i) * 3_600_000).toISOString(),
  }));
}

async function push(target: Env, articles: unknown[]): Promise<void> {
  const res = await request(target, '/api/articles', jsonBody({ articles }));
  expect(res.status).toBe(202);
}

async function waiting(): Promise<number> {
  return (await pendingInbox(env.STATE, await readSourceState(env.STATE))).articles.length;
}

beforeEach(() => clearKv());

describe('a backlog with SPLIT_RUNS', () => {
  it('never starves the polls: every source is polled at least about hourly while the backlog drains', async () => {
    const split = testEnv({ SPLIT_RUNS: 'true', MAX_ARTICLES_PER_RUN: '5' });
    await push(split, pushedArticles(150)); // 30 filing turns, five hours of a 10-minute cron
    const polledAt: number[] = [];
    const reports: RunReport[] = [];
    for (let run = 0; run < 24; run++) {
      const report = await runScheduled(split, runDeps({ now: at(run * CRON_MINUTES) }));
      reports.push(report);
      if (report.fetched > 0) polledAt.push(run * CRON_MINUTES);
    }
    expect(await waiting()).toBeGreaterThan(0); // still draining after four hours
    // The seeds, never polled, are read at once; then a polling turn whenever a due source went an hour unpolled.
    expect(polledAt[0]).toBe(0);
    const gaps = polledAt.slice(1).map((t, i) => t - polledAt[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...gaps, 240 - polledAt.at(-1)!)).toBeLessThanOrEqual(BACKLOG_POLL_AFTER_MINUTES + CRON_MINUTES);
    // Most runs still file.
    expect(reports.filter((r) => r.pushedArticles > 0).length).toBeGreaterThanOrEqual(18);
    expect(reports.every((r) => r.bounds.backlogDropped === 0)).toBe(true);
  }, 120_000);

  it('cuts a backlog past a day of filing turns: the flooding source loses its own oldest, each counted once', async () => {
    const split = testEnv({ SPLIT_RUNS: 'true', MAX_ARTICLES_PER_RUN: '1' }); // a backlog of BACKLOG_RUNS articles
    const limit = BACKLOG_RUNS;
    await push(split, pushedArticles(limit + 6));
    // A polling turn (the seeds were never polled): their 13 new articles join the 150 waiting.
    const report = await runScheduled(split, runDeps({ now: at(0) }));
    expect(report.fetched).toBe(5);
    expect(report.bounds.backlogDropped).toBe(6 + 13);
    const state = await readSourceState(env.STATE);
    const inbox = (await pendingInbox(env.STATE, state)).articles;
    expect(inbox).toHaveLength(limit);
    // Every seed article waits; the pushed ones left out are the flood's oldest 19.
    const seeds = inbox.filter((a) => a.outlet !== 'Floodgate Times');
    expect(seeds).toHaveLength(13);
    expect(state.backlogDrops).toHaveLength(19);
    expect(state.lastRun).toMatchObject({ backlogDropped: 19 }); // what /health shows as lastRun
    const keptFlood = inbox.filter((a) => a.outlet === 'Floodgate Times').map((a) => a.published!).sort();
    const droppedIds = new Set(state.backlogDrops);
    expect(keptFlood).toHaveLength(limit - 13);
    expect(Date.parse(keptFlood[0]!)).toBe(Date.parse(pushedArticles(limit + 6)[19]!.published));
    expect(inbox.some((a) => droppedIds.has(a.id))).toBe(false);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    logRun(report, { trigger: 'cron' });
    const line = JSON.parse(String(log.mock.calls[0]![0])) as unknown;
    log.mockRestore();
    expect(line).toMatchObject({ event: 'run', bounds: { backlogDropped: 19 } });

    // An hour on, the feeds read again (nothing new for the Worker): nothing queued twice, nothing counted twice.
    const again = await runScheduled(split, runDeps({ now: at(BACKLOG_POLL_AFTER_MINUTES + CRON_MINUTES) }));
    expect(again.fetched).toBe(5);
    expect(again.bounds.backlogDropped).toBe(0);
    expect(await waiting()).toBe(limit);
  }, 120_000);
});
