// OPML 2.0 subscription lists: read the feeds out of one (import), write the sources as one
// (export). Pure. Outlines may nest (folders); only those with an xmlUrl are feeds.
import { XMLParser } from 'fast-xml-parser';
import type { Source } from '../model';

export interface OpmlFeed {
  url: string;
  name: string | null;
}

export class OpmlError extends Error {
  override name = 'OpmlError';
}

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => name.toLowerCase() === 'outline' || name.toLowerCase() === 'body',
  transformTagName: (name) => name.toLowerCase(),
  transformAttributeName: (name) => name.toLowerCase(),
});

export function parseOpml(text: string): OpmlFeed[] {
  // No DTDs: an internal subset can declare entities that expand without bound.
  if (/<!DOCTYPE[^>]*\[|<!ENTITY/i.test(text)) throw new OpmlError('opml: documents with a DTD or entity declarations are not accepted');
  let doc: Node;
  try {
    doc = parser.parse(text, true) as Node;
  } catch (err) {
    throw new OpmlError(`opml: not well-formed XML (${(err as Error).message.split('\n')[0]})`);
  }
  const root = doc.opml as Node | undefined;
  if (!root || typeof root !== 'object') throw new OpmlError('opml: not an OPML document (no <opml> root)');
  const feeds: OpmlFeed[] = [];
  for (const body of asNodes(root.body)) collect(asNodes(body.outline), feeds, 0);
  return feeds;
}

function collect(outlines: Node[], into: OpmlFeed[], depth: number): void {
  if (depth > 32) throw new OpmlError('opml: outlines nested more than 32 deep');
  for (const outline of outlines) {
    const url = attr(outline, 'xmlurl');
    if (url) into.push({ url, name: attr(outline, 'title') ?? attr(outline, 'text') });
    collect(asNodes(outline.outline), into, depth + 1);
  }
}

export function renderOpml(sources: Source[], title: string, now: Date): string {
  const outlines = sources.map((s) => {
    const name = escapeAttr(s.name ?? s.url);
    return `    <outline type="rss" text="${name}" title="${name}" xmlUrl="${escapeAttr(s.url)}"/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeAttr(title)} sources</title>`,
    `    <dateCreated>${now.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    ...outlines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}

function asNodes(value: unknown): Node[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is Node => !!v && typeof v === 'object');
}

function attr(node: Node, name: string): string | null {
  const value = node[`@${name}`];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function escapeAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}
