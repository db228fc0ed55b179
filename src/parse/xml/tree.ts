// Small, total helpers for reading the element tree: lookups return undefined, never throw.
import { XHTML_NS } from './namespaces';
import type { XElement, XNode } from './nodes';

export function isElement(node: XNode | undefined): node is XElement {
  return typeof node === 'object' && node !== null;
}

/** First child element with one of the given keys (first key wins over later ones). */
export function child(el: XElement | undefined, ...keys: string[]): XElement | undefined {
  if (!el) return undefined;
  for (const key of keys) {
    for (const node of el.children) if (isElement(node) && node.key === key) return node;
  }
  return undefined;
}

export function childrenOf(el: XElement | undefined, ...keys: string[]): XElement[] {
  if (!el) return [];
  const out: XElement[] = [];
  for (const node of el.children) if (isElement(node) && keys.includes(node.key)) out.push(node);
  return out;
}

/** All descendant text, in order. */
export function textContent(el: XElement | undefined): string {
  if (!el) return '';
  let out = '';
  for (const node of el.children) out += typeof node === 'string' ? node : textContent(node);
  return out;
}

/** Trimmed text, or null when empty. */
export function textOf(el: XElement | undefined): string | null {
  const text = textContent(el).trim();
  return text === '' ? null : text;
}

export function attr(el: XElement | undefined, ...names: string[]): string | undefined {
  if (!el) return undefined;
  for (const name of names) {
    const value = el.attrs[name];
    if (value !== undefined) return value;
  }
  return undefined;
}

export function hasElementChildren(el: XElement): boolean {
  return el.children.some(isElement);
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/** Children serialised back to markup (inline XHTML and "naked" HTML in RSS). */
export function innerMarkup(el: XElement): string {
  let out = '';
  for (const node of el.children) out += typeof node === 'string' ? escapeText(node) : outerMarkup(node);
  return out;
}

function outerMarkup(el: XElement): string {
  const name = el.ns === XHTML_NS || el.key.startsWith('xhtml:') ? el.local : el.qname;
  let open = '<' + name;
  for (const attrName in el.attrs) {
    // The XHTML namespace declaration is implied by HTML; other vocabularies (SVG, MathML) keep theirs.
    if ((attrName === 'xmlns' || attrName.startsWith('xmlns:')) && el.attrs[attrName] === XHTML_NS) continue;
    if (attrName === 'xml:base') continue;
    open += ` ${attrName}="${escapeAttr(el.attrs[attrName]!)}"`;
  }
  if (el.children.length === 0 && VOID.has(name.toLowerCase())) return open + ' />';
  return `${open}>${innerMarkup(el)}</${name}>`;
}

export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : '&gt;'));
}

function escapeAttr(text: string): string {
  return text.replace(/[&<"]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : '&quot;'));
}
