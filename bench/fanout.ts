/// <reference types="node" />
// `npm run bench -- fanout`: the queue topology's capacity, measured locally (issue 23). A farm of
// N loopback feeds (bench/lib/feedFarm.ts, a child process: its CPU is not the Worker's) is polled
// through the real wiring: fanOut (the cron), the poll consumers (many invocations at once, as
// Queues scale them out), the one writer (one batch at a time) and the dead-letter consumer, over
// in-memory queues (test/fixtures/localQueues.ts) and an in-memory KV that counts (CountingKV).
// Cycles of 15 simulated minutes: the first imports every feed; in each later one a fifth of the
// healthy feeds gain 1–3 items and the rest answer 304. A tenth of the feeds are slow or hostile.
// Verifies by counting that every item of every healthy feed is filed once, and prints CPU per
// invocation, subrequests, queue and KV operations per cycle, and the ceilings they give on
// Cloudflare's published limits (docs/deploy.md, "Queues: capacity"). Asserts nothing.
//   npm run bench -- fanout                               (10,000 feeds, 4 cycles)
//   STORYWIRE_BENCH_FANOUT=1000 npm run bench -- fanout   (fewer feeds; STORYWIRE_BENCH_CYCLES=N cycles)
//   STORYWIRE_BENCH_VARS='{"MAX_STORIES":"500","MAX_ARTICLES_PER_RUN":"5"}' … (other Worker settings)
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSettings } from '../src/config';
import { consume, fanOut, queuesOf } from '../src/queued';
import { sourceId, normaliseSourceUrl } from '../src/sources/registry';
import { KV_KEYS, SOURCE_PREFIX } from '../src/store/keys';
import type { SourceEntry } from '../src/store/adminSources';
import { StoryShelf } from '../src/stories/shelf';
import { isStoredStories } from '../src/stories/storedStories';
import type { SourceStatus } from '../src/model';
import type { Filing } from '../src/queued/messages';
import { LocalQueues, WRANGLER_QUEUES, type QueueCounts } from '../test/fixtures/localQueues';
import { feedPath, feedPlan, firstHead, itemNumbers, itemUrl, prng, type FeedPlan } from './lib/farmFeeds';
import type { FarmOptions, FarmReply, FarmRequest } from './lib/feedFarm';
import { BenchSettingError, cpuMs, threadCpu } from './lib/realText';
import { CountingKV } from './stages';

const POLL = 'storywire-poll';
const FILE = 'storywire-file';
const DEAD = 'storywire-dead';
const CYCLE_MS = 15 * 60_000;
/** Poll consumer invocations in flight at once (Queues scale out to 250). */
const POLL_CONCURRENCY = 50;
/** Poll invocations of each cycle run alone first, to time them one by one. */
const ALONE_SAMPLE = 10;
/** Filings waiting before the writer takes its turn: bounds the bench's memory (on Cloudflare the writer runs beside the polls). */
const FILE_BACKLOG = 300;
/** Steady cycles: this share of the healthy feeds gain 1–3 items. */
const CHANGED_SHARE = 0.2;
const FETCH_TIMEOUT_MS = 2000;
const START = Date.parse('2026-12-01T06:00:00Z');

/** The published limits the ceilings are worked out from (checked December 2026; docs/deploy.md links them). */
export const LIMITS = {
  freeQueueOpsPerDay: 10_000,
  freeCpuMs: 10,
  paidCpuMsDefault: 30_000,
  paidCpuMsMax: 300_000,
  freeSubrequests: 50,
  paidSubrequests: 10_000,
  connections: 6,
  freeRequestsPerDay: 100_000,
  freeKvReadsPerDay: 100_000,
  freeKvWritesPerDay: 1_000,
  freeKvListsPerDay: 1_000,
  kvValueBytes: 25 * 1024 * 1024,
  queueMessagesPerSecond: 5_000,
  maxConcurrency: 250,
  consumerWallMs: 15 * 60_000,
};

class ListCountingKV extends CountingKV {
  lists = 0;
  override async list(options?: { prefix?: string }) {
    this.lists++;
    this.reads--; // CountingKV counts a list as a read: here they are told apart
    return super.list(options);
  }
}

interface KvTally { reads: number; writes: number; lists: number; writtenBytes: number }
const kvTally = (kv: ListCountingKV): KvTally => ({ reads: kv.reads, writes: kv.writes, lists: kv.lists, writtenBytes: kv.writtenBytes });
const kvSince = (kv: ListCountingKV, from: KvTally): KvTally => ({ reads: kv.reads - from.reads, writes: kv.writes - from.writes, lists: kv.lists - from.lists, writtenBytes: kv.writtenBytes - from.writtenBytes });

function queueTally(queues: LocalQueues): Map<string, QueueCounts> {
  return new Map([...queues.counts].map(([name, c]) => [name, { ...c }]));
}
function queueSince(queues: LocalQueues, from: Map<string, QueueCounts>): Map<string, QueueCounts> {
  return new Map([...queues.counts].map(([name, c]) => {
    const f = from.get(name)!;
    return [name, Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v - f[k as keyof QueueCounts]])) as unknown as QueueCounts];
  }));
}

