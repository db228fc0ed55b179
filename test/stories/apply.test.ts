import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../src/cluster';
import type { Article } from '../../src/model';
import { applyAssignment } from '../../src/stories/apply';
import { StoryShelf } from '../../src/stories/shelf';

const t = (h: number) => new Date(Date.UTC(2025, 6, 22, h));

function article(id: string, title: string, sourceId = `src-${id}`, published: string | null = t(1).toISOString()): Article {
  return { id, sourceId, outlet: `Outlet ${sourceId}`, url: `https://${sourceId}.example/${id}`, title, text: title, summary: `${title} summary`, published, seenAt: t(2).toISOString() };
}

function assign(articleId: string, storyId: string, extra: Partial<Assignment> = {}): Assignment {
  return { articleId, storyId, created: false, duplicate: false, merged: [], lead: false, ...extra };
}

describe('applyAssignment', () => {
  it('starts a story dated by its first article, headed by it', () => {
    const shelf = StoryShelf.empty();
    applyAssignment(shelf, article('a1', 'Talks proposed'), assign('a1', 'S1', { created: true, lead: true }), t(3));
    expect(shelf.toSnapshot().stories).toEqual([expect.objectContaining({
      id: 'S1', title: 'Talks proposed', summary: 'Talks proposed summary', firstSeen: t(1).toISOString(), updated: t(3).toISOString(),
    })]);
    expect(shelf.toSnapshot().stories[0]!.sources.map((s) => s.articleId)).toEqual(['a1']);
  });

  it('dates a story by when it was seen when the publisher date is in the future', () => {
    const shelf = StoryShelf.empty();
    applyAssignment(shelf, article('a1', 'x', 'p', t(20).toISOString()), assign('a1', 'S1', { created: true }), t(3));
    expect(shelf.toSnapshot().stories[0]!.firstSeen).toBe(t(2).toISOString());
  });

  it('adds sources, keeps firstSeen, moves updated, and changes the headline only for a new lead', () => {
    const shelf = StoryShelf.empty();
    applyAssignment(shelf, article('a1', 'First'), assign('a1', 'S1', { created: true, lead: true }), t(3));
    applyAssignment(shelf, article('a2', 'Second'), assign('a2', 'S1'), t(4));
    expect(shelf.toSnapshot().stories[0]).toMatchObject({ title: 'First', firstSeen: t(1).toISOString(), updated: t(4).toISOString() });
    applyAssignment(shelf, article('a3', 'Third'), assign('a3', 'S1', { lead: true }), t(5));
    expect(shelf.toSnapshot().stories[0]).toMatchObject({ title: 'Third', updated: t(5).toISOString() });
    expect(shelf.toSnapshot().stories[0]!.sources).toHaveLength(3);
  });

  it('is idempotent per article', () => {
    const shelf = StoryShelf.empty();
    applyAssignment(shelf, article('a1', 'First'), assign('a1', 'S1', { created: true }), t(3));
    applyAssignment(shelf, article('a1', 'First'), assign('a1', 'S1'), t(4));
    expect(shelf.toSnapshot().stories[0]!.sources).toHaveLength(1);
    expect(shelf.toSnapshot().stories[0]!.updated).toBe(t(3).toISOString());
  });

  it('merges absorbed stories into the survivor and records aliases, chained ones too', () => {
    const shelf = StoryShelf.empty();
    applyAssignment(shelf, article('a1', 'A'), assign('a1', 'S1', { created: true }), t(3));
    applyAssignment(shelf, article('b1', 'B'), assign('b1', 'S2', { created: true }), t(3));
    applyAssignment(shelf, article('c1', 'C'), assign('c1', 'S3', { created: true }), t(3));
    applyAssignment(shelf, article('b2', 'B again'), assign('b2', 'S2', { merged: ['S3'] }), t(4));
    applyAssignment(shelf, article('a2', 'A again'), assign('a2', 'S1', { merged: ['S2'] }), t(5));
    expect(shelf.toSnapshot().stories.map((s) => s.id)).toEqual(['S1']);
    expect(shelf.toSnapshot().stories[0]!.sources.map((s) => s.articleId).sort()).toEqual(['a1', 'a2', 'b1', 'b2', 'c1']);
    expect(shelf.aliases).toEqual({ S2: 'S1', S3: 'S1' });
    expect(shelf.listedAmong(['a1', 'a2', 'b1', 'b2', 'c1', 'd1'])).toEqual(new Set(['a1', 'a2', 'b1', 'b2', 'c1']));
  });
});

describe('StoryShelf.seal', () => {
  it('keeps the most recently updated stories and only their aliases', () => {
    const shelf = StoryShelf.empty();
    for (let i = 0; i < 5; i++) applyAssignment(shelf, article(`a${i}`, `S${i}`), assign(`a${i}`, `S${i}`, { created: true }), t(i));
    shelf.aliases = { old0: 'S0', old4: 'S4' };
    const pruned = StoryShelf.decode(shelf.seal(2, t(9)).bytes).toSnapshot();
    expect(pruned.stories.map((s) => s.id)).toEqual(['S4', 'S3']);
    expect(pruned.aliases).toEqual({ old4: 'S4' });
    expect(pruned.generated).toBe(t(9).toISOString());
  });
});
