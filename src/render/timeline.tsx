// The story page's picture of when each outlet reported: an inline SVG timeline, no script.
// Ticks sit at percentages of the drawing's width; each label sits a fixed number of px from its
// tick, and text keeps its pixel size. The layout is computed once for the narrowest width we
// promise (a 390 px phone): ticks only move apart on a wider page, so labels that do not overlap
// there overlap nowhere, and they stay as close to their ticks as on the phone.
import { displayTime } from './jsx';
import type { StorySourceView } from './view';

/** Width (px) the labels are laid out for: a 390 px screen minus the page's 1 rem margins, with slack. */
export const DESIGN_WIDTH = 340;
/** Space (px at DESIGN_WIDTH) between the drawing's edge and the first and last tick. */
const EDGE = 14;
/** Horizontal space (px) kept between two labels. */
const LABEL_GAP = 6;
const NAME_SIZE = 12;
const TIME_SIZE = 11;
/** A label is two lines: the short name and the time. */
const LABEL_HEIGHT = 28;
/** Vertical room for the leader from a tick to the nearest row of labels, and between rows. */
const LEAD = 12;
const ROW_GAP = 8;
const PAD = 2;

/** Classes live in the page's stylesheet (TIMELINE_STYLE), so the CSP needs no inline styles. */
export const TIMELINE_STYLE = `
figure.timeline{margin:1rem 0 .5rem}
figure.timeline svg{display:block;width:100%;overflow:visible}
figure.timeline figcaption{color:var(--muted);font-size:.82rem;margin-top:.25rem}
.tl-axis{stroke:var(--muted);stroke-width:1.5}
.tl-lead{stroke:var(--muted);stroke-opacity:.45;stroke-width:1}
.tl-dot{fill:var(--accent);stroke:var(--bg);stroke-width:1.5}
.tl-bg{fill:var(--bg)}
.tl-name{fill:var(--fg);font-size:${NAME_SIZE}px;font-weight:600}
.tl-time{fill:var(--muted);font-size:${TIME_SIZE}px}
`;

export interface TimelineMark {
  outlet: string;
  /** What the label shows: the outlet's name when short, else a short form of it. */
  short: string;
  time: string;
  /** "09:10 UTC" for the first report, "+2 h" for the others. */
  offset: string;
  /** Tick, as a percentage of the drawing's width. */
  tick: number;
  /** Label centre's distance from its tick, px (negative: to the left). */
  shift: number;
  /** Label width in px (an estimate that errs wide). */
  width: number;
  /** 0 is the row just above the axis, 1 just below, 2 above row 0, and so on. */
  row: number;
}

export interface TimelineLayout {
  marks: TimelineMark[];
  rows: number;
  /** y of the axis and height of the drawing, px. */
  axisY: number;
  height: number;
  first: string;
  last: string;
  /** Outlets of sources with no time at all, in source order. */
  untimed: string[];
}

/**
 * Lays out the timeline of a story's sources, or null when fewer than two have a time:
 * one dot on a line says nothing the source list does not.
 */
export function timelineLayout(sources: StorySourceView[]): TimelineLayout | null {
  const timed = sources
    .map((source, index) => ({ source, index, at: source.time ? Date.parse(source.time) : Number.NaN }))
    .filter((entry) => !Number.isNaN(entry.at))
    .sort((a, b) => a.at - b.at || a.index - b.index);
  const untimed = sources.filter((source) => !source.time || Number.isNaN(Date.parse(source.time))).map((source) => source.outlet);
  const start = timed[0];
  const end = timed.at(-1);
  if (!start || !end || timed.length < 2) return null;

  const span = end.at - start.at;
  const marks: TimelineMark[] = timed.map(({ source, at }, i) => {
    const short = shortName(source.outlet);
    const offset = i === 0 ? clock(at) : relativeTime(at - start.at);
    // A zero span (everyone at once) puts every tick in the middle.
    const x = span === 0 ? DESIGN_WIDTH / 2 : EDGE + ((at - start.at) / span) * (DESIGN_WIDTH - 2 * EDGE);
    const width = Math.ceil(Math.max(textWidth(short, NAME_SIZE, true), textWidth(offset, TIME_SIZE, false))) + 4;
    return { outlet: source.outlet, short, time: new Date(at).toISOString(), offset, tick: x, shift: 0, width, row: 0 };
  });

  const rows = rowsNeeded(marks.map((mark) => mark.width));
  for (let row = 0; row < rows; row++) {
    const inRow = marks.filter((_, i) => i % rows === row);
    inRow.forEach((mark) => (mark.row = row));
    const centres = spread(inRow.map((mark) => ({ centre: mark.tick, width: mark.width })));
    inRow.forEach((mark, i) => (mark.shift = Math.round(((centres[i] ?? mark.tick) - mark.tick) * 10) / 10));
  }
  for (const mark of marks) mark.tick = percent(mark.tick);

  const above = Math.ceil(rows / 2);
  const below = rows - above;
  const axisY = PAD + above * LABEL_HEIGHT + (above - 1) * ROW_GAP + LEAD;
  const height = below > 0 ? axisY + LEAD + below * LABEL_HEIGHT + (below - 1) * ROW_GAP + PAD : axisY + 8;
  return { marks, rows, axisY, height, first: start.source.time ?? '', last: end.source.time ?? '', untimed };
}

