// What a run needs to know of every story without reading its record: when it changed, how it
// ranks, which articles and reports it lists. The stored stories value keeps these beside the
// records (stories/storedStories.ts), so a run reads only the records it changes or shows.
import type { StoryRecord, StorySource } from '../model';
import { articleKey } from '../cluster/keys';
import { independence, reportTime } from './independence';
import { compareText } from '../util/compare';

/** How old an undated report counts as when first seen, for ordering (a day: the "top" formula's unit, rank.ts). */
export const UNDATED_AGE_MS = 24 * 3_600_000;

export interface StoryFacts {
  id: string;
  updated: string;
  firstSeen: string;
  /** rankTime(story): what the "top" order decays from (NaN when that is no time). */
  latestMs: number;
  /** The source id of the story's lead article (leadSource): whose story it is, for the fair share of pages and storage. */
  lead: string;
  /** Some report carries its publisher's date (isDated): an undated story never outranks a dated one only for being undated. */
  dated: boolean;
  sources: number;
  /** Distinct outlet names: the cheap upper bound on independent outlets. */
  outlets: number;
  /** independence(story.sources).independent. */
  independent: number;
}

/** What a story lists, per source in order: its article id, and its report (reportHash; 0 without a URL). */
export interface StoryListing {
  articles: string[];
  reports: number[];
}

/** When the story was last reported (its first-seen time when it lists no source). */
export function latestReport(story: StoryRecord): string {
  return story.sources.reduce((latest, source) => {
    const at = reportTime(source);
    return at > latest ? at : latest;
  }, story.sources.length > 0 ? '' : story.firstSeen);
}

/** A report whose publisher gave a plausible date (not after we saw it). */
function hasOwnDate(source: StorySource): boolean {
  return source.published !== null && source.published <= source.seenAt;
}

/** Whether any report of the story carries its publisher's date. */
export function isDated(story: StoryRecord): boolean {
  return story.sources.some(hasOwnDate);
}

/**
 * The time the "top" order decays from (ms): its latest report's. An undated report was stamped
 * with the time it was first seen, which would make every undated item the freshest news there
 * is (a feed's whole undated backlog is seen at once); its age is unknown, so it counts as
 * UNDATED_AGE_MS old when first seen: never fresher than a dated report of the last day for being
 * undated. NaN when no report has a time.
 */
export function rankTime(story: StoryRecord): number {
  if (story.sources.length === 0) return Date.parse(story.firstSeen) - UNDATED_AGE_MS;
  let latest = Number.NaN;
  for (const source of story.sources) {
    const at = hasOwnDate(source) ? Date.parse(source.published!) : Date.parse(source.seenAt) - UNDATED_AGE_MS;
    if (!Number.isNaN(at) && (Number.isNaN(latest) || at > latest)) latest = at;
  }
  return latest;
}

/** What the stored order (newest change first) compares: see compareNewestChange. */
export interface ChangeKey {
  id: string;
  updated: string;
  firstSeen: string;
  dated: boolean;
}

/**
 * The stored order, newest change first: among stories changed at once (one run), those with a
 * dated report first (an undated item's stamp says when it was seen, not how old it is), then the
 * newest first seen, then the id. The seal, corrections and corrected pages all keep this order.
 */
export function compareNewestChange(a: ChangeKey, b: ChangeKey): number {
  return compareText(b.updated, a.updated) || Number(b.dated) - Number(a.dated) || compareText(b.firstSeen, a.firstSeen) || compareText(a.id, b.id);
}

/**
 * The source whose article leads the story: the first (oldest) source whose headline is the
 * story's; else, as when an editor wrote the headline, the first source. Empty without sources.
 */
export function leadSource(story: StoryRecord): string {
  const { sources } = story;
  for (const source of sources) if (source.title === story.title) return source.sourceId;
  return sources[0]?.sourceId ?? '';
}

/** Distinct outlet names: mastheads are fewer (or as many), independent reports fewer still. */
export function distinctOutlets(sources: readonly StorySource[]): number {
  return sources.length <= 1 ? sources.length : new Set(sources.map((s) => s.outlet)).size;
}

export function storyFacts(story: StoryRecord): StoryFacts {
  const { sources } = story;
  return {
    id: story.id,
    updated: story.updated,
    firstSeen: story.firstSeen,
    latestMs: rankTime(story),
    lead: leadSource(story),
    dated: isDated(story),
    sources: sources.length,
    outlets: distinctOutlets(sources),
    independent: independence(sources).independent,
  };
}

export function storyListing(story: StoryRecord): StoryListing {
  return {
    articles: story.sources.map((s) => s.articleId),
    reports: story.sources.map((s) => (s.url ? reportHash(s.url, s.title) : 0)),
  };
}

/**
 * One report (an article's canonical URL and headline) as a 53-bit number. The same article
 * often reaches us twice under different ids: a publisher lists it in two of its feeds, or pushes
 * it and is polled too. Both URL and headline must agree: some feeds link every item to one page.
 * A new report is taken for one of 10,000 listed with odds of about 1 in 10^12.
 */
export function reportHash(url: string, title: string): number {
  const { lo, hi } = articleKey(`${url}\n${title.trim().toLowerCase()}`);
  return (hi & 0x1fffff) * 0x100000000 + lo || 1; // 0 means "no URL"
}

/** An article id as a 53-bit number (never 0): what the stored index looks listed articles up by. */
export function articleIdHash(id: string): number {
  const { lo, hi } = articleKey(id);
  return (hi & 0x1fffff) * 0x100000000 + lo || 1;
}
