// Builds responses for rendered documents: validators, caching, 304s and safe defaults.
import { httpDate, isNotModified, type Validators } from './conditional';

/** Feeds change at most once per scheduled run; shared caches may keep them a few minutes. */
export const CACHE_CONTROL = 'public, max-age=300';

/** Strict policy for our HTML: no scripts at all, inline styles only. */
const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export interface Document extends Validators {
  /** Text, or bytes already encoded as UTF-8 (a stored body served as it is). */
  body: string | Uint8Array;
  contentType: string;
  /** Extra headers, e.g. Link for the JSON API. */
  headers?: Record<string, string>;
}

export function documentResponse(request: Request, doc: Document): Response {
  const headers = new Headers(doc.headers);
  headers.set('ETag', doc.etag);
  headers.set('Last-Modified', httpDate(doc.lastModified));
  headers.set('Cache-Control', CACHE_CONTROL);
  headers.set('X-Content-Type-Options', 'nosniff');
  if (isNotModified(request.headers, doc)) return new Response(null, { status: 304, headers });
  headers.set('Content-Type', doc.contentType);
  if (doc.contentType.startsWith('text/html')) {
    headers.set('Content-Security-Policy', HTML_CSP);
    headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  }
  return new Response(doc.body, { status: 200, headers });
}

/** A plain error for feed and API clients; the message already names its stage. */
export function errorResponse(status: number, message: string, asJson: boolean): Response {
  const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
  if (asJson) {
    return new Response(JSON.stringify({ error: message }), { status, headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' } });
  }
  return new Response(`${message}\n`, { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
}
