// The XML layer's door: text to element tree (parseXml), the tree's types, total helpers to
// read it, and the namespace URIs readers test for.
export { parseXml } from './xml';
export type { XElement, XNode, XmlDocument } from './nodes';
export { attr, child, childrenOf, elementsOf, escapeText, hasElementChildren, innerMarkup, isElement, textContent, textOf } from './tree';
export { ATOM03_NS, ATOM10_NS, RSS090_NS, XHTML_NS } from './namespaces';
export { codePointText } from './entities';
