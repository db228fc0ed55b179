import { describe, expect, it } from 'vitest';
import type { ParsedItem } from '../../src/model';
import { addDocument, emptyAgreement, type ReferenceEntry } from '../../scripts/lib/feedAgreement';

const entry = (over: Partial<ReferenceEntry> = {}): ReferenceEntry => ({
  title: 'Harbour reopens',
  link: 'https://example.org/harbour',
  id: 'https://example.org/harbour',
  published: '2024-03-01T10:00:00Z',
  updated: null,
  published_raw: 'Fri, 01 Mar 2024 10:00:00 GMT',
  updated_raw: null,
  summary_len: 20,
  content_len: 0,
  author: 'Ana Ruiz',
  ...over,
});

const item = (over: Partial<ParsedItem> = {}): ParsedItem => ({
  id: 'https://example.org/harbour',
  title: 'Harbour reopens',
  link: 'https://example.org/harbour',
  summary: 'The harbour reopened.',
  content: null,
  published: '2024-03-01T10:00:00.000Z',
  updated: null,
  author: { name: 'Ana Ruiz', email: null, url: null },
  ...over,
});

const doc = (entries: ReferenceEntry[]) => ({ path: 'a.xml', version: 'rss20', n_entries: entries.length, entries });

describe('feed agreement with feedparser', () => {
  it('counts equal fields as agreeing (dates as instants, titles as text)', () => {
    const agreement = emptyAgreement();
    addDocument(agreement, doc([entry({ title: 'Fish &amp; chips' })]), '<rss/>', [item({ title: 'Fish & chips' })]);
    for (const tally of Object.values(agreement.tallies)) expect(tally).toEqual({ agree: 1, total: 1, feedparserWrong: 0 });
  });

  it('lists a disagreement with both readings', () => {
    const agreement = emptyAgreement();
    addDocument(agreement, doc([entry({ title: 'Kölner Dom' })]), '<rss/>', [item({ title: 'KÃ¶lner Dom', author: null })]);
    expect(agreement.tallies.title.agree).toBe(0);
    expect(agreement.tallies.author.agree).toBe(0);
    expect(agreement.disagreements.find((d) => d.field === 'title')).toMatchObject({ reference: 'Kölner Dom', ours: 'KÃ¶lner Dom' });
  });

  it("sets aside feedparser's known mistakes instead of counting them against us", () => {
    const agreement = emptyAgreement();
    const raw = '<rss><item><title>x</title><item /></item><item><dc:creator/></item></rss>';
    const empty = entry({ title: null, link: null, id: null, published: null, published_raw: null, summary_len: 0, author: null });
    addDocument(
      agreement,
      doc([entry({ published: '2020-12-01T00:00:00Z', published_raw: '2020/1/10 14:33:00' }), empty, entry({ author: null })]),
      raw,
      [item({ published: null }), item()],
    );
    expect(agreement.tallies.count).toEqual({ agree: 1, total: 1, feedparserWrong: 0 });
    expect(agreement.droppedEntries).toBe(1);
    expect(agreement.tallies.date.feedparserWrong).toBe(1);
    expect(agreement.tallies.author).toEqual({ agree: 1, total: 1, feedparserWrong: 1 });
  });

  it('counts a refused document as zero entries', () => {
    const agreement = emptyAgreement();
    addDocument(agreement, doc([entry()]), '<feed/>', null);
    expect(agreement.tallies.count.agree).toBe(0);
    expect(agreement.tallies.title).toEqual({ agree: 0, total: 1, feedparserWrong: 0 });
  });

  it('sets aside a title feedparser left double-encoded where ours is the repair, never the other way round', () => {
    const agreement = emptyAgreement();
    const reference = [entry({ title: 'CÃ´te dâ€™Ivoire : la crise' }), entry({ title: 'Kölner Dom' }), entry({ title: 'Côte d’Ivoire' })];
    addDocument(agreement, doc(reference), '<rss/>', [item({ title: 'Côte d’Ivoire : la crise' }), item({ title: 'KÃ¶lner Dom' }), item({ title: 'Côte d’Ivoire !' })]);
    expect(agreement.tallies.title).toEqual({ agree: 0, total: 2, feedparserWrong: 1 });
  });
});
