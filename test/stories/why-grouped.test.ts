// "Why grouped": the engine's reason for each source travels from the assignment into the
// story record, the story JSON and the story page (not the front page: it would crowd it).
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../src/cluster';
import type { Article } from '../../src/model';
import { storyJson } from '../../src/render/api';
import { renderStoryPage } from '../../src/render/html';
import { buildStoryView } from '../../src/render/view';
import { applyAssignment } from '../../src/stories/apply';
import { StoryShelf } from '../../src/stories/shelf';

const at = new Date('2025-07-22T12:00:00Z');
const site = { title: 'storywire', description: 'test', base: 'https://news.test', websubHub: null, pageSize: 20 };

function article(id: string, title: string): Article {
  return { id, sourceId: `src-${id}`, outlet: `Outlet ${id}`, url: `https://${id}.example/a`, title, text: title, summary: title, published: '2025-07-22T09:00:00Z', seenAt: '2025-07-22T10:00:00Z' };
}

function assignment(articleId: string, extra: Partial<Assignment>): Assignment {
  return { articleId, storyId: 'S1', created: false, duplicate: false, merged: [], lead: false, ...extra };
}

describe('why grouped', () => {
  const shelf = StoryShelf.empty();
  applyAssignment(shelf, article('a1', 'Bridge closed'), assignment('a1', { created: true, lead: true, why: 'new story; no similar story' }), at);
  applyAssignment(shelf, article('a2', 'Corrosion shuts bridge'), assignment('a2', { score: 0.91, why: '0.91: title 0.41 · 2 shared names · 5 h apart' }), at);
  // A record written before reasons were kept has none.
  applyAssignment(shelf, article('a3', 'Bridge repairs'), assignment('a3', {}), at);
  const snapshot = shelf.toSnapshot();
  const view = buildStoryView(snapshot.stories[0]!, site.base, at.toISOString());

  it('keeps the reason on each source of the story record', () => {
    const why = new Map(snapshot.stories[0]!.sources.map((s) => [s.articleId, s.why]));
    expect(why.get('a2')).toBe('0.91: title 0.41 · 2 shared names · 5 h apart');
    expect(why.get('a1')).toBe('new story; no similar story');
    expect(snapshot.stories[0]!.sources.find((s) => s.articleId === 'a3')).not.toHaveProperty('why');
  });

  it('shows it in the story JSON, null where unknown', () => {
    const sources = storyJson(view).sources;
    expect(sources.find((s) => s.outlet === 'Outlet a2')?.why).toBe('0.91: title 0.41 · 2 shared names · 5 h apart');
    expect(sources.find((s) => s.outlet === 'Outlet a3')?.why).toBeNull();
  });

  it('shows it on the story page', () => {
    const html = renderStoryPage(view, site);
    expect(html).toContain('grouped: 0.91: title 0.41 · 2 shared names · 5 h apart');
    expect(html.match(/class="why"/g)).toHaveLength(2);
  });
});
