/// <reference types="node" />
// The CPU of one whole scheduled run at steady state, stage by stage, with the pipeline's own
// functions in the order src/scheduled.ts calls them: KV reads (lease, source state, admin
// sources, inbox), parse of the feed documents, normalise, engine state load, stories read,
// cluster + file (fileArticles), engine state save, stories (prune, bound, write) and pre-render
// (corrections, fitBundle, write). At 1,000 / 5,000 / 20,000 active stories and 0 / 30 / 300
// new articles, plus the KV values' sizes and the peak heap of one run. Prints figures; asserts nothing.
//   npm run bench -- stages [--data DIR]   (DIR defaults to ../shared/eval/clustering beside the repo)
//   STORYWIRE_BENCH_SIZES=1000 npm run bench -- stages   (only these active-set sizes)
//   STORYWIRE_BENCH_NEW=0,1,30 STORYWIRE_BENCH_PAGE_SIZE=10 npm run bench -- stages   (other new-article counts, page size)
// State: an engine AND its story records, filled by fileArticles in runs of 300 articles from
// allsides-neus-static and multinews-train (then the same texts with every word spelt
// backwards, to pass 20,000 stories); MAX_STORIES is the active size up to its ceiling of 5,000.
// New articles: uci-headlines-dev and ecbplus-dev texts, wrapped into RSS 2.0 documents of 20
// items (title, link, guid, pubDate, description, content:encoded), parsed from their bytes.
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { StoryClusterer, type ClusterInput } from '../src/cluster/index';
import { cpuMs, dataDir, hash, runTexts, sizes, threadCpu } from './lib/realText';
import { readSettings, type Settings } from '../src/config';
import type { Article, ParsedFeed, Source } from '../src/model';
import { MAX_SUMMARY_CHARS, noCuts, normaliseItems, summarise } from '../src/normalise';
import { parseFeed } from '../src/parse';
import { fitBundle, prerenderedView } from '../src/render/publish';
import { runScheduled } from '../src/scheduled';
import { fileArticles } from '../src/stories/file';
import { loadClusterState, saveClusterState } from '../src/store/clusterState';
import { readPages } from '../src/store/corrections';
import { readAdminSources } from '../src/store/adminSources';
import { pendingInbox } from '../src/store/inbox';
import { KV_KEYS } from '../src/store/keys';
import { readLease, stillHeld } from '../src/store/lease';
import { readRendered, writeRendered } from '../src/store/rendered';
import { readSourceState } from '../src/store/sourceState';
import { StoryShelf } from '../src/stories/shelf';
import { readStoryShelf, writeStories } from '../src/store/stories';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MiB = 1048576;
const ITEMS_PER_FEED = 20;
export const SOURCE_COUNT = 40; // MAX_FETCHES_PER_RUN's default
/** New articles per measured run; STORYWIRE_BENCH_NEW=0,1,30 measures others. */
const COUNTS = process.env.STORYWIRE_BENCH_NEW ? process.env.STORYWIRE_BENCH_NEW.split(',').map(Number).filter((n) => Number.isInteger(n) && n >= 0) : [0, 30, 300];

/** An in-memory KV that keeps values as given (strings or bytes) and counts the reads and writes, with their sizes. */
export class CountingKV {
  readonly store = new Map<string, string | ArrayBuffer | ArrayBufferView>();
  reads = 0;
  readBytes = 0;
  writes = 0;
  writtenBytes = 0;

