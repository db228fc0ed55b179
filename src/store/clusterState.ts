// The clustering engine's state in KV: one value under KV_KEYS.cluster, read once and written
// once per scheduled run. The bytes are the engine's snapshot (src/cluster/snapshot.ts, which
// also reads the JSON of version 1), gzipped.
import type { ClusterSnapshot } from '../cluster/snapshot';
import { KV_KEYS } from './keys';

/** The part of KVNamespace the cluster store uses, so the CLI and the bench can pass an in-memory map. */
export interface KVLike {
  get(key: string, type: 'arrayBuffer'): Promise<ArrayBuffer | null>;
  put(key: string, value: ArrayBuffer): Promise<void>;
}

const GZIP = [0x1f, 0x8b];

/**
 * The stored snapshot, null when there is none. A value that is not gzip data, or whose gzip
 * stream is cut short or fails its checksum, is an error (`cluster: ...`): the run stops before
 * writing anything, and the value stays in KV as it was for someone to look at.
 */
export async function loadClusterState(kv: KVLike): Promise<ClusterSnapshot | null> {
  const stored = await kv.get(KV_KEYS.cluster, 'arrayBuffer');
  if (stored === null) return null;
  const bytes = new Uint8Array(stored);
  if (bytes[0] !== GZIP[0] || bytes[1] !== GZIP[1]) throw new Error('cluster: stored state is not gzip data');
  try {
    return await gunzip(bytes);
  } catch (err) {
    throw new Error(`cluster: stored state is corrupt or truncated gzip data (${(err as Error).message})`);
  }
}

export async function saveClusterState(kv: KVLike, snapshot: ClusterSnapshot): Promise<void> {
  const packed = await gzip(snapshot);
  const whole = packed.byteOffset === 0 && packed.byteLength === packed.buffer.byteLength;
  await kv.put(KV_KEYS.cluster, (whole ? packed : packed.slice()).buffer as ArrayBuffer);
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return transform(bytes, new CompressionStream('gzip'));
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  return transform(bytes, new DecompressionStream('gzip'));
}

/** All the stream's output in one buffer, starting at offset 0 (typed-array views need alignment). */
async function transform(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  const written = writer.write(bytes).then(() => writer.close());
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = stream.readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  await written;
  if (chunks.length === 1 && chunks[0]!.byteOffset === 0) return chunks[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
