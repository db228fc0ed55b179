// The only cluster module that touches KV: the whole snapshot lives in one gzipped value
// under KV_KEYS.cluster, read once and written once per scheduled run.
import { KV_KEYS } from '../store/keys';
import type { ClusterSnapshot } from './snapshot';

/** The part of KVNamespace the cluster store uses, so the CLI can pass an in-memory map. */
export interface KVLike {
  get(key: string, type: 'arrayBuffer'): Promise<ArrayBuffer | null>;
  put(key: string, value: ArrayBuffer): Promise<void>;
}

export async function loadClusterState(kv: KVLike): Promise<ClusterSnapshot | null> {
  const stored = await kv.get(KV_KEYS.cluster, 'arrayBuffer');
  if (stored === null) return null;
  let text: string;
  try {
    text = await gunzip(stored);
  } catch (err) {
    throw new Error(`cluster: stored state is not gzip data (${(err as Error).message})`);
  }
  let snapshot: ClusterSnapshot;
  try {
    snapshot = JSON.parse(text) as ClusterSnapshot;
  } catch (err) {
    throw new Error(`cluster: stored state is not valid JSON (${(err as Error).message})`);
  }
  if (snapshot?.version !== 1) throw new Error(`cluster: stored state has unknown version ${String(snapshot?.version)}`);
  return snapshot;
}

export async function saveClusterState(kv: KVLike, snapshot: ClusterSnapshot): Promise<void> {
  await kv.put(KV_KEYS.cluster, await gzip(JSON.stringify(snapshot)));
}

async function gzip(text: string): Promise<ArrayBuffer> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

async function gunzip(data: ArrayBuffer): Promise<string> {
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}
