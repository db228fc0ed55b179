// The cron run, top to bottom: take the lease -> which sources are due -> poll them -> add the
// pushed articles waiting in the inbox -> cluster the new articles into the story records ->
// store the state -> publish the feeds -> release the lease. The only module that wires KV,
// env and the pipeline's stages; every stage is a pure module. The KV writes of a run, in order,
// are RUN_WRITES (src/store/keys.ts); every write is retried on KV's 429.
import { StoryClusterer } from './cluster';
import { loadClusterState, saveClusterState } from './store/clusterState';
import { readSettings, type Settings } from './config';
import type { FetchLike, FetchPolicy } from './fetch/fetcher';
import { urlPolicy } from './fetch/urlPolicy';
import { summariseRun, type Article, type RunReport } from './model';
import { noCuts } from './normalise';
import { fitBundle } from './render/publish';
import { utf8Bytes } from './stories/bounds';
import type { StoredBundle } from './render/storedBundle';
import { runReport, skippedRun, type RunOutcome } from './runReport';
import { backlogLimit, fitBacklog, pollsOverdue, rememberDrops } from './sources/backlog';
import { pollAll, pollSource, type ParseBudget } from './sources/poll';
import { afterDeath, chooseWork, deadRun, fileCulprit, planWork, recordCulprit } from './sources/progress';
import { activeSources } from './sources/registry';
import { keepKnown, recordPolls } from './sources/schedule';
import { emptyFiling, fileArticles } from './stories/file';
import { readAdminSources } from './store/adminSources';
import { readPages } from './store/corrections';
import { pendingInbox, settleInbox, writeBatch } from './store/inbox';
import { acquireLease, LEASE_SECONDS, readLease, releaseLease, stillHeld, type Lease } from './store/lease';
import { readRendered, writeRendered } from './store/rendered';
import { DEFAULT_RETRY, retryingKv } from './store/retry';
import { readSourceState, writeSourceState } from './store/sourceState';
import { readStoryShelf, writeStories } from './store/stories';

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

export const USER_AGENT = 'storywire/0.1 (+https://github.com/storywire/storywire; feed aggregator)';

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
  const turn = runTurn(settings, inbox.articles.length, plan.take !== null || (deps.pollEverything ?? false), () => pollsOverdue(sources, state.statuses, now));
  const work = chooseWork(plan, turn.polls ? sources : [], state.statuses, inbox.articles, now, { maxFetches: settings.maxFetchesPerRun, everything: deps.pollEverything ?? false });

  const claim = await acquireLease(kv, runId, trigger, now, LEASE_SECONDS, { work: work.units, suspects: plan.suspects, afterDeath: afterDeath(plan) });
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
    const backlog = { waiting: inbox.articles, waitingIds: waitingIds(inbox.batches.read), dropped: new Set(state.backlogDrops), limit: backlogLimit(settings.maxArticlesPerRun) };
    const outcome = turn.files
      ? { ...(await clusterNewArticles(kv, polled.flatMap((p) => p.articles), work.articles, settings, now)), evicted: [], refused: [] }
      : await queuePolledArticles(kv, polled.flatMap((p) => p.articles), backlog, now, settings.maxPushBytes);
    const { filing } = outcome;
    for (const q of filing.quarantined) quarantine.push(q);
    // Waiting articles evicted from a full backlog are done with, as filed ones are: never filed.
    for (const id of [...filing.filedInbox, ...filing.quarantined.map((q) => q.id), ...outcome.evicted]) done.add(id);
    const drops = [...outcome.evicted, ...outcome.refused];

    const report = runReport(work.sources.length, polls, outcome, started, {
      ...counters, bytesParsed: budget.spent, sourcesCarried: polls.length - polled.length, backlogDropped: drops.length,
    }, { careful: plan.take !== null, repeat: plan.repeat, culprit: plan.culprit, suspects: plan.suspects.length, deadRun: dead?.owner ?? null });
    // Last write: until it lands, the sources stay due and the inbox articles unfiled, so a
    // run that dies before it is repeated by the next one (if killed twice, halved: see progress.ts).
    const statuses = recordPolls(keepKnown(state.statuses, sources), polled, filing, now, settings.pollIntervalMinutes);
    if (plan.culprit) recordCulprit(statuses, plan.culprit, dead!, now, settings.pollIntervalMinutes);
    await writeSourceState(kv, {
      statuses,
      lastRun: summariseRun(report, now, trigger),
      lastRunId: runId,
      ...settleInbox(inbox.batches, state.inboxFiled, done),
      suspects: plan.suspects,
      quarantine,
      backlogDrops: rememberDrops(state.backlogDrops, drops),
    });
    return report;
  } finally {
    await releaseLease(kv, runId).catch((err: unknown) => {
      console.error(JSON.stringify({ event: 'lease-release-failed', error: String(err) }));
    });
  }
}

/**
 * What this run does. Ordinarily both: poll the due sources and file what is new. With SPLIT_RUNS
 * the runs take turns, so that each invocation does half the work (docs/deploy.md, "Free plan"):
 * while articles wait in the inbox a run files them and polls nothing, unless the polls are
 * overdue (sources/backlog.ts: about once an hour, so a backlog never starves them); otherwise it
 * polls and queues what is new for the next runs. A careful run (a run died: sources/progress.ts)
 * and the admin's "poll everything" do all the work they were given, as without SPLIT_RUNS.
 */
