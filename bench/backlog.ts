/// <reference types="node" />
// A free-plan deployment draining a backlog, simulated with whole scheduled runs (runScheduled, as
// the cron calls it) on an in-memory KV: 30 sources whose RSS 2.0 feeds hold 20 items of real news
// each, found all at once by a new deployment, under the free-plan settings of docs/deploy.md
// (SPLIT_RUNS, five articles a filing turn, 128 KiB parsed a run), a cron every 10 minutes. Three
// news rates after that: none, one item per source every two hours, and a flood (one every 20
// minutes, three times what filing turns can file). News stops after a day; runs go on until the
// inbox is empty. Prints per scenario: turns (runs) and hours until the backlog is filed, the
// longest any source waited for a poll meanwhile, the items offered (on a feed at the start, or
// published after) and what became of them: filed, dropped from the backlog and counted, duplicates,
// gone from the feed before a poll read them, lost without a count (must be 0); and the oldest
// wait in the inbox (a batch expires after 3 days); articles filed and KV writes a day, averaged
// over the runs until drained (a free account allows 1,000 writes a day). Part of `npm run bench -- free`; alone: STORYWIRE_BENCH_FREE=backlog.
import type { ClusterInput } from '../src/cluster/index';
import { MAX_SUMMARY_CHARS, stableHash, summarise } from '../src/normalise';
import { runScheduled } from '../src/scheduled';
import { sourceId } from '../src/sources/registry';
import { pendingInbox } from '../src/store/inbox';
import { readSourceState } from '../src/store/sourceState';
import { readStories } from '../src/store/stories';
import { CountingKV, SOURCES } from './stages';

const SOURCE_COUNT = 30;
const ITEMS_PER_FEED = 20;
const CRON_MINUTES = 10;
const NEWS_HOURS = 24;
/** Runs after which a scenario stops even if the inbox is not empty (two weeks of cron). */
const MAX_RUNS = 14 * 24 * 6;
const VARS = {
  FEED_PAGE_SIZE: '10', MAX_ARTICLES_PER_RUN: '5', MAX_PARSE_BYTES_PER_RUN: String(128 * 1024), SPLIT_RUNS: 'true',
  MAX_STORIES: '500', POLL_INTERVAL_MINUTES: String(CRON_MINUTES),
};
const SCENARIOS: { name: string; everyMinutes: number | null }[] = [
  { name: 'backlog only (600 items, no news after)', everyMinutes: null },
  { name: 'backlog, then 1 item per source every 2 h for a day', everyMinutes: 120 },
  { name: 'backlog, then a flood: 1 item per source every 20 min for a day', everyMinutes: 20 },
];
const T0 = Date.parse('2026-12-01T00:00:00Z');

interface Item { text: ClusterInput; at: number }

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The items a feed shows at a time: its newest 20 published by then, newest first. */
function onFeed(items: Item[], now: number): Item[] {
  return items.filter((i) => i.at <= now).slice(-ITEMS_PER_FEED).reverse();
}

/** The feed a source serves at a time. */
function feedAt(sourceIndex: number, items: Item[], now: number): { bytes: Uint8Array; etag: string } {
  const source = SOURCES[sourceIndex]!;
  const shown = onFeed(items, now);
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>` +
    `<title>${source.name}</title><link>https://outlet-${source.id}.example/</link><description>News</description>` +
    shown.map(({ text, at }) => {
      const paragraphs = text.text.split('\n').filter((p) => p.trim()).map((p) => `<p>${escapeXml(p)}</p>`).join('');
      return `<item><title>${escapeXml(text.title)}</title><link>https://outlet-${source.id}.example/news/${encodeURIComponent(text.id)}</link>` +
        `<guid isPermaLink="false">${escapeXml(text.id)}</guid><pubDate>${new Date(at).toUTCString()}</pubDate>` +
        `<description>${escapeXml(summarise(text.text, text.title, MAX_SUMMARY_CHARS))}</description>` +
        `<content:encoded><![CDATA[${paragraphs.replaceAll(']]>', ']]&gt;')}]]></content:encoded></item>`;
    }).join('\n') + '</channel></rss>';
  return { bytes: new TextEncoder().encode(xml), etag: `"${shown.length}-${shown[0]?.text.id ?? ''}"` };
}

