#!/usr/bin/env node
// `npm start`: the product on its embedded default, offline and without a Cloudflare account.
//  1. serves seeds/feeds/ on http://127.0.0.1:8788 as five publishers would (ETag, Last-Modified, 304s);
//  2. starts `wrangler dev` on http://localhost:8787 with local KV and those five feeds as its sources;
//  3. triggers the first scheduled run once the Worker answers, and prints where to look.
// Trigger another run any time: curl "http://localhost:8787/__scheduled?cron=*/15+*+*+*+*"
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const SEED_PORT = Number(process.env.SEED_PORT ?? 8788);
const PORT = Number(process.env.PORT ?? 8787);
const seedBase = `http://127.0.0.1:${SEED_PORT}`;
const workerBase = `http://localhost:${PORT}`;
// The admin and push APIs are on in the demo, with a token that is only good on this machine.
const ADMIN_TOKEN = process.env.ADMIN_TOKEN ?? 'dev-admin-token';

const TYPES = {
  '.xml': 'application/rss+xml; charset=utf-8',
  '.rdf': 'application/rdf+xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.json': 'application/feed+json; charset=utf-8',
};

function serveSeeds() {
  const dir = join(root, 'seeds', 'feeds');
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', seedBase).pathname).replace(/^\/+/, '');
    if (!/^[\w.-]+$/.test(name)) return void res.writeHead(404).end('not found');
    let body;
    try {
      body = readFileSync(join(dir, name));
    } catch {
      return void res.writeHead(404).end('not found');
    }
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    const lastModified = statSync(join(dir, name)).mtime.toUTCString();
    const headers = { etag, 'last-modified': lastModified, 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' };
    const fresh = req.headers['if-none-match'] === etag;
    console.log(`[seeds] ${req.method} /${name} -> ${fresh ? 304 : 200}`);
    if (fresh) return void res.writeHead(304, headers).end();
    res.writeHead(200, headers).end(body);
  });
  return new Promise((ok, fail) => server.once('error', fail).listen(SEED_PORT, '127.0.0.1', () => ok(server)));
}

async function waitFor(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return res;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

// Each start begins from the seeds alone, so the demo always shows what the seeds produce;
// `npm start -- --keep-state` keeps what earlier runs stored (sources added, pushed articles).
const keepState = process.argv.includes('--keep-state');
const statePath = join(root, '.wrangler', 'demo-state');
if (!keepState) rmSync(statePath, { recursive: true, force: true });

const seedServer = await serveSeeds().catch((err) => {
  console.error(`Cannot serve the seed feeds on port ${SEED_PORT}: ${err.message}. Set SEED_PORT to a free port.`);
  process.exit(1);
});
const seeds = JSON.parse(readFileSync(join(root, 'seeds', 'sources.json'), 'utf8'));
const sources = seeds.map((s) => ({ url: `${seedBase}/${s.file}`, name: s.name }));

const wrangler = spawn(
  'wrangler',
  [
    'dev', '--port', String(PORT), '--ip', '127.0.0.1', '--test-scheduled', '--show-interactive-dev-session=false',
    '--persist-to', statePath,
    '--var', `SOURCES:${JSON.stringify(sources)}`,
    '--var', 'ALLOW_PRIVATE_SOURCES:true',
    '--var', `PUBLIC_URL:${workerBase}`,
    '--var', `ADMIN_TOKEN:${ADMIN_TOKEN}`,
    ...process.argv.slice(2).filter((arg) => arg !== '--keep-state'),
  ],
  { cwd: root, stdio: 'inherit', // No telemetry and no download of Cloudflare's request.cf sample: the demo stays offline.
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' } },
);
const stop = () => {
  wrangler.kill('SIGTERM');
  seedServer.close();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
wrangler.on('exit', (code) => {
  seedServer.close();
  process.exit(code ?? 0);
});

try {
  await waitFor(`${workerBase}/health`, 120_000);
  const run = await fetch(`${workerBase}/__scheduled?cron=${encodeURIComponent('*/15 * * * *')}`);
  await run.arrayBuffer();
  console.log(`
storywire is running at ${workerBase}
  ${workerBase}/            front page (HTML)
  ${workerBase}/feed.xml    RSS 2.0
  ${workerBase}/atom.xml    Atom 1.0
  ${workerBase}/feed.json   JSON Feed 1.1
  ${workerBase}/health      status of the last run
The first scheduled run has been triggered (HTTP ${run.status}). Run another with:
  curl "${workerBase}/__scheduled?cron=*/15+*+*+*+*"
Admin and push APIs (docs/api.md) take the token "${ADMIN_TOKEN}", e.g.:
  curl -H "Authorization: Bearer ${ADMIN_TOKEN}" ${workerBase}/api/admin/sources
`);
} catch (err) {
  console.error(`storywire did not start: ${err.message}`);
  stop();
  process.exitCode = 1;
}
