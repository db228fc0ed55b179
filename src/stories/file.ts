// One run's new articles through the clustering engine into the story records: the per-article
// loop of the scheduled run. Pure: it takes the engine and the records already loaded, changes
// them in place, and says what it did; the caller (scheduled.ts) loads and stores them.
import type { Assignment, ClusterInput, Consolidation } from '../cluster';
import type { Article, QuarantinedArticle } from '../model';
import { applyAssignment, applyConsolidation } from './apply';
import { reportHash } from './facts';
import type { StoryShelf } from './shelf';
import { compareText } from '../util/compare';

/** The part of the engine filing needs (StoryClusterer). */
export interface ArticleEngine {
  add(article: ClusterInput): Assignment;
  /** After the run's articles: stories that turned out to report one event, folded into one. */
  consolidate(): Consolidation[];
}

export interface Filing {
  /** Articles new to the story records this run. */
  newArticles: number;
  /** Pushed articles taken from the inbox (new or not). */
  pushed: number;
  created: number;
  updated: number;
  merged: number;
  newBySource: Map<string, number>;
  /** Pushed article ids filed: done with in the inbox. */
  filedInbox: string[];
  /** Pushed articles the engine refused. */
  quarantined: QuarantinedArticle[];
  /** Sources with new articles left for the next runs (MAX_ARTICLES_PER_RUN). */
  carriedSources: Set<string>;
  articlesCarried: number;
  /** Polled sources one of whose articles the engine refused, and why. */
  failedSources: Map<string, string>;
  /** The engine took something new: its state must be saved. */
  engineChanged: boolean;
}

export function emptyFiling(): Filing {
  return {
    newArticles: 0, pushed: 0, created: 0, updated: 0, merged: 0, newBySource: new Map(), filedInbox: [], quarantined: [],
    carriedSources: new Set(), articlesCarried: 0, failedSources: new Map(), engineChanged: false,
  };
}

/**
 * Feeds each article, oldest first, to the engine and files its decision in the story records.
 * Idempotent per article: an article the records already list (a run died before saving the
 * engine) only brings the engine up to date. At most `maxArticles` new articles are filed; the
 * sources of the others are read again next run, the pushed ones stay waiting in the inbox.
 */
export function fileArticles(engine: ArticleEngine, shelf: StoryShelf, polled: Article[], pushed: Article[], maxArticles: number, now: Date): Filing {
  const result = emptyFiling();
  const pushedIds = new Set(pushed.map((a) => a.id));
  // What the stories already list, of what came in (a lookup of a few ids, not a set of every id listed).
  const incoming = [...polled, ...pushed];
  const listed = shelf.listedAmong(incoming.map((a) => a.id));
  const reports = shelf.reportsAmong(incoming.flatMap((a) => (a.url ? [reportHash(a.url, a.title)] : [])));
  const touched = new Set<string>();
  const created = new Set<string>();
  for (const article of inStreamOrder([...polled, ...pushed])) {
    const isPushed = pushedIds.has(article.id);
    if (!listed.has(article.id) && result.newArticles >= maxArticles) {
      result.articlesCarried++;
      if (!isPushed) result.carriedSources.add(article.sourceId);
      continue; // a pushed one stays waiting in the inbox
    }
    if (isPushed) result.filedInbox.push(article.id);
    const sameReport = article.url ? reportHash(article.url, article.title) : null;
    if (sameReport && reports.has(sameReport) && !listed.has(article.id)) continue; // the same report under another id
    let assignment: Assignment;
    try {
      assignment = engine.add({ id: article.id, title: article.title, text: article.text, published: article.published, seenAt: article.seenAt });
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
    result.engineChanged = true;
    if (listed.has(article.id)) continue; // filed by a run that died before saving the engine
    listed.add(article.id);
    if (sameReport) reports.add(sameReport);
    applyAssignment(shelf, article, assignment, now);
    result.newArticles++;
    result.newBySource.set(article.sourceId, (result.newBySource.get(article.sourceId) ?? 0) + 1);
    if (assignment.created) created.add(assignment.storyId);
    else touched.add(assignment.storyId);
    result.merged += assignment.merged.length;
  }
  // Online assignment saw each article once, in arrival order; consolidation corrects it.
  if (result.engineChanged) {
    for (const consolidation of engine.consolidate()) {
      const { survivor, absorbed } = consolidation;
      if (!applyConsolidation(shelf, consolidation, now)) continue;
      if (!created.has(survivor)) touched.add(survivor);
      result.merged += absorbed.length;
      for (const id of absorbed) touched.delete(id);
    }
  }
  result.created = created.size;
  result.updated = touched.size;
  result.pushed = result.filedInbox.length;
  return result;
}

/** Oldest first, ties by id: the engine is deterministic, so the same input gives the same stories. */
function inStreamOrder(articles: Article[]): Article[] {
  const at = (a: Article) => (a.published && a.published <= a.seenAt ? a.published : a.seenAt);
  return [...articles].sort((a, b) => compareText(at(a), at(b)) || compareText(a.id, b.id));
}
