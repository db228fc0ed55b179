// What every binary version of the engine snapshot shares: the first eight bytes (magic number,
// version), the checksum, the weight quantisation and the times in whole seconds.

export const MAGIC = 0x53435753; // "SWCS" read as a little-endian u32
/** Centroid weights are stored as 1..WEIGHT_STEPS of their story's heaviest weight. */
export const WEIGHT_STEPS = 4095;

/**
 * A 32-bit multiply-add hash of the words after the header: catches a damaged value (KV keeps
 * the snapshot uncompressed, so there is no gzip CRC) for about a millisecond per 4 MB.
 */
export function checksum(bytes: Uint8Array, headerBytes: number): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + headerBytes, (bytes.length - headerBytes) >> 2);
  let hash = words.length;
  for (let i = 0; i < words.length; i++) hash = (Math.imul(hash, 0x01000193) + words[i]!) | 0;
  return hash >>> 0;
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
