// Elements the sanitiser removes together with what is inside them (allowList.ts,
// DROPPED_WITH_BODY: script, style, iframe, object, ...). js-xss's own option for this leaves a
// literal "[removed]" wherever such an element opens and never closes: a self-closed
// `<iframe … />` (common in feeds written as XML), a void `<embed>`, a cut-off `<script>`.
// So the bodies are tracked here, per sanitiser call, and removed elements leave nothing:
//   - `<x>…</x>`: the element and its body go;
//   - `<x … />`, `<embed>`: only the tag goes (there is no body);
//   - `<x>` never closed: only the tag goes, except for elements whose body is code or raw
//     text (script, style, xmp, textarea), which run to the end as a browser reads them.
// Positions are in the sanitiser's output, where js-xss reports each tag.
import { DROPPED_WITH_BODY } from './allowList';

const DROPPED: ReadonlySet<string> = new Set(DROPPED_WITH_BODY);
/** Dropped elements that have no end tag in HTML. */
const VOID_DROPPED: ReadonlySet<string> = new Set(['embed']);
/** Dropped elements whose body, unclosed, runs to the end of the fragment. */
const RAW_TEXT: ReadonlySet<string> = new Set(['script', 'style', 'xmp', 'textarea']);

export class DroppedBodies {
  private open: { tag: string; start: number } | null = null;
  private readonly cuts: [number, number][] = [];

  /** A tag off the allow-list at `position` of the output (the tag itself is never written). */
  onTag(tag: string, html: string, position: number, isClosing: boolean): void {
    if (!DROPPED.has(tag)) return;
    if (isClosing) {
      if (this.open?.tag === tag) {
        this.cuts.push([this.open.start, position]);
        this.open = null;
      }
      return;
    }
    if (this.open || VOID_DROPPED.has(tag) || /\/\s*>$/.test(html)) return;
    this.open = { tag, start: position };
  }

  /** The sanitiser's output without the removed elements' bodies. */
  apply(output: string): string {
    if (this.open && RAW_TEXT.has(this.open.tag)) this.cuts.push([this.open.start, output.length]);
    if (this.cuts.length === 0) return output;
    let out = '';
    let copied = 0;
    for (const [start, end] of this.cuts) {
      out += output.slice(copied, start);
      copied = end;
    }
    return out + output.slice(copied);
  }
}