export async function runBacklogSimulation(fresh: ClusterInput[]): Promise<void> {
  console.log(`Backlog simulation: ${SOURCE_COUNT} sources × ${ITEMS_PER_FEED} items found at once, free-plan settings ${JSON.stringify(VARS)}, cron every ${CRON_MINUTES} min; news for ${NEWS_HOURS} h, then runs until the inbox is empty.\n`);
  console.log('| scenario | turns to drain (hours) | polling turns | longest wait for a poll | items offered | filed | dropped, counted | duplicates of a filed one | off the feed before a poll read it | lost without a count | oldest wait in the inbox | filed a day | KV writes a day |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const scenario of SCENARIOS) {
    let next = 0;
    // The backlog: 20 items a source, one an hour before T0; then the scenario's news, staggered across sources.
    const items: Item[][] = Array.from({ length: SOURCE_COUNT }, () => Array.from({ length: ITEMS_PER_FEED }, (_, k) => ({ text: fresh[next++]!, at: T0 - (ITEMS_PER_FEED - k) * 3_600_000 })));
    if (scenario.everyMinutes) {
      for (let s = 0; s < SOURCE_COUNT; s++) {
        for (let at = T0 + (s * scenario.everyMinutes * 60_000) / SOURCE_COUNT; at < T0 + NEWS_HOURS * 3_600_000; at += scenario.everyMinutes * 60_000) {
          if (next < fresh.length) items[s]!.push({ text: fresh[next++]!, at });
        }
      }
    }
    const byUrl = new Map(SOURCES.slice(0, SOURCE_COUNT).map((s, i) => [s.url, i]));
    let clock = T0;
    const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const index = byUrl.get(url);
      if (index === undefined) return new Response(null, { status: 404 });
      const feed = feedAt(index, items[index]!, clock);
      const validator = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).get('if-none-match');
      if (validator === feed.etag) return new Response(null, { status: 304 });
      return new Response(feed.bytes, { status: 200, headers: { 'content-type': 'application/rss+xml', etag: feed.etag } });
    };
    const kv = new CountingKV();
    const env = { ...VARS, SOURCES: JSON.stringify(SOURCES.slice(0, SOURCE_COUNT).map((s) => ({ url: s.url, name: s.name }))), STATE: kv.asKV() } as unknown as Env;
    let longestWait = 0;
    const filedIds = new Set<string>();
    const droppedIds = new Set<string>();
    const seen = new Set<Item>();
    let dropped = 0;
    let pollingTurns = 0;
    let oldestWait = 0;
    let drainedAt: number | null = null;
    const newsEnds = scenario.everyMinutes ? T0 + NEWS_HOURS * 3_600_000 : T0;
    const ids = SOURCES.slice(0, SOURCE_COUNT).map((s) => sourceId(s.url));
    for (let run = 0; run < MAX_RUNS; run++) {
      clock = T0 + run * CRON_MINUTES * 60_000;
      // How long each source has waited since its last poll (or since the deployment), as this run starts.
      const before = (await readSourceState(kv.asKV())).statuses;
      for (const id of ids) longestWait = Math.max(longestWait, clock - Date.parse(before[id]?.lastFetched ?? new Date(T0).toISOString()));
      const report = await runScheduled(env, { now: () => new Date(clock), fetch });
      dropped += (report.bounds as { backlogDropped?: number }).backlogDropped ?? 0;
      if (report.sourcesDue > 0) pollingTurns++;
      const state = await readSourceState(kv.asKV());
      // The items of each feed a source read this run (its record says it was fetched now): seen.
      ids.forEach((id, i) => {
        if (state.statuses[id]?.lastFetched === new Date(clock).toISOString()) for (const item of onFeed(items[i]!, clock)) seen.add(item);
      });
      for (const story of (await readStories(kv.asKV())).stories) for (const s of story.sources) filedIds.add(s.articleId);
      for (const id of state.backlogDrops) droppedIds.add(id);
      const waiting = (await pendingInbox(kv.asKV(), state)).articles;
      for (const a of waiting) oldestWait = Math.max(oldestWait, clock - Date.parse(a.seenAt));
      // Drained: news has stopped, every source was polled after its last item, and nothing waits.
      const allSeen = ids.every((id, i) => Date.parse(state.statuses[id]?.lastFetched ?? '1970-01-01T00:00:00Z') >= items[i]!.at(-1)!.at);
      if (clock >= newsEnds && allSeen && waiting.length === 0) {
        drainedAt = run + 1;
        break;
      }
    }
    // Each item offered to the deployment (on its feed at T0 or published after), by the id the Worker gives
    // it (source and guid: src/normalise): filed; dropped from the backlog (counted); a duplicate of a filed
    // one (the engine lists the same title and text once); off its feed before any poll read it (the feed
    // moved faster than the polls: a loss the Worker cannot see); or lost, read but none of these (must be 0).
    const outcome = { filed: 0, dropped: 0, duplicate: 0, unread: 0, lost: 0 };
    const filedTexts = new Set<string>();
    const offered = items.flatMap((list, s) => {
      const atStart = new Set(onFeed(list, T0));
      return list.filter((item) => item.at > T0 || atStart.has(item)).map((item) => ({ item, id: stableHash(`${ids[s]}\nid:${item.text.id}`) }));
    });
    for (const { item, id } of offered) if (filedIds.has(id)) filedTexts.add(`${item.text.title}\n${item.text.text}`);
    for (const { item, id } of offered) {
      if (filedIds.has(id)) outcome.filed++;
      else if (droppedIds.has(id)) outcome.dropped++;
      else if (filedTexts.has(`${item.text.title}\n${item.text.text}`)) outcome.duplicate++;
      else if (!seen.has(item)) outcome.unread++;
      else {
        outcome.lost++;
        if (process.env.DEBUG_BACKLOG) console.log('lost', ((item.at - T0) / 3_600_000).toFixed(2), item.text.id, JSON.stringify(item.text.title).slice(0, 80));
      }
    }
    const days = ((drainedAt ?? MAX_RUNS) * CRON_MINUTES) / (24 * 60);
    const turns = drainedAt === null ? `not drained in ${MAX_RUNS}` : `${drainedAt} (${((drainedAt - 1) * CRON_MINUTES / 60).toFixed(1)} h)`;
    console.log(`| ${scenario.name} | ${turns} | ${pollingTurns} | ${(longestWait / 60_000).toFixed(0)} min | ${offered.length} | ${outcome.filed} | ${outcome.dropped} (run reports: ${dropped}) | ${outcome.duplicate} | ${outcome.unread} | ${outcome.lost} | ${(oldestWait / 3_600_000).toFixed(1)} h | ${Math.round(outcome.filed / days)} | ${Math.round(kv.writes / days)} |`);
  }
  console.log('');
}
