#!/usr/bin/env node
// `npm start`: the product on its embedded default, offline and without a Cloudflare account.
//  0. checks everything it can before it touches any state (ports, settings, seed feeds, wrangler,
//     another `npm start` using the same state): a start that fails on a check changes nothing;
//  1. serves seeds/feeds/ on http://127.0.0.1:8788 as five publishers would (ETag, Last-Modified, 304s);
//  2. sets .wrangler/demo-state/ aside and starts `wrangler dev` on http://localhost:8787 with local
//     KV and those five feeds as its sources; a start that fails from here puts the state back;
//  3. triggers the first scheduled run once the Worker answers (with the queues of wrangler.toml,
//     local too: the cron sends the feeds to the poll queue, the one writer files them), waits until
//     /health shows the first articles filed, and prints where to look.
// Trigger another run any time: curl "http://localhost:8787/__scheduled?cron=*/15+*+*+*+*" (it polls
// only the feeds that are due); POST /api/admin/run?all=1 with the token polls every feed.
// Runs under tsx (package.json), to check the settings with the Worker's own reader.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { demoState, letGo, lockHolder, putBack, releaseLock, setAside, takeLock } from './lib/demoState.ts';
import { onPath, portOf, readSeeds, settingsProblem, tomlVars, varsFromArgs } from './lib/startChecks.ts';

const root = resolve(import.meta.dirname, '..');
/** Printed last, in one line, with exit status 1; before any state was touched, nothing else happens. */
function refuseStart(message) {
  console.error(`storywire did not start: ${message}`);
  process.exit(1);
}
const checked = (value) => (typeof value === 'string' ? refuseStart(value) : value);
const PORT = checked(portOf('PORT', process.env.PORT, 8787));
const SEED_PORT = checked(portOf('SEED_PORT', process.env.SEED_PORT, 8788));
if (PORT === SEED_PORT) refuseStart(`PORT and SEED_PORT are both ${PORT}; give them two ports, e.g. SEED_PORT=${PORT + 1} npm start`);
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

/** Waits until /health reports a last run (the queue's writer, or the one-invocation run); false on timeout. */
async function firstFiling(base, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const health = await (await fetch(`${base}/health`)).json();
      if (health.lastRun) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
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

// Each start begins from the seeds alone, so the demo always shows what the seeds produce;
// `npm start -- --keep-state` keeps what earlier runs stored (sources added, pushed articles).
// DEMO_STATE_DIR puts the state elsewhere (the tests of this script use it).
const keepState = process.argv.includes('--keep-state');
const state = demoState(resolve(root, process.env.DEMO_STATE_DIR ?? join('.wrangler', 'demo-state')));
const wranglerArgs = process.argv.slice(2).filter((arg) => arg !== '--keep-state');

// 0. Every check before any state is touched.
const seeds = checked(readSeeds(root));
const sources = seeds.map((s) => ({ url: `${seedBase}/${s.file}`, name: s.name }));
const demoVars = {
  SOURCES: JSON.stringify(sources),
  ALLOW_PRIVATE_SOURCES: 'true',
  PUBLIC_URL: workerBase,
  ADMIN_TOKEN,
};
let toml = '';
try {
  toml = readFileSync(join(root, 'wrangler.toml'), 'utf8');
} catch (err) {
  refuseStart(`cannot read wrangler.toml (${err.message})`);
}
// As wrangler merges them: wrangler.toml's [vars], the demo's, then the command line's --var.
const problem = settingsProblem({ ...tomlVars(toml), ...demoVars, ...varsFromArgs(wranglerArgs) });
if (problem) refuseStart(`${problem} (in wrangler.toml or a --var after \`npm start --\`)`);
if (onPath('wrangler') === null) refuseStart('cannot find wrangler; run `npm install` first, then `npm start`');
const holder = lockHolder(state);
if (holder) refuseStart(`another \`npm start\` (process ${holder.pid}${holder.port ? `, http://localhost:${holder.port}` : ''}) is using ${state.dir}; stop it first (Ctrl-C in its terminal)`);
await checkPortFree(PORT, 'PORT').catch((err) => refuseStart(err.message));
const seedServer = await serveSeeds().catch((err) =>
  refuseStart(`cannot serve the seed feeds on port ${SEED_PORT} (${err.code ?? err.message}); choose another port, e.g. SEED_PORT=${SEED_PORT + 10} npm start`));

// 2. From here a failure puts the state back as it was (once wrangler has let go of it).
takeLock(state, PORT);
setAside(state, keepState);

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
  try {
    putBack(state);
  } catch (err) {
    console.error(`storywire: could not put ${state.dir} back (${err.message}); the state before this start is in ${state.backup}`);
  }
  releaseLock(state);
  console.error(`storywire did not start: ${failure}`);
  process.exit(1);
}

const wrangler = spawn(
  'wrangler',
  [
    'dev', '--port', String(PORT), '--ip', '127.0.0.1', '--test-scheduled', '--show-interactive-dev-session=false',
    '--persist-to', state.dir,
    ...Object.entries(demoVars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
    ...wranglerArgs,
  ],
  { cwd: root, stdio: 'inherit', // No telemetry and no download of Cloudflare's request.cf sample: the demo stays offline.
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' } },
);
let ready = false;
const stop = () => {
  // Stopped before it came up: a failed start, so the state goes back as it was.
  if (!ready) return failStart('stopped before the Worker answered');
  wrangler.kill('SIGTERM');
  seedServer.close();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
wrangler.on('error', (err) => failStart(`cannot run wrangler (${err.message}); run \`npm install\` first`));
wrangler.on('exit', (code, signal) => {
  seedServer.close();
  if (failure === null && !ready) failure = `wrangler dev exited (${signal ?? `code ${code}`}) before the Worker answered; its messages are above`;
  if (failure !== null) exitFailed();
  releaseLock(state);
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
  // With the queues of wrangler.toml the cron only sends the feeds to be polled; the poll consumers
  // and then the one writer take their batches after max_batch_timeout (5 s, then 30 s).
  console.log('[start] first run triggered; waiting for the queues to file the first articles (about 40 s)…');
  const filed = await firstFiling(probeBase, 120_000);
  if (!filed) console.log('[start] nothing filed yet after 120 s; /health says when it is');
  ready = true;
  letGo(state);
  console.log(`
storywire is running at ${workerBase}
  ${workerBase}/            front page (HTML)
  ${workerBase}/feed.xml    RSS 2.0
  ${workerBase}/atom.xml    Atom 1.0
  ${workerBase}/feed.json   JSON Feed 1.1
  ${workerBase}/health      status of the last run
The first scheduled run has filed the seed feeds through the local queues (poll, then file).
Run another (it polls only the feeds that are due: none within 15 minutes of the last poll) with:
  curl "${workerBase}/__scheduled?cron=*/15+*+*+*+*"
or poll every feed now with:
  curl -X POST -H "Authorization: Bearer ${ADMIN_TOKEN}" "${workerBase}/api/admin/run?all=1"
Admin and push APIs (docs/api.md) take the token "${ADMIN_TOKEN}", e.g.:
  curl -H "Authorization: Bearer ${ADMIN_TOKEN}" ${workerBase}/api/admin/sources
`);
} catch (err) {
  failStart(err.message);
}
