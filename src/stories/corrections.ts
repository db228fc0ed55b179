// Editors' corrections, as an overlay on the story records the engine produces: split a source
// out of a story (into a new story, or into one named), merge two stories, pin a lead headline.
// The engine never sees them, so it cannot undo them; they are re-applied, in the order they
// were made, every time story records are read or published. Revoking one is removing it from
// the list. Ids stay stable: a story emptied or absorbed leaves an alias that redirects.
import type { StoriesSnapshot, StoryRecord, StorySource } from '../model';
import { stableHash } from '../util/hash';
import { compareNewestChange, isDated } from './facts';
import { reportTime } from './independence';
import { compareText } from '../util/compare';

interface CorrectionBase {
  id: string;
  /** When it was made (ISO 8601): the `updated` it gives the stories it changes. */
  at: string;
  /** Why, in the editor's words (optional). */
  note: string | null;
}

export interface SplitCorrection extends CorrectionBase {
  type: 'split';
  /** The story the source was taken from (as it was when the correction was made). */
  story: string;
  /** The source's article id. */
  article: string;
  /** The story it joins, or null for a story of its own. */
  into: string | null;
}

export interface MergeCorrection extends CorrectionBase {
  type: 'merge';
  /** The story that stays (its id survives). */
  story: string;
  /** The story merged into it (its id becomes an alias). */
  absorb: string;
}

export interface LeadCorrection extends CorrectionBase {
  type: 'lead';
  story: string;
  /** Lead with this source's headline and summary ... */
  article: string | null;
  /** ... or with this headline, as written by the editor. */
  title: string | null;
}

export type Correction = SplitCorrection | MergeCorrection | LeadCorrection;

export interface CorrectionsDoc {
  version: 1;
  corrections: Correction[];
}

/** Whether a correction still does something, and if not, why (its story was pruned, say). */
export interface CorrectionOutcome {
  id: string;
  active: boolean;
  reason: string | null;
}

/** Corrections kept at most (the whole list is one KV value read with the stories). */
export const MAX_CORRECTIONS = 1000;

export function emptyCorrections(): CorrectionsDoc {
  return { version: 1, corrections: [] };
}

/** The id a source split out on its own gets: the same every time the split is applied. */
export function splitStoryId(articleId: string): string {
  return stableHash(`split:${articleId}`);
}

/**
 * `taken`: ids in use beyond `snapshot`'s stories and aliases (when it holds only the stories the
 * corrections touch: stories/correctedShelf.ts), which a story split out must not take.
 */
export function applyCorrections(snapshot: StoriesSnapshot, corrections: readonly Correction[], taken: (id: string) => boolean = () => false): { snapshot: StoriesSnapshot; outcomes: CorrectionOutcome[] } {
  if (corrections.length === 0) return { snapshot, outcomes: [] };
  const state = new Working(snapshot, taken);
  const outcomes = corrections.map((correction) => {
    const reason = state.apply(correction);
    return { id: correction.id, active: reason === null, reason };
  });
  return { snapshot: state.result(), outcomes };
}

/** The corrected records, mutable copies: the input snapshot is never changed. */
class Working {
  private readonly stories: Map<string, StoryRecord>;
  private readonly aliases: Record<string, string>;
  private changed = false;

  constructor(private readonly base: StoriesSnapshot, private readonly taken: (id: string) => boolean) {
    this.stories = new Map(base.stories.map((s) => [s.id, { ...s, sources: [...s.sources] }]));
    this.aliases = { ...base.aliases };
  }

  /** Null when applied (or already true); else why it no longer applies. */
  apply(c: Correction): string | null {
    if (c.type === 'split') return this.split(c);
    if (c.type === 'merge') return this.merge(c);
    return this.lead(c);
  }

  result(): StoriesSnapshot {
    if (!this.changed) return this.base;
    const stories = [...this.stories.values()]
      .map((story) => ({ story, id: story.id, updated: story.updated, firstSeen: story.firstSeen, dated: isDated(story) }))
      .sort(compareNewestChange)
      .map((k) => k.story);
    return { ...this.base, stories, aliases: this.aliases };
  }

