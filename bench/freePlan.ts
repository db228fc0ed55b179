/// <reference types="node" />
// What a Workers free account can run (10 ms of CPU per invocation): whole scheduled runs
// (runScheduled, exactly as the cron calls it) at steady state, 40 sources due, of which some
// have new items (RSS 2.0 documents of 20 full-text items; the others answer 304 Not Modified),
// under the settings docs/deploy.md recommends for the free plan, next to the defaults. Prints,
// per run: main-thread CPU, articles filed, sources and articles left for the next run, KV writes.
// A last row per profile: nothing changed (sources last polled 20 minutes before), but articles
// pushed through the API wait in the inbox: the run is then the single writer alone (what a Queue
// split would leave in one invocation), with the polls' bookkeeping. First, a backlog drained by
// many runs (bench/backlog.ts). Asserts nothing.
//   npm run bench -- free [--data DIR]   (DIR defaults to ../shared/eval/clustering beside the repo)
//   STORYWIRE_BENCH_SIZES=500,1000 npm run bench -- free   (active-set sizes; default 500 and 1,000)
//   STORYWIRE_BENCH_FREE=runs (or backlog) npm run bench -- free   (only the run table, or only the backlog simulation)
import { fileURLToPath } from 'node:url';
import { readSettings } from '../src/config';
import { runScheduled } from '../src/scheduled';
import { runBacklogSimulation } from './backlog';
import { cpuMs, dataDir, runTexts, threadCpu } from './lib/realText';
import { INBOX_PREFIX, KV_KEYS } from '../src/store/keys';
import { CountingKV, FILL_START, feedDocuments, fillArticle, SOURCE_COUNT, SOURCES, sourceStateValue, steadyState } from './stages';

/** The free-plan settings of docs/deploy.md, and the defaults. */
const PROFILES: { name: string; vars: Record<string, string> }[] = [
  { name: 'free-plan settings', vars: { FEED_PAGE_SIZE: '10', MAX_ARTICLES_PER_RUN: '5', MAX_PARSE_BYTES_PER_RUN: String(128 * 1024) } },
  { name: 'free-plan settings, split runs (feeds changed: polling turns; pushed: a filing turn)', vars: { FEED_PAGE_SIZE: '10', MAX_ARTICLES_PER_RUN: '5', MAX_PARSE_BYTES_PER_RUN: String(128 * 1024), SPLIT_RUNS: 'true' } },
  { name: 'free-plan settings, 10 articles a run', vars: { FEED_PAGE_SIZE: '10', MAX_ARTICLES_PER_RUN: '10', MAX_PARSE_BYTES_PER_RUN: String(128 * 1024) } },
  { name: 'defaults (pages of 50, no run bounds)', vars: {} },
];
const CHANGED = [0, 1, 3, 10];
const REPETITIONS = 30;
/** Articles waiting in the inbox in the last row. */
const PUSHED = 5;

export async function runFreePlanBench(): Promise<void> {
  const dir = dataDir();
  const { fill, fresh } = runTexts(dir);
  const part = process.env.STORYWIRE_BENCH_FREE;
  if (part !== 'runs') await runBacklogSimulation(fresh);
  if (part === 'backlog') return;
  const sourceState = await sourceStateValue(fresh.slice(-SOURCE_COUNT * 2), new Date(FILL_START - 3_600_000));
  const sizes = process.env.STORYWIRE_BENCH_SIZES ? process.env.STORYWIRE_BENCH_SIZES.split(',').map(Number) : [500, 1_000];
  const sourcesVar = JSON.stringify(SOURCES.map((s) => ({ url: s.url, name: s.name })));
  console.log(`Whole scheduled runs (runScheduled), ${SOURCE_COUNT} sources due, main-thread CPU ms per run (mean of ${REPETITIONS}), each from the same steady state.\n`);
  for (const active of sizes) {
    for (const profile of PROFILES) {
      const vars = { MAX_STORIES: String(active), SOURCES: sourcesVar, ...profile.vars };
      const { steady, now } = await steadyState(active, fill, readSettings(vars), sourceState);
      console.log(`### ${active.toLocaleString('en')} active stories, ${profile.name}: ${JSON.stringify(profile.vars)}\n`);
      console.log('| feeds with new items (20 each) | CPU ms per run | articles filed | sources left for the next run | articles left | KV puts |');
      console.log('| --- | --- | --- | --- | --- | --- |');
      for (const scenario of [...CHANGED, 'pushed'] as const) {
        const changed = scenario === 'pushed' ? 0 : scenario;
        const documents = feedDocuments(fresh.slice(0, changed * 20), now);
        // Five new articles pushed through the API a minute before the run (one inbox batch, as the push route stores it).
        const pushed = scenario === 'pushed' ? fresh.slice(0, PUSHED).map((a, i) => ({ ...fillArticle(a, i), seenAt: new Date(now.getTime() - 60_000).toISOString() })) : [];
        const byUrl = new Map(documents.map((d) => [d.source.url, d.bytes]));
        const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
          const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
          const body = byUrl.get(url);
          if (body) return new Response(body, { status: 200, headers: { 'content-type': 'application/rss+xml', etag: '"v2"' } });
          const validator = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).get('if-none-match');
          return new Response(null, { status: validator === '"v1"' ? 304 : 404 });
        };
        let total = 0;
        let report: Awaited<ReturnType<typeof runScheduled>> | null = null;
        let writes = 0;
        for (let rep = -2; rep < REPETITIONS; rep++) {
          const kv = new CountingKV();
          for (const [key, value] of steady) kv.store.set(key, value);
          if (pushed.length > 0) {
            kv.store.set(`${INBOX_PREFIX}bench-batch`, JSON.stringify({ version: 1, articles: pushed }));
            // Polled 20 minutes ago (due again, not overdue): with SPLIT_RUNS this run is a filing turn (sources/backlog.ts).
            kv.store.set(KV_KEYS.sourceState, polledAgo(steady.get(KV_KEYS.sourceState) as string, now, 20));
          }
          const env = { ...vars, STATE: kv.asKV() } as unknown as Env;
          const clock = threadCpu();
          report = await runScheduled(env, { now: () => now, fetch });
          if (rep >= 0) total += cpuMs(clock);
          writes = kv.writes;
        }
        const r = report!;
        console.log(`| ${scenario === 'pushed' ? `none; ${PUSHED} pushed articles waiting` : changed} | ${(total / REPETITIONS).toFixed(1)} | ${r.newArticles} | ${r.bounds.sourcesCarried} | ${r.bounds.articlesCarried} | ${writes} |`);
      }
      console.log('');
    }
  }
}

/** The stored source records with every source last polled `minutes` before `now`. */
function polledAgo(sourceState: string, now: Date, minutes: number): string {
  const doc = JSON.parse(sourceState) as { statuses: Record<string, { lastFetched: string | null }> };
  for (const status of Object.values(doc.statuses)) status.lastFetched = new Date(now.getTime() - minutes * 60_000).toISOString();
  return JSON.stringify(doc);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runFreePlanBench();
