// A small fingerprint of an article's opening words, to tell a syndicated copy (the same wire
// text on several sites) from an independent report. MinHash over word 3-shingles of the
// first LEAD_WORDS words: the lede is what copies share even when one site cuts the text
// short or appends its own teasers. 24 minima, 16 bits each, as 96 hex characters.

const LEAD_WORDS = 60;
const SHINGLE = 3;
const HASHES = 24;
/** Fewer words than this and the text says too little to call two reports the same. */
const MIN_WORDS = 12;
/** Share of equal minima from which two texts count as the same text (estimated Jaccard). */
export const COPY_THRESHOLD = 0.6;

export function textFingerprint(text: string): string | null {
  const words = leadWords(text);
  if (words.length < MIN_WORDS) return null;
  const minima = new Array<number>(HASHES).fill(0xffffffff);
  for (let i = 0; i + SHINGLE <= words.length; i++) {
    const shingle = words.slice(i, i + SHINGLE).join(' ');
    const h1 = fnv1a(shingle, 0x811c9dc5);
    const h2 = fnv1a(shingle, 0x050c5d1f) | 1;
    for (let k = 0; k < HASHES; k++) {
      // Kirsch–Mitzenmacher: h1 + k·h2 gives HASHES independent-enough hash functions from two.
      const h = (h1 + Math.imul(k, h2)) >>> 0;
      if (h < minima[k]!) minima[k] = h;
    }
  }
  return minima.map((m) => (m & 0xffff).toString(16).padStart(4, '0')).join('');
}

/** Estimated Jaccard similarity of the two texts' shingles (0 when either has no fingerprint). */
export function fingerprintSimilarity(a: string | null | undefined, b: string | null | undefined): number {
  if (!a || !b || a.length !== b.length || a.length !== HASHES * 4) return 0;
  let equal = 0;
  for (let k = 0; k < HASHES; k++) {
    if (a.slice(k * 4, k * 4 + 4) === b.slice(k * 4, k * 4 + 4)) equal++;
  }
  return equal / HASHES;
}

export function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  return fingerprintSimilarity(a, b) >= COPY_THRESHOLD;
}

function leadWords(text: string): string[] {
  const folded = /[^\x00-\x7f]/.test(text) ? text.normalize('NFKD').replace(/\p{M}+/gu, '') : text;
  return folded.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, LEAD_WORDS);
}

function fnv1a(text: string, offset: number): number {
  let hash = offset;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
