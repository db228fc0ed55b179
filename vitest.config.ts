import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

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
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: { outboundService: seedPublisher },
    }),
  ],
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/summaryReporter.ts'],
  },
});
