// `npm run train`: learns the candidate ranker and the join-or-new classifier of the
// clustering engine (src/cluster/decision.ts) from the labelled sets and writes their weights
// to src/cluster/model-weights.ts. Deterministic: fixed subsamples, fixed passes, Newton's
// method with a fixed iteration count, no random numbers.
//
//   npm run train -- [--data DIR] [--leave-out SET] [--output FILE.ts|FILE.json] [--multinews-lines N]
//
// DIR defaults to ../shared/eval/clustering beside the repository. How it learns:
//   1. stream each set through the real engine; at each article, every shortlisted candidate
//      story is labelled by the gold (does the story's majority label equal the article's?),
//      and the article joins the best correct candidate (an oracle stream);
//   2. fit the ranker (logistic regression over all candidates) and the classifier (logistic
//      regression on the best-ranked candidate: was it right?), each set weighted equally;
//   3. stream again with the model deciding on its own (the states it will really meet,
//      its own mistakes included), add those examples, fit again;
//   4. choose the classifier's threshold on the training sets, favouring precision;
//   5. print B-cubed P/R/F1 per set.
import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FEATURES, JOIN_FEATURES, joinFeaturesOf, legacyModel, rankScore } from '../src/cluster/decision';
import { StoryClusterer, type Teacher } from '../src/cluster/clusterer';
import type { TrainedModel } from '../src/cluster/linear-model';
import type { ClusterOptions } from '../src/cluster/options';
import { readLabelledSet, type LabelledArticle } from './lib/articles';
import { bcubed, type BCubed } from './lib/bcubed';
import { fitLogistic, type Example } from './lib/logistic';

const here = dirname(fileURLToPath(import.meta.url));
const SETS = ['allsides-neus-static', 'uci-headlines-dev', 'ecbplus-dev', 'multinews-train'];
const FIXTURE = join(here, '../test/cluster/fixtures/similar-events.jsonl');
const THRESHOLDS = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8];
/** Mean F1 a higher (more precise) threshold may give up: a wrong merge costs more than a missed one. */
const F1_SLACK = 0.005;
/** Ridge penalty on every weight but the bias (the examples of each set weigh 1 in all). */
const L2 = 0.01;
const NEWTON_STEPS = 30;


interface NamedSet {
  name: string;
  articles: LabelledArticle[];
}

/** One article's decision: its candidates' features and whether each is right. */
interface Decision {
  candidates: number[][];
  correct: boolean[];
  set: string;
}

function log(message: string): void {
  process.stderr.write(`train: ${message}\n`);
}

/**
 * Streams one set through the engine. `mode` oracle: the article joins the best-ranked
 * correct candidate (or starts a story); model: the engine decides alone. Returns the
 * decisions seen and the final assignment of every article.
 */
/** Engine options for every stream (`--set name=value`): the same must ship in options.ts. */
let engineOptions: Partial<ClusterOptions> = {};

function stream(set: NamedSet, model: TrainedModel, mode: 'oracle' | 'model'): { decisions: Decision[]; predicted: Map<string, string> } {
  const clusterer = StoryClusterer.restore(null, engineOptions, model);
  const labels = new Map<string, Map<string, number>>();
  const majority = (storyId: string): string | undefined => {
    let best: string | undefined;
    let count = 0;
    for (const [label, n] of labels.get(storyId) ?? []) if (n > count) [best, count] = [label, n];
    return best;
  };
  const decisions: Decision[] = [];
  const assigned = new Map<string, string>();
  for (const { input, gold } of set.articles) {
    const teacher: Teacher = (candidates) => {
      if (candidates.length === 0) return mode === 'oracle' ? -1 : undefined;
      const correct = candidates.map((c) => majority(c.storyId) === gold);
      decisions.push({ candidates: candidates.map((c) => c.features), correct, set: set.name });
      return mode === 'oracle' ? correct.indexOf(true) : undefined;
    };
    const assignment = clusterer.add(input, teacher);
    const counts = labels.get(assignment.storyId) ?? new Map<string, number>();
    for (const merged of assignment.merged) {
      for (const [label, n] of labels.get(merged) ?? []) counts.set(label, (counts.get(label) ?? 0) + n);
      labels.delete(merged);
    }
    counts.set(gold, (counts.get(gold) ?? 0) + 1);
    labels.set(assignment.storyId, counts);
    assigned.set(input.id, assignment.storyId);
  }
  const predicted = new Map([...assigned].map(([id, story]) => [id, clusterer.resolve(story)]));
  return { decisions, predicted };
}

