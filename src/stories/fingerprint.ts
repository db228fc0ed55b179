// A small fingerprint of an article's opening words, to tell a syndicated copy (the same wire
// text on several sites) from an independent report. MinHash over word 3-shingles of the
// first LEAD_WORDS words: the lede is what copies share even when one site cuts the text
// short or appends its own teasers. b-bit MinHash (Li & König): 64 minima, of which only the
// low 8 bits are kept, as 128 hex characters; the estimate corrects for chance byte matches.
// Fingerprints are stored in story records, so the shingle hash (FNV-1a) and the mixing must not change.
import { fnv1a } from '../util/hash';

const LEAD_WORDS = 60;
const SHINGLE = 3;
const HASHES = 64;
/** Fewer words than this and the text says too little to call two reports the same. */
const MIN_WORDS = 12;
/** Share of equal minima from which two texts count as the same text (estimated Jaccard). */
export const COPY_THRESHOLD = 0.5;

export function textFingerprint(text: string): string | null {
  const words = leadWords(text);
  if (words.length < MIN_WORDS) return null;
  const minima = new Array<number>(HASHES).fill(0xffffffff);
  for (let i = 0; i + SHINGLE <= words.length; i++) {
    const shingle = words.slice(i, i + SHINGLE).join(' ');
    const base = fnv1a(shingle);
    for (let k = 0; k < HASHES; k++) {
      // One hash function per k: the shingle's hash, salted with k and mixed (murmur3's finaliser).
      const h = mix32(base ^ Math.imul(k + 1, 0x9e3779b9));
      if (h < minima[k]!) minima[k] = h;
    }
  }
  return minima.map((m) => (m & 0xff).toString(16).padStart(2, '0')).join('');
}

/** Estimated Jaccard similarity of the two texts' shingles (0 when either has no fingerprint). */
export function fingerprintSimilarity(a: string | null | undefined, b: string | null | undefined): number {
  if (!a || !b || a.length !== b.length || a.length !== HASHES * 2) return 0;
  let equal = 0;
  for (let k = 0; k < HASHES * 2; k += 2) {
    if (a[k] === b[k] && a[k + 1] === b[k + 1]) equal++;
  }
  return similarityOf(equal);
}

/** The Jaccard estimate from the count of equal minima. */
function similarityOf(equal: number): number {
  // Two different minima share their low byte by chance 1 time in 256.
  const chance = 1 / 256;
  return Math.max(0, (equal / HASHES - chance) / (1 - chance));
}

/** The fewest equal minima that reach COPY_THRESHOLD (33 of 64). */
const MIN_EQUAL = (() => {
  let equal = 0;
  while (equal < HASHES && similarityOf(equal) < COPY_THRESHOLD) equal++;
  return equal;
})();

/**
 * `fingerprintSimilarity(a, b) >= COPY_THRESHOLD`, stopping as soon as too many minima differ:
 * ranking compares every pair of sources of the largest stories, and most pairs are other texts.
 */
export function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b || a.length !== HASHES * 2 || b.length !== HASHES * 2) return false;
  const allowed = HASHES - MIN_EQUAL;
  let differing = 0;
  for (let k = 0; k < HASHES * 2; k += 2) {
    if (a.charCodeAt(k) !== b.charCodeAt(k) || a.charCodeAt(k + 1) !== b.charCodeAt(k + 1)) {
      if (++differing > allowed) return false;
    }
  }
  return true;
}

/** A fingerprint as 16 words of four minima each, for comparing many pairs (null: none, or not lower-case hex). */
export function fingerprintWords(fingerprint: string | null | undefined): Uint32Array | null {
  if (!fingerprint || fingerprint.length !== HASHES * 2) return null;
  const words = new Uint32Array(HASHES / 4);
  for (let w = 0, c = 0; w < words.length; w++) {
    let word = 0;
    for (const end = c + 8; c < end; c++) {
      const code = fingerprint.charCodeAt(c);
      const digit = code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1;
      if (digit < 0) return null;
      word = (word << 4) | digit;
    }
    words[w] = word;
  }
  return words;
}

/**
 * `sameText` of two fingerprints as `fingerprintWords` gives them: four minima compared at once
 * (the largest stories compare thousands of pairs of sources each time they are ranked or shown).
 */
export function sameWords(a: Uint32Array, b: Uint32Array): boolean {
  const allowed = HASHES - MIN_EQUAL;
  let differing = 0;
  for (let w = 0; w < a.length; w++) {
    const x = a[w]! ^ b[w]!;
    if (x === 0) continue;
    // The top bit of each byte of `nonZero` says whether that byte (one minimum) differs.
    const nonZero = (((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080;
    differing += ((nonZero >>> 7) & 1) + ((nonZero >>> 15) & 1) + ((nonZero >>> 23) & 1) + (nonZero >>> 31);
    if (differing > allowed) return false;
  }
  return true;
}

function leadWords(text: string): string[] {
  const folded = /[^\x00-\x7f]/.test(text) ? text.normalize('NFKD').replace(/\p{M}+/gu, '') : text;
  return folded.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, LEAD_WORDS);
}

function mix32(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