function runTurn(settings: Settings, waiting: number, whole: boolean, overdue: () => boolean): { polls: boolean; files: boolean } {
  if (!settings.splitRuns || whole) return { polls: true, files: true };
  return waiting > 0 && !overdue() ? { polls: false, files: true } : { polls: true, files: false };
}

/** The inbox as a polling turn sees it: what waits (pending, and every id in the batches read), what was dropped before, the bound. */
interface Backlog {
  waiting: Article[];
  waitingIds: ReadonlySet<string>;
  dropped: ReadonlySet<string>;
  limit: number;
}

/**
 * A polling turn (SPLIT_RUNS): the articles the polls found that no story lists yet go to the
 * inbox as one batch (POLLING_RUN_WRITES), and are filed by the next runs as pushed articles are;
 * the engine and the records are not loaded (only the records' index is read, to leave out what
 * is filed already). The backlog is bounded (sources/backlog.ts): past the bound each source's
 * oldest are left out, waiting or fresh, counted and remembered (never queued again). A batch is
 * never larger than a push request may be (MAX_PUSH_BYTES): the sources of the articles past it
 * stay due and are read again by the next polling turn. Until the batch is written the sources
 * stay due, so a run that dies first loses nothing.
 */
async function queuePolledArticles(kv: KVNamespace, polled: Article[], backlog: Backlog, now: Date, maxBatchBytes: number): Promise<RunOutcome & { evicted: string[]; refused: string[] }> {
  const filing = emptyFiling();
  if (polled.length === 0) return { filing, stories: null, publish: null, evicted: [], refused: [] };
  const listed = (await readStoryShelf(kv)).listedAmong(polled.map((a) => a.id));
  const known = (a: Article) => listed.has(a.id) || backlog.waitingIds.has(a.id) || backlog.dropped.has(a.id);
  const fresh = [...new Map(polled.filter((a) => !known(a)).map((a) => [a.id, a])).values()];
  const fit = fitBacklog(backlog.waiting, fresh, backlog.limit);
  const batch: Article[] = [];
  let bytes = 0;
  for (const article of fit.queued) {
    const size = utf8Bytes(JSON.stringify(article)) + 1;
    if (batch.length > 0 && bytes + size > maxBatchBytes) {
      filing.carriedSources.add(article.sourceId);
      continue;
    }
    batch.push(article);
    bytes += size;
    filing.newBySource.set(article.sourceId, (filing.newBySource.get(article.sourceId) ?? 0) + 1);
  }
  await writeBatch(kv, batch, now);
  filing.articlesCarried = fit.queued.length;
  return { filing, stories: null, publish: null, evicted: fit.evicted, refused: fit.refused };
}

/** Ids of the articles in the inbox batches the run read (pendingInbox): a polling turn queues none of them again. */
function waitingIds(batches: readonly { articles: Article[] }[]): Set<string> {
  return new Set(batches.flatMap((b) => b.articles.map((a) => a.id)));
}

function heldBy(holder: Lease): string {
  return `another run (${holder.trigger}, started ${holder.acquired}) holds the lease until ${holder.expires}`;
}

/**
 * Loads the engine and the story records, files the new articles (stories/file.ts), and stores
 * what changed. The stories are written before the engine's state: if the run dies in between,
 * the next run polls the same items again (source records are written last), the engine catches
 * up on them, and the stories, which already list them, are left as they are. Nothing is lost and
 * nothing is listed twice. Pushed articles follow the same path: they stay in the inbox, unfiled,
 * until the source records (which list the filed ones) are written.
 */
export async function clusterNewArticles(kv: KVNamespace, polled: Article[], pushed: Article[], settings: Settings, now: Date): Promise<RunOutcome> {
  if (polled.length === 0 && pushed.length === 0) return { filing: emptyFiling(), stories: null, publish: null };
  const clusterer = StoryClusterer.restore(await loadClusterState(kv));
  const shelf = await readStoryShelf(kv);
  const filing = fileArticles(clusterer, shelf, polled, pushed, settings.maxArticlesPerRun, now);
  const outcome: RunOutcome = { filing, stories: null, publish: null };
  if (filing.newArticles > 0) {
    const sealed = shelf.seal(settings.maxStories, now);
    outcome.stories = sealed.cuts;
    await writeStories(kv, sealed.bytes);
    // The last bundle's pieces of stories unchanged since are copied, not rendered again (render/publish.ts).
    const [pages, previous] = await Promise.all([readPages(kv, shelf), previousBundle(kv)]);
    const published = await fitBundle(pages, settings, { previous });
    await writeRendered(kv, published.bytes);
    outcome.publish = published.report;
  }
  if (filing.engineChanged) await saveClusterState(kv, clusterer.snapshot());
  return outcome;
}

/** The bundle the last run wrote, or null (logged) when KV cannot give it now: it only spares rendering, so it never fails the run. */
async function previousBundle(kv: KVNamespace): Promise<StoredBundle | null> {
  try {
    return await readRendered(kv);
  } catch (err) {
    console.error(JSON.stringify({ event: 'rendered-read-failed', error: String(err) }));
    return null;
  }
}

export function fetchPolicy(settings: Settings, fetchImpl: FetchLike): FetchPolicy {
  return {
    fetch: fetchImpl,
    timeoutMs: settings.fetchTimeoutMs,
    maxBytes: settings.maxFeedBytes,
    maxRedirects: 5,
    userAgent: USER_AGENT,
    refuseUrl: urlPolicy({ allowPrivate: settings.allowPrivateSources }),
  };
}

export function defaultDeps(): RunDeps {
  return { fetch: (input, init) => fetch(input, init), now: () => new Date() };
}