/** Fits the ranker on every candidate, then the classifier on each decision's best-ranked one. */
function fit(decisions: Decision[], threshold: number): TrainedModel {
  const perSet = new Map<string, number>();
  for (const d of decisions) perSet.set(d.set, (perSet.get(d.set) ?? 0) + d.candidates.length);
  const rankExamples: Example[] = decisions.flatMap((d) =>
    d.candidates.map((x, i) => ({ x, y: d.correct[i] ? 1 : 0, weight: 1 / perSet.get(d.set)! })),
  );
  const ranker = { weights: fitLogistic(rankExamples, FEATURES.length, L2, NEWTON_STEPS) };

  const decisionsPerSet = new Map<string, number>();
  for (const d of decisions) decisionsPerSet.set(d.set, (decisionsPerSet.get(d.set) ?? 0) + 1);
  const joinExamples: Example[] = decisions.map((d) => {
    const ranks = d.candidates.map((x) => rankScore(x, ranker));
    const order = ranks.map((_, i) => i).sort((a, b) => ranks[b]! - ranks[a]! || a - b);
    const best = order[0]!;
    const x = joinFeaturesOf(d.candidates[best]!, ranks[best]!);
    return { x, y: d.correct[best] ? 1 : 0, weight: 1 / decisionsPerSet.get(d.set)! };
  });
  const joiner = { weights: fitLogistic(joinExamples, JOIN_FEATURES.length, L2, NEWTON_STEPS), threshold };
  return { ranker, joiner };
}

function score(set: NamedSet, model: TrainedModel): BCubed {
  const { predicted } = stream(set, model, 'model');
  return bcubed(new Map(set.articles.map((a) => [a.input.id, a.gold])), predicted);
}

/**
 * The highest threshold whose mean B-cubed F1 over the training sets is within `F1_SLACK` of
 * the best one: among near-equals, the most precise (a wrong merge costs more than a missed one).
 */
function chooseThreshold(sets: NamedSet[], model: TrainedModel): number {
  const tried = THRESHOLDS.map((threshold) => {
    const trial = { ...model, joiner: { ...model.joiner, threshold } };
    const results = sets.map((set) => score(set, trial));
    const f1 = results.reduce((sum, r) => sum + r.f1, 0) / results.length;
    log(`threshold ${threshold.toFixed(2)}: mean F1 ${f1.toFixed(3)}, ` + results.map((r, i) => `${sets[i]!.name} P ${r.precision.toFixed(3)} R ${r.recall.toFixed(3)}`).join(', '));
    return { threshold, f1 };
  });
  const best = Math.max(...tried.map((t) => t.f1));
  return Math.max(...tried.filter((t) => t.f1 >= best - F1_SLACK).map((t) => t.threshold));
}

function round(weights: readonly number[]): number[] {
  return weights.map((w) => Math.round(w * 1e4) / 1e4);
}

