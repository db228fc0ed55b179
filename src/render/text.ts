// Text and URL hygiene shared by every renderer. Story records hold whatever publishers sent,
// so each renderer passes text through here before it reaches a document.
import { hasScheme, WEB_SCHEMES } from '../util/urlSchemes';
import { stripForbiddenChars } from '../util/xmlChars';

/** C1 controls and DEL: XML allows them, but validators flag them and readers show boxes. */
const C1_CONTROLS = /[\u007F-\u009F]/g;

/**
 * Text safe for XML, HTML and JSON alike: characters XML 1.0 forbids and noncharacters removed
 * (util/xmlChars.ts), C1 controls too, whitespace runs collapsed. Records stored before the
 * parser removed them still pass through here.
 */
export function cleanText(value: string | null | undefined): string {
  if (!value) return '';
  // Most text is printable ASCII with single spaces: nothing to remove or collapse.
  if (!NEEDS_CLEANING.test(value)) return value;
  return stripForbiddenChars(value).replace(C1_CONTROLS, '').replace(/\s+/g, ' ').trim();
}

/**
 * Anything cleanText could change: a control character, a noncharacter, a surrogate (paired ones
 * too, to keep this simple), any whitespace but a single space between words.
 */
const NEEDS_CLEANING = /[\u0000-\u001F\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uD800-\uDFFF\uFDD0-\uFDEF\uFEFF\uFFFE\uFFFF]| {2}|^ | $/;

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

/** ISO 8601 UTC as toISOString writes it, for a day that every month has (the 29th to 31st can roll over). */
const PLAIN_ISO_UTC = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** ISO 8601 UTC for a date string, or null when it does not parse. */
export function isoOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  // Stored times are mostly in this form already: then the value is its own answer.
  if (PLAIN_ISO_UTC.test(value)) return value;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
