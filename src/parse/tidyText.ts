// The last step for every format (XML and JSON alike): the text a reader sees (titles,
// descriptions, summaries, content, author names) without the code points no output may carry
// (util/xmlChars.ts: they reach here as literal characters, from JSON escapes, or from a legacy
// decoder) and with double-encoded UTF-8 repaired (charset/mojibake.ts). Ids and links are
// left as written. Most fields pass two regex tests and are returned as they are (the repair
// first: `charset/mojibake.ts` decides alone whether a text is double-encoded).
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

function tidy(text: string | null): string | null {
  if (!text) return text;
  const repaired = repairMojibake(text);
  return hasForbiddenChars(repaired) ? stripForbiddenChars(repaired).trim() : repaired;
}

function tidyPerson(person: Person | null): Person | null {
  if (!person?.name) return person;
  const name = tidy(person.name);
  return name === person.name ? person : { ...person, name: name || null };
}
