import { describe, expect, it } from 'vitest';
import { defaultQuery, isDefaultQuery, parseViewQuery, querySearch } from '../../src/render/query';
import { selectStories } from '../../src/render/select';
import { manyStories, source, story } from './fixtures';

const parse = (search: string) => parseViewQuery(new URLSearchParams(search), 50);

describe('parseViewQuery', () => {
  it('gives the default view for no or unknown parameters', () => {
    expect(parse('')).toEqual(defaultQuery(50));
    expect(isDefaultQuery(parse('utm_source=x&_=123'), 50)).toBe(true);
  });

  it('reads every filter', () => {
    expect(parse('min_sources=2&limit=10&since=2026-11-01&q=%20bridge%20%20river%20&page=3')).toEqual({
      minSources: 2, limit: 10, since: '2026-11-01T00:00:00.000Z', q: 'bridge river', page: 3, sort: 'new',
    });
  });

  it('accepts a zone offset whose "+" arrived as a space', () => {
    expect(parse('since=2026-11-01T10:00:00+02:00').since).toBe('2026-11-01T08:00:00.000Z');
  });

  it.each([
    ['min_sources=0', 'filter: min_sources: expected a whole number from 1 to 1000, got "0"'],
    ['min_sources=two', 'filter: min_sources'],
    ['limit=501', 'filter: limit: expected a whole number from 1 to 500'],
    ['limit=2.5', 'filter: limit'],
    ['page=-1', 'filter: page'],
    ['since=yesterday', 'filter: since: expected an ISO 8601'],
    ['since=2026-11-01T10:00:00', 'filter: since'],
    ['since=2026-13-45', 'filter: since'],
    ['limit=1&limit=2', 'filter: limit: given more than once'],
    [`q=${'x'.repeat(201)}`, 'filter: q: at most 200 characters'],
  ])('rejects %s', (search, message) => {
    expect(() => parse(search)).toThrow(message);
  });

  it('writes links with only the non-default values', () => {
    const query = parse('q=a b&limit=50');
    expect(querySearch(query, 1, 50)).toBe('?q=a+b');
    expect(querySearch(query, 2, 50)).toBe('?q=a+b&page=2');
    expect(querySearch(defaultQuery(50), 1, 50)).toBe('');
  });
});

describe('selectStories', () => {
  const stories = manyStories(30);

  it('pages in snapshot order', () => {
    const page = selectStories(stories, { ...defaultQuery(50), limit: 7, page: 5 });
    expect(page.stories.map((s) => s.id)).toEqual(['river-28', 'river-29']);
    expect(page).toMatchObject({ total: 30, page: 5, lastPage: 5 });
  });

  it('filters by source count and by update time', () => {
    const multi = selectStories(stories, { ...defaultQuery(50), minSources: 3 });
    expect(multi.total).toBe(10);
    expect(multi.stories.every((s) => s.sources.length >= 3)).toBe(true);
    const since = stories[4]!.updated;
    const recent = selectStories(stories, { ...defaultQuery(50), since });
    expect(recent.stories.map((s) => s.id)).toEqual(['river-0', 'river-1', 'river-2', 'river-3', 'river-4']);
  });

  it('searches headlines, summaries and outlets, ignoring case and accents; all words must match', () => {
    const cafe = story({ id: 'cafe', title: 'Café in Zürich closes', sources: [source({ outlet: 'Neue Zeitung' })] });
    const all = [cafe, ...stories];
    expect(selectStories(all, { ...defaultQuery(50), q: 'cafe ZURICH' }).stories.map((s) => s.id)).toEqual(['cafe']);
    expect(selectStories(all, { ...defaultQuery(50), q: 'zeitung' }).total).toBe(1);
    expect(selectStories(all, { ...defaultQuery(50), q: 'cafe berlin' }).total).toBe(0);
  });

  it('reports one page when nothing matches', () => {
    expect(selectStories([], defaultQuery(50))).toEqual({ stories: [], total: 0, page: 1, lastPage: 1 });
  });
});
