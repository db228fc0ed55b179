// One poll of one source: the outlet name comes from normalise's one fallback (configured name,
// else the feed's title as plain text, else the host without www).
import { describe, expect, it } from 'vitest';
import type { FetchLike, FetchPolicy } from '../../src/fetch/fetcher';
import { pollSource } from '../../src/sources/poll';

function policyServing(body: string): FetchPolicy {
  const fetch: FetchLike = async () => new Response(body, { headers: { 'content-type': 'application/rss+xml' } });
  return { fetch, timeoutMs: 1000, maxBytes: 1 << 20, maxRedirects: 2, userAgent: 'test' };
}

const item = '<item><guid>a-1</guid><title>Harbour reopens</title><link>https://www.gazette.example/a-1</link></item>';
const now = new Date('2025-07-22T10:00:00Z');

describe('pollSource outlet names', () => {
  it('keeps a configured name', async () => {
    const feed = `<rss version="2.0"><channel><title>Other</title>${item}</channel></rss>`;
    const poll = await pollSource({ id: 's', url: 'https://www.gazette.example/feed', name: 'The Gazette' }, undefined, policyServing(feed), now);
    expect(poll.articles.map((a) => a.outlet)).toEqual(['The Gazette']);
  });

  it('falls back to the feed title as plain text', async () => {
    const feed = `<rss version="2.0"><channel><title>Gazette &lt;b&gt;Local&lt;/b&gt; </title>${item}</channel></rss>`;
    const poll = await pollSource({ id: 's', url: 'https://www.gazette.example/feed', name: null }, undefined, policyServing(feed), now);
    expect(poll.articles.map((a) => a.outlet)).toEqual(['Gazette Local']);
  });

  it('falls back to the host without www when the feed has no title', async () => {
    const feed = `<rss version="2.0"><channel>${item}</channel></rss>`;
    const poll = await pollSource({ id: 's', url: 'https://www.gazette.example/feed', name: null }, undefined, policyServing(feed), now);
    expect(poll.articles.map((a) => a.outlet)).toEqual(['gazette.example']);
  });
});
