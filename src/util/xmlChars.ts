// Code points no output may carry: what XML 1.0 forbids (C0 controls but tab, LF and CR; lone
// surrogates; U+FFFE and U+FFFF) and the other Unicode noncharacters (U+FDD0-U+FDEF and the
// last two code points of every plane, U+1FFFE ... U+10FFFF), which are never meant for
// interchange. Feeds and pushed JSON carry them (pasted text, `&#xFFFF;`, `"\uFFFF"`); one
// surviving in a served RSS or Atom document makes the whole document unreadable to a strict
// XML reader. Removed where text enters (parser, normalise) and again where it leaves (render).

/** The last two code points of planes 1-16, as UTF-16 surrogate pairs (high D83F, D87F, ... DBFF). */
const PLANE_END = '[\\uD83F\\uD87F\\uD8BF\\uD8FF\\uD93F\\uD97F\\uD9BF\\uD9FF\\uDA3F\\uDA7F\\uDABF\\uDAFF\\uDB3F\\uDB7F\\uDBBF\\uDBFF][\\uDFFE\\uDFFF]';
const LONE_SURROGATE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const FORBIDDEN_SOURCE = `[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]|${PLANE_END}|${LONE_SURROGATE}`;

const FORBIDDEN = new RegExp(FORBIDDEN_SOURCE, 'g');
const HAS_FORBIDDEN = new RegExp(FORBIDDEN_SOURCE);

/** Whether the text holds a code point no output may carry. */
export function hasForbiddenChars(text: string): boolean {
  return HAS_FORBIDDEN.test(text);
}

/** The text without the code points no output may carry (the rest untouched). */
export function stripForbiddenChars(text: string): string {
  return HAS_FORBIDDEN.test(text) ? text.replace(FORBIDDEN, '') : text;
}

/** Whether a code point may appear in output text (tab, LF and CR are the only controls below U+0020). */
export function isAllowedCodePoint(code: number): boolean {
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  if (code >= 0xd800 && code <= 0xdfff) return false;
  if (code >= 0xfdd0 && code <= 0xfdef) return false;
  return (code & 0xfffe) !== 0xfffe && code <= 0x10ffff;
}
