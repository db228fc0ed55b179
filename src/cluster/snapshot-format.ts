// What every binary version of the engine snapshot shares: the first eight bytes (magic number,
// version), the checksum, the weight quantisation and the times in whole seconds.

export const MAGIC = 0x53435753; // "SWCS" read as a little-endian u32
/** Centroid weights are stored as 1..WEIGHT_STEPS of their story's heaviest weight. */
export const WEIGHT_STEPS = 4095;

/**
 * A 32-bit multiply-add hash of the words after the header (versions 2 and 3): catches a damaged
 * value (KV keeps the snapshot uncompressed, so there is no gzip CRC) for about a millisecond per
 * 3 MB.
 */
export function checksumV3(bytes: Uint8Array, headerBytes: number): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + headerBytes, (bytes.length - headerBytes) >> 2);
  let hash = words.length;
  for (let i = 0; i < words.length; i++) hash = (Math.imul(hash, 0x01000193) + words[i]!) | 0;
  return hash >>> 0;
}

/**
 * The checksum from version 4 on: the same multiply-add, as two chains over the two halves of
 * the words after the header, joined at the end. One chain waits on each multiply; two run side
 * by side, at twice the speed (about 2 ms for 12 MB here, against 4).
 */
export function checksum(bytes: Uint8Array, headerBytes: number): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + headerBytes, (bytes.length - headerBytes) >> 2);
  const count = words.length;
  const half = count >> 1;
  let first = count;
  let second = 0;
  for (let i = 0; i < half; i++) {
    first = (Math.imul(first, 0x01000193) + words[i]!) | 0;
    second = (Math.imul(second, 0x01000193) + words[i + half]!) | 0;
  }
  if (count & 1) first = (Math.imul(first, 0x01000193) + words[count - 1]!) | 0;
  return (Math.imul(first, 0x01000193) + second) >>> 0;
}

/** Whole seconds, NaN for none. */
export function seconds(ms: number | null): number {
  return ms === null ? NaN : Math.round(ms / 1000);
}

export function millis(s: number): number | null {
  return Number.isNaN(s) ? null : s * 1000;
}

/** Lays out sections one after another, each starting on a multiple of 8 bytes. */
export class Sections {
  constructor(public offset: number) {}

  place(bytes: number): number {
    const start = this.offset;
    this.offset = Math.ceil((this.offset + bytes) / 8) * 8;
    return start;
  }
}