interface PollSample { cpuMs: number; wallMs: number; subrequests: number; sources: number; documents: number }
/** cpuMs: the main thread's; processMs: every thread's (gzip of the engine state runs on libuv's pool in Node, in the isolate on Workers). */
interface WriterSample { cpuMs: number; processMs: number; wallMs: number; newArticles: number; messages: number }

interface CycleFigures {
  cycle: number;
  sent: number;
  due: number;
  inFlight: number;
  /** Sources whose record says they were polled within this cycle's 15 simulated minutes. */
  polledInCycle: number;
  changedFeeds: number;
  expectedNew: number;
  filed: number;
  fanoutMs: number;
  pollWallMs: number;
  writerWallMs: number;
  totalWallMs: number;
  pollInvocations: number;
  pollPhaseCpuMs: number;
  concurrentInvocations: number;
  concurrentCpuMs: number;
  alone: PollSample[];
  all: PollSample[];
  writer: WriterSample[];
  deadLetters: number;
  kv: KvTally;
  kvFanout: KvTally;
  kvWriter: KvTally;
  queues: Map<string, QueueCounts>;
  sourceStateBytes: number;
  pollsSentBytes: number;
}

/**
 * What was filed. At each seal of the writer (StoryShelf.seal, wrapped below) the shelf is asked
 * which of the batch's articles a story lists: filed. The seal then keeps MAX_STORIES stories,
 * each source's oldest left out first (stories/fairStorage.ts): with more sources than
 * MAX_STORIES a batch's older stories leave at once, so the stored value alone cannot tell
 * filed from lost. After each batch the stored value is still read: what it lists, and whether
 * an article is listed in two stories at once.
 */
class FilingLedger {
  /** Article ids a story listed at a seal of the writer, and the URL of every article the writer was sent. */
  readonly filedIds = new Set<string>();
  readonly urlById = new Map<string, string>();
  readonly idsByUrl = new Map<string, Set<string>>();
  /** Ids the stored value listed after some batch. */
  readonly storedIds = new Set<string>();
  listedTwice = 0;
  newArticlesReported = 0;
  /** CPU the wrapped seal spent asking (taken off the writer's). */
  hookMs = 0;
  private batchIds: string[] = [];

  /** The articles of a writer batch, as the poll consumers normalised them. */
  expect(deliveries: readonly { body: unknown }[]): void {
    this.batchIds = [];
    for (const { body } of deliveries) {
      for (const article of [...((body as Filing).polled ?? []), ...((body as Filing).pushed ?? [])]) {
        this.batchIds.push(article.id);
        if (!article.url) continue;
        this.urlById.set(article.id, article.url);
        let ids = this.idsByUrl.get(article.url);
        if (!ids) this.idsByUrl.set(article.url, (ids = new Set()));
        ids.add(article.id);
      }
    }
  }

  /** Before the shelf is sealed: which of the batch's articles it lists. */
  sealing(shelf: StoryShelf): void {
    const clock = threadCpu();
    for (const id of shelf.listedAmong(this.batchIds)) this.filedIds.add(id);
    this.hookMs += cpuMs(clock);
  }

  look(kv: ListCountingKV): void {
    const bytes = kv.store.get(KV_KEYS.stories);
    if (!bytes || typeof bytes === 'string' || !isStoredStories(bytes as Uint8Array)) return;
    const { stories } = StoryShelf.decode(bytes as Uint8Array).toSnapshot();
    const inValue = new Set<string>();
    for (const story of stories) {
      for (const source of story.sources) {
        if (inValue.has(source.articleId)) this.listedTwice++;
        inValue.add(source.articleId);
        this.storedIds.add(source.articleId);
      }
    }
  }
}

/** Lets the ledger look at every shelf the writer seals (measurement only: the seal itself is unchanged). */
function watchSeals(ledger: FilingLedger): () => void {
  const seal = StoryShelf.prototype.seal;
  StoryShelf.prototype.seal = function (this: StoryShelf, ...args: Parameters<StoryShelf['seal']>) {
    ledger.sealing(this);
    return seal.apply(this, args);
  };
  return () => void (StoryShelf.prototype.seal = seal);
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
const fmt = (n: number, digits = 1) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const int = (n: number) => Math.round(n).toLocaleString('en');

async function startFarm(options: FarmOptions): Promise<{ child: ChildProcess; port: number; ask: (request: FarmRequest) => Promise<FarmReply> }> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'lib', 'feedFarm.ts');
  const child = fork(script, [JSON.stringify(options)], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const replies: ((reply: FarmReply) => void)[] = [];
  let ready: (port: number) => void;
  const port = new Promise<number>((resolve, reject) => {
    ready = resolve;
    child.once('exit', (code) => reject(new Error(`bench: the feed farm exited (${code}) before listening`)));
  });
  child.on('message', (reply: FarmReply) => (reply.type === 'ready' ? ready(reply.port) : replies.shift()?.(reply)));
  const ask = (request: FarmRequest) => new Promise<FarmReply>((resolve) => {
    replies.push(resolve);
    child.send(request);
  });
  return { child, port: await port, ask };
}