  /** The live story an id names, following aliases; null when none. */
  resolve(id: string): StoryRecord | null {
    const seen = new Set<string>();
    let current = id;
    while (!this.stories.has(current) && Object.hasOwn(this.aliases, current) && !seen.has(current)) {
      seen.add(current);
      current = this.aliases[current]!;
    }
    return this.stories.get(current) ?? null;
  }

  holderOf(articleId: string): StoryRecord | null {
    for (const story of this.stories.values()) if (story.sources.some((s) => s.articleId === articleId)) return story;
    return null;
  }

  private split(c: SplitCorrection): string | null {
    const holder = this.holderOf(c.article);
    if (!holder) return `article ${c.article} is no longer in any story`;
    const source = holder.sources.find((s) => s.articleId === c.article)!;
    let target: StoryRecord;
    if (c.into !== null) {
      const into = this.resolve(c.into);
      if (!into) return `story ${c.into} no longer exists`;
      if (into === holder) return null;
      target = into;
    } else {
      if (holder.sources.length === 1) return null; // already a story of its own
      target = this.newStory(source, c.at);
    }
    holder.sources = holder.sources.filter((s) => s !== source);
    addSource(target, source);
    touch(target, c.at);
    if (holder.sources.length === 0) {
      this.retire(holder, target);
    } else {
      if (holder.title === source.title) setLead(holder, holder.sources[0]!);
      touch(holder, c.at);
    }
    this.changed = true;
    return null;
  }

  private merge(c: MergeCorrection): string | null {
    const survivor = this.resolve(c.story);
    if (!survivor) return `story ${c.story} no longer exists`;
    const absorbed = this.resolve(c.absorb);
    if (!absorbed) return `story ${c.absorb} no longer exists`;
    if (absorbed === survivor) return null;
    for (const source of absorbed.sources) addSource(survivor, source);
    if (absorbed.firstSeen < survivor.firstSeen) survivor.firstSeen = absorbed.firstSeen;
    touch(survivor, absorbed.updated > c.at ? absorbed.updated : c.at);
    this.retire(absorbed, survivor);
    this.changed = true;
    return null;
  }

  private lead(c: LeadCorrection): string | null {
    const story = this.resolve(c.story);
    if (!story) return `story ${c.story} no longer exists`;
    let title = c.title ?? story.title;
    let summary = story.summary;
    if (c.article !== null) {
      const source = story.sources.find((s) => s.articleId === c.article);
      if (!source) return `article ${c.article} is no longer in story ${story.id}`;
      title = source.title;
      summary = source.summary ?? story.summary;
    }
    if (title !== story.title || summary !== story.summary) {
      story.title = title;
      story.summary = summary;
      touch(story, c.at);
      this.changed = true;
    }
    return null;
  }

  private newStory(source: StorySource, at: string): StoryRecord {
    let id = splitStoryId(source.articleId);
    for (let n = 1; this.stories.has(id) || Object.hasOwn(this.aliases, id) || this.taken(id); n++) id = splitStoryId(`${source.articleId}#${n}`);
    const story: StoryRecord = { id, title: source.title, summary: source.summary ?? '', firstSeen: reportTime(source), updated: at, sources: [] };
    this.stories.set(id, story);
    return story;
  }

  /** `gone` leaves; its id, and every alias that led to it, now lead to `into`. */
  private retire(gone: StoryRecord, into: StoryRecord): void {
    this.stories.delete(gone.id);
    this.aliases[gone.id] = into.id;
    for (const [alias, id] of Object.entries(this.aliases)) if (id === gone.id) this.aliases[alias] = into.id;
  }
}

function touch(story: StoryRecord, at: string): void {
  if (at > story.updated) story.updated = at;
}

function setLead(story: StoryRecord, source: StorySource): void {
  story.title = source.title;
  story.summary = source.summary ?? story.summary;
}

/** Keeps sources oldest first, as the engine's records do; an article is listed once. */
function addSource(story: StoryRecord, source: StorySource): void {
  if (story.sources.some((s) => s.articleId === source.articleId)) return;
  story.sources.push(source);
  story.sources.sort((a, b) => compareText(a.published ?? a.seenAt, b.published ?? b.seenAt) || compareText(a.articleId, b.articleId));
  const first = reportTime(story.sources[0]!);
  if (first < story.firstSeen) story.firstSeen = first;
}
