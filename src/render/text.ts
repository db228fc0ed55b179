// Text and URL hygiene shared by every renderer. Story records hold whatever publishers sent,
// so each renderer passes text through here before it reaches a document.
import { hasScheme, WEB_SCHEMES } from '../util/urlSchemes';

/**
 * Characters XML 1.0 forbids (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF),
 * plus C1 controls and DEL, which validators flag and readers show as boxes.
 */
const UNSAFE_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe for XML, HTML and JSON alike: forbidden characters removed, whitespace runs collapsed. */
export function cleanText(value: string | null | undefined): string {
  if (!value) return '';
  return value.replace(UNSAFE_CHARS, '').replace(/\s+/g, ' ').trim();
}

/** A headline for display; never empty, so every item has a title. */
export function cleanTitle(value: string | null | undefined, fallback = '(untitled)'): string {
  return cleanText(value) || fallback;
}

/** The URL if it is absolute http(s), else null: feeds may carry `javascript:` or relative junk. */
export function safeHttpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(cleanText(value));
  } catch {
    return null;
  }
  return hasScheme(url, WEB_SCHEMES) ? url.href : null;
}

/** ISO 8601 UTC for a date string, or null when it does not parse. */
export function isoOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
