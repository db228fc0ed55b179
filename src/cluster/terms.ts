// The terms of active story centroids, interned to small integer ids (so a centroid can be a
// pair of sorted typed arrays, see vector.ts), and the inverted index from each id to the
// stories whose centroid holds it, with the term's weight there: nominating candidates then
// reads no centroid at all. An id lives while some centroid holds its term — its posting is
// its reference count — and freed ids are reused, so the table stays the size of the active
// vocabulary. Ids mean nothing outside one process: snapshots store terms.
import type { Story } from './state';

export class TermIndex {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly postings: (Map<Story, number> | undefined)[] = [];
  private readonly free: number[] = [];

  /** The term's id, undefined when no active centroid holds it. */
  id(term: string): number | undefined {
    return this.ids.get(term);
  }

  term(id: number): string {
    return this.terms[id]!;
  }

  /** Ids are below this. */
  get capacity(): number {
    return this.terms.length;
  }

  /** Stories whose centroid holds the term, with its weight there. */
  stories(id: number): ReadonlyMap<Story, number> {
    return this.postings[id]!;
  }

  /** The term's id, minted if it is new: the caller is about to `add` it to a centroid. */
  intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.free.pop() ?? this.terms.length;
      this.ids.set(term, id);
      this.terms[id] = term;
      this.postings[id] = new Map();
    }
    return id;
  }

  /** Records the term's (new) weight in the story's centroid. */
  set(id: number, story: Story, weight: number): void {
    this.postings[id]!.set(story, weight);
  }

  /** Records that the story's centroid no longer holds the term; frees the id if none does. */
  remove(id: number, story: Story): void {
    const stories = this.postings[id]!;
    stories.delete(story);
    if (stories.size > 0) return;
    this.ids.delete(this.terms[id]!);
    this.postings[id] = undefined;
    this.free.push(id);
  }
}
