// The engine's typed-array structures (keyTable.ts, keyLog.ts, terms.ts), checked against
// plain Maps under the same random operations, and the keys they hold (keys.ts).
import { describe, expect, it } from 'vitest';
import { KeyLog } from '../../src/cluster/keyLog';
import { KeyTable } from '../../src/cluster/keyTable';
import { articleKey, termHash } from '../../src/cluster/keys';
import { mintStoryId, storyIdOf, storyKey } from '../../src/cluster/story-id';
import { TermIndex } from '../../src/cluster/terms';
import { fromPairs, type TermVector } from '../../src/cluster/vector';
import { seededRandom as random } from '../fixtures/random';

describe('KeyTable', () => {
  it('agrees with a Map through inserts, updates, deletes, growth and tombstone clean-ups', () => {
    const next = random(7);
    const table = new KeyTable(true);
    const model = new Map<string, number>();
    for (let step = 0; step < 20_000; step++) {
      // Few distinct keys (0 and 1 among them), so deletes and re-inserts hit the same places.
      const lo = Math.floor(next() * 300);
      const hi = Math.floor(next() * 3);
      const name = `${lo}/${hi}`;
      if (next() < 0.35) {
        expect(table.delete(lo, hi)).toBe(model.delete(name));
      } else {
        const value = Math.floor(next() * 1e6);
        table.set(lo, hi, value);
        model.set(name, value);
      }
      expect(table.size).toBe(model.size);
    }
    for (let lo = 0; lo < 300; lo++) {
      for (let hi = 0; hi < 3; hi++) expect(table.get(lo, hi)).toBe(model.get(`${lo}/${hi}`));
    }
    expect(table.size + table.deleted).toBeLessThanOrEqual(table.capacity * 0.7);
  });

  it('restores from its own arrays and refuses arrays whose counts do not match', () => {
    const table = new KeyTable(false);
    for (let i = 0; i < 100; i++) table.set(termHash(`t${i}`), 0, i);
    table.delete(termHash('t3'));
    const copy = KeyTable.from(table.lo.slice(), null, table.values.slice(), table.size, table.deleted);
    expect(copy.get(termHash('t42'))).toBe(42);
    expect(copy.get(termHash('t3'))).toBeUndefined();
    expect(() => KeyTable.from(table.lo.slice(), null, table.values.slice(), table.size + 1, table.deleted)).toThrow(/does not match its counts/);
    expect(() => KeyTable.from(new Uint32Array(24), null, new Uint32Array(24), 0, 0)).toThrow(/bad capacity/);
  });

  it('reads stored arrays where they are and copies them at the first change, leaving them as they were', () => {
    const table = new KeyTable(false);
    for (let i = 0; i < 100; i++) table.set(termHash(`t${i}`), 0, i);
    const [lo, values] = [table.lo.slice(), table.values.slice()];
    const [loBefore, valuesBefore] = [lo.slice(), values.slice()];
    const loaded = KeyTable.from(lo, null, values, table.size, table.deleted);
    expect(loaded.lo).toBe(lo); // no copy while nothing changes
    loaded.set(termHash('t1'), 0, 1001);
    loaded.set(termHash('new'), 0, 7);
    loaded.delete(termHash('t2'));
    expect([loaded.get(termHash('t1')), loaded.get(termHash('new')), loaded.get(termHash('t2'))]).toEqual([1001, 7, undefined]);
    expect(loaded.get(termHash('t99'))).toBe(99);
    expect(lo).toEqual(loBefore);
    expect(values).toEqual(valuesBefore);
  });
});

