// One report reaching us twice under different ids — a publisher lists the same article in two
// of its feeds with different guids — is listed once; a feed linking every item to one page is not
// collapsed.
import { env } from 'cloudflare:test';
import { beforeEach, expect, it } from 'vitest';
import type { FetchLike } from '../../src/fetch/fetcher';
import { runScheduled } from '../../src/scheduled';
import { readStories } from '../../src/store/stories';
import { clearKv, runDeps, testEnv } from '../ops/helpers';

function rss(items: { guid: string; title: string; link: string }[]): string {
  const body = items.map((i) => `<item><guid isPermaLink="false">${i.guid}</guid><title>${i.title}</title><link>${i.link}</link>
    <description>Lawmakers approved the harbour tunnel budget on Tuesday after a long debate.</description>
    <pubDate>Tue, 22 Jul 2025 09:00:00 GMT</pubDate></item>`).join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Lighthouse Gazette</title><link>https://lighthouse.example/</link><description>d</description>${body}</channel></rss>`;
}

const FEEDS: Record<string, string> = {
  'https://lighthouse.example/news.xml': rss([{ guid: 'news-1', title: 'Tunnel budget approved', link: 'https://lighthouse.example/tunnel?utm_source=news' }]),
  'https://lighthouse.example/politics.xml': rss([{ guid: 'politics-77', title: 'Tunnel budget approved', link: 'https://lighthouse.example/tunnel?utm_source=politics' }]),
  'https://lazy.example/feed.xml': rss([
    { guid: 'a', title: 'Tunnel budget approved by council', link: 'https://lazy.example/' },
    { guid: 'b', title: 'Council approves tunnel budget after debate', link: 'https://lazy.example/' },
  ]),
};

const fetchFeeds: FetchLike = async (input) => {
  const body = FEEDS[String(input instanceof Request ? input.url : input)];
  return body ? new Response(body) : new Response('not found', { status: 404 });
};

beforeEach(() => clearKv());

it('lists the same report from two feeds once, and keeps distinct items that share a page', async () => {
  const target = testEnv({ SOURCES: JSON.stringify(Object.keys(FEEDS)) });
  await runScheduled(target, runDeps({ fetch: fetchFeeds }));
  const sources = (await readStories(env.STATE)).stories.flatMap((s) => s.sources);
  expect(sources.filter((s) => s.url === 'https://lighthouse.example/tunnel')).toHaveLength(1);
  expect(sources.filter((s) => s.url === 'https://lazy.example/')).toHaveLength(2);
});
