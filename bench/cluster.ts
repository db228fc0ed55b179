/// <reference types="node" />
// Clustering benchmark: throughput and CPU per article with 1k, 10k and 100k active stories
// (synthetic stories), KV traffic and state size per run, memory, and the Python baseline on a
// real dev set when the eval data is present. Prints figures; asserts nothing.
//   npx tsx bench/cluster.ts [--data DIR]   (DIR defaults to ../shared/eval/clustering beside the repo)
//   STORYWIRE_BENCH_SIZES=5000 npm run bench -- cluster   (only these active-set sizes)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoryClusterer, type ClusterInput } from '../src/cluster/index';
import { loadClusterState, saveClusterState, type KVLike } from '../src/store/clusterState';
import { MissingDataError } from './lib/realText';

class CountingKV implements KVLike {
  value: ArrayBuffer | null = null;
  reads = 0;
  writes = 0;
  async get(): Promise<ArrayBuffer | null> {
    this.reads++;
    return this.value;
  }
  async put(_key: string, value: ArrayBuffer): Promise<void> {
    this.writes++;
    this.value = value;
  }
}

// Deterministic pseudo-random numbers (mulberry32) so every run measures the same stream.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON = Array.from({ length: 2000 }, (_, i) => `common${i.toString(36)}`);
function word(rand: () => number): string {
  return COMMON[Math.floor(COMMON.length * rand() ** 3)]!; // Zipf-like: low indices frequent
}

/** One synthetic article of story `story`: six story-specific names plus common filler. */
function article(story: number, n: number, rand: () => number): ClusterInput {
  const names = Array.from({ length: 6 }, (_, k) => `Name${story.toString(36)}x${k}`);
  const pick = () => names[Math.floor(rand() * names.length)]!;
  const title = `${pick()} ${word(rand)} ${pick()} ${word(rand)} ${word(rand)}`;
  const text = Array.from({ length: 40 }, () => (rand() < 0.3 ? pick() : word(rand))).join(' ');
  return { id: `s${story}-${n}`, title, text, published: null };
}

async function measureAt(active: number): Promise<void> {
  const rand = random(active);
  const clusterer = StoryClusterer.restore(null, { maxActiveStories: active * 2, seenRetention: active * 2 });
  for (let s = 0; s < active; s++) clusterer.add(article(s, 0, rand));
  const kv = new CountingKV();
  let started = performance.now();
  await saveClusterState(kv, clusterer.snapshot());
  const saveMs = performance.now() - started;
  started = performance.now();
  const restored = StoryClusterer.restore(await loadClusterState(kv), { maxActiveStories: active * 2, seenRetention: active * 2 });
  const loadMs = performance.now() - started;

  const batch = 2000;
  const inputs = Array.from({ length: batch }, (_, i) =>
    i % 2 === 0 ? article(Math.floor(rand() * active), i + 1, rand) : article(active + i, 0, rand),
  );
  const cpu = process.cpuUsage();
  started = performance.now();
  for (const input of inputs) restored.add(input);
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuUsPerArticle = (used.user + used.system) / batch;
  console.log(
    `| ${active.toLocaleString('en')} | ${Math.round(batch / (wall / 1000)).toLocaleString('en')} | ${cpuUsPerArticle.toFixed(0)} µs | ` +
      `${(kv.value!.byteLength / 1048576).toFixed(2)} MiB | ${loadMs.toFixed(0)} ms / ${saveMs.toFixed(0)} ms | ` +
      `${kv.reads} / ${kv.writes} | ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MiB |`,
  );
}

/** The eval data: `--data DIR`, else ../shared/eval/clustering next to the repository. */
function devSet(): string | null {
  const flag = process.argv.indexOf('--data');
  const here = dirname(fileURLToPath(import.meta.url));
  const candidate = flag >= 0 ? process.argv[flag + 1]! : join(here, '../../shared/eval/clustering');
  if (existsSync(join(candidate, 'uci-headlines-dev.jsonl'))) return candidate;
  // Without the default folder the baseline is skipped; a folder named with --data must be there.
  if (flag >= 0) throw new MissingDataError(`bench: no ${join(candidate, 'uci-headlines-dev.jsonl')}; pass --data DIR, the folder of the labelled sets (../shared/eval/clustering beside the repository by default)`);
  return null;
}

function benchSizes(): number[] {
  const wanted = process.env.STORYWIRE_BENCH_SIZES;
  return wanted ? wanted.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0) : [1_000, 5_000, 10_000, 100_000];
}

/** Both dev sets, each side tokenising and clustering in one process (file reading excluded). */
async function compareWithBaseline(): Promise<void> {
  const dir = devSet();
  if (!dir) {
    console.log('Python baseline: skipped (no ../shared/eval/clustering here).');
    return;
  }
  console.log('\nSide by side with the Python baseline (`baseline_tfidf.py`, its own best threshold per set):\n');
  console.log('| set | articles | storywire warm | storywire cold | baseline | warm / baseline |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const sets = [
    { name: 'uci-headlines-dev', threshold: '0.05', windowHours: '72' },
    { name: 'allsides-neus-static', threshold: '0.35', windowHours: '0' },
  ];
  for (const set of sets) {
    const file = join(dir, `${set.name}.jsonl`);
    const docs = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as ClusterInput);
    const { cold, warm } = ourRates(docs);
    const run = spawnSync('python3', [join(dir, 'baseline_tfidf.py'), file, '--thresholds', set.threshold, '--window-hours', set.windowHours], { encoding: 'utf8' });
    if (run.status !== 0) {
      console.log(`| ${set.name} | Python baseline failed: ${run.stderr.trim().split('\n').pop()} |`);
      continue;
    }
    const vectorise = Number(/vectorise ([\d.]+)s/.exec(run.stdout)?.[1]);
    const clusterSeconds = Number(run.stdout.trim().split('\n').pop()!.trim().split(/\s+/)[6]);
    const theirs = docs.length / (vectorise + clusterSeconds);
    console.log(`| ${set.name} | ${docs.length.toLocaleString('en')} | ${rate(warm)} | ${rate(cold)} | ${rate(theirs)} | ${(warm / theirs).toFixed(1)}x |`);
  }
  console.log('\nwarm: median of four passes after the first, each from an empty engine (a reused isolate);');
  console.log('cold: the first pass, V8 warm-up included (a fresh isolate). Target: 10x the baseline.');
}

function ourRates(docs: ClusterInput[]): { cold: number; warm: number } {
  const rates: number[] = [];
  for (let pass = 0; pass < 5; pass++) {
    const started = performance.now();
    const clusterer = StoryClusterer.restore(null);
    for (const doc of docs) clusterer.add({ id: String(doc.id), title: doc.title, text: doc.text, published: doc.published });
    rates.push(docs.length / ((performance.now() - started) / 1000));
  }
  const warm = rates.slice(1).sort((a, b) => a - b);
  return { cold: rates[0]!, warm: (warm[1]! + warm[2]!) / 2 };
}

function rate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en')}/s (${(1e6 / perSecond).toFixed(0)} µs)`;
}

export async function runClusterBench(): Promise<void> {
  console.log('| active stories | articles/s | CPU per article | state in KV | load / save | KV reads / writes per run | heap |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const active of benchSizes()) await measureAt(active);
  if (process.env.STORYWIRE_BENCH_SIZES) return;
  await compareWithBaseline();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runClusterBench();
