/// <reference types="node" />
// `npm run bench -- hostile`: one scheduled run over the seed feeds plus one hostile feed (a 4.5 MB
// headline; 100,000 tiny items in 3.5 MB), in Node with an in-memory KV that refuses values over
// KV's 25 MiB. Prints the run's bounds counters, CPU time, the process's peak memory and the size of the values
// written: figures, never assertions (the tests check the behaviour).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FetchLike } from '../src/fetch/fetcher';
import { runScheduled } from '../src/scheduled';

const ROOT = join(import.meta.dirname, '..');
const KV_LIMIT = 25 * 1024 * 1024;

function memoryKv(): { kv: KVNamespace; store: Map<string, string> } {
  const store = new Map<string, string>();
  const read = (key: string, type?: string) => {
    const value = store.get(key);
    return value === undefined ? null : type === 'json' ? JSON.parse(value) : value;
  };
  const kv = {
    async get(key: string | string[], type?: string) {
      return Array.isArray(key) ? new Map(key.map((k) => [k, read(k, type)])) : read(key, type);
    },
    async put(key: string, value: string) {
      const bytes = Buffer.byteLength(value);
      if (bytes > KV_LIMIT) throw new Error(`KV PUT failed: 413 Value too large (${key}: ${bytes} bytes)`);
      store.set(key, value);
    },
    async delete(key: string) {
      store.delete(key);
    },
    async list({ prefix = '' }: { prefix?: string } = {}) {
      return { keys: [...store.keys()].filter((k) => k.startsWith(prefix)).map((name) => ({ name })), list_complete: true };
    },
  };
  return { kv: kv as unknown as KVNamespace, store };
}

function rss(items: string): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title><link>https://hostile.test/</link>${items}</channel></rss>`;
}

const CASES: Record<string, () => string> = {
  '4.5 MB headline': () => {
    const huge = Array.from({ length: 900_000 }, (_, i) => `word${i % 10}`).join(' ').slice(0, 4_500_000);
    return rss(`<item><guid>huge</guid><title>${huge}</title><link>https://hostile.test/huge</link><description>Body.</description></item>`);
  },
  '100,000 tiny items': () => rss(Array.from({ length: 100_000 }, (_, i) => `<item><title>t${i}</title></item>\n`).join('')),
};

const seeds = JSON.parse(readFileSync(join(ROOT, 'seeds/sources.json'), 'utf8')) as { file: string; name: string }[];

for (const [name, make] of Object.entries(CASES)) {
  const document = make();
  const { kv, store } = memoryKv();
  const sources = [...seeds.map((s) => ({ url: `https://seeds.test/${s.file}`, name: s.name })), { url: 'https://hostile.test/feed.xml', name: 'Hostile' }];
  const fetchImpl: FetchLike = async (input) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith('https://seeds.test/')) return new Response(readFileSync(join(ROOT, 'seeds/feeds', url.slice('https://seeds.test/'.length))));
    return new Response(document, { headers: { 'content-type': 'application/rss+xml' } });
  };
  const env = { STATE: kv, SOURCES: JSON.stringify(sources) } as unknown as Env;
  const cpu = process.cpuUsage();
  let outcome: string;
  try {
    const report = await runScheduled(env, { fetch: fetchImpl, now: () => new Date('2025-07-23T12:00:00Z') });
    const fired = Object.entries(report.bounds).filter(([key, n]) => typeof n === 'number' && n > 0 && !['bytesParsed', 'bundleBytes'].includes(key));
    outcome = `ok: ${report.newArticles} new articles, ${report.errors.length} errors; bounds fired: ${fired.map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`;
  } catch (err) {
    outcome = `RUN FAILED: ${(err as Error).message}`;
  }
  const used = process.cpuUsage(cpu);
  const size = (key: string) => (store.has(key) ? `${(Buffer.byteLength(store.get(key)!) / 1024).toFixed(0)} KiB` : 'not written');
  console.log(`${name} (${(document.length / 1e6).toFixed(1)} MB document): ${outcome}`);
  // maxRSS is the process's high-water mark so far (the bench's own documents included).
  console.log(`  CPU ${Math.round((used.user + used.system) / 1000)} ms, process peak RSS so far ${Math.round(process.resourceUsage().maxRSS / 1024)} MB; rendered ${size('rendered')}, stories ${size('stories')}`);
}
