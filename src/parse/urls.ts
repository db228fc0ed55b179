// Relative references in feeds resolve against xml:base, else the document URL (RFC 3986).

const SAFE_SCHEMES = new Set(['http:', 'https:', 'ftp:', 'mailto:', 'tel:', 'urn:', 'tag:', 'magnet:', 'news:', 'data:']);

/** `ref` made absolute against `base`; the reference unchanged when it cannot be resolved. */
export function resolveUrl(ref: string, base: string | null): string {
  const trimmed = ref.trim();
  if (!base) return trimmed;
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(trimmed)) return trimmed;
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
    return SAFE_SCHEMES.has(parsed.protocol) ? parsed.href : null;
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
