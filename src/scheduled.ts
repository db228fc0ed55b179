// The cron run, top to bottom: take the lease -> which sources are due -> poll them -> add the
// pushed articles waiting in the inbox -> cluster the new articles -> store the state ->
// publish the feeds -> release the lease. KV writes per run, at most six: lease (naming the work
// taken, so a run killed by the platform is found by the next: src/sources/progress.ts), stories,
// rendered feeds, cluster state (those three only when something is new), source records
// with the run summary, lease release. Every write is retried on KV's 429.
import { StoryClusterer, type Assignment } from './cluster';
import { loadClusterState, saveClusterState } from './store/clusterState';
import { readSettings, type Settings } from './config';
import type { FetchLike, FetchPolicy } from './fetch/fetcher';
import { urlPolicy } from './fetch/urlPolicy';
import type { Article, Source } from './model';
import { noCuts } from './normalise';
import { publishFeeds, type PublishReport } from './render/publish';
import { pollAll, pollSource, type ParseBudget, type SourcePoll } from './sources/poll';
import { articleUnit, deadRun, planWork, sourceUnit, unitKind, type DeadRun, type WorkPlan, type WorkUnit } from './sources/progress';
import { activeSources } from './sources/registry';
import { afterPoll, MAX_BACKOFF_MINUTES, pickDue, type SourceStatuses } from './sources/schedule';
import { applyAssignment, knownArticleIds, listedReports, pruneSnapshot, reportKey } from './stories/apply';
import { boundSnapshot, type StoryCuts } from './stories/bounds';
import { readAdminSources } from './store/adminSources';
import { pendingInbox, settleInbox } from './store/inbox';
import { acquireLease, LEASE_SECONDS, readLease, releaseLease, stillHeld, type Lease } from './store/lease';
import { DEFAULT_RETRY, retryingKv } from './store/retry';
import { withCorrections } from './store/corrections';
import { readSourceState, writeSourceState, type QuarantinedArticle, type RunSummary } from './store/sourceState';
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
  /** Which bounds fired this run, and how often (README, "Bounds"). */
  bounds: {
    /** Items beyond MAX_ITEMS_PER_FEED left out (oldest first). */
    itemsDropped: number;
    titlesCut: number;
    summariesCut: number;
    textsCut: number;
    /** Feed bytes parsed, and sources left for the next run by MAX_PARSE_BYTES_PER_RUN. */
    bytesParsed: number;
    sourcesCarried: number;
    /** New articles left for the next runs by MAX_ARTICLES_PER_RUN. */
    articlesCarried: number;
    /** Story records cut down to MAX_STORY_RECORD_BYTES, sources left out of them, stories left out to fit one KV value. */
    storiesCut: number;
    sourcesDropped: number;
    storiesDropped: number;
    /** Size of the pre-rendered bundle written (null: nothing new), and re-renders needed to fit it. */
    bundleBytes: number | null;
    bundleFitSteps: number;
  };
  /** The progress guarantee at work (src/sources/progress.ts). */
  progress: {
    /** Owner of a run found dead (killed without finishing), or null. */
    deadRun: string | null;
    /** This run took only suspects of killing a run. */
    careful: boolean;
    /** The unit found to kill runs, now backed off or quarantined, or null. */
    culprit: string | null;
    /** Units still suspected after this run. */
    suspects: number;
    /** Pushed articles quarantined this run. */
    quarantined: number;
  };
  /** Wall time; CPU time is recorded per invocation by Workers Observability (a Worker cannot read it). */
  durationMs: number;
}

export const USER_AGENT = 'storywire/0.1 (+https://github.com/storywire/storywire; feed aggregator)';

/** First wait of a source found to kill runs (then doubling, up to a day). */
export const KILLER_BACKOFF_SECONDS = 6 * 60 * 60;

/** Pushed articles filed per run at most; the rest wait for the next run. */
export const MAX_PUSHED_PER_RUN = 500;

