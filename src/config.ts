// Settings, read once from the Worker's environment ([vars] in wrangler.toml, secrets).
// The one place that interprets `env` strings; everything downstream gets typed values.
import { stripBidi } from './util/bidi';

export interface SourceSetting {
  url: string;
  name: string | null;
}

export interface Settings {
  siteTitle: string;
  siteDescription: string;
  /** Origin + path prefix the Worker is served at, without trailing slash, or null (use the request's). */
  publicUrl: string | null;
  sources: SourceSetting[];
  allowPrivateSources: boolean;
  /** Bearer token for admin and push routes; null turns them off. */
  adminToken: string | null;
  /** Optional WebSub hub advertised in the feeds. */
  websubHub: string | null;
  /** Most stories kept for the feeds and pages. */
  maxStories: number;
  /** Items per feed page. */
  feedPageSize: number;
  /** Most sources fetched in one run (Workers allow 50 subrequests on the free plan). */
  maxFetchesPerRun: number;
  fetchTimeoutMs: number;
  maxFeedBytes: number;
  /** Minutes between polls of a healthy source. */
  pollIntervalMinutes: number;
  /** Largest request body the push and admin APIs accept. */
  maxPushBytes: number;
  /** Items kept from one feed document, newest first. */
  maxItemsPerFeed: number;
  /** New articles clustered per run at most; the rest are carried over to the next runs. */
  maxArticlesPerRun: number;
  /** Feed bytes parsed per run at most (the first document always is); further sources wait for the next run. */
  maxParseBytesPerRun: number;
  /**
   * Runs take turns (docs/deploy.md, "Free plan"): while articles wait in the inbox a run files
   * them and polls nothing (unless a due source has gone an hour unpolled: sources/backlog.ts);
   * otherwise it polls and queues what is new in the inbox for the next runs, without loading the
   * engine or the records. Each invocation then does half the work.
   */
  splitRuns: boolean;
  /** With queues: sources named in one message to the poll queue (each poll consumer invocation takes a few messages). */
  sourcesPerPollMessage: number;
  /** With queues: the dead-letter queue's name, whose messages the Worker keeps for the admin API. */
  deadLetterQueue: string;
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** Reads settings from the Worker's `env` (or any object with the same names, as tests and CLIs pass). */
export function readSettings(source: object): Settings {
  const env = source as Record<string, unknown>;
  return {
    siteTitle: text(env.SITE_TITLE) ?? 'storywire',
    siteDescription: text(env.SITE_DESCRIPTION) ?? 'Each story once, with every outlet\'s version of it.',
    publicUrl: baseUrl(text(env.PUBLIC_URL)),
    sources: parseSourceList(text(env.SOURCES) ?? ''),
    allowPrivateSources: flag(env.ALLOW_PRIVATE_SOURCES),
    adminToken: text(env.ADMIN_TOKEN),
    websubHub: text(env.WEBSUB_HUB),
    maxStories: int(env.MAX_STORIES, 500, 1, 5000, 'MAX_STORIES'),
    feedPageSize: int(env.FEED_PAGE_SIZE, 50, 1, 500, 'FEED_PAGE_SIZE'),
    maxFetchesPerRun: int(env.MAX_FETCHES_PER_RUN, 40, 1, 1000, 'MAX_FETCHES_PER_RUN'),
    fetchTimeoutMs: int(env.FETCH_TIMEOUT_MS, 10_000, 100, 60_000, 'FETCH_TIMEOUT_MS'),
    maxFeedBytes: int(env.MAX_FEED_BYTES, 5 * 1024 * 1024, 1024, 50 * 1024 * 1024, 'MAX_FEED_BYTES'),
    pollIntervalMinutes: int(env.POLL_INTERVAL_MINUTES, 15, 1, 24 * 60, 'POLL_INTERVAL_MINUTES'),
    maxPushBytes: int(env.MAX_PUSH_BYTES, 1024 * 1024, 1024, 25 * 1024 * 1024, 'MAX_PUSH_BYTES'),
    maxItemsPerFeed: int(env.MAX_ITEMS_PER_FEED, 200, 1, 5000, 'MAX_ITEMS_PER_FEED'),
    maxArticlesPerRun: int(env.MAX_ARTICLES_PER_RUN, 1000, 1, 20_000, 'MAX_ARTICLES_PER_RUN'),
    maxParseBytesPerRun: int(env.MAX_PARSE_BYTES_PER_RUN, 20 * 1024 * 1024, 1024, 100 * 1024 * 1024, 'MAX_PARSE_BYTES_PER_RUN'),
    splitRuns: flag(env.SPLIT_RUNS),
    sourcesPerPollMessage: int(env.SOURCES_PER_POLL_MESSAGE, 10, 1, 50, 'SOURCES_PER_POLL_MESSAGE'),
    deadLetterQueue: text(env.DEAD_LETTER_QUEUE) ?? 'storywire-dead',
  };
}

/** SOURCES: a JSON array of {"url", "name"?} (or of URL strings), or URLs separated by whitespace. */
export function parseSourceList(raw: string): SourceSetting[] {
  const trimmed = raw.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) {
    let list: unknown;
    try {
      list = JSON.parse(trimmed);
    } catch (err) {
      throw new SettingsError(`SOURCES: not valid JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(list)) throw new SettingsError('SOURCES: expected a JSON array');
    return list.map((entry, i) => {
      if (typeof entry === 'string') return { url: entry, name: null };
      if (entry && typeof entry === 'object' && typeof (entry as { url?: unknown }).url === 'string') {
        const { url, name } = entry as { url: string; name?: unknown };
        const clean = typeof name === 'string' ? stripBidi(name).trim() : '';
        return { url, name: clean || null };
      }
      throw new SettingsError(`SOURCES[${i}]: expected a URL string or {"url", "name"}`);
    });
  }
  return trimmed.split(/\s+/).map((url) => ({ url, name: null }));
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function flag(value: unknown): boolean {
  return typeof value === 'string' ? /^(1|true|yes|on)$/i.test(value.trim()) : value === true;
}

function int(value: unknown, fallback: number, min: number, max: number, name: string): number {
  const raw = text(value);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new SettingsError(`${name}: expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function baseUrl(raw: string | null): string | null {
  if (raw === null) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SettingsError(`PUBLIC_URL: not an absolute URL: "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}
