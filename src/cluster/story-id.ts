// Story ids: short, URL-safe and deterministic, minted from the id of the article that
// started the story. Two 32-bit FNV-1a hashes with different offsets give ~64 bits.

export function mintStoryId(articleId: string, taken: (id: string) => boolean): string {
  for (let attempt = 0; ; attempt++) {
    const seed = attempt === 0 ? articleId : `${articleId}#${attempt}`;
    const id = fnv1a(seed, 0x811c9dc5) + fnv1a(seed, 0x050c5d1f);
    if (!taken(id)) return id;
  }
}

function fnv1a(text: string, offset: number): string {
  let hash = offset;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36).padStart(7, '0');
}
