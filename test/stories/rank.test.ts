// Top stories: which sources are independent (mastheads, syndicated copies) and the ranking.
import { describe, expect, it } from 'vitest';
import type { StoryRecord, StorySource } from '../../src/model';
import { defaultQuery } from '../../src/render/query';
import { selectStories } from '../../src/render/select';
import { COPY_THRESHOLD, fingerprintSimilarity, fingerprintWords, sameText, sameWords, textFingerprint } from '../../src/stories/fingerprint';
import { independence, mastheadKey } from '../../src/stories/independence';
import { latestReport } from '../../src/stories/facts';
import { rankTop, topScore } from '../../src/stories/rank';
import { source, story } from '../render/fixtures';

const WIRE = 'The regional transport authority said on Monday that the new tram line linking the harbour ' +
  'district with the university campus will open in March, two years later than planned, after a dispute ' +
  'over the tender for the signalling system was settled in court. Officials expect about forty thousand ' +
  'riders a day once the line runs at full frequency, and said fares would stay at current levels.';
const OTHER = 'Commuters in the harbour district have waited almost a decade for a direct link to the campus. ' +
  'Our reporter rode the test service last week: the carriages are quiet, the stops are unfinished, and ' +
  'shopkeepers along the route told us that the construction years cost them a third of their customers.';

describe('textFingerprint', () => {
  it('finds the same wire text behind a different byline, a cut and an appended teaser', () => {
    const original = textFingerprint(WIRE);
    const copy = textFingerprint(`By Staff and agencies. ${WIRE.slice(0, 300)} Discover more: the ten best bakeries in town.`);
    expect(fingerprintSimilarity(original, copy)).toBeGreaterThanOrEqual(0.5);
    expect(fingerprintSimilarity(original, textFingerprint(OTHER))).toBeLessThan(0.3);
  });

  it('calls two texts the same exactly when their similarity reaches the threshold, for every count of equal minima', () => {
    const first = 'ab'.repeat(64);
    for (let equal = 0; equal <= 64; equal++) {
      const second = Array.from({ length: 64 }, (_, k) => (k % 64 < equal ? 'ab' : 'c' + (k % 10))).join('');
      expect(sameText(first, second)).toBe(fingerprintSimilarity(first, second) >= COPY_THRESHOLD);
    }
    expect(sameText(first, null)).toBe(false);
  });

  it('compares fingerprints four minima at a time exactly as one at a time, wherever the differences fall', () => {
    let state = 7;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
    const hex = (n: number) => n.toString(16).padStart(2, '0');
    for (let trial = 0; trial < 400; trial++) {
      const a = Array.from({ length: 64 }, () => Math.floor(next() * 256));
      const equal = Math.floor(next() * 65);
      // `equal` minima in common, at random places; the others differ in one bit, or in all.
      const places = new Set<number>();
      while (places.size < equal) places.add(Math.floor(next() * 64));
      const b = a.map((m, k) => (places.has(k) ? m : m ^ (next() < 0.5 ? 1 << Math.floor(next() * 8) : 0xff)));
      const [x, y] = [a.map(hex).join(''), b.map(hex).join('')];
      expect(sameWords(fingerprintWords(x)!, fingerprintWords(y)!)).toBe(sameText(x, y));
    }
    // Not lower-case hex (a record from elsewhere): no words, so independence compares the strings.
    expect(fingerprintWords('AB'.repeat(64))).toBeNull();
    expect(fingerprintWords('zz'.repeat(64))).toBeNull();
    expect(fingerprintWords('ab'.repeat(63))).toBeNull();
    expect(fingerprintWords(null)).toBeNull();
  });

  it('gives no fingerprint to a text too short to judge, and is deterministic', () => {
    expect(textFingerprint('Tram line delayed to March')).toBeNull();
    expect(textFingerprint(WIRE)).toBe(textFingerprint(WIRE));
    expect(textFingerprint(WIRE)).toMatch(/^[0-9a-f]{128}$/);
  });
});

