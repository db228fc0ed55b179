// Background document frequencies: what a fresh engine knows about words before it has counted
// any story. A new deployment with a few feeds has almost no frequencies of its own, so every
// word looks rare and two events sharing one town name and one everyday word ("return") look
// alike. The table (prior-table.ts, built by `npm run prior`) says in what fraction of the
// background stories each term appeared; frequencies.ts blends it in as `priorUnits` pseudo
// stories, which the live counts outnumber as the engine grows. It is constant code, never
// part of the stored state.
//
// Table bytes: the terms' 32-bit hashes (keys.ts) ascending, as gaps from the previous hash in
// LEB128 varints (sorted random hashes gap by ~2^32/n: about 3 bytes a term instead of 4), then
// one byte per term: round(LOG_STEPS × ln(units / count)), the term's rarity on a log scale.
import { PRIOR_DATA, PRIOR_TERMS } from './prior-table';

/** Quantisation steps per unit of natural log: a fraction is kept within about 3 %. */
export const LOG_STEPS = 16;
const MAX_STEP = 255;

/** The background's view of a term: the fraction of stories holding it (0: unknown, i.e. rare). */
export interface BackgroundPrior {
  /** Pseudo-units the prior counts for (0: no prior). */
  readonly units: number;
  fraction(termHash: number): number;
}

export const NO_PRIOR: BackgroundPrior = { units: 0, fraction: () => 0 };

/** A decoded table: hashes ascending, each term's fraction of the background stories. */
export interface PriorTable {
  hashes: Uint32Array;
  fractions: Float32Array;
}

/** Table bytes from term counts over `units` background stories (deterministic: sorted by hash). */
export function encodePriorTable(counts: ReadonlyMap<number, number>, units: number): Uint8Array {
  const hashes = [...counts.keys()].sort((a, b) => a - b);
  const out: number[] = [];
  let previous = 0;
  for (const hash of hashes) {
    let gap = hash - previous;
    previous = hash;
    while (gap >= 0x80) {
      out.push((gap % 0x80) | 0x80);
      gap = Math.floor(gap / 0x80);
    }
    out.push(gap);
  }
  for (const hash of hashes) {
    const count = counts.get(hash)!;
    if (!(count > 0 && count <= units)) throw new Error(`prior: count ${count} of term ${hash} is outside 1..${units}`);
    out.push(Math.min(MAX_STEP, Math.round(LOG_STEPS * Math.log(units / count))));
  }
  return Uint8Array.from(out);
}

/** Reads table bytes holding `terms` terms; throws on bytes that do not hold exactly that. */
export function decodePriorTable(bytes: Uint8Array, terms: number): PriorTable {
  const hashes = new Uint32Array(terms);
  let at = 0;
  let previous = 0;
  for (let i = 0; i < terms; i++) {
    let gap = 0;
    let scale = 1;
    for (;;) {
      if (at >= bytes.length) throw new Error('prior: table cut short');
      const byte = bytes[at++]!;
      gap += (byte & 0x7f) * scale;
      scale *= 0x80;
      if (byte < 0x80) break;
    }
    previous += gap;
    if (previous > 0xffffffff || (i > 0 && gap === 0)) throw new Error('prior: hashes out of order');
    hashes[i] = previous;
  }
  if (bytes.length - at !== terms) throw new Error(`prior: expected ${terms} rarity bytes, found ${bytes.length - at}`);
  const fractions = new Float32Array(terms);
  for (let i = 0; i < terms; i++) fractions[i] = Math.exp(-bytes[at + i]! / LOG_STEPS);
  return { hashes, fractions };
}

/** The fraction of background stories holding the term (binary search), 0 if the table lacks it. */
export function fractionIn(table: PriorTable, termHash: number): number {
  const { hashes } = table;
  let low = 0;
  let high = hashes.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = hashes[mid]!;
    if (value < termHash) low = mid + 1;
    else if (value > termHash) high = mid - 1;
    else return table.fractions[mid]!;
  }
  return 0;
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// Decoded once per isolate, on the first engine that asks for it.
let shipped: PriorTable | null = null;

/** The shipped table (prior-table.ts). */
export function shippedPriorTable(): PriorTable {
  shipped ??= decodePriorTable(fromBase64(PRIOR_DATA), PRIOR_TERMS);
  return shipped;
}

/** The shipped table as `units` pseudo-stories; NO_PRIOR for 0. */
export function backgroundPrior(units: number): BackgroundPrior {
  if (units <= 0) return NO_PRIOR;
  const table = shippedPriorTable();
  return { units, fraction: (termHash) => fractionIn(table, termHash) };
}
