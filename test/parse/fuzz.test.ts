// Thousands of broken feeds through parse and normalise (test/fixtures/mutations.ts): each must
// give well-formed articles or fail with a clear, stage-prefixed error. Pure code: runs in Node
// (the same documents through whole scheduled runs are in test/ops/fuzz.test.ts).
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/model';
import { normaliseItems } from '../../src/normalise';
import { parseFeed } from '../../src/parse';
import { sourceId } from '../../src/sources/registry';
import { mutate, SEEDS } from '../fixtures/mutations';
import { seededRandom as random } from '../fixtures/random';

const SOURCE = { id: sourceId('https://fuzz.example/feed'), url: 'https://fuzz.example/feed', name: null };
const SEEN_AT = '2025-07-23T12:00:00.000Z';

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

