// Evaluation CLI: cluster a JSON Lines stream of articles with the Worker's own engine and
// store code, saving and reloading the state through KV every batch as cron runs do.
//
//   npm run --silent cluster -- --input ARTICLES.jsonl --output ASSIGNMENTS.jsonl
//        [--batch 200] [--set windowHours=48] [--explain] [--model WEIGHTS.json]
//
// Input lines: {"id","title","text","published","url","source","lang"} (text may be HTML); output lines:
// {"id","story"} with the final story id (after merges), repeated as "cluster" so bcubed.py
// scores the file as it is; with --explain also "score" and "why" (the engine's reason for
// the decision). --model takes weights written by `npm run train -- --output FILE.json`
// (leave-one-set-out validation). Progress goes to stderr; when every input line carries a
// gold "cluster" label, so does a score: B-cubed and what a reader sees (scripts/lib/bcubed.ts).
import { createReadStream, createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { StoryClusterer, type ClusterInput, type ClusterOptions } from '../src/cluster/index';
import type { TrainedModel } from '../src/cluster/linear-model';
import { loadClusterState, saveClusterState, type KVLike } from '../src/store/clusterState';
import { articleFromRecord } from './lib/articles';
import { scoreLine } from './lib/bcubed';

class MemoryKV implements KVLike {
  readonly values = new Map<string, ArrayBuffer>();
  reads = 0;
  writes = 0;
  async get(key: string): Promise<ArrayBuffer | null> {
    this.reads++;
    return this.values.get(key) ?? null;
  }
  async put(key: string, value: ArrayBuffer): Promise<void> {
    this.writes++;
    this.values.set(key, value);
  }
}

const USAGE = `usage: npm run --silent cluster -- --input ARTICLES.jsonl --output ASSIGNMENTS.jsonl [options]

Clusters a JSON Lines stream of articles with the Worker's engine, saving and reloading its
state every batch as cron runs do. Output: one {"id","story","cluster"} line per article.
If every input line has a gold "cluster", stderr ends with B-cubed P/R/F1, the share of
stories (2+ articles) that mix events and the share of events (2+ articles) shown split.

  --input FILE      articles, one {"id","title","text","published",...} a line (text may be HTML)
  --output FILE     where the assignments go
  --batch N         articles per saved/reloaded batch (default 200)
  --set NAME=VALUE  override an engine option (src/cluster/options.ts), repeatable
  --explain         add "score" and "why" (why the article joined or started its story, or
                    why consolidation moved the story it started)
  --model FILE      weights from \`npm run train -- --output FILE.json\` instead of the shipped ones
  --help            this text
`;

function fail(message: string): never {
  process.stderr.write(`cluster: ${message}\n`);
  process.exit(2);
}

function parseOptions(settings: string[]): Partial<ClusterOptions> {
  const options: Record<string, number> = {};
  for (const setting of settings) {
    const match = /^(\w+)=(.+)$/.exec(setting);
    if (!match) fail(`--set expects name=value, got "${setting}"`);
    options[match[1]!] = Number(match[2]);
  }
  return options as Partial<ClusterOptions>;
}

function toInput(line: string, lineNumber: number): { input: ClusterInput; gold: string | undefined } {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch (err) {
    fail(`line ${lineNumber}: not JSON (${(err as Error).message})`);
  }
  try {
    const gold = record.cluster === undefined || record.cluster === null ? undefined : JSON.stringify(record.cluster);
    return { input: articleFromRecord(record), gold };
  } catch (err) {
    fail(`line ${lineNumber}: ${(err as Error).message}`);
  }
}

function readModel(path: string): TrainedModel {
  let model: TrainedModel;
  if (!existsSync(path)) fail(`--model ${path}: no such file`);
  try {
    model = JSON.parse(readFileSync(path, 'utf8')) as TrainedModel;
  } catch (err) {
    fail(`--model ${path}: ${(err as Error).message}`);
  }
  if (!Array.isArray(model?.ranker?.weights) || !Array.isArray(model?.joiner?.weights) || typeof model.joiner.threshold !== 'number') {
    fail(`--model ${path}: not a weights file from npm run train`);
  }
  return model;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      input: { type: 'string' },
      output: { type: 'string' },
      batch: { type: 'string', default: '200' },
      set: { type: 'string', multiple: true, default: [] },
      explain: { type: 'boolean', default: false },
      model: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!values.input || !values.output) fail('usage: --input ARTICLES.jsonl --output ASSIGNMENTS.jsonl [--batch N] [--set name=value]');
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1) fail(`--batch must be a positive whole number, got "${values.batch}"`);
  const options = parseOptions(values.set);
  const model = values.model ? readModel(values.model) : undefined;
  if (!existsSync(values.input)) fail(`--input ${values.input}: no such file`);
  // Find out now, not after minutes of clustering, that the output cannot be written.
  try {
    writeFileSync(values.output, '');
  } catch (err) {
    fail(`cannot write ${values.output}: ${(err as Error).message}`);
  }

  const kv = new MemoryKV();
  const storyOf = new Map<string, string>();
  const reasons = new Map<string, { score: number | null; why: string }>();
  const starterOf = new Map<string, string>();
  const order: string[] = [];
  // Gold labels by article id, while every line so far has had one.
  let gold: Map<string, string> | null = new Map();
  let batch: ClusterInput[] = [];
  let done = 0;
  const started = performance.now();

  const runBatch = async () => {
    const clusterer = StoryClusterer.restore(await loadClusterState(kv), options, model);
    for (const article of batch) {
      const assignment = clusterer.add(article);
      if (values.explain && !assignment.duplicate) reasons.set(article.id, { score: assignment.score ?? null, why: assignment.why ?? '' });
      if (!storyOf.has(article.id)) order.push(article.id);
      storyOf.set(article.id, assignment.storyId);
      if (assignment.created) starterOf.set(assignment.storyId, article.id);
    }
    // As a run does: the batch's stories are consolidated before the state is saved.
    for (const { absorbed, links } of clusterer.consolidate()) {
      if (!values.explain) continue;
      // As the Worker's story JSON does: the report that started an absorbed story says why it moved.
      absorbed.forEach((id, i) => {
        const starter = starterOf.get(id);
        const reason = starter === undefined ? undefined : reasons.get(starter);
        if (reason) reason.why = `consolidated after the run: its story's reports link to this story's at ${links[i]!.toFixed(2)} of the bar (average linkage)`;
      });
    }
    await saveClusterState(kv, clusterer.snapshot());
    done += batch.length;
    batch = [];
    // Earlier assignments may have been merged away since: resolve them at the end.
    finalResolve = (id) => clusterer.resolve(id);
    const progress = `cluster: ${done} articles, ${clusterer.activeStories} active stories`;
    // A terminal gets one line updated in place; a log file gets a line every 2,000 articles.
    if (process.stderr.isTTY) process.stderr.write(`\r${progress}`);
    else if (done % 2000 < batchSize) process.stderr.write(`${progress}\n`);
  };
  let finalResolve = (id: string) => id;

  const lines = createInterface({ input: createReadStream(values.input, 'utf8'), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (!line.trim()) continue;
    const { input, gold: label } = toInput(line, lineNumber);
    if (label === undefined) gold = null;
    else gold?.set(input.id, label);
    batch.push(input);
    if (batch.length >= batchSize) await runBatch();
  }
  if (batch.length > 0) await runBatch();

  const out = createWriteStream(values.output, 'utf8');
  const predicted = new Map<string, string>();
  for (const id of order) {
    const story = finalResolve(storyOf.get(id)!);
    predicted.set(id, story);
    const reason = reasons.get(id);
    const score = reason?.score === null || reason?.score === undefined ? null : Math.round(reason.score * 1000) / 1000;
    out.write(`${JSON.stringify(reason ? { id, story, cluster: story, score, why: reason.why } : { id, story, cluster: story })}\n`);
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  const seconds = (performance.now() - started) / 1000;
  const size = kv.values.get('cluster')?.byteLength ?? 0;
  process.stderr.write(
    `${process.stderr.isTTY ? '\n' : ''}cluster: ${done} articles in ${seconds.toFixed(2)} s (${Math.round(done / seconds)}/s), ` +
      `${new Set(storyOf.values()).size} story ids, KV reads ${kv.reads} writes ${kv.writes}, state ${(size / 1024).toFixed(0)} KiB\n`,
  );
  if (gold && gold.size > 0) process.stderr.write(`cluster: ${scoreLine(gold, predicted)}\n`);
}

// Any other failure (unreadable input, unwritable output, an unknown --set name) is one line, not a trace.
await main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${message.startsWith('cluster:') ? message : `cluster: ${message}`}\n`);
  process.exit(1);
});
