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
import { createServer as createTcpServer } from 'node:net';
import { extname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const SEED_PORT = Number(process.env.SEED_PORT ?? 8788);
const PORT = Number(process.env.PORT ?? 8787);
const seedBase = `http://127.0.0.1:${SEED_PORT}`;
const workerBase = `http://localhost:${PORT}`;
// Probed on the address wrangler is told to listen on, so nothing else on "localhost" can answer.
const probeBase = `http://127.0.0.1:${PORT}`;
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
      return { status: res.status, text: await res.text() };
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

/** Resolves when nothing listens on the port; else rejects with a message that says what to do. */
function checkPortFree(port, envName) {
  return new Promise((ok, fail) => {
    const probe = createTcpServer();
    probe.once('error', (err) => {
      const why = err.code === 'EADDRINUSE' ? 'is in use (another `npm start` or `wrangler dev`?)' : `cannot be used (${err.code ?? err.message})`;
      fail(new Error(`port ${port} ${why}; stop what holds it or choose another port, e.g. ${envName}=${port + 10} npm start`));
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => ok()));
  });
}

/** One clear line on stderr, printed last (after wrangler's shutdown noise), exit status 1. */
let failure = null;
function failStart(message) {
  if (failure !== null) return;
  failure = message;
  process.exitCode = 1;
  seedServer.close();
  if (wrangler.exitCode === null && wrangler.signalCode === null) {
    wrangler.kill('SIGTERM');
    setTimeout(() => exitFailed(), 5000).unref();
  } else {
    exitFailed();
  }
}
function exitFailed() {
  console.error(`storywire did not start: ${failure}`);
  process.exit(1);
}

// Each start begins from the seeds alone, so the demo always shows what the seeds produce;
// `npm start -- --keep-state` keeps what earlier runs stored (sources added, pushed articles).
const keepState = process.argv.includes('--keep-state');
const statePath = join(root, '.wrangler', 'demo-state');
if (!keepState) rmSync(statePath, { recursive: true, force: true });

for (const [name, port] of [['PORT', PORT], ['SEED_PORT', SEED_PORT]]) {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`storywire did not start: ${name} must be a port number from 1 to 65535, got "${process.env[name]}"`);
    process.exit(1);
  }
}
await checkPortFree(PORT, 'PORT').catch((err) => {
  console.error(`storywire did not start: ${err.message}`);
  process.exit(1);
});
const seedServer = await serveSeeds().catch((err) => {
  console.error(`storywire did not start: cannot serve the seed feeds on port ${SEED_PORT} (${err.code ?? err.message}); choose another port, e.g. SEED_PORT=${SEED_PORT + 10} npm start`);
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
let ready = false;
wrangler.on('error', (err) => failStart(`cannot run wrangler (${err.message}); run \`npm install\` first`));
wrangler.on('exit', (code, signal) => {
  seedServer.close();
  if (failure === null && !ready) failure = `wrangler dev exited (${signal ?? `code ${code}`}) before the Worker answered; its messages are above`;
  if (failure !== null) exitFailed();
  process.exit(code ?? 0);
});

try {
  const health = await waitFor(`${probeBase}/health`, 120_000);
  if (failure !== null) throw new Error(failure);
  let body = null;
  try {
    body = JSON.parse(health.text);
  } catch {}
  // Our /health answers {"status": ...}; a broken setting answers 500 {"error": "misconfigured: ..."}.
  if (body && typeof body.error === 'string') throw new Error(`the Worker answers ${health.status}: ${body.error}`);
  if (!body || typeof body.status !== 'string') throw new Error(`something other than storywire answers on ${workerBase} (HTTP ${health.status})`);
  const run = await fetch(`${probeBase}/__scheduled?cron=${encodeURIComponent('*/15 * * * *')}`);
  await run.arrayBuffer();
  if (!run.ok) throw new Error(`the first scheduled run failed (HTTP ${run.status}); wrangler's messages are above`);
  ready = true;
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
  failStart(err.message);
}
