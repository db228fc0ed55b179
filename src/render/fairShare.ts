// The fair share of a page: no one source leads more than a quarter of a page while stories led
// by another source are still to be shown. A story is "led" by the source of its lead article
// (stories/facts.ts, leadSource). Pure and deterministic: the pages follow the order given (newest
// change first, or "top"), and a story held back from a page because its source had its share
// comes first on the next page, so every story stays reachable and keeps its place among its
// own source's stories. When every story still to show is led by one source, pages are whole.
//
// Cost: one pass over the stories with a heap of the sources' next stories, O(n log sources),
// whichever page is asked for (the last page number needs every page's length anyway).

/** At most this many stories of one lead source on a page of `limit` (a quarter, at least one). */
export function fairShareCap(limit: number): number {
  return Math.max(1, Math.floor(limit / 4));
}

/** Every page of the order: `order` holds positions into the stories given, page after page; page p (1-based) is `order[starts[p - 1]]..order[starts[p]]`. */
export interface FairPages {
  order: Uint32Array;
  /** One more entry than there are pages; at least one page (empty when there are no stories). */
  starts: number[];
}

export function fairPages(leads: readonly string[], limit: number): FairPages {
  const n = leads.length;
  const order = new Uint32Array(n);
  const starts = [0];
  if (n === 0) return { order, starts: [0, 0] };
  // Each source's stories, in the order given: positions laid out source by source.
  const sourceOf = new Map<string, number>();
  const sourceIndex = new Uint32Array(n);
  const sizes: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = sourceOf.get(leads[i]!);
    if (s === undefined) {
      sourceOf.set(leads[i]!, (s = sizes.length));
      sizes.push(0);
    }
    sourceIndex[i] = s;
    sizes[s]!++;
  }
  const sources = sizes.length;
  const first = new Uint32Array(sources + 1);
  for (let s = 0; s < sources; s++) first[s + 1] = first[s]! + sizes[s]!;
  const positions = new Uint32Array(n);
  const next = first.slice(0, sources);
  for (let i = 0; i < n; i++) positions[next[sourceIndex[i]!]!++] = i;
  const head = first.slice(0, sources); // each source's next story, as an index into positions
  // The heap holds each waiting source's next story (its position in the order): the smallest is
  // the next story the page takes. Positions are unique, so the source is sourceIndex[position].
  const heap = new PositionHeap(sources);
  for (let s = 0; s < sources; s++) heap.push(positions[first[s]!]!);

  const cap = fairShareCap(limit);
  const onPage = new Uint32Array(sources);
  let left = sources; // sources with stories still to show
  let placed = 0;
  while (placed < n) {
    // The share applies while another source has stories to show when the page begins.
    const share = left > 1 ? cap : Number.POSITIVE_INFINITY;
    const heldBack: number[] = [];
    const touched: number[] = [];
    let taken = 0;
    while (taken < limit && heap.size > 0) {
      const position = heap.pop();
      const s = sourceIndex[position]!;
      order[placed++] = position;
      taken++;
      head[s]!++;
      if (onPage[s]!++ === 0) touched.push(s);
      if (head[s] === first[s + 1]) left--;
      else if (onPage[s]! >= share) heldBack.push(s);
      else heap.push(positions[head[s]!]!);
    }
    for (const s of heldBack) heap.push(positions[head[s]!]!);
    for (const s of touched) onPage[s] = 0;
    starts.push(placed);
  }
  return { order, starts };
}

/** A binary min-heap of positions (unsigned integers). */
class PositionHeap {
  private readonly items: Uint32Array;
  size = 0;

  constructor(capacity: number) {
    this.items = new Uint32Array(capacity);
  }

  push(value: number): void {
    const items = this.items;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]! <= value) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = value;
  }

  pop(): number {
    const items = this.items;
    const top = items[0]!;
    const last = items[--this.size]!;
    if (this.size === 0) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && items[child + 1]! < items[child]!) child++;
      if (items[child]! >= last) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
