// The stories value of format 2 (stories/storedStories.ts) and the shelf a run or a request holds
// it in (stories/shelf.ts): what is stored reads back the same, what a run does not touch goes back
// byte for byte, the bounds still hold, a damaged value says so, and the pages chosen from the index
// (render/select.ts, shelfPages) are those of every record, read from only the records they show.
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../src/cluster';
import type { Article, StoriesSnapshot, StoryRecord } from '../../src/model';
import { prerender } from '../../src/render/publish';
import { applyAssignment } from '../../src/stories/apply';
import { MAX_STORY_RECORD_BYTES } from '../../src/stories/bounds';
import { latestReport, storyFacts, storyListing } from '../../src/stories/facts';
import { defaultQuery } from '../../src/render/query';
import { readPage, shelfPages, snapshotPages } from '../../src/render/select';
import { storedSnapshot, StoryShelf } from '../../src/stories/shelf';
import { recordRevision, StoredStories } from '../../src/stories/storedStories';
import { boundStory } from '../../src/stories/bounds';
import { format2Value } from '../fixtures/storiesFormat2';
import { format3Value } from '../fixtures/storiesFormat3';
import { snapshotOf, testSettings } from '../render/fixtures';
import { countingShelf, iso, realisticSnapshot, T0 } from '../fixtures/stories';

function article(id: string, title: string, at: string): Article {
  return { id, sourceId: 'src-x', outlet: 'Outlet X', url: `https://x.example/${id}`, title, text: `${title} text`, summary: title, published: at, seenAt: at };
}

const assign = (articleId: string, storyId: string, extra: Partial<Assignment> = {}): Assignment =>
  ({ articleId, storyId, created: false, duplicate: false, merged: [], lead: false, ...extra });

