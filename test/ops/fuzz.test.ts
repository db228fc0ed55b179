// Thousands of broken feeds: mutated seed feeds (flipped, cut, spliced, re-encoded bytes, names
// turned into JavaScript built-in names, entity references repeated) and
// random bytes. Parsing and normalising must either give well-formed articles or fail with a
// clear, stage-prefixed error; a run fed such documents must not fail, and must not lose or
// duplicate anything once the feeds are whole again.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import civic from '../../seeds/feeds/civic-wire.json?raw';
import eastgate from '../../seeds/feeds/eastgate-review.rdf?raw';
import harbor from '../../seeds/feeds/harbor-daily.xml?raw';
import meridian from '../../seeds/feeds/meridian-post.xml?raw';
import northline from '../../seeds/feeds/northline-news.atom?raw';
import type { Article } from '../../src/model';
import { normaliseItems } from '../../src/normalise';
import { parseFeed } from '../../src/parse';
import { runScheduled } from '../../src/scheduled';
import { sourceId } from '../../src/sources/registry';
import { readStories } from '../../src/store/stories';
import { BUILTIN_NAMES } from '../fixtures/hostile';
import { clearKv, runDeps, seedFetch, testEnv } from './helpers';
import { seededRandom as random } from '../fixtures/random';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const SEEDS = [meridian, harbor, northline, civic, eastgate].map((text) => encoder.encode(text));
const SOURCE = { id: sourceId('https://fuzz.example/feed'), url: 'https://fuzz.example/feed', name: null };
const SEEN_AT = '2025-07-23T12:00:00.000Z';

type Rng = () => number;
const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const SPECIAL = encoder.encode('<>&"\'/=![]{}:;,\\\u0000\u00ff\ufffd');

