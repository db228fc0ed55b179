// Canonical article URLs, so the same article reached through different tracking links
// de-duplicates: lower-case scheme and host (WHATWG URL does that), no fragment, no default
// port, no tracking parameters.

const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'dclid', 'gclsrc', 'msclkid', 'yclid', 'igshid', 'mc_cid', 'mc_eid', '_hsenc', '_hsmi',
  'mkt_tok', 'oly_anon_id', 'oly_enc_id', 'vero_id', 'wt.mc_id', 'wt_mc_id', 'ocid', 'cmpid', 'smid', 'smtyp',
  'ns_campaign', 'ns_mchannel', 'ns_source', 'ns_linkname', 'ns_fee', 'at_medium', 'at_campaign', 'at_custom1',
  'at_custom2', 'at_custom3', 'at_custom4', 'ito', 'xtor', 'cmp', 'ref_src', 'ref_url', 'rss', 'rssfeed',
  'from_rss', 'ftag', 'taid', 'guccounter', 'spm',
]);

function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || lower.startsWith('pk_') || lower.startsWith('mtm_') || TRACKING_PARAMS.has(lower);
}

/** Canonical form of an absolute http(s) URL; other input comes back trimmed. */
export function canonicalUrl(url: string): string {
  const trimmed = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return trimmed;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return parsed.href;
  parsed.hash = '';
  if (parsed.search) {
    const kept = [...parsed.searchParams].filter(([name]) => !isTrackingParam(name));
    parsed.search = kept.length ? '?' + new URLSearchParams(kept).toString() : '';
  }
  if (parsed.hostname.endsWith('.')) parsed.hostname = parsed.hostname.slice(0, -1);
  return parsed.href;
}
