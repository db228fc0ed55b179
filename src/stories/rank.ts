// "Top stories": independent outlets, fading with the time since the story's latest report.
// Ages are counted up to the snapshot's time (the run that last changed the stories), not the
// request's, so one snapshot always gives one order: pages stay cacheable and pre-renderable.
// An undated report counts as a day old when first seen (facts.ts, rankTime): its age is unknown.
import type { StoryRecord } from '../model';
import { distinctOutlets, isDated, rankTime, type StoryFacts } from './facts';
import { independence } from './independence';
import { compareText } from '../util/compare';

/** Hours after which a story's weight has halved (and a third after twice as long). */
export const TOP_DECAY_HOURS = 24;

/** The formula as shown to readers on the front page and in docs/feeds.md. */
export const TOP_FORMULA = `score = independent outlets ÷ (1 + hours since the latest report ÷ ${TOP_DECAY_HOURS})`;

export function topScore(independent: number, latest: string, reference: string): number {
  return independent / decay(Date.parse(reference) - Date.parse(latest));
}

/** The formula's divisor for a story whose latest report is `ageMs` old (a future or unknown date: fresh). */
function decay(ageMs: number): number {
  const hours = Math.max(0, ageMs) / 3_600_000;
  return 1 + (Number.isFinite(hours) ? hours : 0) / TOP_DECAY_HOURS;
}

/**
 * Highest score first; ties: a story with a dated report first, then newer change first, then id, so the order is total. Only the first
 * `count` are in order (a page needs no more): since independent outlets are at most the
 * distinct outlet names, each story's score has a cheap upper bound, and the exact (costlier) count of
 * independent outlets is taken only for stories whose bound could still reach the first `count`.
 */
export function rankTop(stories: readonly StoryRecord[], reference: string, count = stories.length): StoryRecord[] {
  const referenceMs = Date.parse(reference);
  const byBound = stories
    .map((story) => {
      // topScore, with the divisor worked out once per story.
      const divisor = decay(referenceMs - rankTime(story));
      const outlets = distinctOutlets(story.sources);
      return { story, divisor, dated: isDated(story), bound: outlets / divisor, score: outlets <= 1 ? outlets / divisor : NaN };
    })
    .sort((a, b) => b.bound - a.bound);
  let scored = 0;
  let floor = Number.NEGATIVE_INFINITY;
  while (scored < byBound.length && (scored < count || byBound[scored]!.bound >= floor)) {
    // Score every story whose bound reaches the current floor, then raise the floor to the
    // count-th best exact score: no story past it can enter the first `count`.
    const end = scored < count ? Math.min(byBound.length, count) : byBound.findIndex((c, i) => i >= scored && c.bound < floor);
    const stop = end < 0 ? byBound.length : end;
    for (; scored < stop; scored++) {
      const c = byBound[scored]!;
      if (Number.isNaN(c.score)) c.score = independence(c.story.sources).independent / c.divisor;
    }
    const best = byBound.slice(0, scored).map((c) => c.score).sort((a, b) => b - a);
    floor = best[Math.min(count, best.length) - 1] ?? Number.NEGATIVE_INFINITY;
  }
  const ranked = byBound.slice(0, scored);
  ranked.sort((a, b) => b.score - a.score || Number(b.dated) - Number(a.dated) || compareText(b.story.updated, a.story.updated) || compareText(a.story.id, b.story.id));
  const rest = byBound.slice(scored).map((c) => c.story);
  return [...ranked.map((c) => c.story), ...rest];
}

/**
 * The first `count` of rankTop's order from the stories' facts alone (stories/facts.ts: no record
 * read): the same scores, worked out the same way, and the same ties.
 */
export function rankFacts(facts: readonly StoryFacts[], reference: string, count: number): StoryFacts[] {
  const referenceMs = Date.parse(reference);
  const scores = new Float64Array(facts.length);
  facts.forEach((f, i) => (scores[i] = (f.outlets <= 1 ? f.outlets : f.independent) / decay(referenceMs - f.latestMs)));
  // Only stories scoring at least the count-th best need the full order (ties at that score included).
  const floor = count >= facts.length ? Number.NEGATIVE_INFINITY : Float64Array.from(scores).sort()[facts.length - count]!;
  const contenders: { f: StoryFacts; score: number }[] = [];
  facts.forEach((f, i) => {
    if (scores[i]! >= floor) contenders.push({ f, score: scores[i]! });
  });
  return contenders
    .sort((a, b) => b.score - a.score || Number(b.f.dated) - Number(a.f.dated) || compareText(b.f.updated, a.f.updated) || compareText(a.f.id, b.f.id))
    .slice(0, count)
    .map((c) => c.f);
}
