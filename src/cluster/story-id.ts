// Story ids: short, URL-safe and deterministic, minted from the id of the article that
// started the story. Two 32-bit FNV-1a hashes with different offsets give ~64 bits.
import { fnv1a } from '../util/hash';

export function mintStoryId(articleId: string, taken: (id: string) => boolean): string {
  for (let attempt = 0; ; attempt++) {
    const seed = attempt === 0 ? articleId : `${articleId}#${attempt}`;
    const id = base36(fnv1a(seed, 0x811c9dc5)) + base36(fnv1a(seed, 0x050c5d1f));
    if (!taken(id)) return id;
  }
}

function base36(hash: number): string {
  return hash.toString(36).padStart(7, '0');
}
