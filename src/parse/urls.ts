// Relative references in feeds resolve against xml:base, else the document URL (RFC 3986).
import { BASE_SCHEMES, hasScheme, schemeOf } from '../util/urlSchemes';

/** `ref` made absolute against `base`; the reference unchanged when it cannot be resolved. */
export function resolveUrl(ref: string, base: string | null): string {
  const trimmed = ref.trim();
  if (!base) return trimmed;
  if (schemeOf(trimmed) !== undefined) return trimmed;
  try {
    return new URL(trimmed, base).href;
  } catch {
    return trimmed;
  }
}

/** A base URL is only worth keeping when it is absolute and not script (e.g. a hostile Content-Location). */
export function usableBase(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim());
    return hasScheme(parsed, BASE_SCHEMES) ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Base of a child element: its xml:base resolved against the parent's. */
export function childBase(xmlBase: string | undefined, parentBase: string | null): string | null {
  if (xmlBase === undefined) return parentBase;
  const trimmed = xmlBase.trim();
  if (!parentBase) return usableBase(trimmed) ?? parentBase;
  try {
    return usableBase(new URL(trimmed, parentBase).href) ?? parentBase;
  } catch {
    return parentBase;
  }
}