describe('the stored stories value', () => {
  it('reads back every record, alias and fact as stored', () => {
    const snapshot = realisticSnapshot(1, 40);
    const shelf = StoryShelf.decode(storedSnapshot(snapshot));
    expect(shelf.toSnapshot()).toEqual(snapshot);
    expect([...shelf.facts()]).toEqual(snapshot.stories.map(storyFacts));
    // One record read on its own is the same record.
    const one = StoryShelf.decode(storedSnapshot(snapshot));
    expect(one.read(snapshot.stories[7]!.id)).toEqual(snapshot.stories[7]);
    expect(one.read('no-such-story')).toBeUndefined();
  });

  it('an empty list round-trips', () => {
    const empty = snapshotOf([]);
    expect(StoryShelf.decode(storedSnapshot(empty)).toSnapshot()).toEqual(empty);
  });

  it('a run writes the records it did not touch back byte for byte', () => {
    const snapshot = realisticSnapshot(2, 30);
    const before = StoredStories.decode(storedSnapshot(snapshot));
    const shelf = StoryShelf.decode(storedSnapshot(snapshot));
    const target = snapshot.stories[5]!.id;
    const absorbed = snapshot.stories[9]!.id;
    const now = new Date(T0 + 90 * 3_600_000);
    applyAssignment(shelf, article('new-1', 'A fresh report', now.toISOString()), assign('new-1', target, { merged: [absorbed] }), now);
    const after = StoredStories.decode(shelf.seal(100, now).bytes);

    const bytesOf = (stored: StoredStories) => new Map(Array.from({ length: stored.count }, (_, row) => [stored.id(row), new TextDecoder().decode(stored.record(row))]));
    const old = bytesOf(before);
    const written = bytesOf(after);
    expect(written.has(absorbed)).toBe(false);
    expect(after.aliases).toMatchObject({ [absorbed]: target });
    for (const [id, json] of written) {
      if (id === target) continue;
      expect(json).toBe(old.get(id));
    }
    const changed = JSON.parse(written.get(target)!) as StoryRecord;
    expect(changed.sources.map((s) => s.articleId)).toContain('new-1');
    expect(changed.sources).toHaveLength(snapshot.stories[5]!.sources.length + snapshot.stories[9]!.sources.length + 1);
    // The changed story is newest now, and its facts are those of its new record.
    expect(after.facts(0)).toEqual(storyFacts(changed));
    const listed: string[] = [];
    after.eachListed(0, (articleId) => listed.push(articleId));
    expect(listed).toEqual(storyListing(changed).articles);
  });

  it('seal keeps the newest `limit` stories, bounds a changed record, and drops the oldest to fit the value', () => {
    const snapshot = realisticSnapshot(3, 20);
    const shelf = StoryShelf.fromSnapshot(snapshot);
    const huge = snapshot.stories[3]!;
    const now = new Date(T0 + 100 * 3_600_000);
    const edited = shelf.edit(huge.id)!;
    edited.title = 'x '.repeat(MAX_STORY_RECORD_BYTES); // far over any bound
    const { bytes, cuts } = shelf.seal(15, now);
    const stored = StoryShelf.decode(bytes).toSnapshot();
    expect(stored.stories.map((s) => s.id)).toEqual(snapshot.stories.slice(0, 15).map((s) => s.id));
    expect(cuts.storiesCut).toBe(1);
    expect(JSON.stringify(stored.stories.find((s) => s.id === huge.id)).length).toBeLessThanOrEqual(MAX_STORY_RECORD_BYTES);
    expect(stored.generated).toBe(now.toISOString());

    // A value budget that holds about half: the newest stay, in order; a story that would not fit
    // is left out (a smaller, older one may still fit after it).
    const again = StoryShelf.decode(bytes);
    const small = again.seal(15, now, Math.floor(bytes.length / 2));
    const kept = StoryShelf.decode(small.bytes).toSnapshot().stories.map((s) => s.id);
    expect(small.bytes.length).toBeLessThanOrEqual(Math.floor(bytes.length / 2));
    expect(small.cuts.storiesDropped).toBe(15 - kept.length);
    expect(kept.length).toBeGreaterThan(0);
    const order = stored.stories.map((s) => s.id);
    expect(kept[0]).toBe(order[0]);
    expect(kept.map((id) => order.indexOf(id))).toEqual(kept.map((id) => order.indexOf(id)).sort((a, b) => a - b));
  });

  it('a damaged value fails with a clear error instead of being read as something else', () => {
    const bytes = storedSnapshot(realisticSnapshot(4, 5));
    expect(() => StoryShelf.decode(bytes.subarray(0, bytes.length - 10))).toThrow(/^stories: the stored value is truncated or corrupt/);
    expect(() => StoryShelf.decode(bytes.subarray(0, 20))).toThrow(/^stories: the stored value is truncated or corrupt/);
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(4, 5, true);
    expect(() => StoryShelf.decode(newer)).toThrow(/^stories: stored format 5 is not one this version reads/);

    // A record whose bytes were damaged (same length) is found when it is read, and named.
    const copy = bytes.slice();
    const stored = StoredStories.decode(copy);
    stored.record(2).fill(0x7b); // "{{{{", in place
    const broken = StoryShelf.decode(copy);
    expect(() => broken.read(stored.id(2))).toThrow(new RegExp(`^stories: the stored record of story ${stored.id(2)} is corrupt`));
  });
});

