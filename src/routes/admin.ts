// The admin API (/api/admin/*, bearer token): list, add, remove and pause sources, OPML import
// and export, per-source health, quarantined pushed articles, and "run now". Each source's
// change is written to its own KV key (`source:<id>`) and takes effect at the next run; see docs/api.md.
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { requireAdmin } from '../auth';
import { readSettings, type Settings } from '../config';
import { urlPolicy } from '../fetch/urlPolicy';
import type { Source, SourceStatus, SourceStatuses } from '../model';
import { fanOut, queuesOf } from '../queued';
import { readFiling, readPollOrder, sendGroups } from '../queued/messages';
import { sendAll } from '../queued/topology';
import { logRun } from '../runReport';
import { runScheduled } from '../scheduled';
import { OpmlError, parseOpml, renderOpml } from '../sources/opml';
import { activeSources, normaliseSourceUrl, sourceId } from '../sources/registry';
import { dropDeadLetter, listDeadLetters, readDeadLetter } from '../store/deadLetters';
import { readAdminSources, removeSource, writeSourceEntry, type AdminSources } from '../store/adminSources';
import { retryingKv } from '../store/retry';
import { readSourceState, readSourceStatuses } from '../store/sourceState';
import { stripBidi } from '../util/bidi';
import { fail, limitBody, readJson, requireMediaType } from './input';

type AppContext = Context<{ Bindings: Env }>;

export const adminRoutes = new Hono<{ Bindings: Env }>();
adminRoutes.use('*', requireAdmin, limitBody('admin'));

const name = z.pipe(z.string(), z.transform((value) => stripBidi(value))).check(z.trim(), z.minLength(1), z.maxLength(200));
const newSource = z.strictObject({
  url: z.string().check(z.trim(), z.minLength(1), z.maxLength(2048)),
  name: z.optional(name),
  paused: z.optional(z.boolean()),
});
const sourceChange = z.strictObject({ name: z.optional(name), paused: z.optional(z.boolean()) });

const OPML_TYPES = ['text/x-opml', 'application/x-opml', 'text/xml', 'application/xml'] as const;

/** A source as the admin API shows it: where it is defined, and how its polls are going. */
export interface SourceView {
  id: string;
  url: string;
  name: string | null;
  /** "settings": from SOURCES (change it there); "admin": added through this API. */
  origin: 'settings' | 'admin';
  paused: boolean;
  /** Why the URL policy will not fetch it (a configured source can be refused), or null. */
  refused: string | null;
  health: Omit<SourceStatus, 'etag' | 'lastModified' | 'paused'> | null;
}

adminRoutes.get('/sources', async (c) => {
  const { settings, admin, sources } = await load(c);
  const statuses = await readSourceStatuses(c.env.STATE);
  return c.json({ sources: sources.map((s) => view(s, settings, admin, statuses)) });
});

adminRoutes.get('/sources/:id', async (c) => {
  const { settings, admin, sources } = await load(c);
  const source = find(sources, c.req.param('id'));
  return c.json({ source: view(source, settings, admin, await readSourceStatuses(c.env.STATE)) });
});

adminRoutes.post('/sources', async (c) => {
  const input = await readJson(c, 'admin', newSource);
  const { settings, admin, sources } = await load(c);
  const url = checkedUrl(input.url, settings);
  const id = sourceId(url);
  const existing = sources.find((s) => s.id === id);
  if (existing) throw fail(409, `admin: ${url} is already a source (id ${id})`, { source: view(existing, settings, admin, {}) });
  const source: Source = { id, url, name: input.name ?? null };
  const changed: AdminSources = { ...admin, added: [...admin.added, source], paused: input.paused ? [...admin.paused, id] : admin.paused };
  await writeOrConflict(c, id, () => ({ source, paused: !!input.paused }));
  c.header('Location', `/api/admin/sources/${id}`);
  return c.json({ source: view({ ...source, paused: !!input.paused }, settings, changed, {}) }, 201);
});

