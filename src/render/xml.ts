// One XMLBuilder setup for the XML feeds: the library escapes text and attributes,
// so no renderer concatenates markup by hand.
import { XMLBuilder } from 'fast-xml-parser';

export type XmlNode = { [name: string]: XmlValue };
export type XmlValue = string | number | XmlNode | XmlNode[] | string[] | undefined;

const options = {
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  processEntities: true,
  // Otherwise an attribute whose value is "true" is written bare (`isPermaLink`), which is not XML.
  suppressBooleanAttributes: false,
  // Empty elements are written self-closed (<atom:link href="…"/>); undefined children are left out.
  suppressEmptyNode: true,
};
const indented = new XMLBuilder({ ...options, format: true, indentBy: ' ' });
const compact = new XMLBuilder({ ...options, format: false });

export function buildXml(root: XmlNode): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${indented.build(root) as string}`;
}

/** One element on one line (a feed's item or entry: pieces of a page, render/page.ts). */
export function xmlElement(name: string, node: XmlNode): string {
  return compact.build({ [name]: node }) as string;
}

/** The document split at the line that closes `element` (its last): where a feed's items go. */
export function xmlFrame(root: XmlNode, element: string): { before: string; after: string } {
  const document = buildXml(root);
  const closing = document.lastIndexOf(`</${element}>`);
  if (closing < 0) throw new Error(`render: no </${element}> to put items before`);
  const lineStart = document.lastIndexOf('\n', closing) + 1;
  return { before: document.slice(0, lineStart), after: document.slice(lineStart) };
}
