// RSS element names in the case the specification writes them. XML is case-sensitive, but
// hand-written and old generator feeds write <Item>, <Title>, <Link>, <Description>, <Author>;
// feedparser reads them, so the readers see such children under their proper name.
import type { XElement, XNode } from '../xml';

const RSS_NAMES = [
  'channel', 'item', 'title', 'link', 'description', 'author', 'guid', 'pubDate', 'managingEditor', 'lastBuildDate',
];
// Other RSS names the readers do not ask for: listed so that they cost no case folding either.
const PROPER = new Set([...RSS_NAMES, 'category', 'comments', 'enclosure', 'source', 'language', 'copyright', 'webMaster', 'image', 'docs', 'generator', 'ttl']);
const BY_LOWER_CASE: ReadonlyMap<string, string> = new Map(RSS_NAMES.map((name) => [name.toLowerCase(), name]));

/** `el` itself when its RSS children are named properly, else a copy with them renamed (the tree is not changed). */
export function withRssNames<T extends XElement | undefined>(el: T): T {
  if (!el) return el;
  let renamed: XNode[] | null = null;
  const children = el.children;
  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    // Names already right, and prefixed names (dc:creator), cost one set lookup.
    if (typeof node === 'string' || PROPER.has(node.key) || node.key.includes(':')) continue;
    const proper = BY_LOWER_CASE.get(node.key.toLowerCase());
    if (proper === undefined) continue;
    renamed ??= children.slice();
    renamed[i] = { ...node, key: proper };
  }
  return renamed ? { ...el, children: renamed } : el;
}
