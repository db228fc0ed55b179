// Media RSS text shared by the RSS/RDF and Atom readers: an item's media:description, directly or
// inside media:group (every YouTube entry has its only text there).
import { readConstruct, type Construct } from './html';
import { child, textContent, type XElement } from './xml';

/** The item's media:description as a text construct, or null when it has none. */
export function mediaDescription(item: XElement): Construct | null {
  const el = child(item, 'media:description') ?? child(child(item, 'media:group'), 'media:description');
  if (!el) return null;
  // Media RSS says type="plain" (its default) or "html"; only an explicit "plain" is trusted to
  // be text, as feeds without the attribute often carry HTML.
  if ((el.attrs.type ?? '').trim().toLowerCase() === 'plain') return { html: false, value: textContent(el), base: el.base };
  return readConstruct(el, 'rss');
}

/** The construct when it holds something besides whitespace, else null (so a fallback is read). */
export function withText(construct: Construct | null): Construct | null {
  return construct && construct.value.trim() !== '' ? construct : null;
}
