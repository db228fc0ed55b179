// Double-encoded UTF-8 ("KÃ¶lner" for "Kölner"): a publisher's system read UTF-8 bytes as
// windows-1252 or latin-1 and encoded the result as UTF-8 again. feedparser repairs a text when
// all of it maps back to single bytes that form valid UTF-8; this does the same, with the
// windows-1252 punctuation too ("â€™" for "’"), and only when the repair is unambiguous:
//   - every character of the text that a single byte stands for (U+0080-U+00FF and the 27
//     windows-1252 extras) must belong to a complete UTF-8 sequence: one stray "é", "©" or
//     "«" means the text is not (only) mojibake, and it is left as it is;
//   - a sequence must decode to a character a writer could mean: not a C1 control ("Â" and a
//     windows-1252 character next to it, U+0080-U+009F), not an overlong or surrogate form, not
//     a noncharacter;
//   - characters no byte stands for (CJK, Cyrillic, "Ł", emoji) cannot come from this slip
//     and are kept as they are, around the repaired runs.
// Correct text in any language thus stays as it is: its accented letters stand alone, not in
// pairs of a lead letter (Â-ô) and a continuation symbol (U+0080-U+00BF). Only a text whose every
// such character is in such a pair would be misread ("IRMÃ»" alone, without its "«"), and no
// language writes those pairs.
import { isAllowedCodePoint } from '../../util/xmlChars';

/** Windows-1252's characters at 0x80-0x9F (other than the C1 controls at 81, 8D, 8F, 90, 9D). */
const WINDOWS_1252_EXTRAS: ReadonlyMap<number, number> = new Map([
  [0x20ac, 0x80], [0x201a, 0x82], [0x0192, 0x83], [0x201e, 0x84], [0x2026, 0x85], [0x2020, 0x86], [0x2021, 0x87],
  [0x02c6, 0x88], [0x2030, 0x89], [0x0160, 0x8a], [0x2039, 0x8b], [0x0152, 0x8c], [0x017d, 0x8e], [0x2018, 0x91],
  [0x2019, 0x92], [0x201c, 0x93], [0x201d, 0x94], [0x2022, 0x95], [0x2013, 0x96], [0x2014, 0x97], [0x02dc, 0x98],
  [0x2122, 0x99], [0x0161, 0x9a], [0x203a, 0x9b], [0x0153, 0x9c], [0x017e, 0x9e], [0x0178, 0x9f],
]);

/**
 * A lead byte's character (Â-ô, 0xC2-0xF4) followed by a continuation byte's (0x80-0xBF, as
 * latin-1 or windows-1252): the cheap test that decides whether a text needs a closer look.
 */
const MOJIBAKE_HINT =
  /[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]/;

/** The byte a character stands for in windows-1252/latin-1, or -1 when none does. */
function byteOf(code: number): number {
  if (code <= 0xff) return code;
  return WINDOWS_1252_EXTRAS.get(code) ?? -1;
}

/** The text with double-encoded UTF-8 repaired, or the text itself when the repair is not unambiguous. */
export function repairMojibake(text: string): string {
  if (!MOJIBAKE_HINT.test(text)) return text;
  let out = '';
  let copied = 0; // text[copied..i] is still to be copied as it is
  let repaired = false;
  let i = 0;
  while (i < text.length) {
    const lead = byteOf(text.charCodeAt(i));
    if (lead < 0x80) {
      i++; // ASCII, or a character no byte stands for: kept
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > text.length) return text; // a stray continuation or a letter alone
    let code = lead & (length === 2 ? 0x1f : length === 3 ? 0x0f : 0x07);
    for (let k = 1; k < length; k++) {
      const next = byteOf(text.charCodeAt(i + k));
      if (next < 0x80 || next > 0xbf) return text;
      code = (code << 6) | (next & 0x3f);
    }
    // Overlong forms, C1 controls, surrogates, noncharacters, beyond U+10FFFF: not what anyone wrote.
    const minimum = length === 2 ? 0xa0 : length === 3 ? 0x800 : 0x10000;
    if (code < minimum || !isAllowedCodePoint(code)) return text;
    out += text.slice(copied, i) + String.fromCodePoint(code);
    i += length;
    copied = i;
    repaired = true;
  }
  return repaired ? out + text.slice(copied) : text;
}
