// The story records as a run or a request holds them: every story's facts (stories/facts.ts), and
// its record parsed only when it is read. A run files a few dozen articles and shows a hundred
// stories out of thousands, a request shows a page; the records a run does not change go back
// to KV as the bytes they came in as.
import type { StoriesSnapshot, StoryRecord } from '../model';
import { boundStory, knownWithinBound, KV_VALUE_BUDGET_BYTES, type StoryCuts } from './bounds';
import { articleIdHash, compareNewestChange, isDated, leadSource, storyFacts, storyListing, type StoryFacts, type StoryListing } from './facts';
import { keepFairly } from './fairStorage';
import { encodeStoredStories, indexRowBytes, recordRevision, STORED_SLACK_BYTES, StoredStories, type StoredRow } from './storedStories';

/** What the seal works out for a story it writes anew. */
interface Sealed {
  facts: StoryFacts;
  listing: StoryListing;
  raw: Uint8Array;
  revision: number;
}

/**
 * One story. While it is as stored, `row` is its row in the value read (its record, parsed or
 * not, is that row's); once changed or new, `row` is -1 and the record is the truth, until the
 * seal works out what to store (`sealed`).
 */
interface Entry {
  row: number;
  record: StoryRecord | null;
  sealed: Sealed | null;
}

const decoder = new TextDecoder();

export class StoryShelf {
  private entries = new Map<string, Entry>();
  /** Nothing changed since the value was read: reading every record can parse them at once. */
  private asRead = false;

  private constructor(public generated: string, public aliases: Record<string, string>, private readonly stored: StoredStories | null) {}

  static empty(now = new Date(0)): StoryShelf {
    return new StoryShelf(now.toISOString(), {}, null);
  }

  /** Records held in memory (a value of format 1, or tests): every one is written at the next seal. */
  static fromSnapshot(snapshot: StoriesSnapshot): StoryShelf {
    const shelf = new StoryShelf(snapshot.generated, { ...snapshot.aliases }, null);
    for (const record of snapshot.stories) shelf.add(record);
    return shelf;
  }

  /** A stored value of format 2 (storedStories.ts): its index is read, no record is parsed yet. */
  static decode(bytes: Uint8Array): StoryShelf {
    const stored = StoredStories.decode(bytes);
    const shelf = new StoryShelf(stored.generated, stored.aliases, stored);
    for (let row = 0; row < stored.count; row++) shelf.entries.set(stored.id(row), { row, record: null, sealed: null });
    shelf.asRead = true;
    return shelf;
  }

  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Facts of every story, in order (newest change first once sealed). */
  *facts(): IterableIterator<StoryFacts> {
    for (const entry of this.entries.values()) {
      yield entry.row >= 0 ? this.stored!.facts(entry.row) : entry.sealed?.facts ?? storyFacts(entry.record!);
    }
  }