describe('KeyLog', () => {
  it('forgets its oldest entries first and keeps a known key in its place, as a bounded Map would', () => {
    const next = random(11);
    const log = new KeyLog();
    const model = new Map<number, number>();
    for (let step = 0; step < 5_000; step++) {
      const key = Math.floor(next() * 2_000);
      const value = step;
      log.set({ lo: key, hi: key ^ 0xffff }, { lo: value, hi: 1 });
      model.set(key, value);
      log.trim(500);
      while (model.size > 500) model.delete(model.keys().next().value!);
      expect(log.size).toBe(model.size);
    }
    for (let key = 0; key < 2_000; key++) {
      const found = log.get({ lo: key, hi: key ^ 0xffff });
      expect(found === null ? undefined : found.lo).toBe(model.get(key));
    }
    // Stored and reloaded, it holds the same entries in the same order.
    const reloaded = new KeyLog(log.stored().slice());
    expect([...reloaded.stored()]).toEqual([...log.stored()]);
    expect(reloaded.get({ lo: [...model.keys()][0]!, hi: [...model.keys()][0]! ^ 0xffff })).not.toBeNull();
  });

  it('reads stored entries where they are and copies them at the first change, leaving them as they were', () => {
    const stored = Uint32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const log = new KeyLog(stored);
    log.mapValues((lo, hi) => ({ lo, hi })); // unchanged values: nothing written
    log.mapValues((lo, hi) => (lo === 7 ? { lo: 70, hi } : { lo, hi }));
    log.set({ lo: 9, hi: 10 }, { lo: 11, hi: 12 });
    expect([...log.stored()]).toEqual([1, 2, 3, 4, 5, 6, 70, 8, 9, 10, 11, 12]);
    expect(log.get({ lo: 5, hi: 6 })).toEqual({ lo: 70, hi: 8 });
    expect([...stored]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('refuses a stored log that repeats a key', () => {
    expect(() => new KeyLog(Uint32Array.from([1, 2, 3, 4, 1, 2, 5, 6]))).toThrow(/repeats a key/);
  });
});

describe('TermIndex', () => {
  /** The posting of `id` as sorted [slot, weight] pairs, from the loaded part and what was gained since. */
  function posting(index: TermIndex, id: number): [number, number][] {
    const out: [number, number][] = [];
    const [from, to] = index.baseRange(id);
    for (let i = from; i < to; i++) if (index.baseWeight(i) !== 0) out.push([index.baseSlot(i), index.baseWeight(i)]);
    const gained = index.gained(id);
    for (let i = 0; i < (gained?.size ?? 0); i++) out.push([gained!.slots[i]!, gained!.weights[i]!]);
    return out.sort((a, b) => a[0] - b[0]);
  }

  it('loads postings from stored centroids and keeps them right through sets, removals and reused ids', () => {
    const next = random(3);
    const terms = Array.from({ length: 40 }, (_, i) => termHash(`term${i}`));
    // 30 stories (slots) holding a few terms each, quantised as a snapshot stores them.
    const hashes = new Uint32Array(terms);
    const centroids: TermVector[] = Array.from({ length: 30 }, () => {
      const held = new Map<number, number>();
      for (let k = 0; k < 5; k++) held.set(Math.floor(next() * 40), 1 + Math.floor(next() * 4095));
      return fromPairs([...held]);
    });
    const units = Float64Array.from(centroids, () => 0.5 + next());
    const index = TermIndex.load(hashes, terms.length, {
      ids: Int32Array.from(centroids.flatMap((c) => [...c.ids.subarray(0, c.size)])),
      steps: Uint16Array.from(centroids.flatMap((c) => [...c.weights.subarray(0, c.size)])),
      sizes: centroids.map((c) => c.size),
      units,
    });
    const model = new Map<number, Map<number, number>>(); // term hash -> slot -> weight
    centroids.forEach((c, slot) => {
      for (let k = 0; k < c.size; k++) {
        const hash = terms[c.ids[k]!]!;
        if (!model.has(hash)) model.set(hash, new Map());
        model.get(hash)!.set(slot, c.weights[k]! * units[slot]!);
      }
    });
    for (let step = 0; step < 3_000; step++) {
      const hash = terms[Math.floor(next() * terms.length)]!;
      const slot = Math.floor(next() * 40);
      const held = model.get(hash);
      if (next() < 0.5 && held?.has(slot)) {
        index.remove(index.id(hash)!, slot);
        held.delete(slot);
        if (held.size === 0) model.delete(hash);
      } else {
        const weight = 1 + Math.floor(next() * 100);
        index.set(index.intern(hash), slot, weight);
        if (!model.has(hash)) model.set(hash, new Map());
        model.get(hash)!.set(slot, weight);
      }
    }
    const ids = new Set<number>();
    for (const hash of terms) {
      const held = model.get(hash);
      const id = index.id(hash);
      if (!held) {
        expect(id).toBeUndefined();
        continue;
      }
      expect(index.term(id!)).toBe(hash);
      expect(index.size(id!)).toBe(held.size);
      expect(posting(index, id!)).toEqual([...held].sort((a, b) => a[0] - b[0]));
      ids.add(id!);
    }
    // Freed ids are reused: the id space stays the size of the live vocabulary.
    expect(index.capacity).toBeLessThanOrEqual(terms.length);
    expect(ids.size).toBe(model.size);
  });
});

describe('keys', () => {
  it('turns every minted story id into its two lanes and back', () => {
    for (const article of ['a', 'https://example.com/news/1', 'ü-😀', '']) {
      const id = mintStoryId(article, () => false);
      const key = storyKey(id)!;
      expect(storyIdOf(key.lo, key.hi)).toBe(id);
    }
    expect(storyKey('not-a-story-id')).toBeNull();
    expect(storyKey('zzzzzzzzzzzzzz')).toBeNull(); // 7 base-36 digits past 2^32
  });

  it('gives distinct 64-bit keys to distinct article ids', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const { lo, hi } = articleKey(`https://example.com/${i}`);
      seen.add(`${lo}:${hi}`);
    }
    expect(seen.size).toBe(50_000);
  });
});
