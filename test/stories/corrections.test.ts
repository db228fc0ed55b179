// Corrections as an overlay on the engine's story records: split, merge, lead; re-applied
// in order, idempotent, never changing the input, and leaving aliases for ids that go.
import { describe, expect, it } from 'vitest';
import type { StoryRecord } from '../../src/model';
import { applyCorrections, splitStoryId, type Correction } from '../../src/stories/corrections';
import { snapshotOf, source, story } from '../render/fixtures';

const AT = '2026-11-23T10:00:00.000Z';
const base = { at: AT, note: null };

function engineStories(): StoryRecord[] {
  return [
    story({
      id: 'bridge',
      title: 'Bridge reopens after repairs',
      summary: 'Planet summary',
      updated: '2026-11-20T09:00:00.000Z',
      sources: [
        source({ articleId: 'a1', outlet: 'Daily Planet', title: 'Bridge reopens after repairs', summary: 'Planet summary' }),
        source({ articleId: 'a2', sourceId: 's2', outlet: 'Gotham Gazette', title: 'City bridge open again', summary: 'Gazette summary', published: '2026-11-20T08:40:00.000Z' }),
        source({ articleId: 'a3', sourceId: 's3', outlet: 'Metro Times', title: 'Zoo welcomes twin pandas', summary: 'Pandas', published: '2026-11-20T08:50:00.000Z', seenAt: '2026-11-20T09:00:00.000Z' }),
      ],
    }),
    story({ id: 'zoo', title: 'Zoo pandas arrive', summary: 'Zoo summary', updated: '2026-11-21T09:00:00.000Z', sources: [source({ articleId: 'z1', outlet: 'Zoo News', title: 'Zoo pandas arrive', summary: 'Zoo summary' })] }),
  ];
}

const byId = (stories: StoryRecord[], id: string) => stories.find((s) => s.id === id);

