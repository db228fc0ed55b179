// The element tree the XML layer builds and the format readers walk.

export interface XElement {
  /** Name as written, e.g. 'dc:creator'. */
  qname: string;
  /** Namespace URI, '' when none or undeclared. */
  ns: string;
  local: string;
  /** Canonical name readers match on ('title', 'dc:creator', 'atom:link'), see namespaces.ts. */
  key: string;
  /** Attributes by written name, values decoded; the table has no prototype (names are feed text). */
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
