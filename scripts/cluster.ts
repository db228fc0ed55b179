// Evaluation CLI: cluster a JSON Lines stream of articles with the Worker's own engine and
// store code, saving and reloading the state through KV every batch as cron runs do.
//
//   npm run --silent cluster -- --input ARTICLES.jsonl --output ASSIGNMENTS.jsonl
//        [--batch 200] [--set threshold=0.3 --set windowHours=48]
//
// Input lines: {"id","title","text","published","url","source","lang"} (text may be HTML); output lines:
// {"id","story"} with the final story id (after merges), repeated as "cluster" so bcubed.py
// scores the file as it is. Progress goes to stderr.
import { createReadStream, createWriteStream, existsSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { StoryClusterer, type ClusterInput, type ClusterOptions } from '../src/cluster/index';
import { loadClusterState, saveClusterState, type KVLike } from '../src/cluster/store';
import { htmlToText, looksLikeHtml, titleText } from '../src/normalise/text';

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

function toInput(line: string, lineNumber: number): ClusterInput {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch (err) {
    fail(`line ${lineNumber}: not JSON (${(err as Error).message})`);
  }
  const id = record.id;
  if (typeof id !== 'string' && typeof id !== 'number') fail(`line ${lineNumber}: missing "id"`);
  const str = (value: unknown) => (typeof value === 'string' ? value : null);
  // The Worker clusters plain text (one paragraph per line); take HTML as its feed readers would.
  const text = str(record.text) ?? '';
  return { id: String(id), title: titleText(str(record.title)), text: looksLikeHtml(text) ? htmlToText(text) : text, published: str(record.published) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      input: { type: 'string' },
      output: { type: 'string' },
      batch: { type: 'string', default: '200' },
      set: { type: 'string', multiple: true, default: [] },
    },
  });
  if (!values.input || !values.output) fail('usage: --input ARTICLES.jsonl --output ASSIGNMENTS.jsonl [--batch N] [--set name=value]');
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1) fail(`--batch must be a positive whole number, got "${values.batch}"`);
  const options = parseOptions(values.set);
  if (!existsSync(values.input)) fail(`no such input file: ${values.input}`);
  // Find out now, not after minutes of clustering, that the output cannot be written.
  try {
    writeFileSync(values.output, '');
  } catch (err) {
    fail(`cannot write ${values.output}: ${(err as Error).message}`);
  }

  const kv = new MemoryKV();
  const storyOf = new Map<string, string>();
  const order: string[] = [];
  let batch: ClusterInput[] = [];
  let done = 0;
  const started = performance.now();

  const runBatch = async () => {
    const clusterer = StoryClusterer.restore(await loadClusterState(kv), options);
    for (const article of batch) {
      const assignment = clusterer.add(article);
      if (!storyOf.has(article.id)) order.push(article.id);
      storyOf.set(article.id, assignment.storyId);
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
    batch.push(toInput(line, lineNumber));
    if (batch.length >= batchSize) await runBatch();
  }
  if (batch.length > 0) await runBatch();

  const out = createWriteStream(values.output, 'utf8');
  for (const id of order) out.write(`${JSON.stringify({ id, story: finalResolve(storyOf.get(id)!), cluster: finalResolve(storyOf.get(id)!) })}\n`);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  const seconds = (performance.now() - started) / 1000;
  const size = kv.values.get('cluster')?.byteLength ?? 0;
  process.stderr.write(
    `${process.stderr.isTTY ? '\n' : ''}cluster: ${done} articles in ${seconds.toFixed(2)} s (${Math.round(done / seconds)}/s), ` +
      `${new Set(storyOf.values()).size} story ids, KV reads ${kv.reads} writes ${kv.writes}, state ${(size / 1024).toFixed(0)} KiB gzipped\n`,
  );
}

// Any other failure (unreadable input, unwritable output, an unknown --set name) is one line, not a trace.
await main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${message.startsWith('cluster:') ? message : `cluster: ${message}`}\n`);
  process.exit(1);
});
