// Background document frequencies: what a fresh engine knows about words before it has counted
// any story. A new deployment with a few feeds has almost no frequencies of its own, so every
// word looks rare and two events sharing one town name and one everyday word ("return") look
// alike. The table (prior-table.ts, built by `npm run prior`) says in what fraction of the
// background stories each term appeared; frequencies.ts blends it in as `priorUnits` pseudo
// stories, which the live counts outnumber as the engine grows. It is constant code, never
// part of the stored state.
//
// Table bytes, in columns so that nothing has to be decoded before a lookup (a cold isolate
// pays no per-term loop, only the native atob of the module's base64): the terms' 32-bit hashes
// (keys.ts) ascending, as four columns of n bytes (bits 31-24 of every hash, then 23-16, 15-8,
// 7-0; the first column is nearly constant runs, so the bundle's gzip takes it almost for free),
// then one byte per term: round(LOG_STEPS × ln(units / count)), the term's rarity on a log scale.
// Lookups binary-search the hashes in place.
import { PRIOR_DATA, PRIOR_TERMS } from './prior-table';

/** Quantisation steps per unit of natural log: a fraction is kept within about 3 %. */
export const LOG_STEPS = 16;
const MAX_STEP = 255;
/** Bytes per term: four hash bytes and one rarity byte. */
const TERM_BYTES = 5;

/** The background's view of a term: the fraction of stories holding it (0: unknown, i.e. rare). */
export interface BackgroundPrior {
  /** Pseudo-units the prior counts for (0: no prior). */
  readonly units: number;
  fraction(termHash: number): number;
}

export const NO_PRIOR: BackgroundPrior = { units: 0, fraction: () => 0 };

/** A table as its bytes, one character per byte (as `atob` gives them), read in place. */
export interface PriorTable {
  readonly terms: number;
  readonly data: string;
}

/** Each rarity step's fraction, computed once instead of once per term. */
const FRACTION_OF_STEP = Float64Array.from({ length: MAX_STEP + 1 }, (_, step) => Math.exp(-step / LOG_STEPS));

/** Table bytes from term counts over `units` background stories (deterministic: sorted by hash). */
export function encodePriorTable(counts: ReadonlyMap<number, number>, units: number): Uint8Array {
  const hashes = [...counts.keys()].sort((a, b) => a - b);
  const n = hashes.length;
  const out = new Uint8Array(TERM_BYTES * n);
  hashes.forEach((hash, i) => {
    if (!(Number.isInteger(hash) && hash >= 0 && hash <= 0xffffffff)) throw new Error(`prior: term hash ${hash} is not a 32-bit hash`);
    const count = counts.get(hash)!;
    if (!(count > 0 && count <= units)) throw new Error(`prior: count ${count} of term ${hash} is outside 1..${units}`);
    out[i] = hash >>> 24;
    out[n + i] = (hash >>> 16) & 0xff;
    out[2 * n + i] = (hash >>> 8) & 0xff;
    out[3 * n + i] = hash & 0xff;
    out[4 * n + i] = Math.min(MAX_STEP, Math.round(LOG_STEPS * Math.log(units / count)));
  });
  return out;
}

/** A table over bytes holding `terms` terms (a Uint8Array, or a string of one character per byte); throws on any other length. */
export function decodePriorTable(bytes: Uint8Array | string, terms: number): PriorTable {
  if (bytes.length !== TERM_BYTES * terms) {
    throw new Error(`prior: expected ${TERM_BYTES * terms} bytes for ${terms} terms, found ${bytes.length}`);
  }
  if (typeof bytes === 'string') return { terms, data: bytes };
  let data = '';
  for (let i = 0; i < bytes.length; i += 8192) data += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return { terms, data };
}

/** The table's i-th hash, read from its four columns. */
export function hashAt(table: PriorTable, i: number): number {
  const { data, terms } = table;
  return ((data.charCodeAt(i) << 24) | (data.charCodeAt(terms + i) << 16) | (data.charCodeAt(2 * terms + i) << 8) | data.charCodeAt(3 * terms + i)) >>> 0;
}

/** The fraction of background stories holding the term (binary search), 0 if the table lacks it. */
export function fractionIn(table: PriorTable, termHash: number): number {
  let low = 0;
  let high = table.terms - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = hashAt(table, mid);
    if (value < termHash) low = mid + 1;
    else if (value > termHash) high = mid - 1;
    else return FRACTION_OF_STEP[table.data.charCodeAt(4 * table.terms + mid)]!;
  }
  return 0;
}

// Read once per isolate, on the first engine that asks for it.
let shipped: PriorTable | null = null;

/** The shipped table (prior-table.ts). */
export function shippedPriorTable(): PriorTable {
  shipped ??= decodePriorTable(atob(PRIOR_DATA), PRIOR_TERMS);
  return shipped;
}

/** The shipped table as `units` pseudo-stories; NO_PRIOR for 0. */
export function backgroundPrior(units: number): BackgroundPrior {
  if (units <= 0) return NO_PRIOR;
  const table = shippedPriorTable();
  return { units, fraction: (termHash) => fractionIn(table, termHash) };
}
