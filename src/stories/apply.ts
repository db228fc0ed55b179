// Keeps the displayable story records in step with the clustering engine's decisions.
// Idempotent per article: applying the same assignment twice changes nothing, which is what
// lets a run that died half-way be completed by the next one (see README, "Consistency").
import type { Assignment, Consolidation } from '../cluster';
import type { Article, StoryRecord, StorySource } from '../model';
import { forgetSize } from './bounds';
import { textFingerprint } from './fingerprint';
import type { StoryShelf } from './shelf';
import { compareText } from '../util/compare';

/**
 * Files one assignment into the records (in place): the target story is read from the shelf
 * (parsed, and marked to be written again), the stories merged into it leave the shelf.
 */
export function applyAssignment(shelf: StoryShelf, article: Article, assignment: Assignment, now: Date): void {
  const at = now.toISOString();
  let target = shelf.edit(assignment.storyId);
  if (!target) {
    target = newStory(assignment.storyId, article, at);
    shelf.add(target);
  }
  forgetSize(target);

  if (assignment.merged.length > 0) mergeInto(shelf, target, assignment.merged, at);

  const isNewSource = addSource(target, { ...sourceOf(article), ...(assignment.why ? { why: assignment.why } : {}), ...(assignment.shared ? { shared: assignment.shared } : {}) });
  if (assignment.lead || target.sources.length === 1) {
    if (target.title !== article.title || target.summary !== article.summary) target.updated = at;
    target.title = article.title;
    target.summary = article.summary;
  }
  if (isNewSource) target.updated = at;
}

/**
 * Files a consolidation (the engine folded stories into one after the run's articles): the
 * absorbed records' sources move to the survivor, their ids become its aliases. A survivor
 * without a record (never filed, or pruned) leaves the records as they are.
 */
export function applyConsolidation(shelf: StoryShelf, consolidation: Consolidation, now: Date): boolean {
  const target = shelf.edit(consolidation.survivor);
  if (!target) return false;
  forgetSize(target);
  // The report that started an absorbed story said "new story": say why it sits here now.
  consolidation.absorbed.forEach((id, i) => {
    const starter = shelf.read(id)?.sources.find((s) => !s.shared);
    if (starter) starter.why = `consolidated after the run: its story's reports link to this story's at ${consolidation.links[i]!.toFixed(2)} of the bar (average linkage)`;
  });
  mergeInto(shelf, target, consolidation.absorbed, now.toISOString());
  return true;
}

/** Moves the merged stories' sources into the target; their ids, and the aliases that led to them, now lead to it. */
function mergeInto(shelf: StoryShelf, target: StoryRecord, merged: readonly string[], at: string): void {
  for (const mergedId of merged) {
    const absorbed = shelf.read(mergedId);
    shelf.aliases[mergedId] = target.id;
    if (!absorbed || absorbed === target) continue;
    let joined = false;
    for (const source of absorbed.sources) joined = addSource(target, source) || joined;
    if (absorbed.firstSeen < target.firstSeen) target.firstSeen = absorbed.firstSeen;
    // The survivor changed for a reader only when a source joined it.
    if (joined) target.updated = at;
    shelf.remove(mergedId);
  }
  for (const [alias, id] of Object.entries(shelf.aliases)) {
    if (merged.includes(id)) shelf.aliases[alias] = target.id;
  }
}

function newStory(id: string, article: Article, at: string): StoryRecord {
  // A story's date is when its first article appeared: the publisher's date when it is
  // plausible (not after we saw it), else the moment we first saw it.
  const published = article.published && article.published <= article.seenAt ? article.published : article.seenAt;
  return { id, title: article.title, summary: article.summary, firstSeen: published, updated: at, sources: [] };
}

function sourceOf(article: Article): StorySource {
  return {
    articleId: article.id,
    sourceId: article.sourceId,
    outlet: article.outlet,
    title: article.title,
    url: article.url,
    published: article.published,
    seenAt: article.seenAt,
    summary: article.summary,
    fingerprint: textFingerprint(article.text),
  };
}

/** Adds a source unless the article is already listed; keeps sources oldest first. */
function addSource(story: StoryRecord, source: StorySource): boolean {
  if (story.sources.some((s) => s.articleId === source.articleId)) return false;
  story.sources.push(source);
  story.sources.sort((a, b) => compareText(a.published ?? a.seenAt, b.published ?? b.seenAt) || compareText(a.articleId, b.articleId));
  return true;
}
