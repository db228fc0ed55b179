// Eval-set lines ({"id","title","text","published",…,"cluster"}) as the engine's input: HTML
// titles and texts become plain text as the Worker's normaliser makes them.
import { readFileSync } from 'node:fs';
import type { ClusterInput } from '../../src/cluster/index';
import { htmlToText, looksLikeHtml, titleText } from '../../src/normalise/text';

/** The engine's input from one parsed line; throws on a line without an id. */
export function articleFromRecord(record: Record<string, unknown>): ClusterInput {
  const id = record.id;
  if (typeof id !== 'string' && typeof id !== 'number') throw new Error('missing "id"');
  const str = (value: unknown) => (typeof value === 'string' ? value : null);
  const text = str(record.text) ?? '';
  return { id: String(id), title: titleText(str(record.title)), text: looksLikeHtml(text) ? htmlToText(text) : text, published: str(record.published) };
}

export interface LabelledArticle {
  input: ClusterInput;
  gold: string;
}

/** A gold-labelled set, its first `limit` lines (all by default). */
export function readLabelledSet(path: string, limit = Infinity): LabelledArticle[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  return lines.slice(0, limit).map((line, i) => {
    const record = JSON.parse(line) as Record<string, unknown>;
    if (record.cluster === undefined) throw new Error(`${path}:${i + 1}: no "cluster" label`);
    return { input: articleFromRecord(record), gold: JSON.stringify(record.cluster) };
  });
}
