// Reading and spoiling a stored bundle's parts (render/storedBundle.ts) for the tests of damaged values.
import type { PrerenderedFormat } from '../../src/model';

const encoder = new TextEncoder();

/** The value's parts as the layout puts them: the meta, its length, and where the payload starts. */
export function layout(bytes: Uint8Array) {
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const metaLength = header.getUint32(8, true);
  const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + metaLength))) as {
    views: Record<PrerenderedFormat, { offset: number; bytes: number }>;
    pieces: { offset: number; bytes: number } | null;
  };
  return { metaLength, meta, payloadStart: 12 + metaLength };
}

/** A copy of the value with a span of its payload (offsets from the payload's start) overwritten by `fill`. */
export function spoilt(bytes: Uint8Array, span: { offset: number; bytes: number }, fill: number): Uint8Array {
  const copy = bytes.slice();
  const start = layout(bytes).payloadStart + span.offset;
  copy.fill(fill, start, start + span.bytes);
  return copy;
}

/** A copy of the value with its meta replaced (its length in the header too). */
export function withMeta(bytes: Uint8Array, edit: (meta: Record<string, unknown>) => unknown): Uint8Array {
  const { meta, payloadStart } = layout(bytes);
  const head = encoder.encode(JSON.stringify(edit(meta as unknown as Record<string, unknown>)));
  const out = new Uint8Array(12 + head.length + bytes.length - payloadStart);
  out.set(bytes.subarray(0, 12));
  new DataView(out.buffer).setUint32(8, head.length, true);
  out.set(head, 12);
  out.set(bytes.subarray(payloadStart), 12 + head.length);
  return out;
}
