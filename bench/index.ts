/// <reference types="node" />
// `npm run bench`: every benchmark in one run, printed as figures (never asserted in tests).
// `npm run bench -- NAME…` runs only those; `--help` lists them; an unknown name is an error.
import { BenchSettingError, checkDataDir, dataDir, MissingDataError } from './lib/realText';

interface Bench {
  name: string;
  what: string;
  /** Reads the labelled news texts (`--data DIR`). */
  needsData: boolean;
  heading: string;
  run: () => Promise<unknown>;
}

const BENCHES: Bench[] = [
  { name: 'parse', what: 'feed parsing throughput next to feedsmith, @rowanmanning/feed-parser and rss-parser', needsData: false, heading: 'Parsing', run: async () => (await import('./parse')).runParseBench() },
  { name: 'cluster', what: 'clustering throughput and cost at 1k/10k/100k active stories, KV per run, memory (the Python baseline when --data DIR has the dev sets)', needsData: false, heading: 'Clustering', run: async () => (await import('./cluster')).runClusterBench() },
  { name: 'render', what: 'cost of a request and of pre-rendering the feeds at the end of a run', needsData: false, heading: 'Rendering', run: () => import('./render') },
  { name: 'hostile', what: 'one run with a hostile feed (4.5 MB headline, 100,000 items): bounds fired, CPU, memory', needsData: false, heading: 'Hostile feeds', run: () => import('./hostile') },
  { name: 'run', what: "one run's engine work on real text: state load/save, clustering 0/30/300 new, at 1k/5k/20k active", needsData: true, heading: 'One run (engine state and clustering)', run: async () => (await import('./run')).runRunBench() },
  { name: 'stages', what: 'one whole run at steady state split by stage (KV reads, parse, normalise, cluster, engine load/save, stories, pre-render), peak heap', needsData: true, heading: 'One whole run, by stage', run: async () => (await import('./stages')).runStagesBench() },
  { name: 'fanout', what: 'the queue topology against N loopback feeds (a tenth hostile): sources polled per 15 minutes, CPU per invocation, queue and KV operations, every item filed once, where it saturates', needsData: false, heading: 'Queues: fan-out capacity', run: async () => (await import('./fanout')).runFanoutBench() },
  { name: 'free', what: "whole scheduled runs under the free plan's settings (docs/deploy.md): CPU, articles filed and left, KV puts", needsData: true, heading: 'Free plan: whole runs', run: async () => (await import('./freePlan')).runFreePlanBench() },
];

const USAGE = `usage: npm run bench -- [NAME…] [--data DIR]
  no NAME: every bench. --data DIR: the labelled sets (../shared/eval/clustering beside the repository by default).
  Environment: STORYWIRE_BENCH_SIZES=1000,5000 (active stories), STORYWIRE_BENCH_NEW=0,1,30 and STORYWIRE_BENCH_PAGE_SIZE=10 (stages),
  STORYWIRE_BENCH_FANOUT=1000 (feeds; default 10,000) and STORYWIRE_BENCH_CYCLES=4 (fanout).
benches:
${BENCHES.map((b) => `  ${b.name.padEnd(8)} ${b.what}${b.needsData ? ' [--data]' : ''}`).join('\n')}
`;

/** The bench names asked for: the arguments that are not options (nor the value of --data). */
function askedFor(args: string[]): { names: string[]; help: boolean; unknownOption: string | null } {
  const names: string[] = [];
  let help = false;
  let unknownOption: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--data') i++;
    else if (arg.startsWith('-')) unknownOption ??= arg;
    else names.push(arg);
  }
  return { names, help, unknownOption };
}

function exitWith(message: string, status: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(status);
}

const { names, help, unknownOption } = askedFor(process.argv.slice(2));
if (help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (unknownOption) exitWith(`bench: unknown option "${unknownOption}"; the options are --data DIR and --help`, 2);
const unknown = names.filter((name) => !BENCHES.some((b) => b.name === name));
if (unknown.length > 0) exitWith(`bench: no bench named ${unknown.map((n) => `"${n}"`).join(', ')}; the benches are ${BENCHES.map((b) => b.name).join(', ')} (npm run bench -- --help)`, 2);
const chosen = BENCHES.filter((b) => names.length === 0 || names.includes(b.name));

try {
  // Before any bench starts, not after minutes of the first ones.
  if (chosen.some((b) => b.needsData) || process.argv.includes('--data')) checkDataDir(dataDir());
  for (const bench of chosen) {
    console.log(`\n## ${bench.heading}\n`);
    await bench.run();
  }
} catch (err) {
  if (err instanceof MissingDataError) exitWith(err.message, 1);
  if (err instanceof BenchSettingError) exitWith(err.message, 2);
  throw err;
}