describe('the index beside the records (format 4)', () => {
  /** A shelf as runs leave it: read from KV, then some stories changed, one new, one removed (not yet sealed). */
  function aTouchedShelf(seed: number) {
    const snapshot = realisticSnapshot(seed, 50);
    const shelf = StoryShelf.decode(storedSnapshot(snapshot));
    const now = new Date(T0 + 90 * 3_600_000);
    const ids = snapshot.stories.map((s) => s.id);
    applyAssignment(shelf, article(`n${seed}`, 'A fresh report', now.toISOString()), assign(`n${seed}`, ids[3]!), now);
    applyAssignment(shelf, article(`m${seed}`, 'Another fresh one', now.toISOString()), assign(`m${seed}`, `new-${seed}`, { created: true }), now);
    shelf.remove(ids[10]!);
    return { shelf, now };
  }

  it('finds which articles and reports are listed as the records themselves say, before and after the seal', () => {
    for (const seed of [21, 22, 23]) {
      const { shelf, now } = aTouchedShelf(seed);
      const check = (readable: StoryShelf) => {
        const records = readable.toSnapshot().stories;
        const listedIds = new Set(records.flatMap((s) => s.sources.map((src) => src.articleId)));
        const listedReports = new Set(records.flatMap((s) => storyListing(s).reports).filter((r) => r !== 0));
        const askedIds = [...[...listedIds].filter((_, i) => i % 3 === 0), 'never-listed', `n${seed}`, 'a0-0'];
        const askedReports = [...[...listedReports].filter((_, i) => i % 4 === 0), 12345, 0];
        expect(readable.listedAmong(askedIds)).toEqual(new Set(askedIds.filter((id) => listedIds.has(id))));
        expect(readable.reportsAmong(askedReports)).toEqual(new Set(askedReports.filter((r) => listedReports.has(r))));
      };
      check(shelf);
      check(StoryShelf.decode(shelf.seal(1_000, now).bytes));
    }
  });

  it('knows each record by a hash of its bytes, kept through runs that do not touch it', () => {
    const { shelf, now } = aTouchedShelf(24);
    const stored = StoredStories.decode(shelf.seal(1_000, now).bytes);
    for (let row = 0; row < stored.count; row++) expect(stored.revision(row)).toBe(recordRevision(stored.record(row)));
    const again = StoryShelf.decode(shelf.seal(1_000, now).bytes);
    for (let row = 0; row < stored.count; row++) expect(again.revision(stored.id(row))).toBe(stored.revision(row));
    // A changed record has none until it is sealed again.
    again.edit(stored.id(0))!.title = 'Retitled';
    expect(again.revision(stored.id(0))).toBeNull();
    const sealed = StoredStories.decode(again.seal(1_000, now).bytes);
    expect(sealed.revision(0)).not.toBe(stored.revision(0));
  });

  it('reads a value of format 3 or 2 (2 with or without revisions), and the next seal rewrites it as format 4 with every record as it was', () => {
    const snapshot = realisticSnapshot(25, 40);
    const current = StoredStories.decode(storedSnapshot(snapshot));
    // Older rows: lead unknown (''), ranked as they were (their latest report, counted as dated), until their story changes.
    const olderFacts = snapshot.stories.map((s) => {
      const story = boundStory(s).story;
      return { ...storyFacts(story), lead: '', dated: true, latestMs: Date.parse(latestReport(story)) };
    });
    for (const older of [format3Value(snapshot), format2Value(snapshot, true), format2Value(snapshot, false)]) {
      const shelf = StoryShelf.decode(older);
      expect(shelf.toSnapshot()).toEqual(StoryShelf.decode(storedSnapshot(snapshot)).toSnapshot());
      expect([...shelf.facts()]).toEqual(olderFacts);
      for (let row = 0; row < current.count; row++) expect(shelf.revision(current.id(row))).toBe(current.revision(row));
      const asked = ['a3-0', 'a7-2', 'not-there'];
      expect(shelf.listedAmong(asked)).toEqual(StoryShelf.decode(storedSnapshot(snapshot)).listedAmong(asked));
      const rewritten = shelf.seal(1_000, new Date(snapshot.generated)).bytes;
      expect(new DataView(rewritten.buffer).getUint32(4, true)).toBe(4);
      const read = StoredStories.decode(rewritten);
      expect(Array.from({ length: read.count }, (_, row) => new TextDecoder().decode(read.record(row))))
        .toEqual(Array.from({ length: current.count }, (_, row) => new TextDecoder().decode(current.record(row))));
      const again = StoryShelf.decode(rewritten);
      expect([...again.facts()]).toEqual(olderFacts);
      // A story that changes is written with its facts worked out anew.
      const changed = snapshot.stories[3]!.id;
      again.edit(changed)!.summary = 'Changed.';
      const sealed = StoryShelf.decode(again.seal(1_000, new Date(snapshot.generated)).bytes);
      expect([...sealed.facts()].find((f) => f.id === changed)).toEqual(storyFacts(sealed.read(changed)!));
      expect(storyFacts(sealed.read(changed)!).lead).not.toBe('');
    }
  });

  it('reading a value of format 3 parses no record (the first run after a deploy costs what any run does)', () => {
    const snapshot = realisticSnapshot(27, 12);
    const bytes = format3Value(snapshot);
    const view = new DataView(bytes.buffer);
    const [count, listings, metaBytes, stringsBytes] = [8, 12, 16, 20].map((at) => view.getUint32(at, true)) as [number, number, number, number];
    const stringsAt = ((((24 + metaBytes + 7) & ~7) + 8 * (2 * count + 2 * listings) + 20 * count) + 7) & ~7;
    bytes[stringsAt + stringsBytes + 1] = 0x7e; // the first record no longer JSON
    const shelf = StoryShelf.decode(bytes);
    expect([...shelf.facts()].map((f) => f.id)).toEqual(snapshot.stories.map((s) => s.id));
    expect(() => shelf.read(snapshot.stories[0]!.id)).toThrow(/stories:/);
  });

  it('pages of a value of format 3: a story whose lead is not known counts as a source of its own', () => {
    const stories: StoryRecord[] = Array.from({ length: 8 }, (_, i) => ({
      id: `s${i}`, title: `Headline ${i}`, summary: '', firstSeen: iso(T0 - i * 60_000), updated: iso(T0 - i * 60_000),
      sources: [{ articleId: `a${i}`, sourceId: 'only', outlet: 'Only', title: `Headline ${i}`, url: null, published: iso(T0 - i * 60_000), seenAt: iso(T0 - i * 60_000) }],
    }));
    stories.push({ ...stories[7]!, id: 'other', sources: [{ ...stories[7]!.sources[0]!, articleId: 'a-other', sourceId: 'other', outlet: 'Other' }] });
    const snapshot: StoriesSnapshot = { version: 1, generated: iso(T0), aliases: {}, stories };
    expect(shelfPages(StoryShelf.decode(format3Value(snapshot))).choose(defaultQuery(4)).ids).toEqual(['s0', 's1', 's2', 's3']);
    expect(shelfPages(StoryShelf.decode(storedSnapshot(snapshot))).choose(defaultQuery(4)).ids).toEqual(['s0', 'other']);
  });

  it('a value whose index is damaged is refused with a clear error', () => {
    const bytes = storedSnapshot(realisticSnapshot(26, 8));
    const view = new DataView(bytes.buffer);
    const count = view.getUint32(8, true);
    const listings = view.getUint32(12, true);
    const metaBytes = view.getUint32(16, true);
    const stringsBytes = view.getUint32(20, true);
    const intsAt = ((24 + metaBytes + 7) & ~7) + 8 * (2 * count + 2 * listings);
    const stringsAt = (intsAt + 24 * count + 7) & ~7;
    const damage = (change: (copy: Uint8Array, view: DataView) => void) => {
      const copy = bytes.slice();
      change(copy, new DataView(copy.buffer));
      return () => StoryShelf.decode(copy);
    };
    expect(damage((copy) => copy.fill(0x20, 24, 24 + metaBytes))).toThrow(/^stories: the stored value is truncated or corrupt \(meta/);
    expect(damage((copy) => (copy[stringsAt + 1] = 0x7b))).toThrow(/^stories: the stored value is truncated or corrupt \(strings/);
    expect(damage((copy) => copy.set(new TextEncoder().encode('[1'), stringsAt))).toThrow(/^stories: the stored value is truncated or corrupt \(strings/);
    expect(damage((_, v) => v.setUint32(intsAt + 16 * count, v.getUint32(intsAt + 16 * count, true) + 1, true))).toThrow(/^stories: the stored value is truncated or corrupt \(strings cut short/);
    expect(damage((_, v) => v.setUint32(intsAt, v.getUint32(intsAt, true) + 1, true))).toThrow(/^stories: the stored value is truncated or corrupt/);
    expect(damage((_, v) => v.setUint32(20, stringsBytes + 5000, true))).toThrow(/^stories: the stored value is truncated or corrupt/);
  });
});

describe('pages chosen from the index (shelfPages)', () => {
  const settings = testSettings({ FEED_PAGE_SIZE: '10' });

  /** Every record read back from a stored value, and the same value read as a shelf, counting the records it parses. */
  function bothWays(sealed: StoriesSnapshot) {
    const { shelf, parsed } = countingShelf(sealed);
    return { all: snapshotPages(sealed), few: shelfPages(shelf), parsed };
  }

  it('are the pages every record gives, for every order, filter and page, reading only the records shown', () => {
    for (const [seed, count, hours] of [[11, 60, 72], [12, 200, 72], [13, 7, 72], [14, 120, 3]] as const) {
      const shelf = StoryShelf.fromSnapshot(realisticSnapshot(seed, count, hours));
      shelf.seal(10_000, new Date(realisticSnapshot(seed, 1).generated));
      const sealed = shelf.toSnapshot();
      for (const sort of ['new', 'top'] as const) {
        for (const query of [
          defaultQuery(10, sort), { ...defaultQuery(10, sort), page: 3 }, { ...defaultQuery(7, sort), minSources: 3 },
          { ...defaultQuery(25, sort), since: iso(T0 + 40 * 3_600_000) }, { ...defaultQuery(10, sort), page: 99 },
        ]) {
          const { all, few, parsed } = bothWays(sealed);
          const page = readPage(few, query);
          expect(page, `${seed} ${JSON.stringify(query)}`).toEqual(readPage(all, query));
          expect([...parsed].sort()).toEqual(page.stories.map((s) => s.id).sort());
        }
      }
    }
  });

  it('render the pre-rendered bundle byte for byte as every record would', async () => {
    for (const [seed, count, hours] of [[12, 200, 72], [14, 120, 3]] as const) {
      const shelf = StoryShelf.fromSnapshot(realisticSnapshot(seed, count, hours));
      shelf.seal(10_000, new Date(realisticSnapshot(seed, 1).generated));
      const sealed = shelf.toSnapshot();
      const { all, few, parsed } = bothWays(sealed);
      expect((await prerender(few, settings)).views).toEqual((await prerender(all, settings)).views);
      expect(parsed.size).toBeLessThanOrEqual(2 * settings.feedPageSize);
    }
  });

  it('break ties in the "top" order as rankTop does: newer change first, then id', () => {
    const reference = Date.parse('2026-11-22T00:00:00.000Z');
    const oldReport = iso(reference - 30 * 3_600_000);
    // Ten older stories of three outlets each, all last reported at the same moment: the same score.
    // Their ids run against their `updated`, so the tie-break decides which three make the page.
    const tied = Array.from({ length: 10 }, (_, i) => ({
      id: `tied-${String(i).padStart(2, '0')}`, title: `Tied ${i}`, summary: 's', firstSeen: oldReport, updated: iso(reference - (40 - i) * 3_600_000),
      sources: ['Daily Planet', 'Metro Times', 'Coast Herald'].map((outlet, j) => ({ articleId: `t${i}-${j}`, sourceId: `s${j}-${i}`, outlet, title: `T ${i} ${j}`, url: null, published: null, seenAt: oldReport })),
    }));
    // Newer one-source stories fill the newest-first page, and score lower than the tied ones.
    const fresh = Array.from({ length: 5 }, (_, i) => ({
      id: `fresh-${i}`, title: `Fresh ${i}`, summary: 's', firstSeen: iso(reference - i * 60_000), updated: iso(reference - i * 60_000),
      sources: [{ articleId: `f${i}`, sourceId: 'sx', outlet: 'Wire Service', title: `F ${i}`, url: null, published: null, seenAt: iso(reference - i * 60_000) }],
    }));
    const shelf = StoryShelf.fromSnapshot({ version: 1, generated: iso(reference), stories: [...tied, ...fresh], aliases: {} });
    shelf.seal(100, new Date(reference));
    const { all, few } = bothWays(shelf.toSnapshot());
    const top = defaultQuery(3, 'top');
    expect(readPage(few, top).stories.map((s) => s.id)).toEqual(['tied-09', 'tied-08', 'tied-07']);
    expect(readPage(few, top)).toEqual(readPage(all, top));
  });
});
