import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderFrontPage, renderStoryPage } from '../../src/render/html';
import { renderToString } from '../../src/render/jsx';
import { defaultQuery } from '../../src/render/query';
import { siteInfo } from '../../src/render/site';
import { DESIGN_WIDTH, labelTop, relativeTime, shortName, StoryTimeline, timelineLayout, type TimelineLayout } from '../../src/render/timeline';
import { buildFeedView, buildStoryView, type StorySourceView } from '../../src/render/view';
import { snapshotOf, source, story, testSettings } from './fixtures';

const site = siteInfo(testSettings(), 'https://wire.example');
const at = (minutes: number) => new Date(Date.UTC(2025, 6, 22, 6, 0) + minutes * 60_000).toISOString();

function sourceView(outlet: string, time: string | null): StorySourceView {
  return { id: outlet, outlet, title: `${outlet} story`, url: null, time, summary: '', copyOf: null, why: null, shared: null };
}

function svgOf(sources: StorySourceView[]): string {
  const html = renderToString(StoryTimeline({ sources }));
  const svg = html.match(/<svg[\s\S]*<\/svg>/)?.[0];
  if (!svg) throw new Error(`no svg in: ${html}`);
  return svg;
}

/** Label boxes as drawn on a page `width` px wide: ticks scale, shifts and text do not. */
function boxes(layout: TimelineLayout, width: number) {
  return layout.marks.map((mark) => {
    const centre = (mark.tick / 100) * width + mark.shift;
    const top = labelTop(layout, mark.row);
    return { row: mark.row, left: centre - mark.width / 2, right: centre + mark.width / 2, top, bottom: top + 28 };
  });
}

function overlaps(a: ReturnType<typeof boxes>[number], b: ReturnType<typeof boxes>[number]): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

// Nine outlets within eight minutes, one three hours later: the case that piles labels up.
const crowded = [
  ...['Associated Press', 'Reuters', 'BBC News', 'The New York Times', 'The Guardian', 'Le Monde', 'Der Spiegel', 'Agence France-Presse', 'NHK'].map((outlet, i) =>
    sourceView(outlet, at(i))),
  sourceView('Frankfurter Allgemeine Zeitung', at(195)),
];

