// The pre-rendered default views (render/publish.ts): written once at the end of each scheduled
// run, so a default feed request costs one KV read and no rendering.
import type { RenderedBundle } from '../model';
import { KV_KEYS } from './keys';

export async function readRendered(kv: KVNamespace): Promise<RenderedBundle | null> {
  const stored = await kv.get<RenderedBundle>(KV_KEYS.rendered, 'json');
  return stored && stored.version === 1 ? stored : null;
}

/** The bundle already serialised (the publisher measures it against KV's value limit before). */
export async function writeRendered(kv: KVNamespace, json: string): Promise<void> {
  await kv.put(KV_KEYS.rendered, json);
}