export async function runFanoutBench(): Promise<void> {
  const feeds = Number(process.env.STORYWIRE_BENCH_FANOUT ?? 10_000);
  const cycles = Number(process.env.STORYWIRE_BENCH_CYCLES ?? 4);
  const pollBatch = Number(process.env.STORYWIRE_BENCH_POLL_BATCH ?? WRANGLER_QUEUES[0]!.maxBatchSize);
  const fileBatch = Number(process.env.STORYWIRE_BENCH_FILE_BATCH ?? WRANGLER_QUEUES[1]!.maxBatchSize);
  const perMessage = process.env.STORYWIRE_BENCH_PER_MESSAGE;
  if (perMessage !== undefined && !/^([1-9]|[1-4][0-9]|50)$/.test(perMessage)) throw new BenchSettingError(`bench: STORYWIRE_BENCH_PER_MESSAGE must be 1 to 50, as SOURCES_PER_POLL_MESSAGE (got "${perMessage}")`);
  if (!Number.isInteger(pollBatch) || pollBatch < 1 || pollBatch > 100) throw new BenchSettingError(`bench: STORYWIRE_BENCH_POLL_BATCH must be 1 to 100 (got "${process.env.STORYWIRE_BENCH_POLL_BATCH}")`);
  if (!Number.isInteger(fileBatch) || fileBatch < 1 || fileBatch > 100) throw new BenchSettingError(`bench: STORYWIRE_BENCH_FILE_BATCH must be 1 to 100 (got "${process.env.STORYWIRE_BENCH_FILE_BATCH}")`);
  if (!Number.isInteger(feeds) || feeds < 10) throw new BenchSettingError(`bench: STORYWIRE_BENCH_FANOUT must be a whole number of feeds, 10 or more (got "${process.env.STORYWIRE_BENCH_FANOUT}")`);
  if (!Number.isInteger(cycles) || cycles < 2) throw new BenchSettingError(`bench: STORYWIRE_BENCH_CYCLES must be 2 or more (got "${process.env.STORYWIRE_BENCH_CYCLES}")`);
  // Other Worker settings, e.g. the free plan's (docs/deploy.md): STORYWIRE_BENCH_VARS='{"MAX_STORIES":"500",…}'.
  let extra: Record<string, string> = {};
  try {
    extra = JSON.parse(process.env.STORYWIRE_BENCH_VARS ?? '{}') as Record<string, string>;
  } catch {
    throw new BenchSettingError(`bench: STORYWIRE_BENCH_VARS must be a JSON object of settings (got "${process.env.STORYWIRE_BENCH_VARS}")`);
  }
  const vars = {
    SOURCES: '[]', ALLOW_PRIVATE_SOURCES: 'true', MAX_STORIES: '5000', FETCH_TIMEOUT_MS: String(FETCH_TIMEOUT_MS), DEAD_LETTER_QUEUE: DEAD,
    ...(perMessage ? { SOURCES_PER_POLL_MESSAGE: perMessage } : {}),
    ...extra,
  };
  const settings = readSettings(vars);
  const farm = await startFarm({ feeds, slowMs: FETCH_TIMEOUT_MS + 1000, maxFeedBytes: settings.maxFeedBytes, startedAt: START - 60_000 });
  const plans: FeedPlan[] = Array.from({ length: feeds }, (_, i) => feedPlan(i));
  const heads = plans.map(firstHead);
  const healthy = plans.filter((p) => !p.hostility);
  // Every item a healthy feed has shown, by URL: what must be filed once.
  const expected = new Set<string>();
  for (const plan of healthy) for (const n of itemNumbers(plan, heads[plan.index]!)) expected.add(itemUrl(plan.index, n));

  const kv = new ListCountingKV();
  const sourceIds: string[] = [];
  for (const plan of plans) {
    const url = `http://127.0.0.1:${farm.port}${feedPath(plan.index)}`;
    const id = sourceId(url);
    sourceIds.push(id);
    const entry: SourceEntry = { version: 1, source: { id, url: normaliseSourceUrl(url), name: `Farm outlet ${plan.index}` }, paused: false, stamp: `bench-${plan.index}`, addedAt: `2026-11-30T00:00:00.000Z#${String(plan.index).padStart(6, '0')}` };
    // As writeSourceEntry writes it: the entry in the value and in the key's metadata.
    kv.store.set(SOURCE_PREFIX + id, JSON.stringify(entry));
    kv.metadata.set(SOURCE_PREFIX + id, entry);
  }
  const queueSettings = WRANGLER_QUEUES.map((q) => (q.name === POLL ? { ...q, maxBatchSize: pollBatch } : q.name === FILE ? { ...q, maxBatchSize: fileBatch } : q));
  const queues = new LocalQueues(queueSettings);
  const env = { ...vars, ...queues.bindings(), STATE: kv.asKV() } as unknown as Env;
  const producers = queuesOf(env)!;
  const ledger = new FilingLedger();
  const random = prng(2026);

  console.log(`${int(feeds)} loopback feeds (${int(healthy.length)} healthy; the rest slow or hostile), ${cycles} cycles of 15 simulated minutes; poll consumers ${POLL_CONCURRENCY} at once (after ${ALONE_SAMPLE} alone per cycle), the writer one batch at a time. Queues as wrangler.toml: poll batches of ${pollBatch} orders of ${settings.sourcesPerPollMessage} sources, file batches of ${fileBatch}. FETCH_TIMEOUT_MS=${FETCH_TIMEOUT_MS}, MAX_STORIES=${settings.maxStories}${process.env.STORYWIRE_BENCH_VARS ? `, settings ${process.env.STORYWIRE_BENCH_VARS}` : ''}.\n`);

  const figures: CycleFigures[] = [];
  let client: ClientCost | null = null;
  const unwatch = watchSeals(ledger);
  try {
    for (let cycle = 1; cycle <= cycles; cycle++) {
      const cycleStart = START + (cycle - 1) * CYCLE_MS;
      const realStart = Date.now();
      // The simulated clock runs at the real pace from the cron's instant.
      const now = () => new Date(cycleStart + (Date.now() - realStart));
      let changedFeeds = 0;
      let expectedNew = cycle === 1 ? expected.size : 0;
      if (cycle > 1) {
        const changes: [number, number][] = [];
        for (const plan of healthy) {
          if (random() >= CHANGED_SHARE) continue;
          const added = 1 + Math.floor(random() * 3);
          for (let k = 1; k <= added; k++) expected.add(itemUrl(plan.index, heads[plan.index]! + k));
          heads[plan.index]! += added;
          changes.push([plan.index, heads[plan.index]!]);
          expectedNew += added;
        }
        changedFeeds = changes.length;
        await farm.ask({ type: 'heads', at: cycleStart - 60_000, heads: changes });
      }
      const kvAt = kvTally(kv);
      const queuesAt = queueTally(queues);
      const fanoutStarted = Date.now();
      // As the scheduled handler does: the cron's own instant.
      const fanout = await fanOut(env, producers, { now: new Date(cycleStart) });
      const fanoutMs = Date.now() - fanoutStarted;
      const kvFanout = kvSince(kv, kvAt);

      const alone: PollSample[] = [];
      const all: PollSample[] = [];
      const writer: WriterSample[] = [];
      let pollWallMs = 0;
      let writerWallMs = 0;
      let pollPhaseCpuMs = 0;
      let concurrentCpuMs = 0;
      let concurrentInvocations = 0;
      let kvWriter: KvTally = { reads: 0, writes: 0, lists: 0, writtenBytes: 0 };
      let filed = 0;

      const pollOnce = async (): Promise<PollSample | null> => {
        let subrequests = 0;
        let sources = 0;
        let documents = 0;
        const fetchCounted = async (input: Request | string | URL, init?: RequestInit) => {
          subrequests++;
          const response = await fetch(input, init);
          if (response.status === 200) documents++;
          return response;
        };
        const clock = threadCpu();
        const started = Date.now();
        const took = await queues.deliver(POLL, async (queue, deliveries) => {
          sources = deliveries.reduce((n, d) => n + ((d.body as { targets?: unknown[] }).targets?.length ?? 0), 0);
          return consume(queue, deliveries, env, { fetch: fetchCounted, now });
        });
        if (!took) return null;
        return { cpuMs: cpuMs(clock), wallMs: Date.now() - started, subrequests, sources, documents };
      };
      const runWriter = async () => {
        const before = kvTally(kv);
        while (queues.size(FILE) > 0) {
          let newArticles = 0;
          let messages = 0;
          const clock = threadCpu();
          const processClock = process.cpuUsage();
          const batchStarted = Date.now();
          const hookBefore = ledger.hookMs;
          await queues.deliver(FILE, async (queue, deliveries) => {
            messages = deliveries.length;
            ledger.expect(deliveries);
            const summary = await consume(queue, deliveries, env, { fetch, now });
            newArticles = Number(summary.newArticles ?? 0);
            return summary;
          });
          const hook = ledger.hookMs - hookBefore;
          const wallMs = Date.now() - batchStarted - hook;
          const used = process.cpuUsage(processClock);
          writer.push({ cpuMs: cpuMs(clock) - hook, processMs: (used.user + used.system) / 1000 - hook, wallMs, newArticles, messages });
          writerWallMs += wallMs;
          ledger.newArticlesReported += newArticles;
          filed += newArticles;
          ledger.look(kv);
        }
        const used = kvSince(kv, before);
        kvWriter = { reads: kvWriter.reads + used.reads, writes: kvWriter.writes + used.writes, lists: kvWriter.lists + used.lists, writtenBytes: kvWriter.writtenBytes + used.writtenBytes };
      };

      // Poll consumers: a sample alone, then many at once; the writer takes its turn when filings pile up.
      while (queues.size(POLL) > 0) {
        const phaseStarted = Date.now();
        const phaseClock = threadCpu();
        if (alone.length < ALONE_SAMPLE) {
          const sample = await pollOnce();
          if (sample) {
            alone.push(sample);
            all.push(sample);
          }
        } else {
          const before = all.length;
          await Promise.all(Array.from({ length: POLL_CONCURRENCY }, async () => {
            while (queues.size(POLL) > 0 && queues.size(FILE) < FILE_BACKLOG) {
              const sample = await pollOnce();
              if (sample) all.push(sample);
            }
          }));
          concurrentInvocations += all.length - before;
          concurrentCpuMs += cpuMs(phaseClock);
        }
        pollPhaseCpuMs += cpuMs(phaseClock);
        pollWallMs += Date.now() - phaseStarted;
        if (queues.size(FILE) >= FILE_BACKLOG) {
          await runWriter();
          console.log(`  cycle ${cycle}: ${int(queues.size(POLL))} poll orders waiting, ${int(filed)} articles filed so far (${fmt((Date.now() - realStart) / 1000)} s)`);
        }
      }
      await runWriter();
      let deadLetters = 0;
      while (queues.size(DEAD) > 0) {
        await queues.deliver(DEAD, async (queue, deliveries) => {
          deadLetters += deliveries.length;
          return consume(queue, deliveries, env, { fetch, now });
        });
      }
      const totalWallMs = Date.now() - realStart;
      const stateValue = kv.store.get(KV_KEYS.sourceState) as string | undefined;
      const statuses = stateValue ? (JSON.parse(stateValue) as { statuses: Record<string, SourceStatus> }).statuses : {};
      const polledInCycle = sourceIds.filter((id) => {
        const at = statuses[id]?.lastFetched ? Date.parse(statuses[id]!.lastFetched!) : -Infinity;
        return at >= cycleStart && at < cycleStart + CYCLE_MS;
      }).length;
      const pollsSent = kv.store.get(KV_KEYS.pollsSent) as string | undefined;
      const f: CycleFigures = {
        cycle, sent: fanout.sent, due: fanout.due, inFlight: fanout.inFlight, polledInCycle, changedFeeds, expectedNew, filed, fanoutMs, pollWallMs, writerWallMs, totalWallMs,
        pollInvocations: all.length, pollPhaseCpuMs, concurrentInvocations, concurrentCpuMs, alone, all, writer, deadLetters,
        kv: kvSince(kv, kvAt), kvFanout, kvWriter, queues: queueSince(queues, queuesAt),
        sourceStateBytes: Buffer.byteLength(stateValue ?? ''), pollsSentBytes: Buffer.byteLength(pollsSent ?? ''),
      };
      figures.push(f);
      console.log(`cycle ${cycle}: ${int(fanout.sent)} sources sent (${int(fanout.due)} due, ${int(fanout.inFlight)} in flight), ${int(polledInCycle)} polled in the cycle; ${cycle > 1 ? `${int(changedFeeds)} feeds changed, ` : ''}${int(expectedNew)} items new, ${int(filed)} filed; ${all.length} poll invocations, ${writer.length} writer batches, ${deadLetters} dead letters; ${fmt(totalWallMs / 1000)} s`);
    }
    client = await clientCost(farm.port, healthy, heads);
  } finally {
    unwatch();
    const stopped = await Promise.race([farm.ask({ type: 'stop' }), new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000))]);
    if (!stopped) farm.child.kill();
  }
  report(figures, feeds, healthy.length, expected, ledger, client!, settings.sourcesPerPollMessage, fileBatch);
}