function weightsFile(model: TrainedModel, command: string, data: string): string {
  const lines = (names: readonly string[], weights: readonly number[]) => names.map((name, i) => `      ${weights[i]}, // ${name}`).join('\n');
  return `// GENERATED by \`${command}\` on ${new Date().toISOString().slice(0, 10)}; review the diff, do not edit by hand.
// Data: ${data}.
// The candidate ranker and the join-or-new classifier of the clustering engine (decision.ts):
// logistic regressions over the features named beside each weight. docs/clustering.md explains
// how they were trained and validated.

import type { TrainedModel } from './linear-model';

export const MODEL: TrainedModel = {
  ranker: {
    weights: [
${lines(FEATURES, round(model.ranker.weights))}
    ],
  },
  joiner: {
    weights: [
${lines(JOIN_FEATURES, round(model.joiner.weights))}
    ],
    threshold: ${model.joiner.threshold},
  },
};
`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: join(here, '../../shared/eval/clustering') },
      'leave-out': { type: 'string' },
      output: { type: 'string', default: join(here, '../src/cluster/model-weights.ts') },
      'multinews-lines': { type: 'string', default: '6000' },
      set: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: npm run train -- [--data DIR] [--leave-out SET] [--output FILE.ts|FILE.json] [--multinews-lines N] [--set name=value]\n');
    return;
  }
  engineOptions = Object.fromEntries(
    values.set.map((setting) => {
      const match = /^(\w+)=(.+)$/.exec(setting);
      if (!match) throw new Error(`--set expects name=value, got "${setting}"`);
      return [match[1]!, Number(match[2])];
    }),
  );
  const leaveOut = values['leave-out'];
  if (leaveOut && !SETS.includes(leaveOut)) throw new Error(`--leave-out must be one of ${SETS.join(', ')}`);
  const multinewsLines = Number(values['multinews-lines']);
  // Every set is checked before minutes of training start, and named with the option that moves them.
  for (const name of SETS.filter((n) => n !== leaveOut)) {
    const file = join(values.data, `${name}.jsonl`);
    if (!existsSync(file)) throw new Error(`no ${file}; pass --data DIR, the folder of the labelled sets (../shared/eval/clustering beside the repository by default)`);
  }
  const sets: NamedSet[] = SETS.filter((name) => name !== leaveOut).map((name) => ({
    name,
    articles: readLabelledSet(join(values.data, `${name}.jsonl`), name === 'multinews-train' ? multinewsLines : Infinity),
  }));
  sets.push({ name: 'similar-events (fixture)', articles: readLabelledSet(FIXTURE) });
  for (const set of sets) log(`${set.name}: ${set.articles.length} articles`);

  const collect = (model: TrainedModel, mode: 'oracle' | 'model') =>
    sets.flatMap((set) => {
      const started = performance.now();
      const { decisions } = stream(set, model, mode);
      log(`${mode} pass over ${set.name}: ${decisions.length} decisions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return decisions;
    });
  const first = fit(collect(legacyModel(), 'oracle'), 0.5);
  const oracle = collect(first, 'oracle');
  const second = fit(oracle, 0.5);
  const own = collect(second, 'model');
  const fitted = fit([...oracle, ...own], 0.5);
  const threshold = chooseThreshold(sets, fitted);
  const model: TrainedModel = { ...fitted, joiner: { ...fitted.joiner, threshold } };
  log(`chosen threshold ${threshold}`);

  const results = sets.map((set) => ({ name: set.name, ...score(set, model) }));
  process.stdout.write(`\n| set | B3-P | B3-R | B3-F1 |\n| --- | --- | --- | --- |\n`);
  for (const r of results) process.stdout.write(`| ${r.name} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.f1.toFixed(3)} |\n`);

  const used = sets.map((s) => `${s.name} (${s.articles.length})`).join(', ');
  if (values.output.endsWith('.json')) writeFileSync(values.output, `${JSON.stringify(model)}\n`);
  else writeFileSync(values.output, weightsFile(model, `npm run train${leaveOut ? ` -- --leave-out ${leaveOut}` : ''}`, `${used}; multinews-train = its first ${multinewsLines} lines`));
  log(`wrote ${basename(values.output)}`);
}

try {
  main();
} catch (err) {
  process.stderr.write(`train: ${(err as Error).message}\n`);
  process.exit(1);
}