describe('independence', () => {
  const wire = textFingerprint(WIRE);
  const at = (hour: number) => `2026-11-20T${String(hour).padStart(2, '0')}:00:00.000Z`;
  const src = (id: string, outlet: string, hour: number, fingerprint: string | null): StorySource =>
    source({ articleId: id, sourceId: `s-${outlet}`, outlet, published: at(hour), seenAt: at(hour), fingerprint });

  it('counts a masthead once, whatever its spelling', () => {
    expect(mastheadKey('The Meridian Post')).toBe(mastheadKey('meridian-post'));
    const result = independence([src('a', 'The Meridian Post', 8, null), src('b', 'Meridian Post', 9, null), src('c', 'Harbor Daily', 10, null)]);
    expect(result.independent).toBe(2);
    expect(result.copyOf).toEqual([null, null, null]);
  });

  it('counts syndicated copies of one text once and marks the later ones as copies of the earliest', () => {
    const sources = [src('late', 'Site C', 11, wire), src('first', 'Wire Agency', 8, wire), src('mid', 'Site B', 9, wire), src('own', 'Daily Planet', 10, textFingerprint(OTHER))];
    const result = independence(sources);
    expect(result.independent).toBe(2);
    expect(result.copyOf.map((s) => s?.articleId ?? null)).toEqual(['first', null, 'first', null]);
  });

  it('never changes how an earlier source is marked when a later one arrives', () => {
    const before = independence([src('first', 'Wire Agency', 8, wire), src('mid', 'Site B', 9, wire)]);
    const after = independence([src('first', 'Wire Agency', 8, wire), src('mid', 'Site B', 9, wire), src('late', 'Site C', 7, null)]);
    expect(after.copyOf.slice(0, 2)).toEqual(before.copyOf);
  });

  it('answers again when a list it was asked about changes in place, and its answers cannot be changed by the caller', () => {
    const sources = [src('first', 'Wire Agency', 8, wire), src('mid', 'Site B', 9, textFingerprint(OTHER))];
    const first = independence(sources);
    expect(first.independent).toBe(2);
    first.copyOf[1] = sources[0]!; // a caller scribbling on its answer
    expect(independence(sources).copyOf).toEqual([null, null]);
    // A run adds a source to a story's list in place (and re-sorts it): the count follows.
    sources.push(src('copy', 'Site C', 10, wire));
    expect(independence(sources)).toMatchObject({ independent: 2, copyOf: [null, null, sources[0]] });
    // A source replaced by a changed copy (as the bounds do) is a new answer too.
    sources[1] = { ...sources[1]!, outlet: 'Wire Agency' };
    expect(independence(sources).independent).toBe(1);
  });
});

