// The feeds of the fan-out bench's loopback farm (bench/lib/feedFarm.ts serves them; bench/fanout.ts
// counts what should be filed): per feed, a plan drawn from a PRNG seeded by its number (format,
// items, document size, latency, health), and its document at a given head item, generated from
// made-up words. Pure and deterministic: the server and the bench agree without sharing state.

import { seededRandom } from '../../test/fixtures/random';

export type FeedFormat = 'rss' | 'atom' | 'json';
/** How an unhealthy feed misbehaves. */
export type Hostility = 'slow' | 'http500' | 'http503' | 'http429' | 'garbage' | 'html' | 'oversize' | 'redirectLoop' | 'reset';
export const HOSTILITIES: Hostility[] = ['slow', 'http500', 'http503', 'http429', 'garbage', 'html', 'oversize', 'redirectLoop', 'reset'];

export interface FeedPlan {
  index: number;
  format: FeedFormat;
  /** Items the document holds (20–50). */
  items: number;
  /** Bytes the document should come to, roughly (10–150 KB, most small). */
  targetBytes: number;
  /** Milliseconds before the answer (30–400, skewed to the low end). */
  latencyMs: number;
  /** Null: a healthy feed. A tenth of the feeds are not. */
  hostility: Hostility | null;
}

/** The tests' seeded generator (mulberry32): the same farm every run. */
export const prng = seededRandom;

function mix(a: number, b: number): number {
  return (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35)) >>> 0;
}

export function feedPlan(index: number): FeedPlan {
  const random = prng(mix(index, 1));
  const formatRoll = random();
  const format: FeedFormat = formatRoll < 0.55 ? 'rss' : formatRoll < 0.9 ? 'atom' : 'json';
  const items = 20 + Math.floor(random() * 31);
  const targetBytes = Math.round(10_000 + 140_000 * random() ** 2);
  const latencyMs = Math.round(30 + 370 * random() ** 3);
  // Every tenth feed (numbers ending in 9) is unhealthy, the kinds in turn.
  const hostility = index % 10 === 9 ? HOSTILITIES[Math.floor(index / 10) % HOSTILITIES.length]! : null;
  return { index, format, items, targetBytes, latencyMs, hostility };
}

/** Where feed `index` is served, and the URL of its item `n` (what a story lists). */
export function feedPath(index: number): string {
  return `/f/${index}`;
}
export function itemUrl(index: number, n: number): string {
  return `https://outlet-${index}.farm.example/a/${n}`;
}
/** The outlet of a feed's group: neighbouring feeds report the same events, so stories gather several. */
const GROUP = 8;

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vel', 'dor', 'ni', 'pa', 'quo', 'ri', 'sem', 'tal', 'ub', 'vi', 'xan', 'yo', 'zer', 'bri', 'cle', 'dru', 'fen', 'gor', 'hul', 'ist', 'jam', 'kor', 'lim', 'mup'];
/** Filler vocabulary: 4,000 made-up words, drawn Zipf-like (a few common, most rare). */
const VOCABULARY: string[] = (() => {
  const random = prng(7);
  const words = new Set<string>();
  while (words.size < 4000) {
    const length = 1 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < length; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    if (word.length > 2) words.add(word);
  }
  return [...words];
})();

function fillerWord(random: () => number): string {
  return VOCABULARY[Math.floor(VOCABULARY.length * random() ** 3)]!;
}

/** Six distinctive names of an event (made-up, capitalised). */
function eventNames(event: number): string[] {
  const random = prng(mix(event, 99));
  return Array.from({ length: 6 }, () => {
    let name = '';
    for (let i = 0; i < 3; i++) name += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    return name[0]!.toUpperCase() + name.slice(1);
  });
}

export interface FarmItem {
  n: number;
  guid: string;
  url: string;
  title: string;
  body: string;
  published: Date;
}

/** Item `n` of feed `index`: about `bodyChars` characters of text about its event. */
export function farmItem(index: number, n: number, bodyChars: number, published: Date): FarmItem {
  const random = prng(mix(index, n + 1000));
  // The same event for the same item number across a group of neighbouring feeds, but offset a little.
  const group = Math.floor(index / GROUP);
  const event = mix(group, n + Math.floor(random() * 2));
  const names = eventNames(event);
  const title = `${names[0]} ${fillerWord(random)} ${names[1]} ${fillerWord(random)} ${names[2]} ${fillerWord(random)}`;
  const sentences: string[] = [];
  let length = 0;
  while (length < bodyChars) {
    const words: string[] = [];
    const count = 8 + Math.floor(random() * 14);
    for (let w = 0; w < count; w++) words.push(random() < 0.25 ? names[Math.floor(random() * names.length)]! : fillerWord(random));
    const sentence = words.join(' ');
    sentences.push(sentence[0]!.toUpperCase() + sentence.slice(1) + '.');
    length += sentence.length + 2;
  }
  return { n, guid: `farm-${index}-${n}`, url: itemUrl(index, n), title, body: sentences.join(' '), published };
}

/** The item numbers a document at `head` holds, newest first. */
export function itemNumbers(plan: FeedPlan, head: number): number[] {
  return Array.from({ length: plan.items }, (_, i) => head - i).filter((n) => n >= 0);
}

/** The first document's head: items 0 … items − 1. */
export function firstHead(plan: FeedPlan): number {
  return plan.items - 1;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The document of feed `index` whose newest item is `head`, published at `at`; older items seven minutes apart before it. */
export function feedDocument(plan: FeedPlan, head: number, at: Date): { body: string; contentType: string } {
  const numbers = itemNumbers(plan, head);
  const bodyChars = Math.max(200, Math.floor(plan.targetBytes / plan.items) - 300);
  const items = numbers.map((n) => farmItem(plan.index, n, bodyChars, new Date(at.getTime() - (head - n) * 7 * 60_000)));
  const site = `https://outlet-${plan.index}.farm.example/`;
  const title = `Farm outlet ${plan.index}`;
  if (plan.format === 'json') {
    return {
      contentType: 'application/feed+json',
      body: JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1', title, home_page_url: site,
        items: items.map((i) => ({ id: i.guid, url: i.url, title: i.title, content_text: i.body, date_published: i.published.toISOString() })),
      }),
    };
  }
  if (plan.format === 'atom') {
    const entries = items.map((i) => `<entry><id>${i.guid}</id><title>${escapeXml(i.title)}</title><link rel="alternate" href="${i.url}"/><updated>${i.published.toISOString()}</updated><content type="html">${escapeXml(`<p>${i.body}</p>`)}</content></entry>`);
    return {
      contentType: 'application/atom+xml',
      body: `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>${title}</title><id>${site}</id><updated>${at.toISOString()}</updated><link href="${site}"/>\n${entries.join('\n')}\n</feed>\n`,
    };
  }
  const entries = items.map((i) => `<item><guid isPermaLink="false">${i.guid}</guid><title>${escapeXml(i.title)}</title><link>${i.url}</link><pubDate>${i.published.toUTCString()}</pubDate><description>${escapeXml(i.body.slice(0, 200))}</description><content:encoded>${escapeXml(`<p>${i.body}</p>`)}</content:encoded></item>`);
  return {
    contentType: 'application/rss+xml',
    body: `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${title}</title><link>${site}</link><description>Made-up news</description>\n${entries.join('\n')}\n</channel></rss>\n`,
  };
}
