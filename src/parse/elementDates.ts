// Dates read from elements, shared by the RSS/RDF and Atom readers. Element names are matched
// whatever their case: real feeds write <pubdate>, <PubDate> or <LastBuildDate>.
import { parseDate } from './dates';
import { isElement, textOf, type XElement } from './xml';

/** The first readable date among the children named `keys` (earlier keys win); null when none reads. */
export function firstDate(el: XElement | undefined, ...keys: string[]): string | null {
  if (!el) return null;
  for (const key of keys) {
    const lower = key.toLowerCase();
    for (const node of el.children) {
      if (!isElement(node) || (node.key !== key && (node.key.length !== key.length || node.key.toLowerCase() !== lower))) continue;
      const date = parseDate(textOf(node));
      if (date) return date;
    }
  }
  return null;
}
