// The cron run, top to bottom: which sources are due -> poll them -> cluster the new
// articles -> store the state -> publish the feeds. KV writes per run: cluster state,
// stories, rendered feeds, source records (the first three only when something is new).
import { StoryClusterer } from './cluster';
import { loadClusterState, saveClusterState } from './cluster/store';
import { readSettings, type Settings } from './config';
import type { FetchLike, FetchPolicy } from './fetch/fetcher';
import type { Article } from './model';
import { publishFeeds } from './render/publish';
import { pollAll, pollSource, type SourcePoll } from './sources/poll';
import { mergeSources } from './sources/registry';
import { afterPoll, pickDue } from './sources/schedule';
import { applyAssignment, knownArticleIds, pruneSnapshot } from './stories/apply';
import { readSourceStatuses, writeSourceStatuses } from './store/sourceState';
import { readStories, writeStories } from './store/stories';

export interface RunDeps {
  fetch: FetchLike;
  now: () => Date;
}

export interface RunReport {
  sourcesDue: number;
  fetched: number;
  notModified: number;
  errors: { source: string; error: string }[];
  newArticles: number;
  storiesCreated: number;
  storiesUpdated: number;
  storiesMerged: number;
  durationMs: number;
}

export const USER_AGENT = 'storywire/0.1 (+https://github.com/storywire/storywire; feed aggregator)';

export async function runScheduled(env: Env, deps: RunDeps = defaultDeps()): Promise<RunReport> {
  const started = Date.now();
  const now = deps.now();
  const settings = readSettings(env);
  const kv = env.STATE;

  const statuses = await readSourceStatuses(kv);
  const sources = mergeSources(settings.sources);
  const due = pickDue(sources, statuses, now, settings.maxFetchesPerRun);
  const polls = await pollAll(due, (source) => pollSource(source, statuses[source.id], fetchPolicy(settings, deps.fetch), now));

  const clustered = await clusterNewArticles(kv, polls.flatMap((p) => p.articles), settings, now);
  for (const poll of polls) {
    statuses[poll.source.id] = afterPoll(statuses[poll.source.id], { ...poll.result, newItems: clustered.newBySource.get(poll.source.id) ?? 0 }, now, settings.pollIntervalMinutes);
  }
  if (polls.length > 0) await writeSourceStatuses(kv, statuses);

  return {
    sourcesDue: due.length,
    fetched: polls.filter((p) => p.result.status !== null && !p.result.error && !p.result.notModified).length,
    notModified: polls.filter((p) => p.result.notModified).length,
    errors: polls.filter((p) => p.result.error).map((p) => ({ source: p.source.url, error: p.result.error! })),
    newArticles: clustered.newArticles,
    storiesCreated: clustered.created,
    storiesUpdated: clustered.updated,
    storiesMerged: clustered.merged,
    durationMs: Date.now() - started,
  };
}

/**
 * Feeds each article to the clustering engine and the story records. The stories are written
 * before the engine's state: if the run dies in between, the next run polls the same items
 * again (source records are written last), the engine catches up on them, and the stories,
 * which already list them, are left as they are. Nothing is lost and nothing is listed twice.
 */
async function clusterNewArticles(kv: KVNamespace, articles: Article[], settings: Settings, now: Date) {
  const result = { newArticles: 0, created: 0, updated: 0, merged: 0, newBySource: new Map<string, number>() };
  if (articles.length === 0) return result;

  const clusterer = StoryClusterer.restore(await loadClusterState(kv));
  const snapshot = await readStories(kv);
  const listed = knownArticleIds(snapshot);
  const touched = new Set<string>();
  let engineChanged = false;
  for (const article of inStreamOrder(articles)) {
    const assignment = clusterer.add({ id: article.id, title: article.title, text: article.text, published: article.published, seenAt: article.seenAt });
    if (assignment.duplicate) continue;
    engineChanged = true;
    if (listed.has(article.id)) continue; // filed by a run that died before saving the engine
    listed.add(article.id);
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
    await publishFeeds(kv, stored, settings);
  }
  if (engineChanged) await saveClusterState(kv, clusterer.snapshot());
  return result;
}

/** Oldest first, ties by id: the engine is deterministic, so the same input gives the same stories. */
function inStreamOrder(articles: Article[]): Article[] {
  const at = (a: Article) => (a.published && a.published <= a.seenAt ? a.published : a.seenAt);
  return [...articles].sort((a, b) => at(a).localeCompare(at(b)) || a.id.localeCompare(b.id));
}

function fetchPolicy(settings: Settings, fetchImpl: FetchLike): FetchPolicy {
  return {
    fetch: fetchImpl,
    timeoutMs: settings.fetchTimeoutMs,
    maxBytes: settings.maxFeedBytes,
    maxRedirects: 5,
    userAgent: USER_AGENT,
  };
}

function defaultDeps(): RunDeps {
  return { fetch: (input, init) => fetch(input, init), now: () => new Date() };
}
