// "Why grouped": the engine's reason for each source travels from the assignment into the
// story record and the story JSON; the story page says it in plain words (shared words, time
// after the first report), never the engine's scores; the front page says nothing of it.
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../src/cluster';
import type { Article } from '../../src/model';
import { storyJson } from '../../src/render/api';
import { groupedInWords } from '../../src/render/grouped';
import { renderFrontPage, renderStoryPage } from '../../src/render/html';
import { defaultQuery } from '../../src/render/query';
import { buildFeedView, buildStoryView } from '../../src/render/view';
import { applyAssignment } from '../../src/stories/apply';
import { StoryShelf } from '../../src/stories/shelf';

const at = new Date('2025-07-22T12:00:00Z');
const site = { title: 'storywire', description: 'test', base: 'https://news.test', websubHub: null, pageSize: 20 };

function article(id: string, title: string, published = '2025-07-22T09:00:00Z'): Article {
  return { id, sourceId: `src-${id}`, outlet: `Outlet ${id}`, url: `https://${id}.example/a`, title, text: title, summary: title, published, seenAt: '2025-07-22T10:00:00Z' };
}

function assignment(articleId: string, extra: Partial<Assignment>): Assignment {
  return { articleId, storyId: 'S1', created: false, duplicate: false, merged: [], lead: false, ...extra };
}

describe('why grouped', () => {
  const shelf = StoryShelf.empty();
  applyAssignment(shelf, article('a1', 'Bridge closed'), assignment('a1', { created: true, lead: true, why: 'new story; no similar story' }), at);
  const shared = { count: 22, examples: ['Zelensky', 'ceasefire'] };
  applyAssignment(shelf, article('a2', 'Corrosion shuts bridge', '2025-07-22T10:25:00Z'), assignment('a2', { score: 0.91, why: '0.91: title 0.41 · 2 shared names · 5 h apart', shared }), at);
  // A record written before reasons were kept has none.
  applyAssignment(shelf, article('a3', 'Bridge repairs', '2025-07-22T09:40:00Z'), assignment('a3', {}), at);
  const snapshot = shelf.toSnapshot();
  const view = buildStoryView(snapshot.stories[0]!, site.base, at.toISOString());

  it('keeps the reason on each source of the story record', () => {
    const why = new Map(snapshot.stories[0]!.sources.map((s) => [s.articleId, s.why]));
    expect(why.get('a2')).toBe('0.91: title 0.41 · 2 shared names · 5 h apart');
    expect(why.get('a1')).toBe('new story; no similar story');
    expect(snapshot.stories[0]!.sources.find((s) => s.articleId === 'a3')).not.toHaveProperty('why');
    expect(snapshot.stories[0]!.sources.find((s) => s.articleId === 'a2')?.shared).toEqual(shared);
    expect(snapshot.stories[0]!.sources.find((s) => s.articleId === 'a1')).not.toHaveProperty('shared');
  });

  it('shows it in the story JSON, null where unknown', () => {
    const sources = storyJson(view).sources;
    expect(sources.find((s) => s.outlet === 'Outlet a2')?.why).toBe('0.91: title 0.41 · 2 shared names · 5 h apart');
    expect(sources.find((s) => s.outlet === 'Outlet a3')?.why).toBeNull();
  });

  it('says it on the story page in plain words, without the engine\'s scores', () => {
    const html = renderStoryPage(view, site);
    expect(html).toContain('shares 22 words with the story, among them Zelensky and ceasefire; reported 1 h 25 min after the first');
    expect(html).toContain('<span class="why">the first report</span>');
    expect(html).toContain('<span class="why">reported 40 min after the first</span>');
    expect(html).not.toContain('0.91');
    expect(html).not.toContain('new story;');
    expect(html.match(/class="why"/g)).toHaveLength(3);
  });

  it('is not on the front page', () => {
    const page = renderFrontPage(buildFeedView(snapshot, defaultQuery(20), site));
    expect(page).not.toContain('class="why"');
  });

  it('words: every shared word named, one word, no times, a story of one source', () => {
    const t = (minutes: number) => new Date(Date.UTC(2025, 6, 22, 9, minutes)).toISOString();
    const sources = [
      { time: t(0), shared: null },
      { time: t(0), shared: { count: 2, examples: ['Zelensky', 'ceasefire'] } },
      { time: t(0) && new Date(Date.UTC(2025, 6, 24, 12, 0)).toISOString(), shared: { count: 1, examples: ['harbour'] } },
      { time: null, shared: { count: 5, examples: [] } },
      { time: t(3), shared: null },
    ];
    expect(groupedInWords(sources, 1)).toBe('shares 2 words with the story: Zelensky and ceasefire; reported within a minute of the first');
    expect(groupedInWords(sources, 2)).toBe('shares 1 word with the story: harbour; reported 2 d 3 h after the first');
    expect(groupedInWords(sources, 3)).toBe('shares 5 words with the story');
    expect(groupedInWords(sources, 4)).toBe('reported 3 min after the first');
    expect(groupedInWords([{ time: t(0), shared: null }], 0)).toBeNull();
  });
});