const MUTATIONS: ((bytes: Uint8Array, rng: Rng) => Uint8Array)[] = [
  // flip a few bytes
  (b, rng) => {
    const out = b.slice();
    for (let i = 0, n = 1 + int(rng, 8); i < n; i++) out[int(rng, out.length)] = int(rng, 256);
    return out;
  },
  // truncate anywhere
  (b, rng) => b.slice(0, int(rng, b.length)),
  // cut a slice out
  (b, rng) => {
    const at = int(rng, b.length);
    return concat(b.slice(0, at), b.slice(Math.min(b.length, at + 1 + int(rng, 400))));
  },
  // duplicate a slice
  (b, rng) => {
    const at = int(rng, b.length);
    const end = Math.min(b.length, at + int(rng, 800));
    return concat(b.slice(0, end), b.slice(at, end), b.slice(end));
  },
  // sprinkle markup characters
  (b, rng) => {
    const out = b.slice();
    for (let i = 0, n = 1 + int(rng, 20); i < n; i++) out[int(rng, out.length)] = SPECIAL[int(rng, SPECIAL.length)]!;
    return out;
  },
  // splice two different seed feeds together
  (b, rng) => {
    const other = SEEDS[int(rng, SEEDS.length)]!;
    return concat(b.slice(0, int(rng, b.length)), other.slice(int(rng, other.length)));
  },
  // a byte-order mark or encoding declaration that lies
  (b, rng) => {
    const prefixes = [[0xfe, 0xff], [0xff, 0xfe], [0xef, 0xbb, 0xbf], [...encoder.encode('<?xml version="1.0" encoding="utf-16"?>')]];
    return concat(new Uint8Array(prefixes[int(rng, prefixes.length)]!), b);
  },
  // deep nesting
  (b, rng) => {
    const depth = 200 + int(rng, 3000);
    const open = encoder.encode('<a>'.repeat(depth));
    const at = int(rng, b.length);
    return concat(b.slice(0, at), open, b.slice(at));
  },
  // an element, attribute or entity name (or a prefix) becomes a JavaScript built-in name
  (b, rng) => {
    const text = decoder.decode(b);
    const names = [...text.matchAll(/<\/?([A-Za-z_][\w.:-]*)|\s([A-Za-z_][\w.:-]*)=|&([A-Za-z_][\w.-]*);/g)];
    if (names.length === 0) return b;
    const hit = names[int(rng, names.length)]!;
    const name = hit[1] ?? hit[2] ?? hit[3]!;
    const start = hit.index! + hit[0].indexOf(name);
    const builtin = BUILTIN_NAMES[int(rng, BUILTIN_NAMES.length)]!;
    const replacement = rng() < 0.3 ? `${builtin}:${name}` : builtin;
    return encoder.encode(text.slice(0, start) + replacement + text.slice(start + name.length));
  },
  // entity references repeated: an existing one many times, or a declared entity used far too often
  (b, rng) => {
    const text = decoder.decode(b);
    if (rng() < 0.5) {
      const refs = [...text.matchAll(/&[#\w.-]+;/g)];
      const ref = refs.length > 0 ? refs[int(rng, refs.length)]! : null;
      if (!ref) return b;
      return encoder.encode(text.slice(0, ref.index!) + ref[0].repeat(1 + int(rng, 5000)) + text.slice(ref.index!));
    }
    // After the XML declaration (if any), a DOCTYPE; the references after some tag further on.
    const doctype = `<!DOCTYPE x [<!ENTITY e "${'x'.repeat(int(rng, 16 * 1024))}">]>`;
    const head = text.startsWith('<?xml') ? text.slice(0, text.indexOf('?>') + 2) : '';
    const body = text.slice(head.length);
    const tagEnd = body.indexOf('>', int(rng, Math.max(1, body.length)));
    const refs = '&e;'.repeat(1 + int(rng, 5000));
    return encoder.encode(head + doctype + (tagEnd < 0 ? body : body.slice(0, tagEnd + 1) + refs + body.slice(tagEnd + 1)));
  },
  // random bytes
  (_, rng) => Uint8Array.from({ length: int(rng, 2048) }, () => int(rng, 256)),
  // random "text" made of markup characters
  (_, rng) => Uint8Array.from({ length: int(rng, 2048) }, () => SPECIAL[int(rng, SPECIAL.length)]!),
];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function mutate(bytes: Uint8Array, rng: Rng): Uint8Array {
  let out = bytes;
  for (let i = 0, n = 1 + int(rng, 3); i < n; i++) out = MUTATIONS[int(rng, MUTATIONS.length)]!(out, rng);
  return out;
}

function expectWellFormed(article: Article) {
  expect(typeof article.id === 'string' && article.id.length > 0).toBe(true);
  expect(article.sourceId).toBe(SOURCE.id);
  expect(typeof article.title).toBe('string');
  expect(typeof article.text).toBe('string');
  expect(typeof article.summary).toBe('string');
  if (article.url !== null) expect(new URL(article.url).protocol).toMatch(/^https?:$/);
  if (article.published !== null) expect(Number.isNaN(Date.parse(article.published))).toBe(false);
}

describe('fuzzed feeds through parse and normalise', () => {
  it('3,000 broken documents: articles that are well formed, or a clear stage-prefixed error', () => {
    const rng = random(20250723);
    const outcomes = { parsed: 0, refused: 0, articles: 0 };
    const errors = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const input = mutate(SEEDS[i % SEEDS.length]!, rng);
      let articles: Article[];
      try {
        articles = normaliseItems(parseFeed(input, { url: SOURCE.url, contentType: null }), SOURCE, SEEN_AT);
      } catch (err) {
        expect(err, `case ${i}`).toBeInstanceOf(Error);
        const { name, message } = err as Error;
        expect(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError'], `case ${i}: ${name}: ${message}`).not.toContain(name);
        expect(message, `case ${i}`).toMatch(/^[a-z][a-z0-9.-]*: \S/);
        const stage = message.slice(0, message.indexOf(':'));
        errors.set(stage, (errors.get(stage) ?? 0) + 1);
        outcomes.refused++;
        continue;
      }
      outcomes.parsed++;
      outcomes.articles += articles.length;
      for (const article of articles) expectWellFormed(article);
      expect(new Set(articles.map((a) => a.id)).size, `case ${i}`).toBe(articles.length);
    }
    // Both paths must have been exercised for the test to mean anything.
    expect(outcomes.parsed).toBeGreaterThan(300);
    expect(outcomes.refused).toBeGreaterThan(300);
    console.log(JSON.stringify({ fuzz: 'parse+normalise', ...outcomes, errorsByStage: Object.fromEntries(errors) }));
  }, 30_000); // a few seconds alone; more on a loaded 2-core machine
});

describe('fuzzed feeds through scheduled runs', () => {
  beforeEach(() => clearKv());

  it('runs on broken feeds never fail, and the whole feeds afterwards leave every article listed once', async () => {
    const target = testEnv();
    await runScheduled(target, runDeps());
    // An article counts as listed under its id, or as the same report (URL and headline) under
    // another id: a mutated guid gives the same report a new id, and a report is listed once.
    const reportOf = (src: { url: string | null; title: string }) => `${src.url}|${src.title}`;
    const expected = (await readStories(target.STATE)).stories.flatMap((s) => s.sources.map((src) => ({ id: src.articleId, report: reportOf(src) })));
    expect(expected).toHaveLength(13);
    await clearKv();

    const rng = random(7);
    const broken = seedFetch((body) => mutate(body, rng));
    for (let run = 0; run < 15; run++) {
      const report = await runScheduled(target, runDeps({ fetch: broken, pollEverything: true, now: () => new Date(Date.UTC(2025, 6, 23, 12, run)) }));
      expect(report.skipped).toBeNull();
      expect(report.sourcesDue).toBe(5);
    }
    const whole = await runScheduled(target, runDeps({ pollEverything: true, now: () => new Date('2025-07-23T13:00:00Z') }));
    expect(whole.errors).toEqual([]);

    const { stories } = await readStories(env.STATE);
    const listed = stories.flatMap((s) => s.sources.map((src) => src.articleId));
    expect(new Set(listed).size).toBe(listed.length);
    const reports = new Set(stories.flatMap((s) => s.sources.map(reportOf)));
    for (const { id, report } of expected) expect(listed.includes(id) || reports.has(report), `${id} ${report}`).toBe(true);
  });
});
