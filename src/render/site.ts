// Site-wide facts a view needs, taken from Settings and the base URL in use.
import type { Settings } from '../config';
import { cleanText } from './text';
import type { SiteInfo } from './view';

export function siteInfo(settings: Settings, base: string): SiteInfo {
  return {
    // Settings are the operator's text, but they go into every document like feed text does.
    title: cleanText(settings.siteTitle) || 'storywire',
    description: cleanText(settings.siteDescription),
    base,
    websubHub: settings.websubHub,
    pageSize: settings.feedPageSize,
  };
}

/** Base URL for links: PUBLIC_URL when set, else the origin the request came to. */
export function baseFor(settings: Settings, requestUrl: string): string {
  return settings.publicUrl ?? new URL(requestUrl).origin;
}
