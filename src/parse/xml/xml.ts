// XML text to a small element tree with namespaces resolved and xml:base applied.
// The DOCTYPE is cut out first (doctype.ts: bounded internal entities), then one scan
// (xmlScan.ts) feeds the tree builder (treeBuilder.ts) directly: no intermediate tree.
import { extractDoctype } from './doctype';
import { MAX_ENTITY_OUTPUT_CHARS, type EntityContext } from './entities';
import type { XmlDocument } from './nodes';
import { TreeBuilder } from './treeBuilder';
import { scanXml } from './xmlScan';

export function parseXml(source: string, documentUrl: string | null): XmlDocument {
  // XML end-of-line handling: CRLF and lone CR read as LF.
  const normalised = source.indexOf('\r') >= 0 ? source.replace(/\r\n?/g, '\n') : source;
  const doctype = extractDoctype(normalised);
  const entities: EntityContext = {
    declared: doctype.entities,
    broken: false,
    externalDtd: doctype.external,
    expansionBudget: MAX_ENTITY_OUTPUT_CHARS,
  };
  const builder = new TreeBuilder(documentUrl, entities);
  scanXml(doctype.text, builder);
  return builder.finish();
}
