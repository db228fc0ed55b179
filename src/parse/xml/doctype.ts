// The DOCTYPE is cut out before the scanner (xmlScan.ts) sees the document. Internal entities
// are kept (real feeds declare a few), expanded here once with hard limits so that "billion
// laughs" and quadratic-blowup documents fail cleanly instead of eating the Worker's CPU and memory.
import { codePointText } from './entities';
import { FeedParseError } from '../errors';

const MAX_ENTITIES = 256;
const MAX_ENTITY_LENGTH = 16 * 1024;
const MAX_TOTAL_EXPANSION = 256 * 1024;

export interface Doctype {
  /** The document with its DOCTYPE removed. */
  text: string;
  entities: Map<string, string>;
  /** True when the DOCTYPE points at an external DTD (which may define more entities). */
  external: boolean;
  found: boolean;
}

export function extractDoctype(text: string): Doctype {
  const start = findDoctype(text);
  if (start < 0) return { text, entities: new Map(), external: false, found: false };
  const end = doctypeEnd(text, start);
  const decl = text.slice(start, end);
  const open = decl.indexOf('[');
  const subset = open >= 0 ? decl.slice(open + 1, decl.lastIndexOf(']')) : '';
  const head = open >= 0 ? decl.slice(0, open) : decl;
  return {
    text: text.slice(0, start) + text.slice(end),
    entities: expandEntities(readEntityDeclarations(subset)),
    external: /\b(SYSTEM|PUBLIC)\b/.test(head),
    found: true,
  };
}

/** Index of `<!DOCTYPE` in the prolog (after the XML declaration, comments and PIs), or -1. */
function findDoctype(text: string): number {
  const prolog = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/.exec(text);
  const at = prolog ? prolog[0].length : 0;
  return text.startsWith('<!DOCTYPE', at) ? at : -1;
}

function doctypeEnd(text: string, start: number): number {
  let quote = '';
  let depth = 0;
  for (let i = start + 9; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '[') {
      depth++;
    } else if (ch === ']') {
      depth--;
    } else if (ch === '>' && depth <= 0) {
      return i + 1;
    }
  }
  throw new FeedParseError('xml: DOCTYPE is not closed');
}

function readEntityDeclarations(subset: string): Map<string, string> {
  const raw = new Map<string, string>();
  const declaration = /<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g;
  for (const match of subset.matchAll(declaration)) {
    if (raw.size >= MAX_ENTITIES) throw new FeedParseError('xml: too many entity declarations');
    const [, name, dq, sq] = match;
    // The first declaration of a name binds (XML 1.0 section 4.2).
    if (name && !raw.has(name)) raw.set(name, dq ?? sq ?? '');
  }
  return raw;
}

function expandEntities(raw: Map<string, string>): Map<string, string> {
  const done = new Map<string, string>();
  let total = 0;
  const expand = (name: string, trail: string[]): string => {
    const known = done.get(name);
    if (known !== undefined) return known;
    if (trail.includes(name)) throw new FeedParseError(`xml: entity "${name}" refers to itself`);
    const value = (raw.get(name) ?? '').replace(/&([A-Za-z_][\w.-]*);/g, (match, ref: string) =>
      raw.has(ref) ? expand(ref, [...trail, name]) : match,
    ).replace(/&#(x[0-9a-fA-F]{1,8}|[0-9]{1,8});/g, (match, num: string) =>
      codePointText(num[0] === 'x' ? parseInt(num.slice(1), 16) : parseInt(num, 10)) ?? match,
    );
    total += value.length;
    if (value.length > MAX_ENTITY_LENGTH || total > MAX_TOTAL_EXPANSION) {
      throw new FeedParseError(`xml: entity expansion limit exceeded (entity "${name}"; entity bomb?)`);
    }
    done.set(name, value);
    return value;
  };
  for (const name of raw.keys()) expand(name, []);
  return done;
}
