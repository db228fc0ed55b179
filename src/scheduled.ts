// The cron run, top to bottom: take the lease -> which sources are due -> poll them -> add the
// pushed articles waiting in the inbox -> cluster the new articles -> store the state ->
// publish the feeds -> release the lease. KV writes per run, at most six: lease, stories,
// rendered feeds, cluster state (those three only when something is new), source records
// with the run summary, lease release. Every write is retried on KV's 429.
import { StoryClusterer } from './cluster';
import { loadClusterState, saveClusterState } from './cluster/store';
import { readSettings, type Settings } from './config';
import type { FetchLike, FetchPolicy } from './fetch/fetcher';
import { urlPolicy } from './fetch/urlPolicy';
import type { Article, Source } from './model';
import { publishFeeds } from './render/publish';
import { pollAll, pollSource, type SourcePoll } from './sources/poll';
import { activeSources } from './sources/registry';
import { afterPoll, pickDue, type SourceStatuses } from './sources/schedule';
import { applyAssignment, knownArticleIds, listedReports, pruneSnapshot, reportKey } from './stories/apply';
import { readAdminSources } from './store/adminSources';
import { listInbox, readInbox } from './store/inbox';
import { acquireLease, releaseLease, stillHeld } from './store/lease';
import { DEFAULT_RETRY, retryingKv } from './store/retry';
import { readSourceState, writeSourceState, type RunSummary } from './store/sourceState';
import { withCorrections } from './store/corrections';
import { readStories, writeStories } from './store/stories';

export interface RunDeps {
  fetch: FetchLike;
  now: () => Date;
  /** What started the run ("cron" unless said otherwise), for the log and /health. */
  trigger?: string;
  /** Poll every unpaused source now, whatever its schedule (the admin "run now"). */
  pollEverything?: boolean;
  /** How to wait between retries of a rate-limited KV write (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}

export interface RunReport {
  /** Why the run did nothing (another run holds the lease), or null when it ran. */
  skipped: string | null;
  sourcesDue: number;
  fetched: number;
  notModified: number;
  errors: { source: string; error: string }[];
  newArticles: number;
  /** Pushed articles taken from the inbox this run (new or not). */
  pushedArticles: number;
  storiesCreated: number;
  storiesUpdated: number;
  storiesMerged: number;
  /** Wall time; CPU time is recorded per invocation by Workers Observability (a Worker cannot read it). */
  durationMs: number;
}

export const USER_AGENT = 'storywire/0.1 (+https://github.com/storywire/storywire; feed aggregator)';

/** Pushed articles filed per run at most; the rest wait for the next run. */
export const MAX_PUSHED_PER_RUN = 500;

export async function runScheduled(env: Env, deps: RunDeps = defaultDeps()): Promise<RunReport> {
  const started = Date.now();
  const now = deps.now();
  const settings = readSettings(env);
  const kv = retryingKv(env.STATE, { ...DEFAULT_RETRY, sleep: deps.sleep ?? DEFAULT_RETRY.sleep });
  const runId = crypto.randomUUID();
  const trigger = deps.trigger ?? 'cron';

  const claim = await acquireLease(kv, runId, trigger, now);
  if (!claim.held) {
    const { trigger: by, acquired, expires } = claim.holder;
    return skippedRun(`another run (${by}, started ${acquired}) holds the lease until ${expires}`, started);
  }
  try {
    const state = await readSourceState(kv);
    const sources = activeSources(settings.sources, await readAdminSources(kv));
    const due = pickDue(sources, deps.pollEverything ? {} : state.statuses, now, settings.maxFetchesPerRun);
    const policy = fetchPolicy(settings, deps.fetch);
    const polls = await pollAll(due, (source) => pollSource(source, state.statuses[source.id], policy, now));
    const inbox = await pendingInbox(kv, state.inboxFiled);

    if (!(await stillHeld(kv, runId))) return skippedRun('another run took the lease before this one wrote anything', started);
    const clustered = await clusterNewArticles(kv, polls.flatMap((p) => p.articles), inbox.ids, settings, now);

    const report = runReport(due.length, polls, clustered, started);
    // Last write: until it lands, the sources stay due and the inbox articles unfiled, so a
    // run that dies before it is repeated in full by the next one.
    await writeSourceState(kv, {
      statuses: recordPolls(keepKnown(state.statuses, sources), polls, clustered.newBySource, now, settings.pollIntervalMinutes),
      lastRun: summarise(report, now, trigger),
      inboxFiled: [...inbox.filed, ...clustered.filedInbox],
    });
    return report;
  } finally {
    await releaseLease(kv, runId).catch((err: unknown) => {
      console.error(JSON.stringify({ event: 'lease-release-failed', error: String(err) }));
    });
  }
}

/** One JSON line per run, for `wrangler tail` and Workers Logs. */
export function logRun(report: RunReport, context: Record<string, unknown>): void {
  const { errors, durationMs, ...counts } = report;
  console.log(JSON.stringify({ event: 'run', ...context, ...counts, wallMs: durationMs, failed: errors.length, errors }));
}

/**
 * Feeds each article to the clustering engine and the story records. The stories are written
 * before the engine's state: if the run dies in between, the next run polls the same items
 * again (source records are written last), the engine catches up on them, and the stories,
 * which already list them, are left as they are. Nothing is lost and nothing is listed twice.
 * Pushed articles follow the same path: they stay in the inbox, unfiled, until the source
 * records (which list the filed ones) are written.
 */
