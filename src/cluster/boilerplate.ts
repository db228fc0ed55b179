// Strips what feeds and scrapers wrap around an article before it is vectorised: the title
// repeated as body lines, paragraphs printed twice, and the trailing "Discover More" /
// "Read more" / newsletter blocks that list *other* stories and would pull in their words.

// A line that starts a block of links to other content or a sign-up pitch: everything from
// it to the end is dropped (only once some real body text precedes it).
const TRAILER = new RegExp(
  '^(?:discover more|read more|read next|more from|more on this|more stories|related(?: stories| articles| coverage| content| posts)?' +
    '|recommended(?: for you| stories| reading)?|you (?:may|might) also like|also read|see also|most (?:read|popular|viewed)' +
    '|trending(?: now| stories)?|latest (?:news|stories)|top stories|sign up|subscribe|get (?:our|the) \\S+ newsletter' +
    '|(?:our|the|free|daily|weekly) newsletter|follow us|share this(?: article| story)?|advertisement|sponsored(?: content)?)\\b',
  'iu',
);
// A single line that is a teaser or call to action, dropped wherever it appears.
const TEASER = /^(?:read more|continue reading|click here|sign up|subscribe|advertisement|related:|read also|see also|share this)\b.{0,120}$/iu;

/**
 * The body paragraphs that carry the article's own content, in order, cleaned as they are
 * read: a caller that needs only the first words stops there instead of cleaning a long article.
 */
export function* bodyParagraphs(title: string, text: string): Generator<string> {
  const seen = new Set<string>();
  const titleKey = key(title);
  if (titleKey) seen.add(titleKey);
  let kept = 0;
  for (const rawLine of text.split('\n')) {
    const line = collapse(rawLine);
    if (!line) continue;
    const lineKey = key(line);
    // "Read more: <headline>" is one teaser; a bare "Read more" heads a block of them.
    if (kept > 0 && TRAILER.test(line) && !/:\s*\S/.test(line)) break;
    if (TEASER.test(line)) continue;
    // Repeated title, repeated paragraph, or a line with no words at all.
    if (!lineKey || seen.has(lineKey)) continue;
    seen.add(lineKey);
    kept++;
    yield line;
  }
}

/** Runs of whitespace to one space, trimmed. */
export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// Comparison key: case, punctuation and spacing do not make a paragraph new.
function key(line: string): string {
  return line.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