/** Top of a label's box in `row`, px. */
export function labelTop(layout: TimelineLayout, row: number): number {
  const ring = Math.floor(row / 2);
  return row % 2 === 0
    ? layout.axisY - LEAD - LABEL_HEIGHT - ring * (LABEL_HEIGHT + ROW_GAP)
    : layout.axisY + LEAD + ring * (LABEL_HEIGHT + ROW_GAP);
}

/** Fewest rows such that, dealing labels out in time order, every row's labels fit side by side. */
function rowsNeeded(widths: number[]): number {
  for (let rows = 1; ; rows++) {
    const fits = Array.from({ length: rows }, (_, row) => widths.filter((_, i) => i % rows === row)).every(
      (row) => row.reduce((sum, w) => sum + w, 0) + LABEL_GAP * (row.length - 1) <= DESIGN_WIDTH,
    );
    if (fits) return rows;
  }
}

/**
 * Label centres, in order, that do not overlap and stay inside the drawing, each as near its
 * tick as the others allow: overlapping labels merge into a block centred on their ticks.
 */
function spread(items: Array<{ centre: number; width: number }>): number[] {
  interface Block { members: Array<{ centre: number; width: number }>; left: number; width: number }
  const place = (block: Block) => {
    // Ideal left edge: each member would put the block's edge at its own centre minus its offset inside.
    let offset = 0;
    let sum = 0;
    for (const member of block.members) {
      sum += member.centre - offset - member.width / 2;
      offset += member.width + LABEL_GAP;
    }
    block.left = Math.min(Math.max(sum / block.members.length, 0), DESIGN_WIDTH - block.width);
  };
  const blocks: Block[] = [];
  for (const item of items) {
    let block: Block = { members: [item], left: 0, width: item.width };
    place(block);
    for (let previous = blocks.at(-1); previous && previous.left + previous.width + LABEL_GAP > block.left; previous = blocks.at(-1)) {
      blocks.pop();
      block = { members: [...previous.members, ...block.members], left: 0, width: previous.width + LABEL_GAP + block.width };
      place(block);
    }
    blocks.push(block);
  }
  return blocks.flatMap((block) => {
    let left = block.left;
    return block.members.map((member) => {
      const centre = left + member.width / 2;
      left += member.width + LABEL_GAP;
      return centre;
    });
  });
}

const percent = (px: number) => Math.round((px / DESIGN_WIDTH) * 10000) / 100;

const MINOR_WORDS = new Set(['the', 'a', 'an', 'of', 'and', 'le', 'la', 'les', 'el', 'der', 'die', 'das']);

/** "Harbor Daily" stays; "The Meridian Post" → "Meridian"; "The New York Times" → "NYT". */
export function shortName(outlet: string): string {
  const chars = Array.from(outlet);
  if (chars.length <= 12) return outlet;
  const words = outlet.split(/[\s\-–—_/.,:;|&+]+/u).filter((word) => /[\p{L}\p{N}]/u.test(word));
  const significant = words.filter((word) => !MINOR_WORDS.has(word.toLowerCase()));
  const first = significant[0] ?? '';
  const length = Array.from(first).length;
  if (length >= 4 && length <= 10) return first;
  const initials = significant.map((word) => word.match(/[\p{L}\p{N}]/u)?.[0] ?? '').join('').toUpperCase();
  if (Array.from(initials).length >= 2) return Array.from(initials).slice(0, 5).join('');
  return `${chars.slice(0, 9).join('')}…`;
}