describe('rankTop', () => {
  const reference = '2026-11-22T12:00:00.000Z';
  const outlets = (n: number, hour: string) =>
    Array.from({ length: n }, (_, i) => source({ articleId: `x${i}-${hour}`, outlet: `Outlet ${i}`, published: hour, seenAt: hour }));
  const storyOf = (id: string, n: number, reported: string): StoryRecord =>
    story({ id, firstSeen: reported, updated: reported, sources: outlets(n, reported) });

  it('is the formula on the page: independent outlets ÷ (1 + hours since the latest report ÷ 24)', () => {
    expect(topScore(4, '2026-11-22T12:00:00.000Z', reference)).toBe(4);
    expect(topScore(4, '2026-11-21T12:00:00.000Z', reference)).toBe(2);
    expect(topScore(3, '2026-11-20T12:00:00.000Z', reference)).toBe(1);
    // A report dated after the reference counts as fresh, not as a bonus.
    expect(topScore(1, '2026-11-23T12:00:00.000Z', reference)).toBe(1);
  });

  it('puts a five-outlet story of yesterday above a fresh single-outlet one, and a fresher equal one above it', () => {
    const big = storyOf('big', 5, '2026-11-21T12:00:00.000Z'); // 5 / 2 = 2.5
    const fresh = storyOf('fresh', 1, '2026-11-22T11:00:00.000Z'); // ~0.96
    const rival = storyOf('rival', 3, '2026-11-22T12:00:00.000Z'); // 3
    expect(rankTop([fresh, big, rival], reference).map((s) => s.id)).toEqual(['rival', 'big', 'fresh']);
  });

  it('counts copies once: five sites carrying one wire text rank as one outlet', () => {
    const wire = textFingerprint(WIRE);
    const at = '2026-11-22T10:00:00.000Z';
    const syndicated = story({ id: 'syndicated', updated: at, sources: Array.from({ length: 5 }, (_, i) => source({ articleId: `w${i}`, outlet: `Site ${i}`, published: at, seenAt: at, fingerprint: wire })) });
    const two = storyOf('two', 2, at);
    expect(rankTop([syndicated, two], reference).map((s) => s.id)).toEqual(['two', 'syndicated']);
  });

  it('decays from the latest report, so an outlet joining an old story lifts it', () => {
    const old = story({ id: 'old', sources: [...outlets(1, '2026-11-19T12:00:00.000Z'), source({ articleId: 'late', outlet: 'Late Outlet', published: '2026-11-22T11:30:00.000Z', seenAt: '2026-11-22T11:30:00.000Z' })] });
    expect(latestReport(old)).toBe('2026-11-22T11:30:00.000Z');
    const single = storyOf('single', 1, '2026-11-22T11:00:00.000Z');
    expect(rankTop([single, old], reference)[0]!.id).toBe('old');
  });

  it('puts the first stories of a page in exactly the order ranking every story gives, with ties, copies and repeated mastheads', () => {
    const wire = textFingerprint(WIRE);
    let seed = 11;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const hours = ['2026-11-22T12:00:00.000Z', '2026-11-22T06:00:00.000Z', '2026-11-21T12:00:00.000Z', '2026-11-20T12:00:00.000Z'];
    const stories = Array.from({ length: 300 }, (_, i) => {
      const at = hours[next(hours.length)]!;
      // Up to six sources from a few mastheads, some carrying one wire text: the exact count is often below the bound.
      const sources = Array.from({ length: 1 + next(6) }, (_, j) =>
        source({ articleId: `s${i}-${j}`, outlet: `Outlet ${next(3)}`, published: at, seenAt: at, fingerprint: next(2) === 0 ? wire : null }));
      return story({ id: `story-${String(i).padStart(3, '0')}`, updated: hours[next(hours.length)]!, sources });
    });
    const everything = rankTop(stories, reference).map((s) => s.id);
    for (const count of [1, 7, 50, 299]) {
      expect(rankTop(stories, reference, count).slice(0, count).map((s) => s.id)).toEqual(everything.slice(0, count));
    }
    // Every story is still there once, past the ordered part too.
    expect(new Set(rankTop(stories, reference, 10).map((s) => s.id)).size).toBe(300);
  });

  it('is what ?sort=top selects, page by page, with the same filters', () => {
    const stories = [storyOf('a', 1, '2026-11-22T11:00:00.000Z'), storyOf('b', 4, '2026-11-22T09:00:00.000Z'), storyOf('c', 2, '2026-11-22T10:00:00.000Z')];
    const top = { ...defaultQuery(2), sort: 'top' as const };
    expect(selectStories(stories, top, reference).stories.map((s) => s.id)).toEqual(['b', 'c']);
    expect(selectStories(stories, { ...top, page: 2 }, reference).stories.map((s) => s.id)).toEqual(['a']);
    expect(selectStories(stories, { ...top, minSources: 2 }, reference).stories.map((s) => s.id)).toEqual(['b', 'c']);
    expect(selectStories(stories, defaultQuery(5), reference).stories.map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });
});
