import { describe, expect, it } from 'vitest';
import { fetchFeed, retryAfter, type FetchLike, type FetchPolicy } from '../../src/fetch/fetcher';

const FEED = '<rss version="2.0"><channel><title>t</title></channel></rss>';

function policy(fetch: FetchLike, overrides: Partial<FetchPolicy> = {}): FetchPolicy {
  return { fetch, timeoutMs: 1000, maxBytes: 1024, maxRedirects: 2, userAgent: 'test', ...overrides };
}

/** A publisher that records what it was asked. */
function publisher(handler: (req: Request) => Response | Promise<Response>) {
  const requests: Request[] = [];
  const fetch: FetchLike = async (input, init) => {
    const req = new Request(input, init);
    requests.push(req);
    return handler(req);
  };
  return { fetch, requests };
}

describe('fetchFeed', () => {
  it('returns the body, content type and validators of a 200', async () => {
    const { fetch } = publisher(() => new Response(FEED, { headers: { 'content-type': 'application/rss+xml', etag: '"v1"', 'last-modified': 'Tue, 22 Jul 2025 10:00:00 GMT' } }));
    const out = await fetchFeed('https://pub.example/feed', { etag: null, lastModified: null }, policy(fetch));
    expect(out.kind).toBe('fetched');
    if (out.kind !== 'fetched') return;
    expect(new TextDecoder().decode(out.body)).toBe(FEED);
    expect(out.contentType).toBe('application/rss+xml');
    expect(out.validators).toEqual({ etag: '"v1"', lastModified: 'Tue, 22 Jul 2025 10:00:00 GMT' });
  });

  it('sends If-None-Match and If-Modified-Since, and reports a 304', async () => {
    const { fetch, requests } = publisher((req) =>
      req.headers.get('if-none-match') === '"v1"' ? new Response(null, { status: 304 }) : new Response(FEED));
    const out = await fetchFeed('https://pub.example/feed', { etag: '"v1"', lastModified: 'Tue, 22 Jul 2025 10:00:00 GMT' }, policy(fetch));
    expect(out).toEqual({ kind: 'not-modified', status: 304, url: 'https://pub.example/feed' });
    expect(requests[0]!.headers.get('if-modified-since')).toBe('Tue, 22 Jul 2025 10:00:00 GMT');
    expect(requests[0]!.headers.get('user-agent')).toBe('test');
  });

  it('follows redirects up to the limit, resolving relative locations', async () => {
    const { fetch, requests } = publisher((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/old') return new Response(null, { status: 301, headers: { location: '/new' } });
      return new Response(FEED);
    });
    const out = await fetchFeed('https://pub.example/old', { etag: null, lastModified: null }, policy(fetch));
    expect(out.kind).toBe('fetched');
    expect(out.kind === 'fetched' && out.url).toBe('https://pub.example/new');
    expect(requests.map((r) => r.url)).toEqual(['https://pub.example/old', 'https://pub.example/new']);
  });

  it('gives up on redirect loops', async () => {
    const { fetch, requests } = publisher(() => new Response(null, { status: 302, headers: { location: '/again' } }));
    const out = await fetchFeed('https://pub.example/loop', { etag: null, lastModified: null }, policy(fetch));
    expect(out.kind).toBe('failed');
    expect(out.kind === 'failed' && out.error).toMatch(/more than 2 redirects/);
    expect(requests).toHaveLength(3);
  });

  it('refuses a body over the size cap, declared or streamed', async () => {
    const big = 'x'.repeat(5000);
    const declared = publisher(() => new Response(big, { headers: { 'content-length': '5000' } }));
    const streamed = publisher(() => new Response(new Blob([big]).stream()));
    for (const { fetch } of [declared, streamed]) {
      const out = await fetchFeed('https://pub.example/big', { etag: null, lastModified: null }, policy(fetch));
      expect(out.kind === 'failed' && out.error).toMatch(/larger than 1024 bytes/);
    }
  });

  it('times out a publisher that never answers', async () => {
    const fetch: FetchLike = (_input, init) =>
      new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    const out = await fetchFeed('https://pub.example/slow', { etag: null, lastModified: null }, policy(fetch, { timeoutMs: 50 }));
    expect(out.kind === 'failed' && out.error).toBe('fetch: timed out after 50 ms');
  });

  it('reports HTTP errors with Retry-After, and network errors', async () => {
    const limited = publisher(() => new Response('slow down', { status: 429, headers: { 'retry-after': '120' } }));
    const out = await fetchFeed('https://pub.example/feed', { etag: null, lastModified: null }, policy(limited.fetch));
    expect(out).toEqual({ kind: 'failed', status: 429, error: 'fetch: HTTP 429', retryAfterSeconds: 120 });

    const down: FetchLike = async () => { throw new TypeError('connection refused'); };
    const out2 = await fetchFeed('https://pub.example/feed', { etag: null, lastModified: null }, policy(down));
    expect(out2).toMatchObject({ kind: 'failed', status: null, error: 'fetch: connection refused' });
  });

  it('asks the URL policy before every hop', async () => {
    const { fetch, requests } = publisher(() => new Response(null, { status: 302, headers: { location: 'http://127.0.0.1/admin' } }));
    const refuseUrl = (url: URL) => (url.hostname === '127.0.0.1' ? 'loopback address' : null);
    const out = await fetchFeed('https://pub.example/feed', { etag: null, lastModified: null }, policy(fetch, { refuseUrl }));
    expect(out.kind === 'failed' && out.error).toBe('fetch: refused http://127.0.0.1/admin: loopback address');
    expect(requests).toHaveLength(1);
  });

  it('rejects a URL that is not absolute', async () => {
    const { fetch, requests } = publisher(() => new Response(FEED));
    const out = await fetchFeed('feed.xml', { etag: null, lastModified: null }, policy(fetch));
    expect(out.kind === 'failed' && out.error).toBe('fetch: not an absolute URL: feed.xml');
    expect(requests).toHaveLength(0);
  });
});

describe('retryAfter', () => {
  it('reads delta-seconds and HTTP dates, and ignores junk', () => {
    const now = Date.parse('2025-07-22T10:00:00Z');
    expect(retryAfter('90', now)).toBe(90);
    expect(retryAfter('Tue, 22 Jul 2025 10:05:00 GMT', now)).toBe(300);
    expect(retryAfter('soon', now)).toBeNull();
    expect(retryAfter(null, now)).toBeNull();
  });
});
