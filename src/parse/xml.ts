// XML text to a small element tree with namespaces resolved and xml:base applied.
// fast-xml-parser does the tokenising (no value coercion, attributes kept, entities left
// alone); DOCTYPE entities and references are handled by doctype.ts and entities.ts.
import { XMLParser } from 'fast-xml-parser';
import { extractDoctype } from './doctype';
import { decodeEntities, type EntityContext } from './entities';
import { FeedParseError } from './errors';
import { enterScope, resolveName, ROOT_SCOPE, type NsScope } from './namespaces';
import { childBase } from './urls';
import { tagsBalance } from './wellformed';

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

const MAX_DEPTH = 256;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_DEPTH,
});

type RawNode = Record<string, unknown>;

export function parseXml(source: string, documentUrl: string | null): XmlDocument {
  const normalised = source.indexOf('\r') >= 0 ? source.replace(/\r\n?/g, '\n') : source;
  const doctype = extractDoctype(normalised);
  const { raw, repaired } = tokenise(doctype.text);
  const ctx: EntityContext = { declared: doctype.entities, broken: false, externalDtd: doctype.external };
  const nodes = convert(raw, ROOT_SCOPE, documentUrl, ctx, 0);
  const root = nodes.find((node): node is XElement => typeof node !== 'string');
  if (!root) throw new FeedParseError('xml: no root element (empty or not XML)');
  const wellformed = !repaired && !ctx.broken && tagsBalance(doctype.text);
  return { root, wellformed };
}

/** fast-xml-parser output; a document cut off inside a tag (truncated download) is parsed up to the cut. */
function tokenise(text: string): { raw: RawNode[]; repaired: boolean } {
  try {
    return { raw: parser.parse(text) as RawNode[], repaired: false };
  } catch (err) {
    const lastOpen = text.lastIndexOf('<');
    if (lastOpen > 0 && text.indexOf('>', lastOpen) < 0) {
      try {
        return { raw: parser.parse(text.slice(0, lastOpen)) as RawNode[], repaired: true };
      } catch {
        // fall through to the original error, which says more
      }
    }
    throw new FeedParseError(`xml: ${(err as Error).message}`);
  }
}

function convert(raw: RawNode[], scope: NsScope, base: string | null, ctx: EntityContext, depth: number): XNode[] {
  if (depth > MAX_DEPTH) throw new FeedParseError('xml: elements nested too deeply');
  const out: XNode[] = [];
  for (const node of raw) {
    for (const name in node) {
      if (name === ':@') continue;
      const value = node[name];
      if (name === '#text') {
        out.push(decodeEntities(String(value), ctx));
      } else if (name === '#cdata') {
        out.push(cdataText(value));
      } else {
        out.push(element(name, node[':@'] as Record<string, unknown> | undefined, value, scope, base, ctx, depth));
      }
    }
  }
  return out;
}

function element(
  qname: string,
  rawAttrs: Record<string, unknown> | undefined,
  rawChildren: unknown,
  parentScope: NsScope,
  parentBase: string | null,
  ctx: EntityContext,
  depth: number,
): XElement {
  const attrs: Record<string, string> = {};
  if (rawAttrs) {
    for (const name in rawAttrs) {
      const value = rawAttrs[name];
      attrs[name] = typeof value === 'string' ? decodeEntities(value, ctx) : '';
    }
  }
  const scope = rawAttrs ? enterScope(parentScope, attrs) : parentScope;
  const { ns, local, key } = resolveName(qname, scope);
  const base = childBase(attrs['xml:base'], parentBase);
  const children = Array.isArray(rawChildren) ? convert(rawChildren as RawNode[], scope, base, ctx, depth + 1) : [];
  return { qname, ns, local, key, attrs, children, base };
}

function cdataText(value: unknown): string {
  if (!Array.isArray(value)) return '';
  let text = '';
  for (const part of value as RawNode[]) text += String(part['#text'] ?? '');
  return text;
}
