// Keeps the displayable story records in step with the clustering engine's decisions.
// Idempotent per article: applying the same assignment twice changes nothing, which is what
// lets a run that died half-way be completed by the next one (see README, "Consistency").
import type { Assignment } from '../cluster';
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

  if (assignment.merged.length > 0) {
    for (const mergedId of assignment.merged) {
      const absorbed = shelf.read(mergedId);
      shelf.aliases[mergedId] = target.id;
      if (!absorbed || absorbed === target) continue;
      for (const source of absorbed.sources) addSource(target, source);
      if (absorbed.firstSeen < target.firstSeen) target.firstSeen = absorbed.firstSeen;
      target.updated = at;
      shelf.remove(mergedId);
    }
    // Aliases that pointed at a story which has now been absorbed point at its survivor.
    for (const [alias, id] of Object.entries(shelf.aliases)) {
      if (assignment.merged.includes(id)) shelf.aliases[alias] = target.id;
    }
  }

  const isNewSource = addSource(target, { ...sourceOf(article), ...(assignment.why ? { why: assignment.why } : {}), ...(assignment.shared ? { shared: assignment.shared } : {}) });
  if (assignment.lead || target.sources.length === 1) {
    if (target.title !== article.title || target.summary !== article.summary) target.updated = at;
    target.title = article.title;
    target.summary = article.summary;
  }
  if (isNewSource) target.updated = at;
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