async function clusterNewArticles(kv: KVNamespace, polled: Article[], inboxIds: string[], settings: Settings, now: Date) {
  const result = { newArticles: 0, pushed: 0, created: 0, updated: 0, merged: 0, newBySource: new Map<string, number>(), filedInbox: [] as string[] };
  const pushed = await readInbox(kv, inboxIds.slice(0, MAX_PUSHED_PER_RUN));
  result.pushed = pushed.length;
  result.filedInbox = pushed.map((a) => a.id);
  const articles = [...polled, ...pushed];
  if (articles.length === 0) return result;

  const clusterer = StoryClusterer.restore(await loadClusterState(kv));
  const snapshot = await readStories(kv);
  const listed = knownArticleIds(snapshot);
  const reports = listedReports(snapshot);
  const touched = new Set<string>();
  let engineChanged = false;
  for (const article of inStreamOrder(articles)) {
    const sameReport = article.url ? reportKey(article.url, article.title) : null;
    if (sameReport && reports.has(sameReport) && !listed.has(article.id)) continue; // the same report under another id
    const assignment = clusterer.add({ id: article.id, title: article.title, text: article.text, published: article.published, seenAt: article.seenAt });
    if (assignment.duplicate) continue;
    engineChanged = true;
    if (listed.has(article.id)) continue; // filed by a run that died before saving the engine
    listed.add(article.id);
    if (sameReport) reports.add(sameReport);
    applyAssignment(snapshot, article, assignment, now);
    result.newArticles++;
    result.newBySource.set(article.sourceId, (result.newBySource.get(article.sourceId) ?? 0) + 1);
    if (assignment.created) result.created++;
    else touched.add(assignment.storyId);
    result.merged += assignment.merged.length;
  }
  result.updated = touched.size;

  if (result.newArticles > 0) {
    const stored = pruneSnapshot(snapshot, settings.maxStories, now);
    await writeStories(kv, stored);
    await publishFeeds(kv, await withCorrections(kv, stored), settings);
  }
  if (engineChanged) await saveClusterState(kv, clusterer.snapshot());
  return result;
}

/** Inbox articles not yet filed; `filed` keeps only ids still in the inbox (the rest expired). */
async function pendingInbox(kv: KVNamespace, filedBefore: string[]) {
  const waiting = await listInbox(kv);
  const filedSet = new Set(filedBefore);
  return { ids: waiting.filter((id) => !filedSet.has(id)), filed: waiting.filter((id) => filedSet.has(id)) };
}

/** Oldest first, ties by id: the engine is deterministic, so the same input gives the same stories. */
function inStreamOrder(articles: Article[]): Article[] {
  const at = (a: Article) => (a.published && a.published <= a.seenAt ? a.published : a.seenAt);
  return [...articles].sort((a, b) => at(a).localeCompare(at(b)) || a.id.localeCompare(b.id));
}

type Clustered = Awaited<ReturnType<typeof clusterNewArticles>>;

function runReport(sourcesDue: number, polls: SourcePoll[], clustered: Clustered, started: number): RunReport {
  return {
    skipped: null,
    sourcesDue,
    fetched: polls.filter((p) => p.result.status !== null && !p.result.error && !p.result.notModified).length,
    notModified: polls.filter((p) => p.result.notModified).length,
    errors: polls.filter((p) => p.result.error).map((p) => ({ source: p.source.url, error: p.result.error! })),
    newArticles: clustered.newArticles,
    pushedArticles: clustered.pushed,
    storiesCreated: clustered.created,
    storiesUpdated: clustered.updated,
    storiesMerged: clustered.merged,
    durationMs: Date.now() - started,
  };
}

/** Each polled source's record after its poll (schedule, validators, errors, backoff). */
function recordPolls(statuses: SourceStatuses, polls: SourcePoll[], newBySource: Map<string, number>, now: Date, intervalMinutes: number): SourceStatuses {
  for (const { source, result } of polls) {
    statuses[source.id] = afterPoll(statuses[source.id], { ...result, newItems: newBySource.get(source.id) ?? 0 }, now, intervalMinutes);
  }
  return statuses;
}

/** Records of removed sources go; paused ones keep theirs. */
function keepKnown(statuses: SourceStatuses, sources: Source[]): SourceStatuses {
  return Object.fromEntries(sources.flatMap((s) => (statuses[s.id] ? [[s.id, statuses[s.id]!]] : [])));
}

function summarise(report: RunReport, now: Date, trigger: string): RunSummary {
  return {
    at: now.toISOString(),
    trigger,
    outcome: report.errors.length > 0 ? 'errors' : 'ok',
    durationMs: report.durationMs,
    sourcesDue: report.sourcesDue,
    fetched: report.fetched,
    notModified: report.notModified,
    failed: report.errors.length,
    newArticles: report.newArticles,
    pushedArticles: report.pushedArticles,
    storiesCreated: report.storiesCreated,
    storiesUpdated: report.storiesUpdated,
    storiesMerged: report.storiesMerged,
  };
}

function skippedRun(reason: string, started: number): RunReport {
  return {
    skipped: reason, sourcesDue: 0, fetched: 0, notModified: 0, errors: [], newArticles: 0, pushedArticles: 0,
    storiesCreated: 0, storiesUpdated: 0, storiesMerged: 0, durationMs: Date.now() - started,
  };
}

function fetchPolicy(settings: Settings, fetchImpl: FetchLike): FetchPolicy {
  return {
    fetch: fetchImpl,
    timeoutMs: settings.fetchTimeoutMs,
    maxBytes: settings.maxFeedBytes,
    maxRedirects: 5,
    userAgent: USER_AGENT,
    refuseUrl: urlPolicy({ allowPrivate: settings.allowPrivateSources }),
  };
}

function defaultDeps(): RunDeps {
  return { fetch: (input, init) => fetch(input, init), now: () => new Date() };
}
