// Why a report sits in its story, in words a reader uses: the words it shares with the story
// and how long after the first report it came ("shares 22 words with the story, among them
// Zelensky and ceasefire; reported 1 h 25 min after the first"). The engine's own reason, with
// its scores, stays in the story JSON (`why`) and the cluster CLI's --explain.
import type { SharedWords } from '../model';
import { relativeTime } from './timeline';

/** What the story page says about one of a story's sources (`index` in the story's oldest-first order), or null when it has nothing to say. */
export function groupedInWords(sources: readonly { time: string | null; shared: SharedWords | null }[], index: number): string | null {
  if (sources.length < 2) return null;
  const source = sources[index];
  if (!source) return null;
  const parts: string[] = [];
  if (source.shared) parts.push(sharedInWords(source.shared));
  const when = index === 0 ? 'the first report' : afterFirst(sources[0]!.time, source.time);
  if (when) parts.push(when);
  return parts.length > 0 ? parts.join('; ') : null;
}

function sharedInWords({ count, examples }: SharedWords): string {
  const words = `shares ${count} ${count === 1 ? 'word' : 'words'} with the story`;
  const named = examples.slice(0, count);
  if (named.length === 0) return words;
  const list = named.length === 1 ? named[0]! : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
  return named.length === count ? `${words}: ${list}` : `${words}, among them ${list}`;
}

function afterFirst(first: string | null, time: string | null): string | null {
  const from = first === null ? NaN : Date.parse(first);
  const to = time === null ? NaN : Date.parse(time);
  if (Number.isNaN(from) || Number.isNaN(to)) return null;
  const ms = to - from;
  // The timeline's offsets, without their sign: "40 min", "1 h 25 min", "1 d 3 h".
  return ms < 60_000 ? 'reported within a minute of the first' : `reported ${relativeTime(ms).slice(1)} after the first`;
}
