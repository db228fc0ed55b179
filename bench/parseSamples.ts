// Generated feeds for the parse benchmark: what news sites publish. Items carry WordPress-style
// HTML bodies (class and srcset attributes, figures, typographic character references, relative
// links), Dublin Core authors, media enclosures, and a few entity-encoded titles. Deterministic.

export interface Sample {
  name: string;
  xml: string;
  items: number;
}

const PARAGRAPH =
  'The council voted on Tuesday to approve the new transit plan, which adds three bus lines and extends ' +
  'night service across the city &amp; its suburbs. Officials said the changes would take effect in spring.';

const QUOTE = '&#8220;We&#8217;ve waited a long time for this,&#8221; said one rider, who asked not to be named.';

function body(i: number): string {
  return `<p class="lead">${PARAGRAPH} (${i})</p>` +
    `<figure class="wp-block-image size-large"><img loading="lazy" decoding="async" width="1024" height="683" ` +
    `src="https://cdn.example.com/img/${i}.jpg" alt="A bus at the depot" class="wp-image-${i}" ` +
    `srcset="https://cdn.example.com/img/${i}.jpg 1024w, https://cdn.example.com/img/${i}-300.jpg 300w" ` +
    `sizes="(max-width: 1024px) 100vw, 1024px" /><figcaption>Photo: <em>City Transit</em></figcaption></figure>` +
    `<p>${QUOTE} <strong>Service starts in March.</strong></p>` +
    `<p>${PARAGRAPH}</p><ul><li>Line 41</li><li>Line 42</li><li>Line 43</li></ul>` +
    `<p><a href="/story/${i}?utm_source=rss" rel="noopener">Read more</a> &#8212; ` +
    `<a href="https://news.example.com/tag/transit" target="_blank">more on transit</a></p>`;
}

function hour(i: number): string {
  return String(i % 24).padStart(2, '0');
}

export function rssFeed(count: number): string {
  const items = Array.from({ length: count }, (_, i) => `
    <item>
      <title>Council approves transit plan, part ${i} &#8212; what changes</title>
      <link>https://news.example.com/story/${i}</link>
      <guid isPermaLink="false">story-${i}</guid>
      <pubDate>Tue, 04 Jun 2024 ${hour(i)}:15:00 +0000</pubDate>
      <dc:creator><![CDATA[Reporter ${i % 7}]]></dc:creator>
      <category><![CDATA[Local]]></category>
      <category><![CDATA[Transit]]></category>
      <description><![CDATA[<p>${PARAGRAPH}</p>]]></description>
      <content:encoded><![CDATA[${body(i)}]]></content:encoded>
      <media:content url="https://cdn.example.com/img/${i}.jpg" medium="image" />
    </item>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Example News</title><link>https://news.example.com/</link><description>Local news</description>
    <atom:link href="https://news.example.com/feed.xml" rel="self" type="application/rss+xml" />
    <lastBuildDate>Tue, 04 Jun 2024 12:00:00 +0000</lastBuildDate>${items}
  </channel>
</rss>`;
}

export function atomFeed(count: number): string {
  const entries = Array.from({ length: count }, (_, i) => `
  <entry>
    <title type="html">Council approves transit plan, part ${i} &amp;mdash; what changes</title>
    <link rel="alternate" type="text/html" href="https://news.example.com/story/${i}"/>
    <id>tag:news.example.com,2024:story-${i}</id>
    <published>2024-06-04T${hour(i)}:15:00Z</published>
    <updated>2024-06-04T${hour(i)}:30:00+02:00</updated>
    <author><name>Reporter ${i % 7}</name></author>
    <category term="Local"/>
    <summary type="html">${escape(`<p>${PARAGRAPH}</p>`)}</summary>
    <content type="html">${escape(body(i))}</content>
  </entry>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.example.com/">
  <title>Example News</title><id>tag:news.example.com,2024:feed</id><updated>2024-06-04T12:00:00Z</updated>
  <link rel="alternate" href="https://news.example.com/"/>${entries}
</feed>`;
}

function escape(html: string): string {
  return html.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function parseSamples(): Sample[] {
  return [
    { name: 'rss tiny (1 item)', xml: rssFeed(1), items: 1 },
    { name: 'rss small (20 items)', xml: rssFeed(20), items: 20 },
    { name: 'rss large (1000 items)', xml: rssFeed(1000), items: 1000 },
    { name: 'atom small (20 items)', xml: atomFeed(20), items: 20 },
    { name: 'atom large (1000 items)', xml: atomFeed(1000), items: 1000 },
  ];
}