adminRoutes.patch('/sources/:id', async (c) => {
  const input = await readJson(c, 'admin', sourceChange);
  const { settings, admin, sources } = await load(c);
  const source = find(sources, c.req.param('id'));
  const fromSettings = isConfigured(source.id, settings);
  if (input.name !== undefined && fromSettings) throw fail(409, `admin: source ${source.id} is configured in SOURCES; change its name there`);
  const paused = input.paused ?? !!source.paused;
  const changed: AdminSources = {
    version: 1,
    added: admin.added.map((s) => (s.id === source.id && input.name !== undefined ? { ...s, name: input.name } : s)),
    paused: paused ? [...new Set([...admin.paused, source.id])] : admin.paused.filter((id) => id !== source.id),
  };
  const added = changed.added.find((s) => s.id === source.id) ?? null;
  // Only the fields this request names change: a concurrent rename and pause both stand.
  await writeOrConflict(c, source.id, (current) => ({
    source: fromSettings ? null : current?.source && input.name === undefined ? current.source : added,
    paused: input.paused ?? current?.paused ?? paused,
  }));
  const updated = { ...source, name: input.name ?? source.name, paused };
  return c.json({ source: view(updated, settings, changed, await readSourceStatuses(c.env.STATE)) });
});

adminRoutes.delete('/sources/:id', async (c) => {
  const { settings, admin, sources } = await load(c);
  const source = find(sources, c.req.param('id'));
  if (isConfigured(source.id, settings)) {
    throw fail(409, `admin: source ${source.id} is configured in SOURCES; remove it there, or pause it here`);
  }
  await removeSource(retryingKv(c.env.STATE), source.id);
  return c.body(null, 204);
});

adminRoutes.get('/opml', async (c) => {
  const { settings, sources } = await load(c);
  c.header('Content-Type', 'text/x-opml; charset=utf-8');
  c.header('Content-Disposition', 'attachment; filename="storywire-sources.opml"');
  c.header('Cache-Control', 'no-store');
  return c.body(renderOpml(sources, settings.siteTitle, new Date()));
});

adminRoutes.post('/opml', async (c) => {
  requireMediaType(c, 'opml', OPML_TYPES);
  let feeds;
  try {
    feeds = parseOpml(await c.req.text());
  } catch (err) {
    if (err instanceof OpmlError) throw fail(422, err.message);
    throw err;
  }
  const { settings, admin, sources } = await load(c);
  const known = new Set(sources.map((s) => s.id));
  const added: Source[] = [];
  const skipped: { url: string; reason: string }[] = [];
  for (const feed of feeds) {
    let url: string;
    try {
      url = checkedUrl(feed.url, settings);
    } catch (err) {
      skipped.push({ url: feed.url, reason: (err as Error).message });
      continue;
    }
    const id = sourceId(url);
    if (known.has(id)) {
      skipped.push({ url: feed.url, reason: `already a source (id ${id})` });
      continue;
    }
    known.add(id);
    added.push({ id, url, name: feed.name });
  }
  const changed: AdminSources = { ...admin, added: [...admin.added, ...added] };
  // One key per source: an import of N new feeds costs N writes (different keys, so no rate limit).
  const written: Source[] = [];
  for (const [i, source] of added.entries()) {
    if (await writeSourceEntry(retryingKv(c.env.STATE), source.id, () => ({ source, paused: false }), i)) written.push(source);
    else skipped.push({ url: source.url, reason: 'another change to this source landed at the same time; import again' });
  }
  return c.json({ added: written.map((s) => view(s, settings, changed, {})), skipped });
});

/** Pushed articles a run could not file (a run died on them, or the engine refused them), with why. */
adminRoutes.get('/quarantine', async (c) => {
  const { quarantine } = await readSourceState(c.env.STATE);
  c.header('Cache-Control', 'no-store');
  return c.json({ quarantine });
});

adminRoutes.post('/run', async (c) => {
  const all = /^(1|true|yes)$/i.test(c.req.query('all') ?? '');
  const queues = queuesOf(c.env);
  if (queues) {
    // With queues "run now" is the cron's fan-out: the sources are polled and filed in the background.
    const fanout = await fanOut(c.env, queues, { now: new Date(), trigger: 'admin', everything: all });
    console.log(JSON.stringify({ event: 'fanout', ...fanout }));
    return c.json({ fanout }, 202);
  }
  const report = await runScheduled(c.env, { fetch: (input, init) => fetch(input, init), now: () => new Date(), trigger: 'admin', pollEverything: all });
  logRun(report, { trigger: 'admin', all });
  if (report.skipped) throw fail(409, `admin: ${report.skipped}`, { report });
  return c.json({ report });
});

