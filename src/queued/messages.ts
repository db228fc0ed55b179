// What travels on the two queues (docs/architecture.md, "With queues"), and how it is packed.
// Pure: the wiring (fanout.ts, poller.ts, writer.ts) sends and reads these.
//
//   cron ──PollOrder──▶ poll queue ──▶ poller: fetch, parse, normalise ──Filing──▶ file queue ──▶ writer
//   push API ──────────────────────────────────────────────────────────Filing──▶ file queue
//
// A Queues message holds at most 128 KB; a sendBatch at most 100 messages and 256 KB. Packing
// keeps well inside both, and a message is never split across sends.
import type { Article, Source } from '../model';
import type { PollResult } from '../sources/schedule';
import { utf8Bytes } from '../stories/bounds';
import { fnv1a } from '../util/hash';

/** Bytes of one message's JSON at most (Queues: 128 KB), with room for the envelope. */
export const MAX_MESSAGE_BYTES = 120_000;
/** Bytes of one sendBatch at most (Queues: 256 KB). */
export const MAX_SEND_BYTES = 240_000;
/** Messages in one sendBatch at most (Queues: 100). */
export const MAX_SEND_MESSAGES = 100;
/** Item ids of a source's last document remembered as hashes (SourceStatus.recent), newest first. */
export const RECENT_ITEMS = 100;

/** One source to poll, with what its record says a conditional GET and the "new" filter need. */
export interface PollTarget {
  source: Source;
  etag: string | null;
  lastModified: string | null;
  /** SourceStatus.recent: hashes of the ids the last document held. */
  recent: string | null;
}

/** The cron's message to the poll queue: a few sources to poll (SOURCES_PER_POLL_MESSAGE). */
export interface PollOrder {
  v: 1;
  kind: 'poll';
  /** When the cron sent it (ISO 8601). */
  sent: string;
  targets: PollTarget[];
}

/** One poll's outcome, for the writer to record on the source, as of the cron that ordered it (PollOrder.sent). */
export interface PolledSource {
  source: Source;
  at: string;
  result: PollResult;
  bytes: number;
}

/** A message to the file queue: polls to record, the new articles they found, pushed articles. */
export interface Filing {
  v: 1;
  kind: 'file';
  polls: PolledSource[];
  polled: Article[];
  pushed: Article[];
}

export function pollOrders(targets: PollTarget[], perMessage: number, sent: Date): PollOrder[] {
  const orders: PollOrder[] = [];
  for (let i = 0; i < targets.length; i += perMessage) {
    orders.push({ v: 1, kind: 'poll', sent: sent.toISOString(), targets: targets.slice(i, i + perMessage) });
  }
  return orders;
}

/**
 * Polls and articles as file-queue messages of at most MAX_MESSAGE_BYTES. A source's poll goes in
 * the message with its last article. Messages are filed in any order (the writer files by article
 * id), so a source whose articles fill two messages may have its record written before its first
 * message is filed; if that message then fails for good it is in the dead-letter list, not lost.
 * An article too large for a message on its own has its text shortened to fit (`textsCut`).
 */
export function filings(polls: { poll: PolledSource | null; articles: Article[] }[], pushed: Article[] = []): { messages: Filing[]; textsCut: number } {
  const messages: Filing[] = [];
  let current = emptyFiling();
  let bytes = 0;
  let textsCut = 0;
  const room = (size: number) => {
    if (bytes + size > MAX_MESSAGE_BYTES && bytes > EMPTY_BYTES) {
      messages.push(current);
      current = emptyFiling();
      bytes = EMPTY_BYTES;
    }
    bytes += size;
  };
  bytes = EMPTY_BYTES;
  const place = (article: Article, into: 'polled' | 'pushed') => {
    const fitted = fitArticle(article);
    if (fitted !== article) textsCut++;
    room(jsonBytes(fitted) + 1);
    current[into].push(fitted);
  };
  for (const { poll, articles } of polls) {
    for (const article of articles) place(article, 'polled');
    if (!poll) continue; // articles whose source's poll travels elsewhere
    room(jsonBytes(poll) + 1);
    current.polls.push(poll);
  }
  for (const article of pushed) place(article, 'pushed');
  if (current.polls.length + current.polled.length + current.pushed.length > 0) messages.push(current);
  return { messages, textsCut };
}

/** Messages grouped for sendBatch: at most MAX_SEND_MESSAGES and MAX_SEND_BYTES each. */
export function sendGroups<T>(messages: T[]): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = jsonBytes(message);
    if (group.length > 0 && (group.length >= MAX_SEND_MESSAGES || bytes + size > MAX_SEND_BYTES)) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(message);
    bytes += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** The articles of a document the source's last document did not hold, and what to remember of this one. */
export function newSince(articles: Article[], recent: string | null): { fresh: Article[]; recent: string } {
  const seen = decodeRecent(recent);
  const fresh = articles.filter((a) => !seen.has(fnv1a(a.id)));
  return { fresh, recent: encodeRecent(articles.slice(0, RECENT_ITEMS).map((a) => fnv1a(a.id))) };
}

/**
 * A writer's share of its batch: whole messages up to `limit` articles (messages of polls alone
 * always), the first message past it split, and the rest for a later batch: the untaken messages
 * as they came (each sent again once, not repacked), the split one's remainder with the polls of
 * its sources that wait (so a source's record is not written before all its articles are filed).
 * Acknowledged after the rest is sent, so a writer killed in between files nothing twice (by id)
 * and loses nothing.
 */