export async function runScheduled(env: Env, deps: RunDeps = defaultDeps()): Promise<RunReport> {
  const started = Date.now();
  const now = deps.now();
  const settings = readSettings(env);
  const kv = retryingKv(env.STATE, { ...DEFAULT_RETRY, sleep: deps.sleep ?? DEFAULT_RETRY.sleep });
  const runId = crypto.randomUUID();
  const trigger = deps.trigger ?? 'cron';

  const previous = await readLease(kv);
  if (previous && Date.parse(previous.expires) > now.getTime()) return skippedRun(heldBy(previous), started);
  const state = await readSourceState(kv);
  const sources = activeSources(settings.sources, await readAdminSources(kv));
  const dead = deadRun(previous, state.lastRunId, now);
  const plan = planWork(dead, state.suspects);
  const inbox = await pendingInbox(kv, state);
  const work = chooseWork(plan, sources, state.statuses, inbox.articles, settings, now, deps.pollEverything ?? false);

  const claim = await acquireLease(kv, runId, trigger, now, LEASE_SECONDS, { work: work.units, suspects: plan.suspects });
  if (!claim.held) return skippedRun(heldBy(claim.holder), started);
  try {
    const counters = noCuts();
    const budget: ParseBudget = { maxBytes: settings.maxParseBytesPerRun, spent: 0 };
    const policy = fetchPolicy(settings, deps.fetch);
    const polls = await pollAll(work.sources, (source) =>
      pollSource(source, state.statuses[source.id], policy, now, { budget, maxItems: settings.maxItemsPerFeed, counters }));

    if (!(await stillHeld(kv, runId))) return skippedRun('another run took the lease before this one wrote anything', started);
    const quarantine = [...state.quarantine];
    const done = new Set(state.inboxDone);
    if (plan.culprit) fileCulprit(plan.culprit, inbox.articles, quarantine, done, now);
    const polled = polls.filter((p) => !p.carried);
    const clustered = await clusterNewArticles(kv, polled.flatMap((p) => p.articles), work.articles, settings, now);
    for (const q of clustered.quarantined) quarantine.push(q);
    for (const id of [...clustered.filedInbox, ...clustered.quarantined.map((q) => q.id)]) done.add(id);

    const report = runReport(work.sources.length, polls, clustered, started, {
      ...counters, bytesParsed: budget.spent, sourcesCarried: polls.length - polled.length,
    }, { careful: plan.take !== null, culprit: plan.culprit, suspects: plan.suspects.length, deadRun: dead?.owner ?? null });
    // Last write: until it lands, the sources stay due and the inbox articles unfiled, so a
    // run that dies before it is repeated by the next one (or, if killed, halved: see progress.ts).
    const statuses = recordPolls(keepKnown(state.statuses, sources), polled, clustered, now, settings.pollIntervalMinutes);
    if (plan.culprit) recordCulprit(statuses, plan.culprit, dead!, now, settings.pollIntervalMinutes);
    await writeSourceState(kv, {
      statuses,
      lastRun: summarise(report, now, trigger),
      lastRunId: runId,
      ...settleInbox(inbox.batches, state.inboxFiled, done),
      suspects: plan.suspects,
      quarantine,
    });
    return report;
  } finally {
    await releaseLease(kv, runId).catch((err: unknown) => {
      console.error(JSON.stringify({ event: 'lease-release-failed', error: String(err) }));
    });
  }
}

function heldBy(holder: Lease): string {
  return `another run (${holder.trigger}, started ${holder.acquired}) holds the lease until ${holder.expires}`;
}

interface ChosenWork {
  sources: Source[];
  articles: Article[];
  units: WorkUnit[];
}

/** The usual work (sources due, waiting pushed articles), or only the units the plan takes after a run died. */
function chooseWork(plan: WorkPlan, sources: Source[], statuses: SourceStatuses, waiting: Article[], settings: Settings, now: Date, everything: boolean): ChosenWork {
  let chosenSources: Source[];
  let articles: Article[];
  if (plan.take) {
    const taken = new Set(plan.take);
    chosenSources = sources.filter((s) => !s.paused && taken.has(sourceUnit(s.id)));
    articles = waiting.filter((a) => taken.has(articleUnit(a.id)));
  } else {
    // The culprit just found is recorded by this run, so it must not be part of its work.
    const spared = (unit: WorkUnit) => unit !== plan.culprit;
    chosenSources = pickDue(sources.filter((s) => spared(sourceUnit(s.id))), everything ? {} : statuses, now, settings.maxFetchesPerRun);
    articles = waiting.filter((a) => spared(articleUnit(a.id))).slice(0, MAX_PUSHED_PER_RUN);
  }
  return { sources: chosenSources, articles, units: [...chosenSources.map((s) => sourceUnit(s.id)), ...articles.map((a) => articleUnit(a.id))] };
}

