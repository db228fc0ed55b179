// Picks the stories a view shows: filters, then one page. Pure; the stories' order (newest
// `updated` first) is kept, so pages match what the feeds list, unless the query asks for
// `sort=top` (stories/rank.ts), ranked as of `reference` (the snapshot's time). Pages take that
// order with each source's fair share (fairShare.ts): no source leads more than a quarter of a
// page while another has stories to show; the stories held back come first on the next page.
//
// Pages come from every record (a snapshot: selectStories), or from a run's or a request's shelf,
// chosen from its index so that only the page's records are read (shelfPages).
import type { StoriesSnapshot, StoryRecord } from '../model';
import type { Correction } from '../stories/corrections';
import { correctedShelf, type StoryReader } from '../stories/correctedShelf';
import type { StoryFacts } from '../stories/facts';
import { leadSource } from '../stories/facts';
import { rankFacts, rankTop } from '../stories/rank';
import type { StoryShelf } from '../stories/shelf';
import { fairPages } from './fairShare';
import type { ViewQuery } from './query';
import { isoOrNull } from './text';

export interface StoryPage {
  stories: StoryRecord[];
  /** Stories matching the filters, across all pages. */
  total: number;
  page: number;
  /** Last page number; 1 when nothing matches. */
  lastPage: number;
}

/** A page before its records are read: the ids of its stories, in order. */
export interface PageChoice {
  ids: string[];
  total: number;
  page: number;
  lastPage: number;
}

/** Where views take their pages from. */
export interface StoryPages {
  /** When the stories were last changed (ISO 8601): what "top" ranks as of, and the views' fallback time. */
  generated: string;
  /** Which stories a page shows, reading no more records than the choice needs. */
  choose(query: ViewQuery): PageChoice;
  /** A chosen story's record. */
  read(id: string): StoryRecord;
  /**
   * What the record is known by as stored (a hash of its bytes): what the pre-render keeps each
   * story's rendered pieces under between runs. Null when it has no stored form (a snapshot's, a
   * corrected one): then nothing rendered from it is kept.
   */
  revision(id: string): number | null;
}

/** The page, records read. */
export function readPage(pages: StoryPages, query: ViewQuery): StoryPage {
  const { ids, ...rest } = pages.choose(query);
  return { stories: ids.map((id) => pages.read(id)), ...rest };
}

export function selectStories(all: readonly StoryRecord[], query: ViewQuery, reference = new Date(0).toISOString()): StoryPage {
  const terms = query.q === null ? [] : foldText(query.q).split(' ').filter(Boolean);
  const sinceTime = query.since === null ? null : Date.parse(query.since);
  const matching = all.filter((story) =>
    story.sources.length >= query.minSources &&
    (sinceTime === null || Date.parse(story.updated) >= sinceTime) &&
    (terms.length === 0 || containsAll(searchText(story), terms)));
  const ordered = query.sort === 'top' ? rankTop(matching, reference) : matching;
  const { chosen, lastPage } = fairPage(ordered, ordered.map(leadSource), query);
  return { stories: chosen, total: matching.length, page: query.page, lastPage };
}

/** The query's page of `ordered` (whose lead sources are `leads`), each source within its fair share, and the last page's number. */
function fairPage<T>(ordered: readonly T[], leads: readonly string[], query: ViewQuery): { chosen: T[]; lastPage: number } {
  const { order, starts } = fairPages(leads, query.limit);
  const lastPage = starts.length - 1;
  if (query.page > lastPage) return { chosen: [], lastPage };
  const chosen: T[] = [];
  for (let i = starts[query.page - 1]!; i < starts[query.page]!; i++) chosen.push(ordered[order[i]!]!);
  return { chosen, lastPage };
}

/**
 * Whose story it is on a page: its lead source; a story whose lead is not known (stored by a
 * version before leads were kept, until it changes) counts as a source of its own, so that the
 * stories of a value just upgraded are not held back as one.
 */
function pageLead(f: StoryFacts): string {
  return f.lead || `story:${f.id}`;
}

/** Pages of a snapshot: every record is there (and none has a stored revision). */
export function snapshotPages(snapshot: StoriesSnapshot): StoryPages {
  const generated = isoOrNull(snapshot.generated) ?? new Date(0).toISOString();
  let byId: Map<string, StoryRecord> | null = null;
  return {
    generated,
    choose(query) {
      const { stories, ...rest } = selectStories(snapshot.stories, query, generated);
      return { ids: stories.map((story) => story.id), ...rest };
    },
    read(id) {
      byId ??= new Map(snapshot.stories.map((story) => [story.id, story]));
      return byId.get(id)!;
    },
    revision: () => null,
  };
}

/**
 * Pages of a shelf in stored order (sealed, or as read: newest change first), chosen by the
 * index: the filters and the "top" order read the stories' facts, and only the page's records
 * are parsed. A text search reads every record. The same pages as `snapshotPages` of every
 * record (test/stories/shelf.test.ts). `shelf` may have corrections over it (correctedShelf).
 */
export function shelfPages(shelf: StoryReader): StoryPages {
  const generated = isoOrNull(shelf.generated) ?? new Date(0).toISOString();
  // The shelf no longer changes (a run's is sealed; a request's is as read): its facts are read once.
  let facts: StoryFacts[] | null = null;
  let everything: StoryPages | null = null;
  return {
    generated,
    choose(query) {
      if (query.q !== null) return (everything ??= snapshotPages(shelf.toSnapshot())).choose(query);
      const sinceTime = query.since === null ? null : Date.parse(query.since);
      const matching = (facts ??= [...shelf.facts()]).filter((f) => f.sources >= query.minSources && (sinceTime === null || Date.parse(f.updated) >= sinceTime));
      const ordered = query.sort === 'top' ? rankFacts(matching, generated, matching.length) : matching;
      const { chosen, lastPage } = fairPage(ordered, ordered.map(pageLead), query);
      return { ids: chosen.map((f) => f.id), total: matching.length, page: query.page, lastPage };
    },
    // A text search has read every record already: its pages read them from there.
    read: (id) => (everything ? everything.read(id) : shelf.read(id)!),
    revision: (id) => shelf.revision(id),
  };
}

/** What readers see: the shelf's pages with editors' corrections over them (reading only the records they touch). */
export function correctedPages(shelf: StoryShelf, corrections: readonly Correction[]): StoryPages {
  return shelfPages(correctedShelf(shelf, corrections));
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
