// With queues, a source polled in one cron's cycle is due again at the next cron (15 minutes on),
// however long its poll order waited in the queue: the poll is scheduled from the cron's instant,
// not from when a consumer got to it. (Found by `npm run bench -- fanout`: scheduled from the poll,
// every source was skipped by the next cron and polled every 30 minutes.)
import { createScheduledController, env } from 'cloudflare:test';
import worker from '../../src/index';
import { beforeEach, describe, expect, it } from 'vitest';
import { consume, fanOut, queuesOf } from '../../src/queued';
import { KV_KEYS } from '../../src/store/keys';
import { LocalQueues } from '../fixtures/localQueues';
import { clearKv } from '../ops/helpers';

const FEED = 'http://feeds.test/a.xml';
const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>A</title><link>http://feeds.test/</link><item><guid>a1</guid><title>One thing happened</title><link>http://feeds.test/1</link><description>It did.</description></item></channel></rss>';

async function feed(_input: Request | string | URL, init?: RequestInit): Promise<Response> {
  if (new Headers(init?.headers).get('if-none-match') === '"v1"') return new Response(null, { status: 304, headers: { etag: '"v1"' } });
  return new Response(RSS, { headers: { 'content-type': 'application/rss+xml', etag: '"v1"' } });
}

describe('poll schedule with queues', () => {
  const queues = new LocalQueues();
  const testEnv = { ...env, ...queues.bindings(), SOURCES: JSON.stringify([FEED]), ALLOW_PRIVATE_SOURCES: 'true' } as unknown as Env;
  const cron = Date.parse('2026-12-01T06:00:00Z');

  beforeEach(async () => {
    await clearKv();
  });

  /** The cron at `at`, its poll orders consumed `lagMs` later. */
  async function cycle(at: number, lagMs: number) {
    const sent = await fanOut(testEnv, queuesOf(testEnv)!, { now: new Date(at) });
    await queues.drain((queue, deliveries) => consume(queue, deliveries, testEnv, { fetch: feed, now: () => new Date(at + lagMs) }));
    return sent;
  }

  it('sends a source polled late in one cycle again at the next cron', async () => {
    expect((await cycle(cron, 0)).sent).toBe(1);
    // Next cron: the first cycle's order was consumed at once.
    expect((await cycle(cron + 15 * 60_000, 90_000)).sent).toBe(1);
    // This cycle's order waited 90 s in the queue: the source is still due at the cron after.
    expect((await cycle(cron + 30 * 60_000, 0)).sent).toBe(1);
    const state = (await env.STATE.get(KV_KEYS.sourceState, 'json')) as { statuses: Record<string, { nextDue: string; lastStatus: number }> };
    const [status] = Object.values(state.statuses);
    expect(status!.lastStatus).toBe(304);
    expect(status!.nextDue).toBe(new Date(cron + 45 * 60_000).toISOString());
  });
});

describe('poll schedule in one invocation', () => {
  const testEnv = { ...env, POLL_QUEUE: undefined, FILE_QUEUE: undefined, SOURCES: JSON.stringify(['http://seeds.test/meridian-post.xml']) } as unknown as Env;

  beforeEach(async () => {
    await clearKv();
  });

  it('schedules from the cron\'s instant, so a cron that fires late still finds the source due at the next one', async () => {
    // The clock reads later than the cron's scheduled time (a cron fired late); the next cron comes 15 minutes after the first.
    const first = Date.now() - 5_000;
    await worker.scheduled(createScheduledController({ cron: '*/15 * * * *', scheduledTime: first }), testEnv);
    const state = (await env.STATE.get(KV_KEYS.sourceState, 'json')) as { statuses: Record<string, { nextDue: string }> };
    expect(Object.values(state.statuses)[0]!.nextDue).toBe(new Date(first + 15 * 60_000).toISOString());
  });
});
