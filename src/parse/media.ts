// Media RSS text shared by the RSS/RDF and Atom readers: an item's media:description, directly or
// inside media:group (every YouTube entry has its only text there), and the caption of its first
// media:content, the last text an item without any other has (feedparser reads both).
import { readConstruct, type Construct } from './html';
import { child, textContent, type XElement } from './xml';

/** The item's media:description (directly or in media:group) as a text construct, or null. */
export function mediaDescription(item: XElement): Construct | null {
  return descriptionConstruct(child(item, 'media:description') ?? child(child(item, 'media:group'), 'media:description'));
}

/** The media:description of the item's first media:content (directly or in media:group), or null. */
export function mediaCaption(item: XElement): Construct | null {
  const content = child(item, 'media:content') ?? child(child(item, 'media:group'), 'media:content');
  return descriptionConstruct(child(content, 'media:description'));
}

function descriptionConstruct(el: XElement | undefined): Construct | null {
  if (!el) return null;
  // Media RSS says type="plain" (its default) or "html"; only an explicit "plain" is trusted to
  // be text, as feeds without the attribute often carry HTML.
  if ((el.attrs.type ?? '').trim().toLowerCase() === 'plain') return { html: false, value: textContent(el), base: el.base };
  return readConstruct(el, 'rss');
}

/** The construct when it holds something besides whitespace, else null (so a fallback is read). */
export function withText(construct: Construct | null): Construct | null {
  return construct && hasText(construct.value) ? construct : null;
}

/** value.trim() !== '' without copying a long body: ASCII decides at once, other characters ask trim. */
function hasText(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) continue;
    return c < 128 || value.slice(i).trim() !== '';
  }
  return false;
}
