// The clustering engine's state in KV: one value under KV_KEYS.cluster, read once and written
// once per scheduled run. The value is the engine's snapshot as it is (src/cluster/snapshot.ts,
// binary, checksummed): gzip would make it 2.5x smaller but cost more CPU than the whole rest of
// the load and save (docs/clustering.md, Speed). A gzipped value (version 1, JSON) is still read,
// and replaced by the binary one at the next save.
import type { ClusterSnapshot } from '../cluster/snapshot';
import { KV_KEYS } from './keys';

/** The part of KVNamespace the cluster store uses, so the CLI and the bench can pass an in-memory map. */
export interface KVLike {
  get(key: string, type: 'arrayBuffer'): Promise<ArrayBuffer | null>;
  put(key: string, value: ArrayBuffer): Promise<void>;
}

const GZIP = [0x1f, 0x8b];

/**
 * The stored snapshot's bytes, null when there is none; the engine decodes (and checks) them. A
 * gzip stream that is cut short or fails its checksum is an error (`cluster: ...`), as is a
 * snapshot that fails the engine's checks: the run stops before writing anything, and the value
 * stays in KV as it was for someone to look at.
 */
export async function loadClusterState(kv: KVLike): Promise<ClusterSnapshot | null> {
  const stored = await kv.get(KV_KEYS.cluster, 'arrayBuffer');
  if (stored === null) return null;
  const bytes = new Uint8Array(stored);
  if (bytes[0] !== GZIP[0] || bytes[1] !== GZIP[1]) return bytes;
  try {
    return await gunzip(bytes);
  } catch (err) {
    throw new Error(`cluster: stored state is corrupt or truncated gzip data (${(err as Error).message})`);
  }
}

export async function saveClusterState(kv: KVLike, snapshot: ClusterSnapshot): Promise<void> {
  const whole = snapshot.byteOffset === 0 && snapshot.byteLength === snapshot.buffer.byteLength;
  await kv.put(KV_KEYS.cluster, (whole ? snapshot : snapshot.slice()).buffer as ArrayBuffer);
}

/** The whole stream in one buffer at offset 0, as typed-array views need (version 1 values only). */
async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
