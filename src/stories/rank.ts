// "Top stories": independent outlets, fading with the time since the story's latest report.
// Ages are counted up to the snapshot's time (the run that last changed the stories), not the
// request's, so one snapshot always gives one order: pages stay cacheable and pre-renderable.
import type { StoryRecord } from '../model';
import { independence, reportTime } from './independence';
import { compareText } from '../util/compare';

/** Hours after which a story's weight has halved (and a third after twice as long). */
export const TOP_DECAY_HOURS = 24;

/** The formula as shown to readers on the front page and in docs/feeds.md. */
export const TOP_FORMULA = `score = independent outlets ÷ (1 + hours since the latest report ÷ ${TOP_DECAY_HOURS})`;

export function latestReport(story: StoryRecord): string {
  return story.sources.reduce((latest, source) => {
    const at = reportTime(source);
    return at > latest ? at : latest;
  }, story.sources.length > 0 ? '' : story.firstSeen);
}

export function topScore(independent: number, latest: string, reference: string): number {
  const hours = Math.max(0, Date.parse(reference) - Date.parse(latest)) / 3_600_000;
  return independent / (1 + (Number.isFinite(hours) ? hours : 0) / TOP_DECAY_HOURS);
}

/** Highest score first; ties: newer change first, then id, so the order is total. */
export function rankTop(stories: readonly StoryRecord[], reference: string): StoryRecord[] {
  const scored = stories.map((story) => ({ story, score: topScore(independence(story.sources).independent, latestReport(story), reference) }));
  scored.sort((a, b) => b.score - a.score || compareText(b.story.updated, a.story.updated) || compareText(a.story.id, b.story.id));
  return scored.map((s) => s.story);
}
