import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Two projects. Pure modules (parse, cluster, render, …) are tested in Node: no Worker runtime is
// needed for a function from text to text, and a Node worker starts in a fraction of a workerd one.
// A test file that imports `cloudflare:test` (KV, the Worker's own fetch and scheduled handlers)
// runs inside workerd — the same workerd that `wrangler dev` and `wrangler deploy` use (package.json
// `overrides` keeps one version).
const testFiles = readdirSync(join(import.meta.dirname, 'test'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => `test/${file.replaceAll('\\', '/')}`);
const workerdTests = testFiles.filter((file) => needsWorkerd(join(import.meta.dirname, file), new Set()));
const nodeTests = testFiles.filter((file) => !workerdTests.includes(file));

/** The file, or a test helper it imports (relative `.ts` imports under test/), uses `cloudflare:test`. */
function needsWorkerd(path: string, seen: Set<string>): boolean {
  if (seen.has(path)) return false;
  seen.add(path);
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch {
    return false; // a fixture or a source module that is not a .ts file next to it
  }
  if (source.includes("'cloudflare:test'")) return true;
  const testDir = join(import.meta.dirname, 'test');
  for (const [, spec] of source.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
    const target = join(dirname(path), spec!.endsWith('.ts') ? spec! : `${spec}.ts`);
    if (target.startsWith(testDir) && needsWorkerd(target, seen)) return true;
  }
  return false;
}

// Outbound requests from the Worker under test never reach a network: `http://seeds.test/NAME`
// answers with seeds/feeds/NAME (what a publisher would send), anything else gets a 502.
// Tests that need other answers pass their own `fetch` to the code under test.
// Miniflare would otherwise download a sample `request.cf` object from Cloudflare.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';

async function seedPublisher(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.hostname !== 'seeds.test') {
    return new Response(`tests have no network: ${url.href}`, { status: 502 });
  }
  const name = url.pathname.replace(/^\/+/, '');
  if (!/^[\w.-]+$/.test(name)) return new Response('not found', { status: 404 });
  try {
    const body = await readFile(join(import.meta.dirname, 'seeds', 'feeds', name));
    return new Response(body, { headers: { etag: `"${body.length}"` } });
  } catch {
    return new Response('not found', { status: 404 });
  }
}

// A test's timeout only catches a hang, never measures speed (that is `npm run bench`): whole
// scheduled runs through workerd take seconds on a busy two-core machine.
const TEST_TIMEOUT_MS = 30_000;

export default defineConfig({
  test: {
    reporters: ['default', './test/summaryReporter.ts'],
    // Two workers, not Vitest's default of one less than the cores (one on a two-core machine): a
    // workerd test spends much of its time waiting on workerd, so two files at a time (each worker
    // its own workerd process and KV) take about two thirds of the time (34 -> 24 s warm here).
    maxWorkers: 2,
    projects: [
      {
        test: { name: 'node', include: nodeTests, environment: 'node', isolate: false, testTimeout: TEST_TIMEOUT_MS },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { outboundService: seedPublisher },
          }),
        ],
        test: { name: 'workerd', include: workerdTests, isolate: false, setupFiles: ['./test/workerdSetup.ts'], testTimeout: TEST_TIMEOUT_MS },
      },
    ],
  },
});