describe('applyCorrections', () => {
  it('splits a source into a story of its own with a stable id, and moves its updated', () => {
    const raw = snapshotOf(engineStories());
    const split: Correction = { ...base, id: 'c1', type: 'split', story: 'bridge', article: 'a3', into: null };
    const { snapshot, outcomes } = applyCorrections(raw, [split]);
    expect(outcomes).toEqual([{ id: 'c1', active: true, reason: null }]);
    const alone = byId(snapshot.stories, splitStoryId('a3'))!;
    expect(alone.sources.map((s) => s.articleId)).toEqual(['a3']);
    expect(alone).toMatchObject({ title: 'Zoo welcomes twin pandas', summary: 'Pandas', updated: AT, firstSeen: '2026-11-20T08:50:00.000Z' });
    expect(byId(snapshot.stories, 'bridge')!.sources.map((s) => s.articleId)).toEqual(['a1', 'a2']);
    expect(byId(snapshot.stories, 'bridge')!.updated).toBe(AT);
    // Same input, same output; and the engine's snapshot is left as it was.
    expect(applyCorrections(raw, [split]).snapshot).toEqual(snapshot);
    expect(byId(raw.stories, 'bridge')!.sources).toHaveLength(3);
  });

  it('splits a source into a named story; a story left empty becomes an alias of it', () => {
    const raw = snapshotOf(engineStories());
    const { snapshot } = applyCorrections(raw, [{ ...base, id: 'c1', type: 'split', story: 'bridge', article: 'a3', into: 'zoo' }]);
    expect(byId(snapshot.stories, 'zoo')!.sources.map((s) => s.articleId)).toEqual(['z1', 'a3']);
    const lonely = snapshotOf([story({ id: 'one', sources: [source({ articleId: 'only' })] }), ...engineStories()]);
    const moved = applyCorrections(lonely, [{ ...base, id: 'c2', type: 'split', story: 'one', article: 'only', into: 'zoo' }]).snapshot;
    expect(byId(moved.stories, 'one')).toBeUndefined();
    expect(moved.aliases.one).toBe('zoo');
  });

  it('gives the remaining story a new lead when the lead source is split out', () => {
    const { snapshot } = applyCorrections(snapshotOf(engineStories()), [{ ...base, id: 'c1', type: 'split', story: 'bridge', article: 'a1', into: null }]);
    expect(byId(snapshot.stories, 'bridge')).toMatchObject({ title: 'City bridge open again', summary: 'Gazette summary' });
  });

  it('merges two stories: the survivor keeps its id, the other redirects, and aliases to it follow', () => {
    const raw = snapshotOf(engineStories(), { 'zoo-old': 'zoo' });
    const { snapshot } = applyCorrections(raw, [{ ...base, id: 'c1', type: 'merge', story: 'bridge', absorb: 'zoo' }]);
    expect(snapshot.stories.map((s) => s.id)).toEqual(['bridge']);
    expect(byId(snapshot.stories, 'bridge')!.sources.map((s) => s.articleId).sort()).toEqual(['a1', 'a2', 'a3', 'z1']);
    expect(snapshot.aliases).toEqual({ zoo: 'bridge', 'zoo-old': 'bridge' });
  });

  it('pins a lead: a source\'s headline and summary, or the editor\'s headline; the later pin wins', () => {
    const bySource: Correction = { ...base, id: 'c1', type: 'lead', story: 'bridge', article: 'a2', title: null };
    const byTitle: Correction = { ...base, id: 'c2', type: 'lead', story: 'bridge', article: null, title: 'Harbour bridge reopens' };
    expect(byId(applyCorrections(snapshotOf(engineStories()), [bySource]).snapshot.stories, 'bridge')).toMatchObject({ title: 'City bridge open again', summary: 'Gazette summary', updated: AT });
    expect(byId(applyCorrections(snapshotOf(engineStories()), [bySource, byTitle]).snapshot.stories, 'bridge')!.title).toBe('Harbour bridge reopens');
  });

  it('survives what the engine does next: new sources, its own merge, its lead choice', () => {
    const corrections: Correction[] = [
      { ...base, id: 'c1', type: 'split', story: 'bridge', article: 'a3', into: 'zoo' },
      { ...base, id: 'c2', type: 'lead', story: 'bridge', article: null, title: 'Pinned headline' },
    ];
    // Later run: the engine added a source to "bridge", changed its lead, and merged "zoo" into "bridge".
    const later = engineStories();
    const bridge = later[0]!;
    bridge.sources.push(source({ articleId: 'a4', outlet: 'Late Outlet', title: 'Late take', published: '2026-11-24T08:00:00.000Z', seenAt: '2026-11-24T08:00:00.000Z' }));
    bridge.title = 'Late take';
    bridge.updated = '2026-11-24T08:00:00.000Z';
    bridge.sources.push(...later[1]!.sources);
    const { snapshot, outcomes } = applyCorrections(snapshotOf([bridge], { zoo: 'bridge' }), corrections);
    expect(outcomes.every((o) => o.active)).toBe(true);
    const after = byId(snapshot.stories, 'bridge')!;
    expect(after.title).toBe('Pinned headline');
    expect(after.updated).toBe('2026-11-24T08:00:00.000Z');
    // "zoo" was merged away by the engine, so a3 joined what "zoo" became: it stays in "bridge".
    expect(after.sources.map((s) => s.articleId)).toContain('a4');
  });

  it('reports a correction whose story or article is gone as inactive, and applies the rest', () => {
    const corrections: Correction[] = [
      { ...base, id: 'gone', type: 'merge', story: 'bridge', absorb: 'pruned' },
      { ...base, id: 'missing', type: 'split', story: 'bridge', article: 'nope', into: null },
      { ...base, id: 'ok', type: 'lead', story: 'zoo', article: null, title: 'Pandas!' },
    ];
    const { snapshot, outcomes } = applyCorrections(snapshotOf(engineStories()), corrections);
    expect(outcomes).toEqual([
      { id: 'gone', active: false, reason: 'story pruned no longer exists' },
      { id: 'missing', active: false, reason: 'article nope is no longer in any story' },
      { id: 'ok', active: true, reason: null },
    ]);
    expect(byId(snapshot.stories, 'zoo')!.title).toBe('Pandas!');
  });

  it('keeps the snapshot order newest change first after corrections', () => {
    const { snapshot } = applyCorrections(snapshotOf(engineStories()), [{ ...base, id: 'c1', type: 'lead', story: 'bridge', article: null, title: 'New lead' }]);
    expect(snapshot.stories.map((s) => s.id)).toEqual(['bridge', 'zoo']);
  });
});
