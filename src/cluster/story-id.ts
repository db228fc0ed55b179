// Story ids: short, URL-safe and deterministic, minted from the id of the article that
// started the story. Two 32-bit FNV-1a hashes with different offsets give ~64 bits, written as
// 7 base-36 digits each; the engine keeps an id as those two numbers (keys.ts).
import type { Key } from './keys';
import { fnv1a } from '../util/hash';

export function mintStoryId(articleId: string, taken: (id: string) => boolean): string {
  for (let attempt = 0; ; attempt++) {
    const seed = attempt === 0 ? articleId : `${articleId}#${attempt}`;
    const id = storyIdOf(fnv1a(seed, 0x811c9dc5), fnv1a(seed, 0x050c5d1f));
    if (!taken(id)) return id;
  }
}

/** The story id whose two 32-bit lanes these are. */
export function storyIdOf(lo: number, hi: number): string {
  return lo.toString(36).padStart(7, '0') + hi.toString(36).padStart(7, '0');
}

/** A minted story id as its two lanes (the inverse of `storyIdOf`); null for a string no engine minted. */
export function storyKey(id: string): Key | null {
  return id.length === 14 ? storyKeyAt(id, 0) : null;
}

/** The lanes of the minted story id at `at` in `text` (14 characters), null if they are none. */
export function storyKeyAt(text: string, at: number): Key | null {
  const lo = lane(text, at);
  const hi = lane(text, at + 7);
  return lo <= 0xffffffff && hi <= 0xffffffff ? { lo, hi } : null;
}

/** 7 base-36 digits (0-9, a-z) as a number; Infinity if one is not a digit. */
function lane(text: string, at: number): number {
  let value = 0;
  for (let i = at; i < at + 7; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 122 ? c - 87 : -1;
    if (digit < 0) return Infinity;
    value = value * 36 + digit;
  }
  return value;
}
