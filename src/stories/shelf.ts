// The story records as a run holds them: every story's facts (stories/facts.ts), and its record
// parsed only when the run reads it. A run files a few dozen articles and shows a hundred stories
// out of thousands; the rest go back to KV as the bytes they came in as.
import type { StoriesSnapshot, StoryRecord } from '../model';
import { boundStory, KV_VALUE_BUDGET_BYTES, type StoryCuts } from './bounds';
import { storyFacts, type StoryFacts } from './facts';
import { decodeStoredStories, encodeStoredStories } from './storedStories';
import { compareText } from '../util/compare';

/**
 * One story. `raw` is its stored JSON while the record is as stored (bounded and clean, with
 * `facts` true of it); a record read to be changed has no `raw` until the run seals the shelf.
 */
interface Entry {
  facts: StoryFacts;
  record: StoryRecord | null;
  raw: Uint8Array | null;
}

export class StoryShelf {
  private entries = new Map<string, Entry>();
  /** Every record as one JSON array, while the shelf is as read (reading them all at once is faster). */
  private body: Uint8Array | null = null;

  private constructor(public generated: string, public aliases: Record<string, string>) {}

  static empty(now = new Date(0)): StoryShelf {
    return new StoryShelf(now.toISOString(), {});
  }

  /** Records held in memory (a value of format 1, or tests): every one is written at the next seal. */
  static fromSnapshot(snapshot: StoriesSnapshot): StoryShelf {
    const shelf = new StoryShelf(snapshot.generated, { ...snapshot.aliases });
    for (const record of snapshot.stories) shelf.add(record);
    return shelf;
  }

  /** A stored value of format 2 (storedStories.ts); no record is parsed yet. */
  static decode(bytes: Uint8Array): StoryShelf {
    const stored = decodeStoredStories(bytes);
    const shelf = new StoryShelf(stored.generated, stored.aliases);
    stored.facts.forEach((facts, i) => shelf.entries.set(facts.id, { facts, record: null, raw: stored.records[i]! }));
    shelf.body = stored.body;
    return shelf;
  }

  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Facts of every story, in stored order (newest change first after a seal); those of a record being changed are as stored. */
  facts(): IterableIterator<StoryFacts> {
    return (function* (entries) {
      for (const entry of entries) yield entry.facts;
    })(this.entries.values());
  }

