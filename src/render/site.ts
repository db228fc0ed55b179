// Site-wide facts a view needs, taken from Settings and the base URL in use.
import type { Settings } from '../config';
import type { SiteInfo } from './view';

export function siteInfo(settings: Settings, base: string): SiteInfo {
  return {
    title: settings.siteTitle,
    description: settings.siteDescription,
    base,
    websubHub: settings.websubHub,
    pageSize: settings.feedPageSize,
  };
}

/** Base URL for links: PUBLIC_URL when set, else the origin the request came to. */
export function baseFor(settings: Settings, requestUrl: string): string {
  return settings.publicUrl ?? new URL(requestUrl).origin;
}
