// What a run needs to know of every story without reading its record: when it changed, how it
// ranks, which articles and reports it lists. The stored stories value keeps these beside the
// records (stories/storedStories.ts), so a run reads only the records it changes or shows.
import type { StoryRecord, StorySource } from '../model';
import { articleKey } from '../cluster/keys';
import { independence, reportTime } from './independence';

export interface StoryFacts {
  id: string;
  updated: string;
  firstSeen: string;
  /** Date.parse(latestReport(story)), NaN when that is no time: what the "top" order decays from. */
  latestMs: number;
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
    latestMs: Date.parse(latestReport(story)),
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
