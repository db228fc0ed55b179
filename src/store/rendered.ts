// The pre-rendered default views (render/publish.ts): written once at the end of each scheduled
// run, so a default feed request costs one KV read and no rendering.
import type { RenderedBundle } from '../model';
import { KV_KEYS } from './keys';

/** The bundle, or null when there is none or it cannot be read (then requests render, and the next run renders it whole). */
export async function readRendered(kv: KVNamespace): Promise<RenderedBundle | null> {
  const text = await kv.get(KV_KEYS.rendered, 'text');
  if (text === null) return null;
  let stored: RenderedBundle | null;
  try {
    stored = JSON.parse(text) as RenderedBundle | null;
  } catch {
    return null;
  }
  return stored && stored.version === 1 && typeof stored.views === 'object' && stored.views !== null ? stored : null;
}

/** The bundle already serialised (the publisher measures it against KV's value limit before). */
export async function writeRendered(kv: KVNamespace, json: string): Promise<void> {
  await kv.put(KV_KEYS.rendered, json);
}
