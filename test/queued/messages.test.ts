// What travels on the queues: poll orders, filings packed under the 128 KB message limit, sends
// grouped under sendBatch's limits, and the "new since the last document" filter.
import { describe, expect, it } from 'vitest';
import type { Article, Source } from '../../src/model';
import {
  filings, firstArticles, MAX_MESSAGE_BYTES, MAX_SEND_BYTES, MAX_SEND_MESSAGES, newSince, pollOrders, readFiling, readPollOrder, sendGroups, type PolledSource,
} from '../../src/queued/messages';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;
const source = (i: number): Source => ({ id: `s${i}`, url: `https://outlet-${i}.example/feed.xml`, name: `Outlet ${i}` });
const article = (i: number, text = `Body of article ${i}.`): Article => ({
  id: `a${i}`, sourceId: `s${i % 7}`, outlet: 'Outlet', url: `https://outlet.example/${i}`, title: `Headline ${i}`, text, summary: 'Summary', published: null, seenAt: '2026-12-07T12:00:00.000Z',
});
const poll = (i: number): PolledSource => ({ source: source(i), at: '2026-12-07T12:00:00.000Z', result: { status: 200, itemCount: 3 }, bytes: 1000 });

describe('poll orders', () => {
  it('names at most the given number of sources per message, in order, and reads back', () => {
    const targets = Array.from({ length: 23 }, (_, i) => ({ source: source(i), etag: null, lastModified: null, recent: null }));
    const orders = pollOrders(targets, 10, new Date('2026-12-07T12:00:00Z'));
    expect(orders.map((o) => o.targets.length)).toEqual([10, 10, 3]);
    expect(orders.flatMap((o) => o.targets.map((t) => t.source.id))).toEqual(targets.map((t) => t.source.id));
    expect(readPollOrder(JSON.parse(JSON.stringify(orders[0])))).toEqual(orders[0]);
  });

  it('says why a body is not a poll order', () => {
    expect(readPollOrder(null)).toMatch(/not a poll order/);
    expect(readPollOrder({ v: 1, kind: 'poll', targets: [{ source: { id: 1 } }] })).toMatch(/targets/);
  });
});

