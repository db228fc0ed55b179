// Polite HTTP polling of one feed: conditional GET, a timeout, a size cap and a bounded
// number of redirects, each hop checked against the URL policy. This module and the
// scheduled run are the only ones that touch the network; `fetch` is passed in so tests
// serve fixture feeds without a network.

export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

export interface FetchPolicy {
  fetch: FetchLike;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  /** Returns why a URL may not be fetched, or null when it may. */
  refuseUrl?: (url: URL) => string | null;
}

export type FetchOutcome =
  | {
      kind: 'fetched';
      status: number;
      url: string;
      body: Uint8Array;
      contentType: string | null;
      validators: Validators;
    }
  | { kind: 'not-modified'; status: 304; url: string }
  | { kind: 'failed'; status: number | null; error: string; retryAfterSeconds: number | null };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function fetchFeed(url: string, validators: Validators, policy: FetchPolicy): Promise<FetchOutcome> {
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    return failed(null, `fetch: not an absolute URL: ${url}`);
  }
  const signal = AbortSignal.timeout(policy.timeoutMs);
  try {
    for (let hop = 0; ; hop++) {
      const refused = policy.refuseUrl?.(current) ?? null;
      if (refused) return failed(null, `fetch: refused ${current.href}: ${refused}`);

      const response = await policy.fetch(current.href, {
        method: 'GET',
        redirect: 'manual',
        signal,
        headers: requestHeaders(validators, policy.userAgent),
      });

      if (REDIRECTS.has(response.status)) {
        await response.body?.cancel();
        const location = response.headers.get('location');
        if (!location) return failed(response.status, `fetch: HTTP ${response.status} without a Location header`);
        if (hop >= policy.maxRedirects) return failed(response.status, `fetch: more than ${policy.maxRedirects} redirects`);
        current = new URL(location, current);
        continue;
      }
      if (response.status === 304) {
        await response.body?.cancel();
        return { kind: 'not-modified', status: 304, url: current.href };
      }
      if (!response.ok) {
        await response.body?.cancel();
        return failed(response.status, `fetch: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
          retryAfter(response.headers.get('retry-after')));
      }
      const body = await readCapped(response, policy.maxBytes);
      if (body === null) return failed(response.status, `fetch: body larger than ${policy.maxBytes} bytes`);
      return {
        kind: 'fetched',
        status: response.status,
        url: current.href,
        body,
        contentType: response.headers.get('content-type'),
        validators: { etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') },
      };
    }
  } catch (err) {
    if (signal.aborted) return failed(null, `fetch: timed out after ${policy.timeoutMs} ms`);
    return failed(null, `fetch: ${(err as Error).message || String(err)}`);
  }
}

function requestHeaders(validators: Validators, userAgent: string): Headers {
  const headers = new Headers({
    'user-agent': userAgent,
    accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5',
  });
  if (validators.etag) headers.set('if-none-match', validators.etag);
  if (validators.lastModified) headers.set('if-modified-since', validators.lastModified);
  return headers;
}

/** Reads at most maxBytes of the body; null when it is larger (the rest is never downloaded). */
async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array | null> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Retry-After as seconds: either delta-seconds or an HTTP date. */
export function retryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, Math.round((date - now) / 1000));
}

function failed(status: number | null, error: string, retryAfterSeconds: number | null = null): FetchOutcome {
  return { kind: 'failed', status, error, retryAfterSeconds };
}