describe('timeline layout', () => {
  it('orders ticks by time whatever the source order, and measures from the first report', () => {
    const layout = timelineLayout([sourceView('Late', at(300)), sourceView('First', at(0)), sourceView('Middle', at(40))]);
    expect(layout?.marks.map((mark) => mark.outlet)).toEqual(['First', 'Middle', 'Late']);
    const ticks = layout?.marks.map((mark) => mark.tick) ?? [];
    expect(ticks[0]).toBeLessThan(ticks[1] ?? 0);
    expect(ticks[1]).toBeLessThan(ticks[2] ?? 0);
    expect(layout?.marks.map((mark) => mark.offset)).toEqual(['06:00 UTC', '+40 min', '+5 h']);
  });

  it.each([DESIGN_WIDTH, 358, 800])('keeps crowded labels apart and inside the drawing at %i px', (width) => {
    const layout = timelineLayout(crowded);
    if (!layout) throw new Error('no layout');
    expect(layout.rows).toBeGreaterThan(1);
    const drawn = boxes(layout, width);
    for (const [i, a] of drawn.entries()) {
      expect(a.left).toBeGreaterThanOrEqual(0);
      expect(a.right).toBeLessThanOrEqual(width);
      expect(a.top).toBeGreaterThanOrEqual(0);
      expect(a.bottom).toBeLessThanOrEqual(layout.height);
      for (const b of drawn.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
    }
  });

  it('keeps labels of one row in time order', () => {
    const layout = timelineLayout(crowded);
    if (!layout) throw new Error('no layout');
    for (let row = 0; row < layout.rows; row++) {
      const lefts = boxes(layout, DESIGN_WIDTH).filter((box) => box.row === row).map((box) => box.left);
      expect(lefts).toEqual([...lefts].sort((a, b) => a - b));
    }
  });

  it('fits five well-spaced outlets without moving any label off its tick', () => {
    const layout = timelineLayout(['A', 'B', 'C', 'D', 'E'].map((outlet, i) => sourceView(outlet, at(i * 120))));
    expect(layout?.rows).toBe(1);
    expect(layout?.marks.slice(1, -1).map((mark) => mark.shift)).toEqual([0, 0, 0]);
  });

  it('draws nothing for a single-source story or when fewer than two sources have a time', () => {
    expect(timelineLayout([sourceView('Only', at(0))])).toBeNull();
    expect(timelineLayout([sourceView('Timed', at(0)), sourceView('Untimed', null)])).toBeNull();
    expect(renderToString(StoryTimeline({ sources: [sourceView('Only', at(0))] }))).toBe('');
  });

  it('lists sources without a time in the caption instead of guessing one', () => {
    const sources = [sourceView('One', at(0)), sourceView('No Clock Daily', null), sourceView('Two', at(30)), sourceView('Bad', 'not a date')];
    expect(timelineLayout(sources)?.untimed).toEqual(['No Clock Daily', 'Bad']);
    expect(renderToString(StoryTimeline({ sources }))).toContain('No time given: No Clock Daily, Bad.');
  });

  it('puts simultaneous reports in the middle, labels side by side', () => {
    const layout = timelineLayout([sourceView('A', at(0)), sourceView('B', at(0)), sourceView('C', at(0))]);
    expect(layout?.marks.map((mark) => mark.tick)).toEqual([50, 50, 50]);
    expect(new Set(layout?.marks.map((mark) => mark.shift)).size).toBe(3);
  });
});

describe('timeline SVG', () => {
  it('is well-formed XML with a title, a description and no script', () => {
    const svg = svgOf(crowded);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toMatch(/^<svg role="img" aria-labelledby="timeline-title timeline-desc"/);
    expect(svg).toContain('<title id="timeline-title">When each outlet reported</title>');
    expect(svg).toContain('<desc id="timeline-desc">Associated Press first, 22 Jul 2025, 06:00 UTC; Reuters +1 min;');
    expect(svg).not.toMatch(/<script|\son\w+=|style=|javascript:/i);
  });

  it('draws the dots in time order', () => {
    const svg = svgOf([sourceView('C', at(90)), sourceView('A', at(0)), sourceView('B', at(45))]);
    const cx = [...svg.matchAll(/<circle class="tl-dot" cx="([\d.]+)%"/g)].map((m) => Number(m[1]));
    expect(cx).toHaveLength(3);
    expect(cx).toEqual([...cx].sort((a, b) => a - b));
    expect(cx[0]).toBeLessThan(cx[2] ?? 0);
  });

  it('escapes outlet names from feeds', () => {
    const hostile = [sourceView('Evil <Outlet> & Co "q" \'a\'', at(0)), sourceView('</svg><script>alert(1)</script>', at(10))];
    const svg = svgOf(hostile);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<Outlet>');
    expect(svg).toContain('Evil &lt;Outlet&gt; &amp; Co &quot;q&quot;');
    expect(svg.match(/<\/svg>/g)).toHaveLength(1 + 2 * hostile.length); // the root and two nested viewports per mark
  });
});

describe('timeline text', () => {
  it.each([
    [0, '+0 min'],
    [40 * 60_000, '+40 min'],
    [2 * 3_600_000, '+2 h'],
    [(3 * 60 + 10) * 60_000, '+3 h 10 min'],
    [16 * 3_600_000 + 20 * 60_000, '+16 h'],
    [27 * 3_600_000, '+27 h'],
    [(2 * 24 + 3) * 3_600_000, '+2 d 3 h'],
    [10 * 24 * 3_600_000, '+10 d'],
  ])('relative time of %i ms is %s', (ms, text) => {
    expect(relativeTime(ms)).toBe(text);
  });

  it.each([
    ['Harbor Daily', 'Harbor Daily'],
    ['The Meridian Post', 'Meridian'],
    ['The New York Times', 'NYT'],
    ['Frankfurter Allgemeine Zeitung', 'FAZ'],
    ['Süddeutschezeitungsverlag', 'Süddeutsc…'],
  ])('short name of %s is %s', (outlet, short) => {
    expect(shortName(outlet)).toBe(short);
  });
});

describe('pages', () => {
  const record = story({ sources: [source(), source({ articleId: 'a2', outlet: 'Gotham Gazette', published: '2026-11-20T08:40:00.000Z' })] });

  it('the story page shows the timeline after its sources', () => {
    const html = renderStoryPage(buildStoryView(record, 'https://wire.example', at(0)), site);
    expect(html).toContain('<figure class="timeline">');
    expect(html.indexOf('<figure class="timeline">')).toBeGreaterThan(html.indexOf('<ul class="sources">'));
    expect(html).toContain('<desc id="timeline-desc">Daily Planet first, 20 Nov 2026, 08:00 UTC; Gotham Gazette +40 min.</desc>');
    expect(html).toContain('>Gotham</text>');
    expect(html).not.toMatch(/<script/i);
  });

  it('the front page has no timeline', () => {
    const html = renderFrontPage(buildFeedView(snapshotOf([record]), defaultQuery(50), site));
    expect(html).not.toContain('<figure');
    expect(html).not.toContain('<svg');
  });
});
