// The pre-rendered default views (render/publish.ts): written once at the end of each scheduled
// run, so a default feed request costs one KV read and no rendering. The value's layout, and the
// older one still read, are in render/storedBundle.ts.
import { StoredBundle } from '../render/storedBundle';
import { KV_KEYS } from './keys';

/**
 * The bundle, or null when there is none or it cannot be read. A damaged value (truncated, bad
 * header, meta that is not JSON, bodies past its end) is no bundle, never an error: requests then
 * render from the stories, and the next run renders every piece and writes a good value.
 */
export async function readRendered(kv: KVNamespace): Promise<StoredBundle | null> {
  const stored = await kv.get(KV_KEYS.rendered, 'arrayBuffer');
  if (stored === null) return null;
  try {
    return StoredBundle.read(new Uint8Array(stored));
  } catch (err) {
    console.error(JSON.stringify({ event: 'rendered-unreadable', error: (err as Error).message }));
    return null;
  }
}

/** The value fitBundle encoded (it measured it against KV's value limit before). */
export async function writeRendered(kv: KVNamespace, bytes: Uint8Array): Promise<void> {
  await kv.put(KV_KEYS.rendered, bytes);
}
