/// <reference types="node" />
// What the run benches share: the labelled news texts they run on (read from the eval folder,
// never copied into the project), the sizes to measure, and the main thread's CPU clock.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterInput } from '../../src/cluster/index';

/** `--data DIR`, else ../shared/eval/clustering beside the repository. */
export function dataDir(): string {
  const flag = process.argv.indexOf('--data');
  const here = dirname(fileURLToPath(import.meta.url));
  return flag >= 0 ? process.argv[flag + 1]! : join(here, '../../../shared/eval/clustering');
}

/** The sets runTexts reads. */
const RUN_SETS = ['allsides-neus-static', 'multinews-train', 'uci-headlines-dev', 'ecbplus-dev'];

/** The labelled sets are not where the benches look: said in one line by bench/index.ts, no stack. */
export class MissingDataError extends Error {}

/** A bench setting (STORYWIRE_BENCH_*) out of range: said in one line by bench/index.ts, status 2. */
export class BenchSettingError extends Error {}

/** Throws MissingDataError unless DIR holds the sets the run benches read. */
export function checkDataDir(dir: string): void {
  for (const name of RUN_SETS) {
    const file = join(dir, `${name}.jsonl`);
    if (!existsSync(file)) throw new MissingDataError(`bench: no ${file}; pass --data DIR, the folder of the labelled sets (../shared/eval/clustering beside the repository by default)`);
  }
}

/** One labelled set as engine input, ids prefixed so sets never collide; no times (nothing expires). */
export function readSet(dir: string, name: string, prefix: string): ClusterInput[] {
  const file = join(dir, `${name}.jsonl`);
  if (!existsSync(file)) throw new MissingDataError(`bench: no ${file}; pass --data DIR, the folder of the labelled sets (../shared/eval/clustering beside the repository by default)`);
  return readFileSync(file, 'utf8').trim().split('\n').map((line) => {
    const doc = JSON.parse(line) as ClusterInput;
    return { id: `${prefix}${String(doc.id)}`, title: doc.title ?? '', text: doc.text ?? '', published: null };
  });
}

/** Active-set sizes to measure: STORYWIRE_BENCH_SIZES=5000 (comma-separated) or 1k / 5k / 20k. */
export function sizes(): number[] {
  const wanted = process.env.STORYWIRE_BENCH_SIZES;
  return wanted ? wanted.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0) : [1_000, 5_000, 20_000];
}

/**
 * The main thread's CPU (Node 22's process.threadCpuUsage): what the Workers CPU limit counts,
 * not the wait nor V8's background compiler and GC threads. It advances in steps of about 4 ms
 * here, so short work is timed over many calls.
 */
export const threadCpu: (since?: NodeJS.CpuUsage) => NodeJS.CpuUsage =
  (process as unknown as { threadCpuUsage?: typeof process.cpuUsage }).threadCpuUsage?.bind(process) ?? process.cpuUsage.bind(process);

export function cpuMs(since: NodeJS.CpuUsage): number {
  const used = threadCpu(since);
  return (used.user + used.system) / 1000;
}

/** Every word spelt backwards: other words with the same lengths and frequency shape (to pass 20,000 stories). */
export function mirror(text: string): string {
  return text.replace(/\p{L}+/gu, (word) => [...word].reverse().join(''));
}

/** FNV-1a, to interleave sets in a fixed order. */
export function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * The texts the run benches use. `fill`: allsides-neus-static and multinews-train (about 16,000
 * stories), then the same with every word spelt backwards (same lengths, same word-frequency shape,
 * other words), to take the active set past 20,000. `fresh`: uci-headlines-dev and ecbplus-dev,
 * interleaved so that 30 or 300 new articles mix headlines and full reports.
 */
export function runTexts(dir: string): { fill: ClusterInput[]; fresh: ClusterInput[] } {
  const texts = [...readSet(dir, 'allsides-neus-static', 'a:'), ...readSet(dir, 'multinews-train', 'm:')];
  const fill = [...texts, ...texts.map((a) => ({ ...a, id: `r:${a.id}`, title: mirror(a.title), text: mirror(a.text) }))];
  const fresh = [...readSet(dir, 'uci-headlines-dev', 'u:'), ...readSet(dir, 'ecbplus-dev', 'e:')];
  fresh.sort((a, b) => (hash(a.id) - hash(b.id)) || a.id.localeCompare(b.id));
  return { fill, fresh };
}