/** "+40 min", "+2 h 5 min", "+14 h", "+1 d 3 h", "+12 d". */
export function relativeTime(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `+${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 10) return minutes % 60 === 0 ? `+${hours} h` : `+${hours} h ${minutes % 60} min`;
  const roundHours = Math.round(minutes / 60);
  if (roundHours < 48) return `+${roundHours} h`;
  const days = Math.floor(roundHours / 24);
  if (days >= 7 || roundHours % 24 === 0) return `+${Math.round(roundHours / 24)} d`;
  return `+${days} d ${roundHours % 24} h`;
}

function clock(at: number): string {
  const d = new Date(at);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} UTC`;
}

/** Width of text in a sans-serif face, in px; errs wide so estimated gaps are real gaps. */
export function textWidth(text: string, size: number, bold: boolean): number {
  let em = 0;
  for (const char of text) {
    if (/[MW@%mw]/.test(char)) em += 0.92;
    else if (/[ilj.,:;'|!\s]/.test(char)) em += 0.32;
    else if (/[A-Z0-9+]/.test(char)) em += 0.7;
    else if (/[\u0000-\u024F]/.test(char)) em += 0.6;
    else em += 1.05; // CJK, emoji and other wide scripts
  }
  return em * size * (bold ? 1.06 : 1);
}

/** The figure: title and description for assistive technology, a caption with the text equivalent. */
export function StoryTimeline({ sources }: { sources: StorySourceView[] }) {
  const layout = timelineLayout(sources);
  if (!layout) return null;
  const description = layout.marks
    .map((mark, i) => (i === 0 ? `${mark.outlet} first, ${displayTime(mark.time)}` : `${mark.outlet} ${mark.offset}`))
    .join('; ');
  return (
    <figure class="timeline">
      <svg role="img" aria-labelledby="timeline-title timeline-desc" width="100%" height={layout.height} xmlns="http://www.w3.org/2000/svg">
        <title id="timeline-title">When each outlet reported</title>
        <desc id="timeline-desc">{description}.</desc>
        <line class="tl-axis" x1={`${percent(EDGE)}%`} x2={`${percent(DESIGN_WIDTH - EDGE)}%`} y1={layout.axisY} y2={layout.axisY} />
        {/* Each label and its leader live in a nested viewport whose origin is the tick. */}
        {layout.marks.map((mark) => {
          const top = labelTop(layout, mark.row);
          return (
            <svg x={`${mark.tick}%`}>
              <line class="tl-lead" x1="0" y1={layout.axisY} x2={mark.shift} y2={mark.row % 2 === 0 ? top + LABEL_HEIGHT : top} />
            </svg>
          );
        })}
        {layout.marks.map((mark) => (
          <circle class="tl-dot" cx={`${mark.tick}%`} cy={layout.axisY} r="4.5" />
        ))}
        {layout.marks.map((mark) => {
          const top = labelTop(layout, mark.row);
          return (
            <svg x={`${mark.tick}%`}>
              <g>
                <title>{`${mark.outlet}: ${displayTime(mark.time)}`}</title>
                <rect class="tl-bg" x={mark.shift - mark.width / 2} y={top} width={mark.width} height={LABEL_HEIGHT} />
                <text class="tl-name" x={mark.shift} y={top + 11} text-anchor="middle">{mark.short}</text>
                <text class="tl-time" x={mark.shift} y={top + 24} text-anchor="middle">{mark.offset}</text>
              </g>
            </svg>
          );
        })}
      </svg>
      <figcaption>
        When each outlet reported, counted from the first report ({displayTime(layout.first)}): the time the outlet
        published, else when we first saw it.
        {layout.untimed.length > 0 ? ` No time given: ${layout.untimed.join(', ')}.` : null}
      </figcaption>
    </figure>
  );
}
