// Which of a story's sources are independent reports. One masthead counts once (an outlet's
// second article, or the same outlet through two feeds), and a syndicated copy of the same wire
// text on several sites counts once and is marked as a copy of the earliest report of that text.
// A source is only ever compared with the sources reported before it, so a later arrival
// never changes how an earlier one is marked.
import type { StorySource } from '../model';
import { fingerprintWords, sameText, sameWords } from './fingerprint';
import { compareText } from '../util/compare';
import { memoized } from '../util/memo';

export interface SourceIndependence {
  /** Distinct reporting voices: mastheads, with copies of the same text counted once. */
  independent: number;
  /** Per source (same order as given): the source whose text it copies, or null. */
  copyOf: (StorySource | null)[];
}

/** When the outlet reported it: its own date when plausible (not after we saw it), else when we saw it. */
export function reportTime(source: Pick<StorySource, 'published' | 'seenAt'>): string {
  return source.published && source.published <= source.seenAt ? source.published : source.seenAt;
}

/** "The Meridian Post", "Meridian Post" and "meridian-post" are one masthead. Remembered per outlet name: ranking asks for one per source of every story. */
export const mastheadKey = memoized(foldMasthead, 10_000);

function foldMasthead(outlet: string): string {
  const folded = /[^\x00-\x7f]/.test(outlet) ? outlet.normalize('NFKD').replace(/\p{M}+/gu, '') : outlet;
  const key = folded.toLowerCase().replace(/^\s*the\s+/, '').replace(/[^\p{L}\p{N}]+/gu, '');
  return key || outlet;
}

/**
 * Answers already worked out, by sources list: ranking a story and then showing it asks twice.
 * An answer is reused only while the list holds the very same source objects (lists grow and
 * are re-sorted in place; a source object itself is never changed, only replaced).
 */
const answered = new WeakMap<readonly StorySource[], { sources: StorySource[]; answer: SourceIndependence }>();

export function independence(sources: readonly StorySource[]): SourceIndependence {
  // Most stories have one source: nothing to compare (ranking asks this of every story).
  if (sources.length <= 1) return { independent: sources.length, copyOf: sources.map(() => null) };
  const known = answered.get(sources);
  if (known && known.sources.length === sources.length && known.sources.every((s, i) => s === sources[i])) {
    return { independent: known.answer.independent, copyOf: [...known.answer.copyOf] };
  }
  const answer = workOut(sources);
  answered.set(sources, { sources: [...sources], answer });
  return { independent: answer.independent, copyOf: [...answer.copyOf] };
}

function workOut(sources: readonly StorySource[]): SourceIndependence {
  const order = sources
    .map((source, index) => ({ source, index }))
    .sort((a, b) => compareText(reportTime(a.source), reportTime(b.source)) || compareText(a.source.articleId, b.source.articleId));
  const parent = sources.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };

  const copyOf: (StorySource | null)[] = sources.map(() => null);
  const words = order.map((o) => fingerprintWords(o.source.fingerprint));
  const firstOfMasthead = new Map<string, number>();
  for (let n = 0; n < order.length; n++) {
    const { source, index } = order[n]!;
    const key = mastheadKey(source.outlet);
    const sameMasthead = firstOfMasthead.get(key);
    if (sameMasthead === undefined) firstOfMasthead.set(key, index);
    else union(index, sameMasthead);
    const mine = words[n];
    for (let m = 0; m < n; m++) {
      const earlier = order[m]!;
      const theirs = words[m];
      if (!(mine && theirs ? sameWords(mine, theirs) : sameText(source.fingerprint, earlier.source.fingerprint))) continue;
      copyOf[index] = copyOf[earlier.index] ?? earlier.source;
      union(index, earlier.index);
      break;
    }
  }
  const roots = new Set(sources.map((_, i) => find(i)));
  return { independent: roots.size, copyOf };
}