/** Main-thread CPU of Node's own HTTP client (undici) per request, which on Workers is not the isolate's: the part of a poll invocation's CPU that is the bench's, not the Worker's. */
interface ClientCost { notModifiedMs: number; documentMs: number; documentBytes: number }

async function clientCost(port: number, healthy: FeedPlan[], heads: number[]): Promise<ClientCost> {
  const sample = healthy.slice(0, 240);
  const timed = async (plans: FeedPlan[], conditional: boolean) => {
    let bytes = 0;
    let next = 0;
    const clock = threadCpu();
    await Promise.all(Array.from({ length: 6 }, async () => {
      while (next < plans.length) {
        const plan = plans[next++]!;
        const headers = conditional ? { 'if-none-match': `"f${plan.index}-h${heads[plan.index]}"` } : undefined;
        const response = await fetch(`http://127.0.0.1:${port}${feedPath(plan.index)}`, { headers });
        bytes += (await response.arrayBuffer()).byteLength;
      }
    }));
    return { ms: cpuMs(clock) / Math.max(1, plans.length), bytes: bytes / Math.max(1, plans.length) };
  };
  const split = Math.ceil(sample.length * 0.75);
  const notModified = await timed(sample.slice(0, split), true);
  const documents = await timed(sample.slice(split), false);
  return { notModifiedMs: notModified.ms, documentMs: documents.ms, documentBytes: documents.bytes };
}