export function firstArticles(messages: Filing[], limit: number): { now: Omit<Filing, 'v' | 'kind'>; later: Filing[]; carried: number } {
  const now = { polls: [] as PolledSource[], polled: [] as Article[], pushed: [] as Article[] };
  const later: Filing[] = [];
  let taken = 0;
  let carried = 0;
  for (const m of messages) {
    const size = m.polled.length + m.pushed.length;
    if (size === 0 || taken + size <= limit) {
      now.polls.push(...m.polls);
      now.polled.push(...m.polled);
      now.pushed.push(...m.pushed);
      taken += size;
    } else if (taken >= limit) {
      later.push(m);
      carried += size;
    } else {
      const room = limit - taken;
      const split = splitFiling(m, room);
      now.polls.push(...split.now.polls);
      now.polled.push(...split.now.polled);
      now.pushed.push(...split.now.pushed);
      later.push(...split.later);
      taken = limit;
      carried += size - room;
    }
  }
  return { now, later, carried };
}

/** One message's first `room` articles (polled, then pushed), and the rest as new messages with the polls of the sources that wait. */
function splitFiling(m: Filing, room: number): { now: Omit<Filing, 'v' | 'kind'>; later: Filing[] } {
  const polledNow = m.polled.slice(0, room);
  const pushedNow = m.pushed.slice(0, Math.max(0, room - m.polled.length));
  const polledLater = m.polled.slice(room);
  const pushedLater = m.pushed.slice(pushedNow.length);
  const waiting = new Map<string, Article[]>();
  for (const a of polledLater) {
    const list = waiting.get(a.sourceId);
    if (list) list.push(a);
    else waiting.set(a.sourceId, [a]);
  }
  // Each source's waiting articles travel once, with its first poll here (a redelivered message may repeat a poll).
  const withPoll = new Set<string>();
  const bySource = m.polls.filter((p) => waiting.has(p.source.id)).map((poll) => {
    const first = !withPoll.has(poll.source.id);
    withPoll.add(poll.source.id);
    return { poll, articles: first ? waiting.get(poll.source.id)! : [] };
  });
  // Articles whose source's poll is not in this message (it travels in another, or was filed before).
  const orphans = polledLater.filter((a) => !withPoll.has(a.sourceId));
  return {
    now: { polls: m.polls.filter((p) => !waiting.has(p.source.id)), polled: polledNow, pushed: pushedNow },
    later: filings([...bySource, { poll: null, articles: orphans }], pushedLater).messages,
  };
}

/** A poll order as sent, or a one-line reason it is not one. */
export function readPollOrder(body: unknown): PollOrder | string {
  if (!isObject(body) || body.v !== 1 || body.kind !== 'poll') return 'not a poll order (v 1, kind "poll")';
  if (!Array.isArray(body.targets) || !body.targets.every((t) => isObject(t) && isObject(t.source) && typeof t.source.id === 'string' && typeof t.source.url === 'string')) {
    return 'poll order: targets must be a list of {source: {id, url}, …}';
  }
  return body as unknown as PollOrder;
}

/** A file-queue message as sent, or a one-line reason it is not one. */
export function readFiling(body: unknown): Filing | string {
  if (!isObject(body) || body.v !== 1 || body.kind !== 'file') return 'not a filing (v 1, kind "file")';
  for (const field of ['polls', 'polled', 'pushed'] as const) {
    if (!Array.isArray(body[field])) return `filing: ${field} must be a list`;
  }
  const articleOk = (a: unknown) => isObject(a) && typeof a.id === 'string' && typeof a.sourceId === 'string' && typeof a.title === 'string' && typeof a.text === 'string';
  if (![...(body.polled as unknown[]), ...(body.pushed as unknown[])].every(articleOk)) return 'filing: an article lacks id, sourceId, title or text';
  if (!(body.polls as unknown[]).every((p) => isObject(p) && isObject(p.source) && typeof p.source.id === 'string' && typeof p.at === 'string' && !Number.isNaN(Date.parse(p.at)) && isObject(p.result))) {
    return 'filing: a poll lacks source id, a valid time (at) or result';
  }
  return body as unknown as Filing;
}

const EMPTY_BYTES = 64;

function emptyFiling(): Filing {
  return { v: 1, kind: 'file', polls: [], polled: [], pushed: [] };
}

function fitArticle(article: Article): Article {
  let fitted = article;
  while (jsonBytes(fitted) > MAX_MESSAGE_BYTES - EMPTY_BYTES && fitted.text.length > 0) {
    fitted = { ...fitted, text: fitted.text.slice(0, Math.floor(fitted.text.length / 2)) };
  }
  return fitted;
}

function jsonBytes(value: unknown): number {
  return utf8Bytes(JSON.stringify(value));
}

function encodeRecent(hashes: number[]): string {
  const bytes = new Uint8Array(hashes.length * 4);
  const view = new DataView(bytes.buffer);
  hashes.forEach((h, i) => view.setUint32(i * 4, h >>> 0));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function decodeRecent(recent: string | null): Set<number> {
  if (!recent) return new Set();
  let binary: string;
  try {
    binary = atob(recent);
  } catch {
    return new Set(); // unreadable: every item is sent, and the writer files each once by id
  }
  const seen = new Set<number>();
  for (let i = 0; i + 4 <= binary.length; i += 4) {
    seen.add(((binary.charCodeAt(i) << 24) | (binary.charCodeAt(i + 1) << 16) | (binary.charCodeAt(i + 2) << 8) | binary.charCodeAt(i + 3)) >>> 0);
  }
  return seen;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
