// The last step for every format (XML and JSON alike): the text a reader sees (titles,
// descriptions, summaries, content, author names) without the code points no output may carry
// (util/xmlChars.ts: they reach here as literal characters, from JSON escapes, or from a legacy
// decoder) and with double-encoded UTF-8 repaired (charset/mojibake.ts). Ids and links are
// left as written. Most fields pass one regex test and are returned as they are; the rest are
// repaired first (`charset/mojibake.ts` decides alone whether a text is double-encoded), then
// stripped.
import type { Person } from '../model';
import { repairMojibake } from './charset';
import type { FeedParts } from './model';
import { hasForbiddenChars, stripForbiddenChars } from '../util/xmlChars';

/** The same parts, their text fields tidied (the readers' fresh objects are updated in place). */
export function tidyTexts(parts: FeedParts): FeedParts {
  const { feed } = parts;
  feed.title = tidy(feed.title);
  feed.description = tidy(feed.description);
  feed.author = tidyPerson(feed.author);
  for (const item of parts.items) {
    item.title = tidy(item.title);
    item.summary = tidy(item.summary);
    item.content = tidy(item.content);
    item.author = tidyPerson(item.author);
  }
  return parts;
}

/**
 * One scan that clears most text (English, CJK, Cyrillic): no control character, surrogate,
 * noncharacter, nor a letter Â-ô that could lead a double-encoded sequence.
 */
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u00C2-\u00F4\uD800-\uDFFF\uFDD0-\uFDEF\uFFFE\uFFFF]/;

function tidy(text: string | null): string | null {
  if (!text || !SUSPECT.test(text)) return text;
  const repaired = repairMojibake(text);
  return hasForbiddenChars(repaired) ? stripForbiddenChars(repaired).trim() : repaired;
}

function tidyPerson(person: Person | null): Person | null {
  if (!person?.name) return person;
  const name = tidy(person.name);
  return name === person.name ? person : { ...person, name: name || null };
}
