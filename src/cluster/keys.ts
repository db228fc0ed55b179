// The engine keeps no strings: a term is a 32-bit hash, an article id a pair of 32-bit lanes
// (a story id too: story-id.ts). Then the whole state is typed arrays, and a snapshot loads as array copies, with no
// dictionary to decode or intern (docs/clustering.md, "One run's engine cost").
//
// Term hashes collide: with the 200,000 terms the engine keeps at most, about five pairs of
// terms share a hash and count as one word. With the trim's ties now broken by hash, the dev
// sets' B-cubed F1 moved by at most 0.004 (docs/clustering.md, "KV layout"). Article ids take 64 bits (two independent lanes), so a new article is
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
