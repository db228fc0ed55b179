// Bounds on what one feed can put into the pipeline, applied after parsing and before anything
// is stored: how many items, and how long a title, summary and body may be. Readers truncate
// long headlines the same way (at a word, with an ellipsis). Each cut is counted, so the run
// log says which bound fired and how often.
import type { ParsedItem } from '../model';

/** Items kept from one document, newest first (a feed's recent items are what matter). */
export const MAX_ITEMS_PER_FEED = 200;
/** Characters in a title, polled or pushed (the push API refuses longer raw titles). */
export const MAX_TITLE_CHARS = 1000;
/** Characters in the display summary. */
export const MAX_SUMMARY_CHARS = 300;
/** Characters of plain-text body kept for clustering (the engine reads far less than this). */
export const MAX_TEXT_CHARS = 50_000;

/** How often each bound fired; added up over a run for the run log. */
export interface BoundCounters {
  itemsDropped: number;
  titlesCut: number;
  summariesCut: number;
  textsCut: number;
}

export function noCuts(): BoundCounters {
  return { itemsDropped: 0, titlesCut: 0, summariesCut: 0, textsCut: 0 };
}

export function addCuts(into: BoundCounters, more: Partial<BoundCounters>): BoundCounters {
  for (const key of Object.keys(into) as (keyof BoundCounters)[]) into[key] += more[key] ?? 0;
  return into;
}

/**
 * At most `max` items, the newest by date; undated items count as new as the newest dated one
 * (feeds list newest first, so document order breaks ties). Kept in document order.
 */
export function newestItems(items: ParsedItem[], max: number): ParsedItem[] {
  if (items.length <= max) return items;
  const dated = (item: ParsedItem) => item.published ?? item.updated ?? '\uffff';
  const chosen = items
    .map((item, index) => ({ index, at: dated(item) }))
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.index - b.index))
    .slice(0, max)
    .map((entry) => entry.index)
    .sort((a, b) => a - b);
  return chosen.map((index) => items[index]!);
}
