/// <reference types="node" />
// The cost of one scheduled run's engine work at steady state, on real article text: state load
// (KV bytes -> engine), clustering 0 / 30 / 300 new articles, state save (engine -> KV bytes),
// at 1,000 / 5,000 / 20,000 active stories, plus the peak heap of one run. Prints figures;
// asserts nothing.
//   npm run bench -- run [--data DIR]   (DIR defaults to ../shared/eval/clustering beside the repo)
//   STORYWIRE_BENCH_SIZES=5000 npm run bench -- run   (only these active-set sizes)
// The engine is filled with allsides-neus-static and multinews-train texts, then the same texts
// with each word spelt backwards (no time window, so nothing expires; `maxActiveStories` holds
// the active set at the size measured); the new
// articles are uci-headlines-dev and ecbplus-dev texts the engine has not seen.
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { StoryClusterer, type ClusterInput } from '../src/cluster/index';
import { cpuMs, dataDir, runTexts, sizes, threadCpu } from './lib/realText';
import { loadClusterState, saveClusterState, type KVLike } from '../src/store/clusterState';

class MemoryKV implements KVLike {
  value: ArrayBuffer | null = null;
  async get(): Promise<ArrayBuffer | null> {
    return this.value;
  }
  async put(_key: string, value: ArrayBuffer): Promise<void> {
    this.value = value;
  }
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * CPU time of one call, in ms: the mean over samples of at least 50 ms each (after one warm-up
 * call). The thread CPU clock here advances in steps of a few ms, so one short call cannot be
 * timed alone; over many calls the steps average out.
 */
async function cpuPerCall(fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn();
  let calls = 0;
  const started = threadCpu();
  let spent = 0;
  while (spent < 250 || calls < 5) {
    await fn();
    calls++;
    spent = cpuMs(started);
  }
  return spent / calls;
}

const MiB = 1048576;

async function measureAt(active: number, fill: ClusterInput[], fresh: ClusterInput[]): Promise<void> {
  const options = { maxActiveStories: active };
  const engine = StoryClusterer.restore(null, options);
  let fed = 0;
  // Fill until the active set is full, then keep going a little so evictions have happened (steady state).
  for (const article of fill) {
    engine.add(article);
    fed++;
    if (engine.activeStories >= active && fed >= active * 1.3) break;
  }
  const kv = new MemoryKV();
  await saveClusterState(kv, engine.snapshot());
  const stored = kv.value!;

  const load = await cpuPerCall(async () => StoryClusterer.restore(await loadClusterState(kv), options));
  // A run saves an engine it restored at its start (centroids in the load's shared arrays), not
  // the long-lived engine that filled the state: save that one.
  const restored = StoryClusterer.restore(await loadClusterState(kv), options);
  const save = await cpuPerCall(async () => saveClusterState(new MemoryKV(), restored.snapshot()));
  const cluster: number[] = [];
  for (const count of [0, 30, 300]) {
    // Each repetition adds the same new articles to a freshly restored engine; only the adds are timed.
    let spent = 0;
    const repetitions = count === 300 ? 5 : 20;
    for (let i = 0; i < repetitions; i++) {
      const restored = StoryClusterer.restore(await loadClusterState(kv), options);
      const started = threadCpu();
      for (const article of fresh.slice(0, count)) restored.add(article);
      spent += cpuMs(started);
    }
    cluster.push(spent / repetitions);
  }

  // One whole run's engine work with 30 new articles (mean of 20), and its peak heap (sampled after each step).
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  let spent = 0;
  for (let i = 0; i < 20; i++) {
    kv.value = stored;
    const started = threadCpu();
    const run = StoryClusterer.restore(await loadClusterState(kv), options);
    if (i === 0) sample();
    for (const article of fresh.slice(0, 30)) run.add(article);
    if (i === 0) sample();
    const snapshot = run.snapshot();
    if (i === 0) sample();
    await saveClusterState(kv, snapshot);
    spent += cpuMs(started);
    if (i === 0) sample();
  }
  const whole = spent / 20;

  const state = engine.snapshot();
  const terms = new DataView(state.buffer, state.byteOffset).getUint32(24, true); // header: terms counted in the document frequencies
  console.log(
    `| ${engine.activeStories.toLocaleString('en')} | ${fed.toLocaleString('en')} | ${terms.toLocaleString('en')} | ` +
      `${(stored.byteLength / MiB).toFixed(2)} MiB | ${load.toFixed(1)} | ${save.toFixed(1)} | **${(load + save).toFixed(1)}** | ` +
      `${cluster.map((ms) => ms.toFixed(1)).join(' / ')} | ${whole.toFixed(0)} | ${(peak / MiB).toFixed(0)} MiB (+${((peak - base) / MiB).toFixed(0)}) |`,
  );
}

export async function runRunBench(): Promise<void> {
  const dir = dataDir();
  const { fill, fresh } = runTexts(dir);
  console.log('CPU milliseconds of the main thread, mean per call (load/save: over at least 250 ms; clustering: 20 or 5 fresh engines; one run: 20 runs).\n');
  console.log('| active stories | articles fed | terms | state in KV | load ms | save ms | load + save | cluster 0 / 30 / 300 new ms | one run, 30 new: CPU ms | peak heap (over idle) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const active of sizes()) await measureAt(active, fill, fresh);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runRunBench();
