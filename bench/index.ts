/// <reference types="node" />
// `npm run bench`: every benchmark in one run, printed as figures (never asserted in tests).
//   parse   — feed parsing throughput next to feedsmith, @rowanmanning/feed-parser and rss-parser
//   cluster — clustering throughput and cost at 1k/10k/100k active stories, KV per run, memory
//   render  — cost of a request and of pre-rendering the feeds at the end of a run
//   run     — one run's engine work on real text: state load/save, clustering 0/30/300 new, at 1k/5k/20k active
//   stages  — one whole run at steady state split by stage (KV reads, parse, normalise, cluster, engine load/save, stories, pre-render), peak heap
//   free    — whole scheduled runs under the free plan's settings (docs/deploy.md): CPU, articles filed and left, KV puts
//   hostile — one run with a hostile feed (4.5 MB headline, 100,000 items): bounds fired, CPU, memory
import { runClusterBench } from './cluster';
import { runParseBench } from './parse';
import { runRunBench } from './run';
import { runFreePlanBench } from './freePlan';
import { runStagesBench } from './stages';

const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);

if (wanted('parse')) {
  console.log('\n## Parsing\n');
  await runParseBench();
}
if (wanted('cluster')) {
  console.log('\n## Clustering\n');
  await runClusterBench();
}
if (wanted('render')) {
  console.log('\n## Rendering\n');
  await import('./render');
}
if (wanted('hostile')) {
  console.log('\n## Hostile feeds\n');
  await import('./hostile');
}
if (wanted('run')) {
  console.log('\n## One run (engine state and clustering)\n');
  await runRunBench();
}
if (wanted('stages')) {
  console.log('\n## One whole run, by stage\n');
  await runStagesBench();
}
if (wanted('free')) {
  console.log('\n## Free plan: whole runs\n');
  await runFreePlanBench();
}