  /** The record, parsed on first read. Not to be changed: `edit` is for that. */
  read(id: string): StoryRecord | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (!entry.record) {
      try {
        entry.record = JSON.parse(decoder.decode(this.stored!.record(entry.row))) as StoryRecord;
        knownWithinBound(entry.record);
      } catch (err) {
        throw new Error(`stories: the stored record of story ${id} is corrupt (${(err as Error).message})`);
      }
    }
    return entry.record;
  }

  /**
   * What the story's record is known by while it is as stored or sealed (a hash of its bytes:
   * equal revisions, equal records); null while it is changed and not yet sealed, or unknown.
   */
  revision(id: string): number | null {
    const entry = this.entries.get(id);
    if (!entry) return null;
    if (entry.row >= 0) return this.stored!.revision(entry.row);
    return entry.sealed?.revision ?? null;
  }

  /** The record, to be changed in place: it is bounded, measured and serialised again at the seal. */
  edit(id: string): StoryRecord | undefined {
    const record = this.read(id);
    if (record) this.changed(id);
    return record;
  }

  /** The record was changed in place (after `read`): it is written anew at the seal. */
  changed(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.read(id);
    entry.row = -1;
    entry.sealed = null;
    this.asRead = false;
  }

  add(record: StoryRecord): void {
    this.entries.set(record.id, { row: -1, record, sealed: null });
    this.asRead = false;
  }

  remove(id: string): void {
    if (this.entries.delete(id)) this.asRead = false;
  }

  /** Those of `ids` that a story lists. */
  listedAmong(ids: readonly string[]): Set<string> {
    const found = new Set<string>();
    const wanted = new Map<number, string>();
    for (const id of ids) {
      const key = articleIdHash(id);
      // Two ids of one hash (odds of 1 in 2^53): the long way, by the ids themselves.
      if (wanted.has(key) && wanted.get(key) !== id) return this.listedAmongByText(new Set(ids));
      wanted.set(key, id);
    }
    if (wanted.size === 0) return found;
    for (const entry of this.entries.values()) {
      if (entry.row >= 0) this.stored!.listedAmong(entry.row, wanted, found);
      else this.eachListed(entry, (articleId) => wanted.get(articleIdHash(articleId)) === articleId && found.add(articleId));
    }
    return found;
  }

  /** Those of `reports` (reportHash) that a story lists. */
  reportsAmong(reports: readonly number[]): Set<number> {
    const found = new Set<number>();
    const wanted = new Set(reports);
    wanted.delete(0);
    if (wanted.size === 0) return found;
    for (const entry of this.entries.values()) {
      if (entry.row >= 0) this.stored!.reportsAmong(entry.row, wanted, found);
      else this.eachListed(entry, (_, report) => wanted.has(report) && found.add(report));
    }
    return found;
  }

  private listedAmongByText(ids: ReadonlySet<string>): Set<string> {
    const found = new Set<string>();
    for (const entry of this.entries.values()) this.eachListed(entry, (articleId) => ids.has(articleId) && found.add(articleId));
    return found;
  }

  /** The stories listing any of these articles. */
  holdersOf(articleIds: ReadonlySet<string>): Set<string> {
    const holders = new Set<string>();
    if (articleIds.size === 0) return holders;
    for (const [id, entry] of this.entries) {
      this.eachListed(entry, (articleId) => {
        if (articleIds.has(articleId)) holders.add(id);
      });
    }
    return holders;
  }

  /**
   * What the run stores: newest change first (among stories changed at once, those with a dated
   * report first: an undated item is stamped with the time it was seen, which says nothing of its
   * age; then the newest first seen), at most `limit` stories, each source's oldest left out first
   * from the sources that lead the most (fairStorage.ts; aliases to dropped ones go with them),
   * every changed record within its bound, the whole value within KV's (the stories changed
   * longest ago are left out when it would not fit). Every story left out is counted
   * (`storiesDropped`). The shelf is then what the bytes hold.
   */
  seal(limit: number, now: Date, maxTotalBytes = KV_VALUE_BUDGET_BYTES): { bytes: Uint8Array; cuts: StoryCuts } {
    const cuts: StoryCuts = { storiesCut: 0, sourcesDropped: 0, storiesDropped: 0 };
    const stored = this.stored;
    const keyed = [...this.entries].map(([id, entry]) => entry.row >= 0
      ? { id, entry, updated: stored!.updated(entry.row), dated: stored!.dated(entry.row), firstSeen: stored!.firstSeen(entry.row), lead: stored!.lead(entry.row) }
      : { id, entry, updated: entry.record!.updated, dated: isDated(entry.record!), firstSeen: entry.record!.firstSeen, lead: leadSource(entry.record!) });
    keyed.sort(compareNewestChange);
    let kept = keepFairly(keyed, limit);
    cuts.storiesDropped += keyed.length - kept.length;
    const encoder = new TextEncoder();
    for (const { entry } of kept) {
      if (entry.row >= 0 || entry.sealed) continue;
      const bounded = boundStory(entry.record!);
      if (bounded.cut) cuts.storiesCut++;
      cuts.sourcesDropped += bounded.sourcesDropped;
      entry.record = bounded.story;
      const raw = encoder.encode(JSON.stringify(bounded.story));
      entry.sealed = { facts: storyFacts(bounded.story), listing: storyListing(bounded.story), raw, revision: recordRevision(raw) };
    }
    const rowOf = (entry: Entry): StoredRow => (entry.row >= 0 ? { from: stored!, row: entry.row } : { ...entry.sealed!, record: entry.sealed!.raw });
    // Aliases go with the stories they point at (usually every story is kept: the shelf answers).
    const aliasesOf = (chosen: typeof kept) => {
      const aliases = Object.entries(this.aliases);
      if (aliases.length === 0) return {};
      const live = chosen.length === keyed.length ? this.entries : new Set(chosen.map((k) => k.id));
      return Object.fromEntries(aliases.filter(([, id]) => live.has(id)));
    };
    let aliases = aliasesOf(kept);
    let bytes = encodeStoredStories(now.toISOString(), aliases, kept.map((k) => rowOf(k.entry)));
    if (bytes.length > maxTotalBytes) {
      // Usually it fits at once; else keep the newest that fit, counting each record and its index row.
      const fitting: typeof kept = [];
      let total = encodeStoredStories(now.toISOString(), this.aliases, []).length + STORED_SLACK_BYTES;
      for (const k of kept) {
        const cost = this.storedBytes(k.entry) + 1 + this.indexBytes(k.entry);
        if (total + cost > maxTotalBytes) {
          cuts.storiesDropped++;
          continue;
        }
        total += cost;
        fitting.push(k);
      }
      kept = fitting;
      aliases = aliasesOf(kept);
      bytes = encodeStoredStories(now.toISOString(), aliases, kept.map((k) => rowOf(k.entry)));
    }
    this.entries = new Map(kept.map((k) => [k.id, k.entry]));
    this.aliases = aliases;
    this.generated = now.toISOString();
    this.asRead = false;
    return { bytes, cuts };
  }

  /** Every record, in order. */
  toSnapshot(): StoriesSnapshot {
    let stories: StoryRecord[];
    if (this.asRead && this.stored) {
      try {
        stories = JSON.parse(decoder.decode(this.stored.allRecords())) as StoryRecord[];
      } catch (err) {
        throw new Error(`stories: the stored records are corrupt (${(err as Error).message})`);
      }
      [...this.entries.values()].forEach((entry, i) => {
        if (!entry.record) knownWithinBound((entry.record = stories[i]!));
        stories[i] = entry.record;
      });
    } else stories = [...this.entries.keys()].map((id) => this.read(id)!);
    return { version: 1, generated: this.generated, stories, aliases: { ...this.aliases } };
  }

  /** The records of these stories (in order), as a snapshot of their own. */
  subset(ids: ReadonlySet<string>): StoriesSnapshot {
    const stories = [...this.entries.keys()].filter((id) => ids.has(id)).map((id) => this.read(id)!);
    return { version: 1, generated: this.generated, stories, aliases: { ...this.aliases } };
  }

  /** Calls `each` with every article a story lists and its report (0 without a URL): from the index while the story is as stored. */
  private eachListed(entry: Entry, each: (articleId: string, report: number) => void): void {
    if (entry.row >= 0) return this.stored!.eachListed(entry.row, each);
    const { articles, reports } = entry.sealed?.listing ?? storyListing(entry.record!);
    articles.forEach((articleId, i) => each(articleId, reports[i]!));
  }

  private storedBytes(entry: Entry): number {
    return entry.row >= 0 ? this.stored!.record(entry.row).length : entry.sealed!.raw.length;
  }

  /** The bytes of a story's row in the stored index (storedStories.ts). */
  private indexBytes(entry: Entry): number {
    const articles: string[] = [];
    this.eachListed(entry, (articleId) => articles.push(articleId));
    return indexRowBytes(entry.row >= 0 ? this.stored!.facts(entry.row) : entry.sealed!.facts, articles);
  }
}

/**
 * A snapshot as a stored value, in its own order (for tests and tools that seed KV). Each record
 * is bounded as the seal would (what a stored value holds: see knownWithinBound).
 */
export function storedSnapshot(snapshot: StoriesSnapshot): Uint8Array {
  const encoder = new TextEncoder();
  return encodeStoredStories(snapshot.generated, snapshot.aliases, snapshot.stories.map((record) => {
    const { story } = boundStory(record);
    const bytes = encoder.encode(JSON.stringify(story));
    return { facts: storyFacts(story), listing: storyListing(story), record: bytes, revision: recordRevision(bytes) };
  }));
}