/** The unit a dead run took alone killed it: a pushed article is quarantined (a source is recorded below). */
function fileCulprit(culprit: WorkUnit, waiting: Article[], quarantine: QuarantinedArticle[], done: Set<string>, now: Date): void {
  const unit = unitKind(culprit);
  if (unit?.kind !== 'article') return;
  const article = waiting.find((a) => a.id === unit.id);
  quarantine.push({
    id: unit.id, sourceId: article?.sourceId ?? null, title: article?.title.slice(0, 200) ?? null,
    reason: 'run: a run died while filing this article alone (time or memory limit)', at: now.toISOString(),
  });
  done.add(unit.id);
}

function recordCulprit(statuses: SourceStatuses, culprit: WorkUnit, dead: DeadRun, now: Date, intervalMinutes: number): void {
  const unit = unitKind(culprit);
  if (unit?.kind !== 'source') return;
  const error = `run: the run started ${dead.acquired} died while processing this source alone (time or memory limit); backed off`;
  // Each retry of a source that kills runs costs a few careful runs, so it waits far longer than an ordinary failure.
  const waitSeconds = Math.min(KILLER_BACKOFF_SECONDS * 2 ** (statuses[unit.id]?.failures ?? 0), MAX_BACKOFF_MINUTES * 60);
  statuses[unit.id] = afterPoll(statuses[unit.id], { status: null, error, retryAfterSeconds: waitSeconds }, now, intervalMinutes);
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
 * records (which list the filed ones) are written. At most MAX_ARTICLES_PER_RUN new articles
 * are filed; the sources of the others are read again next run, the pushed ones stay waiting.
 */
async function clusterNewArticles(kv: KVNamespace, polled: Article[], pushed: Article[], settings: Settings, now: Date) {
  const result = {
    newArticles: 0, pushed: 0, created: 0, updated: 0, merged: 0,
    newBySource: new Map<string, number>(), filedInbox: [] as string[], quarantined: [] as QuarantinedArticle[],
    carriedSources: new Set<string>(), articlesCarried: 0, failedSources: new Map<string, string>(),
    stories: null as StoryCuts | null, publish: null as PublishReport | null,
  };
  const articles = [...polled, ...pushed];
  if (articles.length === 0) return result;
  const pushedIds = new Set(pushed.map((a) => a.id));

  const clusterer = StoryClusterer.restore(await loadClusterState(kv));
  const snapshot = await readStories(kv);
  const listed = knownArticleIds(snapshot);
  const reports = listedReports(snapshot);
  const touched = new Set<string>();
  let engineChanged = false;
  for (const article of inStreamOrder(articles)) {
    const isPushed = pushedIds.has(article.id);
    if (!listed.has(article.id) && result.newArticles >= settings.maxArticlesPerRun) {
      result.articlesCarried++;
      if (!isPushed) result.carriedSources.add(article.sourceId);
      continue; // a pushed one stays waiting in the inbox
    }
    if (isPushed) result.filedInbox.push(article.id);
    const sameReport = article.url ? reportKey(article.url, article.title) : null;
    if (sameReport && reports.has(sameReport) && !listed.has(article.id)) continue; // the same report under another id
    let assignment: Assignment;
    try {
      assignment = clusterer.add({ id: article.id, title: article.title, text: article.text, published: article.published, seenAt: article.seenAt });
    } catch (err) {
      // One article the engine cannot take never stops the others.
      const reason = `cluster: ${(err as Error).message || String(err)}`;
      if (isPushed) {
        result.filedInbox.pop();
        result.quarantined.push({ id: article.id, sourceId: article.sourceId, title: article.title.slice(0, 200), reason, at: now.toISOString() });
      } else result.failedSources.set(article.sourceId, reason);
      continue;
    }
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
  result.pushed = result.filedInbox.length;

  if (result.newArticles > 0) {
    const bounded = boundSnapshot(pruneSnapshot(snapshot, settings.maxStories, now));
    result.stories = bounded.cuts;
    await writeStories(kv, bounded.snapshot);
    result.publish = await publishFeeds(kv, await withCorrections(kv, bounded.snapshot), settings);
  }
  if (engineChanged) await saveClusterState(kv, clusterer.snapshot());
  return result;
}

/** Oldest first, ties by id: the engine is deterministic, so the same input gives the same stories. */
function inStreamOrder(articles: Article[]): Article[] {
  const at = (a: Article) => (a.published && a.published <= a.seenAt ? a.published : a.seenAt);
  return [...articles].sort((a, b) => at(a).localeCompare(at(b)) || a.id.localeCompare(b.id));
}

type Clustered = Awaited<ReturnType<typeof clusterNewArticles>>;

type RunBounds = RunReport['bounds'];

function runReport(
  sourcesDue: number, polls: SourcePoll[], clustered: Clustered, started: number,
  parsing: Omit<RunBounds, 'articlesCarried' | 'storiesCut' | 'sourcesDropped' | 'storiesDropped' | 'bundleBytes' | 'bundleFitSteps'>,
  progress: Omit<RunReport['progress'], 'quarantined'>,
): RunReport {
  const errors = polls.filter((p) => p.result.error).map((p) => ({ source: p.source.url, error: p.result.error! }));
  for (const [id, error] of clustered.failedSources) {
    const poll = polls.find((p) => p.source.id === id);
    if (poll) errors.push({ source: poll.source.url, error });
  }
  return {
    skipped: null,
    sourcesDue,
    fetched: polls.filter((p) => p.result.status !== null && !p.result.error && !p.result.notModified && !p.carried).length,
    notModified: polls.filter((p) => p.result.notModified).length,
    errors,
    newArticles: clustered.newArticles,
    pushedArticles: clustered.pushed,
    storiesCreated: clustered.created,
    storiesUpdated: clustered.updated,
    storiesMerged: clustered.merged,
    bounds: {
      ...parsing,
      articlesCarried: clustered.articlesCarried,
      storiesCut: clustered.stories?.storiesCut ?? 0,
      sourcesDropped: clustered.stories?.sourcesDropped ?? 0,
      storiesDropped: clustered.stories?.storiesDropped ?? 0,
      bundleBytes: clustered.publish?.bundleBytes ?? null,
      bundleFitSteps: clustered.publish?.fitSteps ?? 0,
    },
    progress: { ...progress, quarantined: clustered.quarantined.length + (progress.culprit?.startsWith('article:') ? 1 : 0) },
    durationMs: Date.now() - started,
  };
}

/** Each polled source's record after its poll (schedule, validators, errors, backoff, carry-over). */
function recordPolls(statuses: SourceStatuses, polls: SourcePoll[], clustered: Clustered, now: Date, intervalMinutes: number): SourceStatuses {
  for (const { source, result } of polls) {
    const failed = clustered.failedSources.get(source.id);
    const carryOver = clustered.carriedSources.has(source.id);
    const notice = carryOver ? [result.notice, 'more new articles than fit one run (MAX_ARTICLES_PER_RUN): the rest follow in the next runs'].filter(Boolean).join('; ') : result.notice;
    const outcome = failed ? { status: result.status, error: failed } : { ...result, carryOver, notice, newItems: clustered.newBySource.get(source.id) ?? 0 };
    statuses[source.id] = afterPoll(statuses[source.id], outcome, now, intervalMinutes);
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
    storiesCreated: 0, storiesUpdated: 0, storiesMerged: 0,
    bounds: {
      itemsDropped: 0, titlesCut: 0, summariesCut: 0, textsCut: 0, bytesParsed: 0, sourcesCarried: 0, articlesCarried: 0,
      storiesCut: 0, sourcesDropped: 0, storiesDropped: 0, bundleBytes: null, bundleFitSteps: 0,
    },
    progress: { deadRun: null, careful: false, culprit: null, suspects: 0, quarantined: 0 },
    durationMs: Date.now() - started,
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
