// The engine keeps no strings: a term is a 32-bit hash, an article or story id a pair of 32-bit
// lanes. Then the whole state is typed arrays, and a snapshot loads as array copies, with no
// dictionary to decode or intern (docs/clustering.md, "One run's engine cost").
//
// Term hashes collide: with the 200,000 terms the engine keeps at most, about five pairs of
// terms share a hash and count as one word. The B-cubed F1 on the dev sets did not move
// (docs/clustering.md). Article ids take 64 bits (two independent lanes), so a new article is
// taken for a seen one with odds of about 1 in 10^9 even at the 200,000 ids remembered.
import { fnv1a } from '../util/hash';

/** Final mix (murmur3's fmix32): FNV-1a's low bits are weak, and tables index by bits of the hash. */
function mix(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** A term's 32-bit id for good: the same in every process and snapshot. */
export function termHash(term: string): number {
  return mix(fnv1a(term));
}

/** Two independent 32-bit lanes of an id. */
export interface Key {
  lo: number;
  hi: number;
}

const SECOND_LANE = 0x050c5d1f;

/** An article id as 64 bits. */
export function articleKey(id: string): Key {
  return { lo: mix(fnv1a(id)), hi: mix(fnv1a(id, SECOND_LANE)) };
}

/**
 * A story id (`mintStoryId`: 7 base-36 digits per 32-bit lane) as its two lanes; null for a
 * string no engine minted.
 */
export function storyKey(id: string): Key | null {
  if (!/^[0-9a-z]{14}$/.test(id)) return null;
  const lo = parseInt(id.slice(0, 7), 36);
  const hi = parseInt(id.slice(7), 36);
  return lo <= 0xffffffff && hi <= 0xffffffff ? { lo, hi } : null;
}

/** The story id whose lanes these are (the inverse of `storyKey`). */
export function storyIdOf(lo: number, hi: number): string {
  return lo.toString(36).padStart(7, '0') + hi.toString(36).padStart(7, '0');
}
