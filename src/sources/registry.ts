// Which feeds to poll: the sources from settings ([vars] SOURCES) plus those added through
// the admin API, each with a stable id derived from its URL.
import type { SourceSetting } from '../config';
import type { Source } from '../model';
import { stableHash } from '../util/hash';

export function sourceId(url: string): string {
  return stableHash(normaliseSourceUrl(url));
}

/** Lower-cases scheme and host and drops the fragment, so one feed gets one id however it is written. */
export function normaliseSourceUrl(url: string): string {
  try {
    const parsed = new URL(url.trim());
    parsed.hash = '';
    return parsed.href;
  } catch {
    return url.trim();
  }
}

/** Settings first, then stored ones; the first definition of a URL wins. */
export function mergeSources(configured: SourceSetting[], stored: Source[] = []): Source[] {
  const byId = new Map<string, Source>();
  for (const { url, name } of configured) {
    const id = sourceId(url);
    if (!byId.has(id)) byId.set(id, { id, url: normaliseSourceUrl(url), name });
  }
  for (const source of stored) {
    if (!byId.has(source.id)) byId.set(source.id, source);
  }
  return [...byId.values()];
}

/** Every source the run knows: configured and admin-added, each marked paused or not. */
export function activeSources(configured: SourceSetting[], admin: { added: Source[]; paused: string[] }): Source[] {
  const paused = new Set(admin.paused);
  return mergeSources(configured, admin.added).map((source) => ({ ...source, paused: paused.has(source.id) }));
}
