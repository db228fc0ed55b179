// The layering docs/architecture.md describes, checked on the source: no import cycles in src/
// (type-only imports included), and KV touched only by src/store/ (and the cluster engine's store).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
  .map((f) => f.replaceAll('\\', '/'));

/** Relative imports and re-exports of a module, `import type` included, as paths under src/. */
function importsOf(file: string): string[] {
  const source = readFileSync(join(SRC, file), 'utf8');
  const out: string[] = [];
  for (const [, spec] of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'/g)) {
    const base = relative(SRC, join(SRC, dirname(file), spec!)).replaceAll('\\', '/');
    const target = [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((c) => files.includes(c));
    if (target) out.push(target);
  }
  return out;
}

function cycles(): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return found;
}

describe('src/ layering', () => {
  it('finds the imports it checks', () => {
    expect(importsOf('scheduled.ts')).toContain('store/lease.ts');
    expect(importsOf('parse/rss/index.ts').length).toBeGreaterThan(0);
  });

  it('has no import cycles, type-only imports included', () => {
    expect(cycles().map((c) => c.join(' -> '))).toEqual([]);
  });

  it('takes a KV namespace only in src/store/, scheduled.ts and queued/ (which wire them)', () => {
    const outside = files.filter((f) => !f.startsWith('store/') && f !== 'scheduled.ts' && !f.startsWith('queued/'))
      .filter((f) => readFileSync(join(SRC, f), 'utf8').includes('KVNamespace'));
    expect(outside).toEqual([]);
  });

  it('calls KV only in src/store/', () => {
    const kvCall = /\b(?:kv|STATE)\.(?:get|put|list|delete|getWithMetadata)\(/;
    const outside = files.filter((f) => !f.startsWith('store/'))
      .filter((f) => kvCall.test(readFileSync(join(SRC, f), 'utf8')));
    expect(outside).toEqual([]);
  });
});
