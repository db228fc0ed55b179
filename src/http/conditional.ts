// Conditional GET (RFC 9110 §13): decide whether the client's copy is still current.
// Not hono/etag: it answers If-None-Match only, while our documents also carry Last-Modified and
// docs/feeds.md promises If-Modified-Since (feed readers send it); and its 304 keeps only a fixed
// header list, dropping Last-Modified. It would also run as middleware after each handler, where
// the pre-rendered feeds already have their ETag from KV. Splitting the two validators between it
// and this module would put one rule in two places, so this small module keeps both.

export interface Validators {
  etag: string;
  /** ISO 8601 instant the representation last changed. */
  lastModified: string;
}

/** True when the request's If-None-Match / If-Modified-Since show the client already has it. */
export function isNotModified(headers: Headers, validators: Validators): boolean {
  const ifNoneMatch = headers.get('If-None-Match');
  // If-None-Match wins when present; If-Modified-Since is then ignored (§13.1.3).
  if (ifNoneMatch !== null) return etagListMatches(ifNoneMatch, validators.etag);
  const ifModifiedSince = headers.get('If-Modified-Since');
  if (ifModifiedSince === null) return false;
  const since = Date.parse(ifModifiedSince);
  const modified = Date.parse(validators.lastModified);
  if (Number.isNaN(since) || Number.isNaN(modified)) return false;
  // HTTP dates have whole seconds.
  return Math.floor(modified / 1000) <= Math.floor(since / 1000);
}

/** Weak comparison, as If-None-Match uses: W/"x" matches "x". */
function etagListMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const ours = stripWeak(etag);
  return header.split(',').some((tag) => stripWeak(tag.trim()) === ours);
}

function stripWeak(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/** IMF-fixdate for Last-Modified ("Mon, 23 Nov 2026 17:45:13 GMT"). */
export function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}
