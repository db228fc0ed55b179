// Strong entity tags derived from the bytes served.
import { fnv1a } from '../util/hash';

/** `"<32 hex digits>"`: the first 128 bits of the body's SHA-256. */
export async function bodyEtag(body: string): Promise<string> {
  return bytesEtag(new TextEncoder().encode(body));
}

/** The same tag from the body's UTF-8 bytes (when the caller has them already). */
export async function bytesEtag(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  const hex = [...new Uint8Array(digest, 0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `"${hex}"`;
}

/** The tag of a stored body served with a variation (e.g. its base URL swapped for the request's origin). */
export function variantEtag(etag: string, variant: string): string {
  return `${etag.slice(0, -1)}-${fnv1a(variant).toString(16).padStart(8, '0')}"`;
}
