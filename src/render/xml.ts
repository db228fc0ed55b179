// One XMLBuilder setup for the XML feeds: the library escapes text and attributes,
// so no renderer concatenates markup by hand.
import { XMLBuilder } from 'fast-xml-parser';

export type XmlNode = { [name: string]: XmlValue };
export type XmlValue = string | number | XmlNode | XmlNode[] | string[] | undefined;

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  processEntities: true,
  // Otherwise an attribute whose value is "true" is written bare (`isPermaLink`), which is not XML.
  suppressBooleanAttributes: false,
  // Empty elements are written self-closed (<atom:link href="…"/>); undefined children are left out.
  suppressEmptyNode: true,
  format: true,
  indentBy: ' ',
});

export function buildXml(root: XmlNode): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build(root) as string}`;
}