describe('filings', () => {
  it('packs polls and articles into messages under the size limit, losing none, each poll after its articles', () => {
    const polls = Array.from({ length: 30 }, (_, i) => ({ poll: poll(i), articles: Array.from({ length: 12 }, (_, k) => ({ ...article(i * 100 + k, 'word '.repeat(400)), sourceId: `s${i}` })) }));
    const { messages, textsCut } = filings(polls, [article(9999)]);
    expect(textsCut).toBe(0);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(bytes(m)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(messages.flatMap((m) => m.polled.map((a) => a.id)).sort()).toEqual(polls.flatMap((p) => p.articles.map((a) => a.id)).sort());
    expect(messages.flatMap((m) => m.polls.map((p) => p.source.id))).toEqual(polls.map((p) => p.poll.source.id));
    expect(messages.flatMap((m) => m.pushed.map((a) => a.id))).toEqual(['a9999']);
    // A source's poll travels with its last article.
    for (const m of messages) for (const p of m.polls) expect(m.polled.some((a) => a.sourceId === p.source.id)).toBe(true);
    for (const m of messages) expect(readFiling(JSON.parse(JSON.stringify(m)))).toEqual(m);
  });

  it('shortens the text of an article too large for a message on its own (CJK text of 50,000 characters)', () => {
    const { messages, textsCut } = filings([], [article(1, '新闻'.repeat(25_000))]);
    expect(textsCut).toBe(1);
    expect(messages).toHaveLength(1);
    expect(bytes(messages[0])).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(messages[0]!.pushed[0]!.text.length).toBeGreaterThan(10_000);
  });

  it('sends nothing for nothing', () => {
    expect(filings([], []).messages).toEqual([]);
  });

  it('says why a body is not a filing', () => {
    expect(readFiling({ v: 1, kind: 'file', polls: [], polled: [{ id: 'x' }], pushed: [] })).toMatch(/article lacks/);
    expect(readFiling({ v: 1, kind: 'file', polls: {}, polled: [], pushed: [] })).toMatch(/polls must be a list/);
    expect(readFiling('hello')).toMatch(/not a filing/);
  });
});

describe('firstArticles', () => {
  it('takes the first articles and sends the rest with their sources\' polls, each article once', () => {
    const mk = (i: number, n: number) => ({ poll: poll(i), articles: Array.from({ length: n }, (_, k) => ({ ...article(i * 10 + k), sourceId: `s${i}` })) });
    const one = filings([mk(1, 3), mk(2, 4)], [article(99)]).messages;
    const { now, later, carried } = firstArticles(one, 5);
    expect(now.polled.map((a) => a.id)).toEqual(['a10', 'a11', 'a12', 'a20', 'a21']);
    expect(now.polls.map((p) => p.source.id)).toEqual(['s1']);
    expect(carried).toBe(3);
    expect(later.flatMap((m) => m.polled.map((a) => a.id))).toEqual(['a22', 'a23']);
    expect(later.flatMap((m) => m.pushed.map((a) => a.id))).toEqual(['a99']);
    expect(later.flatMap((m) => m.polls.map((p) => p.source.id))).toEqual(['s2']);
    expect(firstArticles(one, 100)).toMatchObject({ later: [], carried: 0 });
  });

  it('takes whole messages up to the limit and sends the untaken ones again as they came; messages of polls alone are always taken', () => {
    const message = (i: number, n: number) => filings([{ poll: poll(i), articles: Array.from({ length: n }, (_, k) => ({ ...article(i * 10 + k), sourceId: `s${i}` })) }]).messages[0]!;
    const pollsOnly = filings([{ poll: poll(9), articles: [] }]).messages[0]!;
    const batch = [message(1, 2), message(2, 2), message(3, 2), pollsOnly, message(4, 2)];
    const { now, later, carried } = firstArticles(batch, 3);
    expect(now.polled.map((a) => a.id)).toEqual(['a10', 'a11', 'a20']);
    expect(now.polls.map((p) => p.source.id)).toEqual(['s1', 's9']);
    expect(carried).toBe(5);
    expect(later[0]).toMatchObject({ polled: [{ id: 'a21' }], polls: [{ source: { id: 's2' } }] });
    expect(later.slice(1)).toEqual([batch[2], batch[4]]);
  });
});

describe('send groups', () => {
  it('keeps each sendBatch under 100 messages and 256 KB, in order', () => {
    const small = Array.from({ length: 250 }, (_, i) => ({ n: i }));
    expect(sendGroups(small).map((g) => g.length)).toEqual([100, 100, 50]);
    const large = Array.from({ length: 7 }, (_, i) => ({ n: i, pad: 'x'.repeat(100_000) }));
    const groups = sendGroups(large);
    for (const g of groups) expect(g.reduce((n, m) => n + bytes(m), 0)).toBeLessThanOrEqual(MAX_SEND_BYTES);
    expect(groups.flat()).toEqual(large);
    expect(MAX_SEND_MESSAGES).toBe(100);
  });
});

describe('newSince', () => {
  it('sends on only the items the last document did not hold', () => {
    const first = [article(1), article(2), article(3)];
    const one = newSince(first, null);
    expect(one.fresh.map((a) => a.id)).toEqual(['a1', 'a2', 'a3']);
    const second = [article(4), article(1), article(2)];
    const two = newSince(second, one.recent);
    expect(two.fresh.map((a) => a.id)).toEqual(['a4']);
    // An item that left the document and comes back is sent again; the writer files it once, by id.
    expect(newSince([article(3)], two.recent).fresh.map((a) => a.id)).toEqual(['a3']);
  });

  it('sends everything when what it remembers is unreadable', () => {
    expect(newSince([article(1)], '%%%not base64').fresh).toHaveLength(1);
  });
});
