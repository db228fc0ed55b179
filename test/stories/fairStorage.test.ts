// The fair share of storage (stories/fairStorage.ts, StoryShelf.seal): past MAX_STORIES a source
// that floods loses its own oldest stories, not everyone else's, and every story left out is counted.
import { describe, expect, it } from 'vitest';
import type { StoryRecord } from '../../src/model';
import { keepFairly } from '../../src/stories/fairStorage';
import { StoryShelf } from '../../src/stories/shelf';
import { correctedPages } from '../../src/render/select';
import { defaultQuery } from '../../src/render/query';
import type { Correction } from '../../src/stories/corrections';
import { format3Value } from '../fixtures/storiesFormat3';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 20) + minutes * 60_000).toISOString();

function story(id: string, sourceId: string, minutes: number, published: string | null = at(minutes)): StoryRecord {
  return {
    id, title: `Headline ${id}`, summary: '', firstSeen: published ?? at(minutes), updated: at(minutes),
    sources: [{ articleId: `a-${id}`, sourceId, outlet: sourceId, title: `Headline ${id}`, url: null, published, seenAt: at(minutes) }],
  };
}

describe('keepFairly', () => {
  const lead = (s: string) => ({ lead: s.split('#')[0]!, id: s });

  it('keeps everything within the limit', () => {
    const stories = ['a#1', 'b#1', 'a#2'].map(lead);
    expect(keepFairly(stories, 3)).toEqual(stories);
  });

  it('levels the sources that lead most: the flood loses its oldest, the others keep all of theirs', () => {
    const stories = [
      ...Array.from({ length: 300 }, (_, i) => lead(`flood#${i}`)),
      ...Array.from({ length: 50 }, (_, i) => lead(`${['a', 'b', 'c', 'd', 'e'][i % 5]}#${i}`)),
    ];
    const kept = keepFairly(stories, 100);
    expect(kept).toHaveLength(100);
    expect(kept.filter((s) => s.lead !== 'flood')).toHaveLength(50);
    expect(kept.filter((s) => s.lead === 'flood').map((s) => s.id)).toEqual(Array.from({ length: 50 }, (_, i) => `flood#${i}`));
  });

  it('two large sources share what is left; the slot over goes to the one whose next story is newest', () => {
    const stories = ['a#0', 'b#0', 'a#1', 'b#1', 'a#2', 'b#2', 'a#3', 'c#0'].map(lead);
    expect(keepFairly(stories, 6).map((s) => s.id)).toEqual(['a#0', 'b#0', 'a#1', 'b#1', 'a#2', 'c#0']);
  });
});

describe('the seal past MAX_STORIES', () => {
  it('a source filing 200 stories a run leaves the ordinary source stored; every story left out is counted', () => {
    let shelf = StoryShelf.fromSnapshot({ version: 1, generated: at(0), aliases: {}, stories: [story('ordinary', 'ordinary', 0)] });
    let dropped = 0;
    for (let run = 1; run <= 3; run++) {
      for (let i = 0; i < 200; i++) shelf.add(story(`flood-${run}-${i}`, 'flood', run * 20));
      const { bytes, cuts } = shelf.seal(500, new Date(at(run * 20)));
      dropped += cuts.storiesDropped;
      shelf = StoryShelf.decode(bytes);
    }
    expect(shelf.has('ordinary')).toBe(true);
    expect(shelf.size).toBe(500);
    expect(dropped).toBe(601 - 500);
    // The flood kept its newest: every story of the last run, and none of the first's oldest.
    expect(Array.from({ length: 200 }, (_, i) => shelf.has(`flood-3-${i}`)).every(Boolean)).toBe(true);
  });

  it('stories read from a value of format 3 (lead not known) are levelled as one source: they lose their oldest first, as before', () => {
    const old = Array.from({ length: 10 }, (_, i) => story(`old${i}`, `outlet${i}`, 10 - i));
    const shelf = StoryShelf.decode(format3Value({ version: 1, generated: at(10), aliases: {}, stories: old }));
    for (let i = 0; i < 6; i++) shelf.add(story(`flood${i}`, 'flood', 60));
    const { cuts } = shelf.seal(10, new Date(at(60)));
    expect(cuts.storiesDropped).toBe(6);
    expect([...shelf.facts()].map((f) => f.id).sort()).toEqual([...['flood0', 'flood1', 'flood2', 'flood3', 'flood4'], ...['old0', 'old1', 'old2', 'old3', 'old4']].sort());
  });

  it('among stories changed in one run, those with a dated report come first; undated ones keep their feed order', () => {
    // Filed in one run: undated items stamped a millisecond apart in feed order (normalise), and an older dated report.
    const undated = [0, 1, 2].map((i) => ({ ...story(`u${i}`, 'undated', 60, null), firstSeen: new Date(Date.parse(at(60)) - i).toISOString() }));
    const shelf = StoryShelf.fromSnapshot({ version: 1, generated: at(0), aliases: {}, stories: [...undated, story('dated', 'dated', 60, at(0))] });
    shelf.seal(100, new Date(at(60)));
    expect([...shelf.facts()].map((f) => f.id)).toEqual(['dated', 'u0', 'u1', 'u2']);
  });

  it('corrections on file keep that order (the pages read through them, and the records corrected one by one)', () => {
    const undated = [0, 1, 2].map((i) => ({ ...story(`u${i}`, 'undated', 60, null), firstSeen: new Date(Date.parse(at(60)) - i).toISOString() }));
    const shelf = StoryShelf.fromSnapshot({ version: 1, generated: at(0), aliases: {}, stories: [...undated, story('dated', 'dated', 60, at(0)), story('older', 'other', 10)] });
    shelf.seal(100, new Date(at(60)));
    const corrections: Correction[] = [{ id: 'c1', at: at(30), note: null, type: 'lead', story: 'older', article: null, title: "An editor's headline" }];
    const pages = correctedPages(shelf, corrections);
    expect(pages.choose(defaultQuery(20)).ids).toEqual(['dated', 'u0', 'u1', 'u2', 'older']);
    expect(pages.read('older').title).toBe("An editor's headline");
    expect(pages.choose({ ...defaultQuery(20), q: 'headline' }).ids).toEqual(['dated', 'u0', 'u1', 'u2', 'older']);
  });
});