  async get(key: string | string[], type?: string | { type?: string }): Promise<unknown> {
    // A bulk read (inbox batches): a map of every key asked for, as KV answers it.
    if (Array.isArray(key)) return new Map(await Promise.all(key.map(async (k) => [k, await this.get(k, type)] as const)));
    const as = typeof type === 'object' ? type.type : type;
    const value = this.store.get(key);
    this.reads++;
    if (value === undefined) return null;
    this.readBytes += size(value);
    // As KV hands them back: an ArrayBuffer (the view the run wrote spans its whole buffer: no copy).
    if (as === 'arrayBuffer') return typeof value === 'string' ? new TextEncoder().encode(value).buffer : ArrayBuffer.isView(value) ? wholeBuffer(value) : value;
    const text = typeof value === 'string' ? value : new TextDecoder().decode(value);
    return as === 'json' ? JSON.parse(text) : text;
  }
  /** Each key's metadata, as `put` was given it (KV lists it with the key). */
  readonly metadata = new Map<string, unknown>();
  async put(key: string, value: string | ArrayBuffer | ArrayBufferView, options?: { metadata?: unknown }): Promise<void> {
    this.writes++;
    this.writtenBytes += size(value);
    this.store.set(key, value);
    if (options?.metadata !== undefined) this.metadata.set(key, options.metadata);
    else this.metadata.delete(key);
  }
  async delete(key: string): Promise<void> {
    this.store.delete(key);
    this.metadata.delete(key);
  }
  async list({ prefix = '' }: { prefix?: string } = {}) {
    this.reads++;
    const keys = [...this.store.keys()].filter((k) => k.startsWith(prefix)).map((name) => (this.metadata.has(name) ? { name, metadata: this.metadata.get(name) } : { name }));
    return { keys, list_complete: true, cacheStatus: null };
  }
  resetCounts(): void {
    this.reads = this.readBytes = this.writes = this.writtenBytes = 0;
  }
  asKV(): KVNamespace {
    return this as unknown as KVNamespace;
  }
}

function wholeBuffer(view: ArrayBufferView): ArrayBuffer {
  const whole = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength;
  return (whole ? view.buffer : view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength)) as ArrayBuffer;
}

function size(value: string | ArrayBuffer | ArrayBufferView): number {
  return typeof value === 'string' ? Buffer.byteLength(value) : value.byteLength;
}

export const SOURCES: Source[] = Array.from({ length: SOURCE_COUNT }, (_, i) => ({ id: `src-${i}`, url: `https://outlet-${i}.example/feed.xml`, name: `Outlet ${i}` }));
export const FILL_START = Date.parse('2026-11-30T00:00:00Z');

