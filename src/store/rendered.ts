// The pre-rendered default views: written once at the end of each scheduled run,
// so a default feed request costs one KV read and no rendering.
import { KV_KEYS } from './keys';

export type PrerenderedFormat = 'rss' | 'atom' | 'json' | 'html' | 'api';

export interface RenderedView {
  body: string;
  /** Strong validator: a hash of the body as stored. */
  etag: string;
  /** ISO 8601; becomes Last-Modified. */
  lastModified: string;
}

export interface RenderedBundle {
  version: 1;
  /** The snapshot's `generated` these views were rendered from. */
  generated: string;
  /**
   * Settings that shape the output (title, base URL, hub, page size), as one string:
   * a deploy that changes them makes the bundle stale until the next run.
   */
  settingsKey: string;
  /**
   * Absolute base URL the bodies were rendered with. When PUBLIC_URL is unset it is a
   * random placeholder origin, replaced by the request's origin when served.
   */
  base: string;
  baseFromRequest: boolean;
  views: Record<PrerenderedFormat, RenderedView>;
}

export async function readRendered(kv: KVNamespace): Promise<RenderedBundle | null> {
  const stored = await kv.get<RenderedBundle>(KV_KEYS.rendered, 'json');
  return stored && stored.version === 1 ? stored : null;
}

export async function writeRendered(kv: KVNamespace, bundle: RenderedBundle): Promise<void> {
  await writeRenderedJson(kv, JSON.stringify(bundle));
}

/** The bundle already serialised (the publisher measures it before writing). */
export async function writeRenderedJson(kv: KVNamespace, json: string): Promise<void> {
  await kv.put(KV_KEYS.rendered, json);
}
