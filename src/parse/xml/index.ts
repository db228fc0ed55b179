// The XML layer's door: text to element tree (parseXml), the tree's types, total helpers to
// read it, the namespace URIs readers test for, and the per-document bounds (docs/parsing.md).
export { parseXml } from './xml';
export type { XElement, XNode, XmlDocument } from './nodes';
export { attr, child, childrenOf, escapeText, hasElementChildren, innerMarkup, isElement, textContent, textOf } from './tree';
export { ATOM03_NS, ATOM10_NS, RSS090_NS, XHTML_NS } from './namespaces';
export { codePointText, MAX_ENTITY_OUTPUT_CHARS } from './entities';
export { MAX_DEPTH, MAX_MARKUP_NODES } from './treeBuilder';
export { MAX_ATTRIBUTES } from './xmlScan';
