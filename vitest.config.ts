import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
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
// A test that imports a helper of its own (test/ops/helpers.ts) which imports `cloudflare:test`
// needs workerd too: follow relative imports of .ts files under test/.
const needsWorkerd = (file: string, seen = new Set<string>()): boolean => {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(join(import.meta.dirname, file), 'utf8');
  if (text.includes("'cloudflare:test'")) return true;
  return [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].some(([, spec]) => {
    const helper = posix.join(posix.dirname(file), `${spec}.ts`);
    return helper.startsWith('test/') && existsSync(join(import.meta.dirname, helper)) && needsWorkerd(helper, seen);
  });
};
const workerdTests = testFiles.filter((file) => needsWorkerd(file));
const nodeTests = testFiles.filter((file) => !needsWorkerd(file));

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

export default defineConfig({
  test: {
    reporters: ['default', './test/summaryReporter.ts'],
    projects: [
      {
        test: { name: 'node', include: nodeTests, environment: 'node' },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { outboundService: seedPublisher },
          }),
        ],
        test: { name: 'workerd', include: workerdTests },
      },
    ],
  },
});
