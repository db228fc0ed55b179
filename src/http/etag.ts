// Strong entity tags derived from the bytes served.

/** `"<32 hex digits>"`: the first 128 bits of the body's SHA-256. */
export async function bodyEtag(body: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body));
  const hex = [...new Uint8Array(digest, 0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `"${hex}"`;
}

/** The tag of a stored body served with a variation (e.g. its base URL swapped for the request's origin). */
export function variantEtag(etag: string, variant: string): string {
  return `${etag.slice(0, -1)}-${fnv1a(variant)}"`;
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