  /** The record, parsed on first read. Not to be changed: `edit` is for that. */
  read(id: string): StoryRecord | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (!entry.record) {
      try {
        entry.record = JSON.parse(new TextDecoder().decode(entry.raw!)) as StoryRecord;
      } catch (err) {
        throw new Error(`stories: the stored record of story ${id} is corrupt (${(err as Error).message})`);
      }
    }
    return entry.record;
  }

  /** The record, to be changed in place: it is measured, bounded and serialised again at the seal. */
  edit(id: string): StoryRecord | undefined {
    const record = this.read(id);
    if (record) this.changed(id);
    return record;
  }

  /** The record was changed in place (after `read`): it is written anew at the seal. */
  changed(id: string): void {
    const entry = this.entries.get(id);
    if (!entry || !entry.raw) return;
    this.read(id);
    entry.raw = null;
    this.body = null;
  }

  add(record: StoryRecord): void {
    this.entries.set(record.id, { facts: idFacts(record), record, raw: null });
    this.body = null;
  }

  remove(id: string): void {
    if (this.entries.delete(id)) this.body = null;
  }

  /** Every article id the stories list. */
  knownArticleIds(): Set<string> {
    const ids = new Set<string>();
    for (const entry of this.entries.values()) {
      if (entry.raw) for (const id of entry.facts.articles) ids.add(id);
      else for (const source of entry.record!.sources) ids.add(source.articleId);
    }
    return ids;
  }

  /** Every report (reportHash) the stories list. */
  listedReports(): Set<number> {
    const reports = new Set<number>();
    for (const entry of this.entries.values()) {
      for (const hash of entry.raw ? entry.facts.reports : storyFacts(entry.record!).reports) if (hash !== 0) reports.add(hash);
    }
    return reports;
  }

  /**
   * What the run stores: newest change first, at most `limit` stories (aliases to dropped ones
   * go with them), every changed record within its bound, the whole value within KV's (the
   * stories changed longest ago are left out when it would not fit). The shelf is then what the
   * bytes hold.
   */
  seal(limit: number, now: Date, maxTotalBytes = KV_VALUE_BUDGET_BYTES): { bytes: Uint8Array; cuts: StoryCuts } {
    const cuts: StoryCuts = { storiesCut: 0, sourcesDropped: 0, storiesDropped: 0 };
    const order = [...this.entries.values()].sort((a, b) => {
      const x = a.record ?? a.facts;
      const y = b.record ?? b.facts;
      return compareText(y.updated, x.updated) || compareText(y.firstSeen, x.firstSeen) || compareText(x.id, y.id);
    });
    let kept = order.slice(0, limit);
    const encoder = new TextEncoder();
    for (const entry of kept) {
      if (entry.raw) continue;
      const bounded = boundStory(entry.record!);
      if (bounded.cut) cuts.storiesCut++;
      cuts.sourcesDropped += bounded.sourcesDropped;
      entry.record = bounded.story;
      entry.facts = storyFacts(bounded.story);
      entry.raw = encoder.encode(JSON.stringify(bounded.story));
    }
    const aliasesOf = (entries: Entry[]) => {
      const ids = new Set(entries.map((e) => e.facts.id));
      return Object.fromEntries(Object.entries(this.aliases).filter(([, id]) => ids.has(id)));
    };
    const encode = (entries: Entry[]) => encodeStoredStories(now.toISOString(), aliasesOf(entries), entries.map((e) => e.facts), entries.map((e) => e.raw!));
    let bytes = encode(kept);
    if (bytes.length > maxTotalBytes) {
      // Usually it fits at once; else keep the newest that fit, counting each record and its index row.
      const fitting: Entry[] = [];
      let total = encode([]).length;
      for (const entry of kept) {
        const cost = entry.raw!.length + 1 + encoder.encode(JSON.stringify(entry.facts)).length;
        if (total + cost > maxTotalBytes) {
          cuts.storiesDropped++;
          continue;
        }
        total += cost;
        fitting.push(entry);
      }
      kept = fitting;
      bytes = encode(kept);
    }
    this.entries = new Map(kept.map((e) => [e.facts.id, e]));
    this.aliases = aliasesOf(kept);
    this.generated = now.toISOString();
    this.body = null;
    return { bytes, cuts };
  }

  /** Every record, in order. */
  toSnapshot(): StoriesSnapshot {
    let stories: StoryRecord[];
    if (this.body) {
      stories = JSON.parse(new TextDecoder().decode(this.body)) as StoryRecord[];
      [...this.entries.values()].forEach((entry, i) => (stories[i] = entry.record ??= stories[i]!));
    } else stories = [...this.entries.keys()].map((id) => this.read(id)!);
    return { version: 1, generated: this.generated, stories, aliases: { ...this.aliases } };
  }

  /** The records of these stories (in stored order), as a snapshot of its own. */
  subset(ids: ReadonlySet<string>): StoriesSnapshot {
    const stories = [...this.entries.keys()].filter((id) => ids.has(id)).map((id) => this.read(id)!);
    return { version: 1, generated: this.generated, stories, aliases: { ...this.aliases } };
  }
}

/** Facts of a record being changed: only what ordering reads is kept true (seal works the rest out). */
function idFacts(record: StoryRecord): StoryFacts {
  return { id: record.id, updated: record.updated, firstSeen: record.firstSeen, latest: '', sources: 0, outlets: 0, independent: 0, articles: [], reports: [] };
}

/** A snapshot stored as it is (its order and records unchanged, nothing bounded): for tests and tools that seed KV. */
export function storedSnapshot(snapshot: StoriesSnapshot): Uint8Array {
  const encoder = new TextEncoder();
  return encodeStoredStories(snapshot.generated, snapshot.aliases, snapshot.stories.map(storyFacts), snapshot.stories.map((s) => encoder.encode(JSON.stringify(s))));
}
