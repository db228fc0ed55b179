// Keeps the displayable story records in step with the clustering engine's decisions.
// Idempotent per article: applying the same assignment twice changes nothing, which is what
// lets a run that died half-way be completed by the next one (see README, "Consistency").
import type { Assignment } from '../cluster';
import type { Article, StoriesSnapshot, StoryRecord, StorySource } from '../model';
import { forgetSize } from './bounds';
import { textFingerprint } from './fingerprint';
import { compareText } from '../util/compare';

/** The snapshot's stories by id: a run builds it once and hands it to every `applyAssignment`. */
export function indexStories(snapshot: StoriesSnapshot): Map<string, StoryRecord> {
  return new Map(snapshot.stories.map((s) => [s.id, s]));
}

/**
 * Files one assignment into the snapshot (in place). `index` is `indexStories(snapshot)`, kept in
 * step here; a run passes the same one for all its articles (building it costs a pass over every
 * story, about a millisecond per article at 5,000 stories).
 */
export function applyAssignment(snapshot: StoriesSnapshot, article: Article, assignment: Assignment, now: Date, index = indexStories(snapshot)): void {
  const at = now.toISOString();
  let target = index.get(assignment.storyId);
  if (!target) {
    target = newStory(assignment.storyId, article, at);
    index.set(target.id, target);
    snapshot.stories.push(target);
  }
  forgetSize(target);

  if (assignment.merged.length > 0) {
    const gone = new Set<string>();
    for (const mergedId of assignment.merged) {
      const absorbed = index.get(mergedId);
      snapshot.aliases[mergedId] = target.id;
      if (!absorbed || absorbed === target) continue;
      for (const source of absorbed.sources) addSource(target, source);
      if (absorbed.firstSeen < target.firstSeen) target.firstSeen = absorbed.firstSeen;
      target.updated = at;
      index.delete(mergedId);
      gone.add(mergedId);
    }
    if (gone.size > 0) snapshot.stories = snapshot.stories.filter((s) => !gone.has(s.id));
    // Aliases that pointed at a story which has now been absorbed point at its survivor.
    for (const [alias, id] of Object.entries(snapshot.aliases)) {
      if (assignment.merged.includes(id)) snapshot.aliases[alias] = target.id;
    }
  }

  const isNewSource = addSource(target, { ...sourceOf(article), ...(assignment.why ? { why: assignment.why } : {}) });
  if (assignment.lead || target.sources.length === 1) {
    if (target.title !== article.title || target.summary !== article.summary) target.updated = at;
    target.title = article.title;
    target.summary = article.summary;
  }
  if (isNewSource) target.updated = at;
}

/** Newest change first, at most `limit` stories; aliases to dropped stories go with them. */
export function pruneSnapshot(snapshot: StoriesSnapshot, limit: number, now: Date): StoriesSnapshot {
  const stories = [...snapshot.stories]
    .sort((a, b) => compareText(b.updated, a.updated) || compareText(b.firstSeen, a.firstSeen) || compareText(a.id, b.id))
    .slice(0, limit);
  const kept = new Set(stories.map((s) => s.id));
  const aliases = Object.fromEntries(Object.entries(snapshot.aliases).filter(([, id]) => kept.has(id)));
  return { version: 1, generated: now.toISOString(), stories, aliases };
}

/** Every article id already shown in some story. */
export function knownArticleIds(snapshot: StoriesSnapshot): Set<string> {
  return new Set(snapshot.stories.flatMap((s) => s.sources.map((src) => src.articleId)));
}

/**
 * Keys of the articles already listed, by canonical URL and headline. The same article often
 * reaches us twice under different ids: a publisher lists it in two of its feeds, or pushes it
 * and is polled too. Both URL and headline must agree: some feeds link every item to one page.
 */
export function listedReports(snapshot: StoriesSnapshot): Set<string> {
  return new Set(snapshot.stories.flatMap((s) => s.sources.flatMap((src) => (src.url ? [reportKey(src.url, src.title)] : []))));
}

export function reportKey(url: string, title: string): string {
  return `${url}\n${title.trim().toLowerCase()}`;
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