/** A poll invocation's CPU less what Node's HTTP client took (an estimate of the isolate's share). */
function lessClient(sample: PollSample, client: ClientCost): number {
  return Math.max(0, sample.cpuMs - sample.documents * client.documentMs - (sample.subrequests - sample.documents) * client.notModifiedMs);
}

function report(figures: CycleFigures[], feeds: number, healthyFeeds: number, expected: Set<string>, ledger: FilingLedger, client: ClientCost, perMessage: number, fileBatch: number): void {
  console.log('\n### Cycles\n');
  console.log('| cycle | sources sent | polled within the cycle | feeds changed | items new | articles filed | wall: cron / polls / writer / whole cycle (s) | poll invocations | writer batches | dead letters |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const f of figures) {
    console.log(`| ${f.cycle}${f.cycle === 1 ? ' (first import)' : ''} | ${int(f.sent)} of ${int(feeds)} | ${int(f.polledInCycle)} | ${f.cycle === 1 ? 'all' : int(f.changedFeeds)} | ${int(f.expectedNew)} | ${int(f.filed)} | ${fmt(f.fanoutMs / 1000, 2)} / ${fmt(f.pollWallMs / 1000)} / ${fmt(f.writerWallMs / 1000)} / ${fmt(f.totalWallMs / 1000)} | ${f.pollInvocations} | ${f.writer.length} | ${f.deadLetters} |`);
  }

  // Verification: every item of every healthy feed filed once.
  const filedUrls = new Set([...ledger.filedIds].map((id) => ledger.urlById.get(id)).filter((u): u is string => u !== undefined));
  const lost = [...expected].filter((u) => !filedUrls.has(u));
  const unexpected = [...filedUrls].filter((u) => !expected.has(u));
  const urlsUnderTwoIds = [...ledger.idsByUrl.values()].filter((ids) => ids.size > 1).length;
  console.log('\n### Every item of every healthy feed filed once\n');
  console.log('Filed: listed in a story when the writer sealed its batch. Duplicated: the writers\' reported new articles less the distinct ids filed. Stored: listed in the `stories` value after some batch (MAX_STORIES = 5,000 and the fair share keep each source\'s newest: with more sources than that, most of a first import leaves the stored value in the batch that filed it).\n');
  console.log('| healthy feeds | items they showed | filed | lost | duplicated | listed in two stories at once | item URLs under two ids | filed from no healthy feed | stored |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  console.log(`| ${int(healthyFeeds)} | ${int(expected.size)} | ${int(filedUrls.size - unexpected.length)} | ${int(lost.length)} | ${int(ledger.newArticlesReported - ledger.filedIds.size)} | ${int(ledger.listedTwice)} | ${int(urlsUnderTwoIds)} | ${int(unexpected.length)} | ${int(ledger.storedIds.size)} |`);
  if (lost.length > 0) console.log(`\nLost, first few: ${lost.slice(0, 5).join(', ')}`);

  const steady = figures.slice(1);
  const first = figures[0]!;
  const pollRows = (label: string, fs: CycleFigures[]) => {
    const alone = fs.flatMap((f) => f.alone);
    const all = fs.flatMap((f) => f.all);
    const concurrent = fs.reduce((n, f) => n + f.concurrentCpuMs, 0) / Math.max(1, fs.reduce((n, f) => n + f.concurrentInvocations, 0));
    const cpu = alone.map((s) => s.cpuMs);
    const own = alone.map((s) => lessClient(s, client));
    const sub = all.map((s) => s.subrequests);
    const wall = all.map((s) => s.wallMs);
    console.log(`| ${label} | ${fmt(mean(all.map((s) => s.sources)))} | ${fmt(mean(all.map((s) => s.documents)))} | ${fmt(mean(cpu))} / ${fmt(percentile(cpu, 50))} / ${fmt(percentile(cpu, 95))} / ${fmt(Math.max(...cpu))} (${alone.length} alone) | ${fmt(mean(own))} / ${fmt(percentile(own, 95))} / ${fmt(Math.max(...own))} | ${fmt(concurrent)} (${all.length - alone.length} at once) | ${fmt(mean(sub))} / ${Math.max(...sub)} | ${int(percentile(wall, 50))} / ${int(percentile(wall, 95))} / ${int(Math.max(...wall))} |`);
  };
  console.log(`\n### A poll consumer invocation (${perMessage} sources an order)\n`);
  console.log(`Main-thread CPU (process.threadCpuUsage). It includes Node's own HTTP client (undici), which on Workers runs outside the isolate: measured apart at ${fmt(client.notModifiedMs, 2)} ms a 304 and ${fmt(client.documentMs, 2)} ms a 200 (${int(client.documentBytes / 1024)} KB on average), and taken off in "less the HTTP client" (an estimate). "At once": the concurrent phase's CPU divided by its invocations.\n`);
  console.log('| cycles | sources | documents (200) | CPU ms alone: mean / p50 / p95 / max | less the HTTP client: mean / p95 / max | CPU ms at once: mean | subrequests: mean / max | wall ms: p50 / p95 / max |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  pollRows('first import', [first]);
  pollRows('steady', steady);

  const writerRow = (label: string, fs: CycleFigures[]) => {
    const batches = fs.flatMap((f) => f.writer);
    const cpu = batches.map((b) => b.cpuMs);
    const articles = batches.reduce((n, b) => n + b.newArticles, 0);
    const cpuS = cpu.reduce((a, b) => a + b, 0) / 1000;
    const wallS = batches.reduce((n, b) => n + b.wallMs, 0) / 1000;
    const processS = batches.reduce((n, b) => n + b.processMs, 0) / 1000;
    console.log(`| ${label} | ${batches.length} | ${fmt(mean(batches.map((b) => b.messages)))} | ${fmt(mean(batches.map((b) => b.newArticles)))} | ${fmt(mean(cpu))} / ${fmt(percentile(cpu, 50))} / ${fmt(percentile(cpu, 95))} / ${fmt(Math.max(...cpu))} | ${fmt(mean(batches.map((b) => b.processMs)))} | ${int(articles / Math.max(cpuS, 1e-9))} (${int(articles / Math.max(processS, 1e-9))}) | ${int(articles / Math.max(wallS, 1e-9))} |`);
  };
  console.log('\n### The writer (one batch at a time)\n');
  console.log('Main-thread CPU; "all threads" adds what Node runs off the main thread (the engine state\'s gzip, GC), which on Workers is the isolate\'s: the truth lies between.\n');
  console.log('| cycles | batches | messages a batch | articles a batch | CPU ms a batch: mean / p50 / p95 / max | all threads: mean | articles per CPU-second (all threads) | articles per wall-second |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  writerRow('first import', [first]);
  writerRow('steady', steady);

  console.log('\n### Queue operations per cycle (billed: a write, a read and a delete per 64 KB of each message)\n');
  console.log('| cycle | poll: sent / delivered / retried | file: sent / delivered / retried | dead: sent | billed operations | per source |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const opsOf = (f: CycleFigures) => [...f.queues.values()].reduce((n, c) => n + c.operations, 0);
  for (const f of figures) {
    const p = f.queues.get(POLL)!;
    const fl = f.queues.get(FILE)!;
    console.log(`| ${f.cycle} | ${int(p.sent)} / ${int(p.delivered)} / ${int(p.retried)} | ${int(fl.sent)} / ${int(fl.delivered)} / ${int(fl.retried)} | ${int(f.queues.get(DEAD)!.sent)} | ${int(opsOf(f))} | ${fmt(opsOf(f) / feeds, 3)} |`);
  }

  console.log('\n### KV operations per cycle\n');
  console.log('| cycle | reads (cron) | writes (cron / writer) | lists | bytes written | `source-state` / `polls-sent` value |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const f of figures) {
    console.log(`| ${f.cycle} | ${int(f.kv.reads)} (${int(f.kvFanout.reads)}) | ${int(f.kv.writes)} (${int(f.kvFanout.writes)} / ${int(f.kvWriter.writes)}) | ${int(f.kv.lists)} | ${fmt(f.kv.writtenBytes / 1048576)} MiB | ${fmt(f.sourceStateBytes / 1048576, 2)} / ${fmt(f.pollsSentBytes / 1048576, 2)} MiB |`);
  }

  ceilings(steady, feeds, perMessage, client, fileBatch);
}

/** Where it saturates first: each published limit as sources per deployment at a 15-minute interval. */
function ceilings(steady: CycleFigures[], feeds: number, perMessage: number, client: ClientCost, fileBatch: number): void {
  const perDay = 96;
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const ops = mean(steady.map((f) => sum([...f.queues.values()].map((c) => c.operations)))) / feeds;
  const kvReads = mean(steady.map((f) => f.kv.reads)) / feeds;
  const cronWrites = mean(steady.map((f) => f.kvFanout.writes));
  const writer = steady.flatMap((f) => f.writer);
  const writesPerBatch = sum(steady.map((f) => f.kvWriter.writes)) / Math.max(1, writer.length);
  const fileMessagesPerSource = mean(steady.map((f) => f.queues.get(FILE)!.sent)) / feeds;
  const all = steady.flatMap((f) => f.all);
  const alone = steady.flatMap((f) => f.alone);
  const ownMax = Math.max(...alone.map((s) => lessClient(s, client)));
  const ownPerSource = mean(alone.map((s) => lessClient(s, client) / Math.max(1, s.sources)));
  const subMax = Math.max(...all.map((s) => s.subrequests));
  const sourcesPerInvocation = mean(all.map((s) => s.sources));
  // All threads' CPU: the conservative figure (docs: the writer table).
  const writerCpuPerCycle = mean(steady.map((f) => sum(f.writer.map((b) => b.processMs))));
  const writerWallPerCycle = mean(steady.map((f) => f.writerWallMs));
  const writerMaxBatch = Math.max(...writer.map((b) => b.processMs));
  const stateBytesPerSource = mean(steady.map((f) => f.sourceStateBytes)) / feeds;
  const invocationsPerSource = mean(steady.map((f) => f.pollInvocations + f.writer.length + 1)) / feeds;
  // KV writes a day: the cron's, and each writer batch's; the writer takes at least one batch per max_batch_size filings.
  const freeWriterBatches = Math.floor((LIMITS.freeKvWritesPerDay / perDay - cronWrites) / Math.max(1e-9, writesPerBatch));

  console.log('\n### Where it saturates: each limit as sources per deployment, polled every 15 minutes (96 cycles a day)\n');
  console.log(`From the steady cycles at ${int(feeds)} sources: ${fmt(ops, 3)} billed queue operations and ${fmt(kvReads, 2)} KV reads per source per cycle; ${fmt(cronWrites)} KV write by the cron and ${fmt(writesPerBatch)} per writer batch; ${fmt(fileMessagesPerSource, 3)} file-queue messages per source; a poll invocation (${fmt(sourcesPerInvocation)} sources) ${fmt(ownMax)} ms of CPU at most less the HTTP client (${fmt(ownPerSource, 2)} ms a source), at most ${subMax} subrequests; the writer ${fmt(writerCpuPerCycle / 1000, 2)} s of CPU (${fmt(writerWallPerCycle / 1000, 2)} s of wall) per cycle, largest batch ${fmt(writerMaxBatch)} ms; \`source-state\` ${int(stateBytesPerSource)} bytes per source.\n`);
  console.log('| limit (published) | free plan: sources | paid plan: sources | how |');
  console.log('| --- | --- | --- | --- |');
  const rows: { limit: string; free: number; paid: number; how: string }[] = [
    { limit: 'Queues: 10,000 operations a day (free; paid: 1 million a month included, then $0.40 a million)', free: LIMITS.freeQueueOpsPerDay / (ops * perDay), paid: Infinity, how: `${fmt(ops, 3)} operations per source per cycle × 96` },
    { limit: 'Queues: 5,000 messages a second per queue', free: Infinity, paid: LIMITS.queueMessagesPerSecond * perMessage * 60, how: `poll orders of ${perMessage} sources; sources ordered in one minute at the limit` },
    { limit: 'Workers: 100,000 requests a day (free; every cron and queue invocation counts)', free: LIMITS.freeRequestsPerDay / (invocationsPerSource * perDay), paid: Infinity, how: `${fmt(invocationsPerSource, 4)} invocations per source per cycle` },
    { limit: 'Workers CPU: 10 ms an invocation (free): a poll invocation', free: ownMax <= LIMITS.freeCpuMs ? Infinity : 0, paid: Infinity, how: `${fmt(ownMax)} ms at most for ${fmt(sourcesPerInvocation)} sources (less the HTTP client); ${fmt(ownPerSource, 2)} ms a source: about ${int(Math.floor(LIMITS.freeCpuMs / Math.max(1e-9, ownPerSource)))} sources an invocation fit 10 ms. The batch is fixed (max_batch_size), so not a bound on the sources` },
    { limit: 'Workers CPU: 10 ms (free) / 30 s by default, 5 min at most (paid): a writer batch', free: writerMaxBatch <= LIMITS.freeCpuMs ? Infinity : 0, paid: writerMaxBatch <= LIMITS.paidCpuMsDefault ? Infinity : 0, how: `the largest steady batch took ${fmt(writerMaxBatch)} ms (first import: see the writer table)` },
    { limit: 'The one writer keeps up: its batches one at a time, within the 15 minutes', free: Infinity, paid: feeds * (CYCLE_MS / Math.max(1, writerWallPerCycle)), how: `${fmt(writerWallPerCycle / 1000, 2)} s of writer wall per cycle at ${int(feeds)} sources, scaled linearly (the source-state part grows faster: re-measure at the size)` },
    { limit: 'Subrequests: 50 (free) / 10,000 (paid) an invocation', free: subMax <= LIMITS.freeSubrequests ? Infinity : 0, paid: Infinity, how: `at most ${subMax} fetches in a poll invocation (every redirect hop counts)` },
    { limit: 'KV: 100,000 reads a day (free)', free: LIMITS.freeKvReadsPerDay / (kvReads * perDay), paid: Infinity, how: `${fmt(kvReads, 3)} reads per source per cycle (the cron lists the \`source:<id>\` keys, each entry in its metadata, and reads \`source-state\` and \`polls-sent\`; the writer reads its values)` },
    { limit: 'KV: 1,000 lists a day (free)', free: (LIMITS.freeKvListsPerDay / perDay) * 1000, paid: Infinity, how: 'the cron lists the `source:<id>` keys, 1,000 a page: one list per 1,000 sources a cycle' },
    { limit: 'KV: 1,000 writes a day (free)', free: freeWriterBatches < 1 ? 0 : (freeWriterBatches * fileBatch) / Math.max(1e-9, fileMessagesPerSource), paid: Infinity, how: `at most ${freeWriterBatches} writer batches a cycle (${fmt(cronWrites)} + ${fmt(writesPerBatch)} each, × 96), of ${fileBatch} filings each; Queues flush a batch after max_batch_timeout too, so more batches may come` },
    { limit: 'KV: 25 MiB a value (`source-state` holds every source\'s record)', free: LIMITS.kvValueBytes / stateBytesPerSource, paid: LIMITS.kvValueBytes / stateBytesPerSource, how: `${int(stateBytesPerSource)} bytes per source` },
  ];
  for (const r of rows) console.log(`| ${r.limit} | ${ceilingText(r.free)} | ${ceilingText(r.paid)} | ${r.how} |`);
  const binding = (plan: 'free' | 'paid') => rows.reduce((a, b) => (b[plan] < a[plan] ? b : a));
  const free = binding('free');
  const paid = binding('paid');
  console.log(`\nBinds first: free plan ${ceilingText(free.free)} (${free.limit}); paid plan ${ceilingText(paid.paid)} (${paid.limit}).`);
  const operations = rows.filter((r) => /operations a day|requests a day|reads a day|writes a day|lists a day/.test(r.limit)).reduce((a, b) => (b.free < a.free ? b : a));
  console.log(`Daily operations alone (free): ${ceilingText(operations.free)} sources (${operations.limit}).`);
}

function ceilingText(n: number): string {
  if (!Number.isFinite(n)) return 'no bound';
  if (n === 0) return '0 (exceeded)';
  return int(Math.floor(n));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runFanoutBench();