/** With queues: the messages the queues gave up on (dead-letter queue), oldest first, without their bodies. */
adminRoutes.get('/dead-letters', async (c) => {
  const letters = await listDeadLetters(c.env.STATE);
  c.header('Cache-Control', 'no-store');
  return c.json({ deadLetters: letters, count: letters.length });
});

adminRoutes.get('/dead-letters/:key', async (c) => {
  const letter = await readDeadLetter(c.env.STATE, c.req.param('key'));
  if (!letter) throw fail(404, `admin: no dead letter ${c.req.param('key')} (GET /api/admin/dead-letters lists them)`);
  c.header('Cache-Control', 'no-store');
  return c.json(letter);
});

/** Sends a dead letter back to the queue it came from, whole, and forgets it. */
adminRoutes.post('/dead-letters/:key/retry', async (c) => {
  const key = c.req.param('key');
  const queues = queuesOf(c.env);
  if (!queues) throw fail(409, 'admin: the queues are not bound (wrangler.toml): nothing to send a dead letter to');
  const letter = await readDeadLetter(c.env.STATE, key);
  if (!letter) throw fail(404, `admin: no dead letter ${key} (GET /api/admin/dead-letters lists them)`);
  const order = readPollOrder(letter.body);
  const filing = readFiling(letter.body);
  if (typeof order !== 'string') await sendAll(queues.poll, sendGroups([order]));
  else if (typeof filing !== 'string') await sendAll(queues.file, sendGroups([filing]));
  else throw fail(422, `admin: dead letter ${key} cannot be sent again: ${filing}; DELETE it`);
  await dropDeadLetter(retryingKv(c.env.STATE), key);
  return c.json({ retried: key, kind: typeof order !== 'string' ? 'poll' : 'file' }, 202);
});

adminRoutes.delete('/dead-letters/:key', async (c) => {
  const key = c.req.param('key');
  if (!(await readDeadLetter(c.env.STATE, key))) throw fail(404, `admin: no dead letter ${key} (GET /api/admin/dead-letters lists them)`);
  await dropDeadLetter(retryingKv(c.env.STATE), key);
  return c.body(null, 204);
});

/** Writes one source's key; 409 when a concurrent change to the same source won. */
async function writeOrConflict(c: AppContext, id: string, change: Parameters<typeof writeSourceEntry>[2]): Promise<void> {
  if (!(await writeSourceEntry(retryingKv(c.env.STATE), id, change))) {
    throw fail(409, `admin: another change to source ${id} landed at the same time; read it (GET /api/admin/sources/${id}) and try again`);
  }
}

async function load(c: AppContext) {
  const settings = readSettings(c.env);
  const admin = await readAdminSources(c.env.STATE);
  return { settings, admin, sources: activeSources(settings.sources, admin) };
}

function find(sources: Source[], id: string): Source {
  const source = sources.find((s) => s.id === id);
  if (!source) throw fail(404, `admin: no source with id "${id}"`);
  return source;
}

function isConfigured(id: string, settings: Settings): boolean {
  return settings.sources.some((s) => sourceId(s.url) === id);
}

/** The URL, normalised, if it may be polled; otherwise a 422 saying why not. */
function checkedUrl(raw: string, settings: Settings): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw fail(422, `admin: url: not an absolute URL: "${raw}"`);
  }
  const refusal = urlPolicy({ allowPrivate: settings.allowPrivateSources })(url);
  if (refusal) throw fail(422, `admin: url refused: ${refusal}`);
  return normaliseSourceUrl(url.href);
}

function refusal(url: string, settings: Settings): string | null {
  try {
    return urlPolicy({ allowPrivate: settings.allowPrivateSources })(new URL(url));
  } catch {
    return `not an absolute URL: "${url}"`;
  }
}

function view(source: Source, settings: Settings, admin: AdminSources, statuses: SourceStatuses): SourceView {
  const status = statuses[source.id];
  let health: SourceView['health'] = null;
  if (status) {
    // `paused` above is the source's setting now; the record's flag is as of the last run.
    const { etag: _etag, lastModified: _lastModified, paused: _paused, ...rest } = status;
    health = rest;
  }
  return {
    id: source.id,
    url: source.url,
    name: source.name,
    origin: isConfigured(source.id, settings) ? 'settings' : 'admin',
    paused: admin.paused.includes(source.id),
    refused: refusal(source.url, settings),
    health,
  };
}
