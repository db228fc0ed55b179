// XML text to a small element tree with namespaces resolved and xml:base applied.
// The DOCTYPE is cut out first (doctype.ts: bounded internal entities), then one scan
// (xmlScan.ts) feeds the tree builder (treeBuilder.ts) directly: no intermediate tree.
import { extractDoctype } from './doctype';
import type { EntityContext } from './entities';
import { TreeBuilder } from './treeBuilder';
import { scanXml } from './xmlScan';

export interface XElement {
  /** Name as written, e.g. 'dc:creator'. */
  qname: string;
  /** Namespace URI, '' when none or undeclared. */
  ns: string;
  local: string;
  /** Canonical name readers match on ('title', 'dc:creator', 'atom:link'), see namespaces.ts. */
  key: string;
  /** Attributes by written name, values decoded. */
  attrs: Record<string, string>;
  children: XNode[];
  /** Base URL in effect for this element (xml:base chain over the document URL), or null. */
  base: string | null;
}

/** Text (entity-decoded, CDATA verbatim) or an element. */
export type XNode = XElement | string;

export interface XmlDocument {
  root: XElement;
  wellformed: boolean;
}

export function parseXml(source: string, documentUrl: string | null): XmlDocument {
  // XML end-of-line handling: CRLF and lone CR read as LF.
  const normalised = source.indexOf('\r') >= 0 ? source.replace(/\r\n?/g, '\n') : source;
  const doctype = extractDoctype(normalised);
  const entities: EntityContext = { declared: doctype.entities, broken: false, externalDtd: doctype.external };
  const builder = new TreeBuilder(documentUrl, entities);
  scanXml(doctype.text, builder);
  return builder.finish();
}