/** A fill text as the article a poll would have produced (the fill skips parsing: only its result matters). */
export function fillArticle(input: ClusterInput, index: number): Article {
  const source = SOURCES[hash(input.id) % SOURCE_COUNT]!;
  const seenAt = new Date(FILL_START + index * 5_000).toISOString(); // 26,000 articles in 36 h: inside the 72 h window
  return {
    id: input.id, sourceId: source.id, outlet: source.name!, url: `https://outlet-${source.id}.example/news/${encodeURIComponent(input.id)}`,
    title: input.title, text: input.text, summary: summarise(input.text, input.title, MAX_SUMMARY_CHARS), published: seenAt, seenAt,
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** New articles as the RSS 2.0 documents their outlets would serve, 20 items each. */
export function feedDocuments(fresh: ClusterInput[], published: Date): { source: Source; bytes: Uint8Array }[] {
  const documents: { source: Source; bytes: Uint8Array }[] = [];
  for (let start = 0; start < fresh.length; start += ITEMS_PER_FEED) {
    const source = SOURCES[documents.length % SOURCE_COUNT]!;
    const items = fresh.slice(start, start + ITEMS_PER_FEED).map((a, i) => {
      const paragraphs = a.text.split('\n').filter((p) => p.trim()).map((p) => `<p>${escapeXml(p)}</p>`).join('');
      const lead = summarise(a.text, a.title, MAX_SUMMARY_CHARS);
      return `<item><title>${escapeXml(a.title)}</title><link>https://outlet-${source.id}.example/news/${encodeURIComponent(a.id)}</link>` +
        `<guid isPermaLink="false">${escapeXml(a.id)}</guid><pubDate>${new Date(published.getTime() - i * 60_000).toUTCString()}</pubDate>` +
        `<description>${escapeXml(lead)}</description><content:encoded><![CDATA[${paragraphs.replaceAll(']]>', ']]&gt;')}]]></content:encoded></item>`;
    });
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>` +
      `<title>${source.name}</title><link>https://outlet-${source.id}.example/</link><description>News</description>${items.join('\n')}</channel></rss>`;
    documents.push({ source, bytes: new TextEncoder().encode(xml) });
  }
  return documents;
}

/** A realistic `source-state` value: one real run over the 40 sources on a scratch KV (its engine is thrown away). */
export async function sourceStateValue(fresh: ClusterInput[], now: Date): Promise<string> {
  const kv = new CountingKV();
  const documents = feedDocuments(fresh.slice(0, SOURCE_COUNT * 2), now);
  const byUrl = new Map(SOURCES.map((s, i) => [s.url, documents[i % documents.length]!.bytes]));
  const env = { STATE: kv.asKV(), SOURCES: JSON.stringify(SOURCES.map((s) => ({ url: s.url, name: s.name }))) } as unknown as Env;
  await runScheduled(env, {
    now: () => now,
    fetch: async (input) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return new Response(byUrl.get(url) ?? null, { status: byUrl.has(url) ? 200 : 404, headers: { 'content-type': 'application/rss+xml', etag: '"v1"' } });
    },
  });
  return kv.store.get(KV_KEYS.sourceState) as string;
}

const STAGES = ['KV reads (lease, source state, admin sources, inbox)', 'parse feeds', 'normalise', 'engine state load', 'stories read (index)',
  'cluster + file (fileArticles)', 'engine state save', 'stories seal (prune, bound, encode) + write', 'pre-render (corrections, fitBundle, write)'] as const;

interface Measured {
  ms: number[]; // per stage, mean per run
  kv: { reads: number; readBytes: number; writes: number; writtenBytes: number };
  peak: number;
  base: number;
}

/**
 * The steady state a measured run starts from, as KV holds it. The engine and records that built
 * it are left behind: a measured run holds only what a Worker's run would (its collector then
 * walks what a run allocates, not the bench's fill).
 */
export async function steadyState(active: number, fill: ClusterInput[], settings: Settings, sourceState: string) {
  const engine = StoryClusterer.restore(null, { maxActiveStories: active });
  const shelf = StoryShelf.empty();
  let stored: Uint8Array = new Uint8Array();
  let fed = 0;
  // Runs of 300 articles, each filed and pruned as a run does, until the active set is full and has turned over a
  // little. Full is 95 %: consolidation folds a few stories after every run, so the set rarely sits at its cap.
  while (fed < fill.length && !(engine.activeStories >= active * 0.95 && fed >= active * 1.3)) {
    const batch = fill.slice(fed, fed + 300).map((a, i) => fillArticle(a, fed + i));
    const now = new Date(Date.parse(batch.at(-1)!.seenAt) + 1000);
    fileArticles(engine, shelf, batch, [], Number.MAX_SAFE_INTEGER, now);
    stored = shelf.seal(settings.maxStories, now).bytes;
    fed += batch.length;
  }
  const kv = new CountingKV();
  await saveClusterState(kv.asKV(), engine.snapshot());
  await writeStories(kv.asKV(), stored);
  await writeRendered(kv.asKV(), (await fitBundle(await readPages(kv.asKV(), shelf), settings)).bytes);
  // The same pages published under a PUBLIC_URL, for the cost of serving a default request both ways.
  const withUrl = new CountingKV();
  await writeRendered(withUrl.asKV(), (await fitBundle(await readPages(kv.asKV(), shelf), { ...settings, publicUrl: PUBLIC_URL })).bytes);
  await kv.put(KV_KEYS.sourceState, sourceState);
  return { steady: new Map(kv.store), renderedWithUrl: withUrl.store.get(KV_KEYS.rendered)!, activeStories: engine.activeStories, records: shelf.size, fed, now: new Date(FILL_START + fed * 5_000 + 60_000) };
}

async function measureAt(active: number, fill: ClusterInput[], fresh: ClusterInput[], sourceState: string): Promise<void> {
  const options = { maxActiveStories: active };
  // FEED_PAGE_SIZE as an operator would set it (STORYWIRE_BENCH_PAGE_SIZE; default 50).
  const settings: Settings = readSettings({ MAX_STORIES: String(Math.min(active, 5_000)), FEED_PAGE_SIZE: process.env.STORYWIRE_BENCH_PAGE_SIZE ?? '50' });
  const { steady, renderedWithUrl, activeStories, records, fed, now } = await steadyState(active, fill, settings, sourceState);
  const kv = new CountingKV();
  const sizeOf = (key: string) => size(steady.get(key)!);

  const results: Measured[] = [];
  for (const count of COUNTS) {
    const documents = feedDocuments(fresh.slice(0, count), now);
    const repetitions = Math.max(5, Math.round((active <= 1_000 ? 120 : active <= 5_000 ? 40 : 10) * (count === 300 ? 0.4 : 1)));
    const sums = STAGES.map(() => 0);
    const result: Measured = { ms: [], kv: { reads: 0, readBytes: 0, writes: 0, writtenBytes: 0 }, peak: 0, base: 0 };
    for (let rep = -1; rep < repetitions; rep++) { // rep -1 warms up, rep 0 also counts KV and samples the heap
      for (const [key, value] of steady) kv.store.set(key, value);
      kv.resetCounts();
      const first = rep === 0;
      if (first) {
        gc();
        result.base = result.peak = process.memoryUsage().heapUsed;
      }
      let stage = 0;
      let clock = threadCpu();
      const lap = () => {
        if (rep >= 0) sums[stage] = sums[stage]! + cpuMs(clock);
        if (first) result.peak = Math.max(result.peak, process.memoryUsage().heapUsed);
        stage++;
        clock = threadCpu();
      };
      const store = kv.asKV();
      await readLease(store);
      const state = await readSourceState(store);
      await readAdminSources(store);
      await pendingInbox(store, state);
      await stillHeld(store, 'bench');
      lap();
      const feeds: { source: Source; feed: ParsedFeed }[] = documents.map((d) => ({ source: d.source, feed: parseFeed(d.bytes, { url: d.source.url, contentType: 'application/rss+xml' }) }));
      lap();
      const counters = noCuts();
      const articles = feeds.flatMap(({ source, feed }) => normaliseItems(feed, source, now.toISOString(), { maxItems: settings.maxItemsPerFeed, counters }));
      lap();
      const run = StoryClusterer.restore(await loadClusterState(store), options);
      lap();
      const records = await readStoryShelf(store);
      lap();
      fileArticles(run, records, articles, [], settings.maxArticlesPerRun, now);
      lap();
      await saveClusterState(store, run.snapshot());
      lap();
      await writeStories(store, records.seal(settings.maxStories, now).bytes);
      lap();
      const [pages, previous] = await Promise.all([readPages(store, records), readRendered(store)]);
      const published = await fitBundle(pages, settings, { previous });
      await writeRendered(store, published.bytes);
      lap();
      if (first) result.kv = { reads: kv.reads, readBytes: kv.readBytes, writes: kv.writes, writtenBytes: kv.writtenBytes };
    }
    result.ms = sums.map((s) => s / repetitions);
    results.push(result);
  }

  const fmt = (ms: number) => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
  console.log(`\n### ${activeStories.toLocaleString('en')} active stories (${fed.toLocaleString('en')} articles fed, ${records.toLocaleString('en')} story records, MAX_STORIES ${settings.maxStories}, FEED_PAGE_SIZE ${settings.feedPageSize})\n`);
  console.log(`KV values: \`cluster\` ${(sizeOf(KV_KEYS.cluster) / MiB).toFixed(2)} MiB, \`stories\` ${(sizeOf(KV_KEYS.stories) / MiB).toFixed(2)} MiB, ` +
    `\`rendered\` ${(sizeOf(KV_KEYS.rendered) / MiB).toFixed(2)} MiB, \`source-state\` ${(sizeOf(KV_KEYS.sourceState) / 1024).toFixed(0)} KiB.\n`);
  console.log(`| stage | CPU ms, ${COUNTS.map((c) => `${c} new`).join(' / ')} |`);
  console.log('| --- | --- |');
  STAGES.forEach((name, i) => console.log(`| ${name} | ${results.map((r) => fmt(r.ms[i]!)).join(' / ')} |`));
  console.log(`| **total** | **${results.map((r) => fmt(r.ms.reduce((a, b) => a + b, 0))).join(' / ')}** |`);
  const writer = (r: Measured) => r.ms[3]! + r.ms[4]! + r.ms[6]! + r.ms[7]! + r.ms[8]!;
  console.log(`| fixed cost of the writer (engine load + save, stories read + write, pre-render) | ${results.map((r) => fmt(writer(r))).join(' / ')} |`);
  console.log(`| feed documents (20 items) | ${COUNTS.map((c) => Math.ceil(c / ITEMS_PER_FEED)).join(' / ')} |`);
  console.log(`| KV reads / writes in one run (MiB read / written) | ${results.map((r) => `${r.kv.reads} / ${r.kv.writes} (${(r.kv.readBytes / MiB).toFixed(1)} / ${(r.kv.writtenBytes / MiB).toFixed(1)})`).join(' ; ')} |`);
  const requests: number[] = []; // one after another: the clock is the thread's
  for (const format of ['rss', 'html'] as const) {
    requests.push(await requestCpu(steady.get(KV_KEYS.rendered)!, settings, format));
    requests.push(await requestCpu(renderedWithUrl, { ...settings, publicUrl: PUBLIC_URL }, format));
  }
  console.log(`| one default request: \`rendered\` read + its view + its bytes, \`/feed.xml\` / \`/\` (no PUBLIC_URL ; PUBLIC_URL) | ${[0, 2].map((i) => requests[i]!.toFixed(2)).join(' / ')} ; ${[1, 3].map((i) => requests[i]!.toFixed(2)).join(' / ')} (${Math.round(size(steady.get(KV_KEYS.rendered)!) / 1024)} KiB value) |`);
  console.log(`| peak heap of one run (over idle) | ${results.map((r) => `${(r.peak / MiB).toFixed(0)} MiB (+${((r.peak - r.base) / MiB).toFixed(0)})`).join(' / ')} |`);
}

const PUBLIC_URL = 'https://wire.example';

/**
 * The CPU of serving one default request from the stored bundle, as src/routes/feeds.ts does: the
 * `rendered` read, the view of its format, and the body's bytes as sent (a string body is encoded
 * to UTF-8 by the runtime). Mean over many requests (the clock's steps are coarse).
 */
async function requestCpu(value: string | ArrayBuffer | ArrayBufferView, settings: Settings, format: 'rss' | 'html'): Promise<number> {
  const kv = new CountingKV();
  kv.store.set(KV_KEYS.rendered, value);
  const store = kv.asKV();
  const encoder = new TextEncoder();
  let sent = 0;
  const serve = async () => {
    const bundle = await readRendered(store);
    const view = bundle && prerenderedView(bundle, format, settings, 'https://a.example');
    if (!view) throw new Error('bench: the stored bundle was not served');
    sent += typeof view.body === 'string' ? encoder.encode(view.body).length : (view.body as Uint8Array).length;
  };
  for (let i = 0; i < 20; i++) await serve();
  const runs = 300;
  const clock = threadCpu();
  for (let i = 0; i < runs; i++) await serve();
  return cpuMs(clock) / runs;
}

export async function runStagesBench(): Promise<void> {
  const dir = dataDir();
  const { fill, fresh } = runTexts(dir);
  // The source state comes from articles the measured runs never see again.
  const sourceState = await sourceStateValue(fresh.slice(-SOURCE_COUNT * 2), new Date(FILL_START - 3_600_000));
  console.log('Main-thread CPU ms per run (process.threadCpuUsage), mean over 120 / 40 / 10 runs at 1,000 / 5,000 / 20,000 active stories (0.4x that with 300 new). ' +
    'Every stage runs in every column; a real run with nothing new skips engine load through pre-render.');
  for (const active of sizes()) await measureAt(active, fill, fresh.slice(0, -SOURCE_COUNT * 2), sourceState);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runStagesBench();
