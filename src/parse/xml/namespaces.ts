// Namespace URIs feeds use, mapped to the fixed prefixes the format readers look for, so that
// `<foo:creator xmlns:foo="http://purl.org/dc/elements/1.1/">` reads as `dc:creator`.
// The formats' own namespaces map to '' (plain local names). Prefixes and URIs are feed text,
// so every table here is a Map: a prefix such as `toString:` must not find Object.prototype.

export const XHTML_NS = 'http://www.w3.org/1999/xhtml';
export const ATOM10_NS = 'http://www.w3.org/2005/Atom';
export const ATOM03_NS = 'http://purl.org/atom/ns#';
export const RSS090_NS = 'http://my.netscape.com/rdf/simple/0.9/';
export const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

const PREFIX_BY_URI: ReadonlyMap<string, string> = new Map(Object.entries({
  'http://purl.org/rss/1.0/': '',
  [RSS090_NS]: '',
  'http://backend.userland.com/rss2': '',
  'http://backend.userland.com/rss': '',
  'http://blogs.law.harvard.edu/tech/rss': '',
  'http://purl.org/net/rss1.1#': '',
  [ATOM10_NS]: 'atom',
  [ATOM03_NS]: 'atom',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  [RDF_NS]: 'rdf',
  [XHTML_NS]: 'xhtml',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://www.w3.org/XML/1998/namespace': 'xml',
  'http://purl.org/rss/1.0/modules/slash/': 'slash',
  'http://wellformedweb.org/CommentAPI/': 'wfw',
}));

/** Prefixes understood even when a feed forgets to declare them. */
const WELL_KNOWN_PREFIXES = new Set(['atom', 'content', 'dc', 'dcterms', 'media', 'rdf', 'itunes', 'xhtml', 'xml']);

/**
 * In-scope prefix -> URI bindings ('' is the default namespace): the bindings an element
 * declares, chained to its parent's scope. A chain, not a copy per element, so that many
 * declarations under a large scope cost what they declare (depth is bounded by the tree builder).
 */
export interface NsScope {
  readonly parent: NsScope | null;
  readonly bindings: ReadonlyMap<string, string>;
}

export const ROOT_SCOPE: NsScope = { parent: null, bindings: new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]) };

/** The scope inside an element, given its attributes (a new scope only if it declares namespaces). */
export function enterScope(parent: NsScope, attrs: Record<string, string>): NsScope {
  let bindings: Map<string, string> | null = null;
  for (const name in attrs) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      bindings ??= new Map();
      bindings.set(name === 'xmlns' ? '' : name.slice(6), attrs[name]!.trim());
    }
  }
  return bindings ? { parent, bindings } : parent;
}

function lookupPrefix(scope: NsScope, prefix: string): string | undefined {
  for (let at: NsScope | null = scope; at; at = at.parent) {
    const uri = at.bindings.get(prefix);
    if (uri !== undefined) return uri;
  }
  return undefined;
}

export interface ResolvedName {
  /** Namespace URI ('' for none or unknown). */
  ns: string;
  local: string;
  /** What readers match on: 'title', 'dc:creator', 'atom:link', or the raw name for unknown namespaces. */
  key: string;
}

export function resolveName(qname: string, scope: NsScope): ResolvedName {
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  const local = colon < 0 ? qname : qname.slice(colon + 1);
  const uri = lookupPrefix(scope, prefix);
  if (uri !== undefined && uri !== '') {
    const known = PREFIX_BY_URI.get(uri) ?? PREFIX_BY_URI.get(uri.toLowerCase());
    if (known !== undefined) return { ns: uri, local, key: known ? `${known}:${local}` : local };
    return { ns: uri, local, key: prefix ? qname : local };
  }
  if (prefix && WELL_KNOWN_PREFIXES.has(prefix.toLowerCase())) {
    return { ns: '', local, key: `${prefix.toLowerCase()}:${local}` };
  }
  return { ns: '', local, key: qname };
}
