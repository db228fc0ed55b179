// Builds the element tree straight from the scanner's events: namespaces resolved to the
// readers' fixed prefixes, xml:base chains applied, references expanded. Recovery from broken
// markup: an end tag closes the nearest open element of that name (and any left open inside
// it), stray end tags are ignored, elements still open at the end are closed. Each repair, and
// each entity error, marks the document not well-formed.
import { decodeEntities, type EntityContext } from './entities';
import { FeedParseError } from '../errors';
import { enterScope, resolveName, ROOT_SCOPE, type NsScope, type ResolvedName } from './namespaces';
import { childBase } from '../urls';
import type { XElement, XmlDocument, XNode } from './nodes';
import type { XmlSink } from './xmlScan';

export const MAX_DEPTH = 256;

/**
 * Elements plus attributes one document may hold. The tree costs ~130 bytes per element: a
 * 5 MB document of `<a/>` would need ~160 MB, more than a Worker has. A 1,000-item news feed
 * with full markup has ~30,000; 100,000 tiny items (3.3 MB) have ~200,000 and still parse.
 */
export const MAX_MARKUP_NODES = 400_000;

/** Attribute tables have no prototype: their keys are feed text (see xmlScan.ts). */
const NO_ATTRS: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);

export class TreeBuilder implements XmlSink {
  private root: XElement | null = null;
  private readonly open: XElement[] = [];
  private readonly scopes: NsScope[] = [];
  private broken = false;
  private nodes = 0;
  /** resolveName results per scope object: most elements share their parent's scope. */
  private readonly names = new Map<NsScope, Map<string, ResolvedName>>();

  constructor(
    private readonly documentUrl: string | null,
    private readonly entities: EntityContext,
  ) {}

  openTag(qname: string, rawAttrs: Record<string, string> | null, names: readonly string[], selfClosing: boolean): void {
    const depth = this.open.length;
    if (depth >= MAX_DEPTH) throw new FeedParseError('xml: elements nested too deeply');
    this.count(1);
    const parent = depth > 0 ? this.open[depth - 1]! : null;
    const parentScope = depth > 0 ? this.scopes[depth - 1]! : ROOT_SCOPE;
    const parentBase = parent ? parent.base : this.documentUrl;
    let attrs = NO_ATTRS;
    let scope = parentScope;
    let base = parentBase;
    if (rawAttrs) {
      // The scanner's table becomes the element's: values are decoded in place, not copied.
      attrs = rawAttrs;
      let declaresNamespace = false;
      for (const name of names) {
        const raw = attrs[name]!;
        const value = decodeEntities(raw, this.entities);
        if (value !== raw) attrs[name] = value;
        if (name.startsWith('xmlns')) declaresNamespace = true;
      }
      this.count(names.length);
      if (declaresNamespace) scope = enterScope(parentScope, attrs);
      if (attrs['xml:base'] !== undefined) base = childBase(attrs['xml:base'], parentBase);
    }
    const { ns, local, key } = this.resolve(qname, scope);
    const el: XElement = { qname, ns, local, key, attrs, children: [], base };
    if (parent) append(parent, el);
    else if (this.root === null) this.root = el;
    else this.broken = true; // a second root element: read, then dropped
    if (!selfClosing) {
      this.open.push(el);
      this.scopes.push(scope);
    }
  }

  closeTag(qname: string): void {
    const top = this.open.length - 1;
    if (top >= 0 && this.open[top]!.qname === qname) {
      this.open.pop();
      this.scopes.pop();
      return;
    }
    this.broken = true;
    for (let at = top - 1; at >= 0; at--) {
      if (this.open[at]!.qname === qname) {
        this.open.length = at;
        this.scopes.length = at;
        return;
      }
    }
  }

  text(raw: string): void {
    const parent = this.open[this.open.length - 1];
    if (parent) append(parent, decodeEntities(raw, this.entities));
    else if (!isBlank(raw)) this.broken = true; // text outside the root element
  }

  cdata(text: string): void {
    const parent = this.open[this.open.length - 1];
    if (parent) append(parent, text);
    else this.broken = true;
  }

  malformed(): void {
    this.broken = true;
  }

  finish(): XmlDocument {
    if (!this.root) throw new FeedParseError('xml: no root element (empty or not XML)');
    const wellformed = !this.broken && !this.entities.broken && this.open.length === 0;
    return { root: this.root, wellformed };
  }

  private count(nodes: number): void {
    this.nodes += nodes;
    if (this.nodes > MAX_MARKUP_NODES) {
      throw new FeedParseError(`xml: more than ${MAX_MARKUP_NODES} elements and attributes in one document (refused to bound memory)`);
    }
  }

  private resolve(qname: string, scope: NsScope): ResolvedName {
    let cache = this.names.get(scope);
    if (!cache) this.names.set(scope, (cache = new Map()));
    let resolved = cache.get(qname);
    if (!resolved) cache.set(qname, (resolved = resolveName(qname, scope)));
    return resolved;
  }
}

/**
 * Most elements hold one child (a title's text): an exact one-element array costs ~40 bytes
 * where a first push() reserves room for 17 (~150 bytes), a third of a tiny item's tree.
 */
function append(parent: XElement, node: XNode): void {
  if (parent.children.length === 0) parent.children = [node];
  else parent.children.push(node);
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) return false;
  }
  return true;
}
