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
  private readonly postings: (Posting | undefined)[] = [];
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
  stories(id: number): Posting {
    return this.postings[id]!;
  }

  /** The term's id, minted if it is new: the caller is about to `add` it to a centroid. */
  intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.free.pop() ?? this.terms.length;
      this.ids.set(term, id);
      this.terms[id] = term;
      this.postings[id] = new Posting();
    }
    return id;
  }

  /** Records the term's (new) weight in the story's centroid. */
  set(id: number, story: Story, weight: number): void {
    this.postings[id]!.set(story, weight);
  }

  /** Records that the story's centroid no longer holds the term; frees the id if none does. */
  remove(id: number, story: Story): void {
    const posting = this.postings[id]!;
    posting.delete(story);
    if (posting.size > 0) return;
    this.ids.delete(this.terms[id]!);
    this.postings[id] = undefined;
    this.free.push(id);
  }
}

/**
 * The stories holding one term and its weight in each, as parallel arrays: nominating
 * candidates walks them in memory order, with no boxed numbers to chase.
 */
export class Posting {
  readonly stories: Story[] = [];
  readonly weights: number[] = [];
  private readonly positions = new Map<Story, number>();

  get size(): number {
    return this.stories.length;
  }

  set(story: Story, weight: number): void {
    const at = this.positions.get(story);
    if (at !== undefined) {
      this.weights[at] = weight;
      return;
    }
    this.positions.set(story, this.stories.length);
    this.stories.push(story);
    this.weights.push(weight);
  }

  /** Removes the story, moving the last entry into its place. */
  delete(story: Story): void {
    const at = this.positions.get(story);
    if (at === undefined) return;
    this.positions.delete(story);
    const lastStory = this.stories.pop()!;
    const lastWeight = this.weights.pop()!;
    if (lastStory === story) return;
    this.stories[at] = lastStory;
    this.weights[at] = lastWeight;
    this.positions.set(lastStory, at);
  }
}
