// The project's non-cryptographic hashes, in one place. Synchronous and deterministic (crypto.subtle
// is async); none of them is a security boundary. Two algorithms remain because both outputs are
// stored or public, and changing either would re-key what is already out there:
// - FNV-1a (32-bit): story ids (public URLs, stored in KV), the syndication fingerprint's shingle
//   hash (stored in story records), the suffix of a variant ETag.
// - cyrb53-style 64-bit `stableHash`: ids of articles, sources and corrections (KV keys and stored
//   state: a new hash would make every article look new and orphan every source's record).
// New code should use `fnv1a`.

export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over UTF-16 code units, as an unsigned integer; `offset` seeds an independent variant. */
export function fnv1a(text: string, offset = FNV_OFFSET): number {
  let hash = offset;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** 64 bits as 16 hex digits (two 32-bit lanes, cyrb53-style mixing). */
export function stableHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/**
 * 53 bits of a byte string (two FNV-1a lanes, mixed), never 0: what a stored story record's
 * bytes are known by (its revision), so that what was rendered from it can be told current.
 */
export function bytesHash53(bytes: Uint8Array): number {
  let lo = FNV_OFFSET;
  let hi = 0x9747b28c;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    lo = Math.imul(lo ^ b, FNV_PRIME);
    hi = Math.imul(hi ^ b, 0x5bd1e995);
  }
  lo = Math.imul(lo ^ (lo >>> 16), 0x85ebca6b) ^ Math.imul(hi ^ (hi >>> 13), 0xc2b2ae35);
  hi = Math.imul(hi ^ (hi >>> 16), 0x85ebca6b) ^ Math.imul(lo ^ (lo >>> 13), 0xc2b2ae35);
  return ((hi >>> 0) & 0x1fffff) * 0x100000000 + (lo >>> 0) || 1;
}
