// Picks the stories a view shows: filters, then one page. Pure; the snapshot's order
// (newest `updated` first) is kept, so pages match what the feeds list, unless the query
// asks for `sort=top` (stories/rank.ts), ranked as of `reference` (the snapshot's time).
import type { StoryRecord } from '../model';
import { rankTop } from '../stories/rank';
import type { ViewQuery } from './query';

export interface StoryPage {
  stories: StoryRecord[];
  /** Stories matching the filters, across all pages. */
  total: number;
  page: number;
  /** Last page number; 1 when nothing matches. */
  lastPage: number;
}

/**
 * `omitted`: stories left out of `all` that match the query and would not be on the page (the
 * pre-render passes only the stories its first page can show); they count in the totals.
 */
export function selectStories(all: readonly StoryRecord[], query: ViewQuery, reference = new Date(0).toISOString(), omitted = 0): StoryPage {
  const terms = query.q === null ? [] : foldText(query.q).split(' ').filter(Boolean);
  const sinceTime = query.since === null ? null : Date.parse(query.since);
  const matching = all.filter((story) =>
    story.sources.length >= query.minSources &&
    (sinceTime === null || Date.parse(story.updated) >= sinceTime) &&
    (terms.length === 0 || containsAll(searchText(story), terms)));
  const start = (query.page - 1) * query.limit;
  const ordered = query.sort === 'top' ? rankTop(matching, reference, start + query.limit) : matching;
  const total = matching.length + omitted;
  const lastPage = Math.max(1, Math.ceil(total / query.limit));
  return { stories: ordered.slice(start, start + query.limit), total, page: query.page, lastPage };
}

function searchText(story: StoryRecord): string {
  const parts = [story.title, story.summary];
  for (const source of story.sources) parts.push(source.title, source.outlet);
  return foldText(parts.join(' '));
}

function containsAll(haystack: string, terms: string[]): boolean {
  return terms.every((term) => haystack.includes(term));
}

/** Lower-case, accents removed, whitespace collapsed: "Café  Zürich" matches "cafe zurich". */
function foldText(value: string): string {
  // Unicode normalisation is the costly part; most headlines are ASCII and skip it.
  const folded = /[^\x00-\x7f]/.test(value) ? value.normalize('NFKD').replace(/\p{M}+/gu, '') : value;
  return folded.toLowerCase().replace(/\s+/g, ' ');
}
