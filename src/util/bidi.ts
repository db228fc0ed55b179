// Bidirectional control characters (embeddings, overrides, isolates, marks). In a headline or an
// outlet name they can reorder what a reader sees (U+202E turns "txt.exe" into "exe.txt") and
// leak out of their element into the text around it, so they are removed wherever such text
// enters: feed items, pushed articles, admin source names and SOURCES names.
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function stripBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

export function stripBidiOrNull(text: string | null | undefined): string | null {
  return text == null ? null : stripBidi(text);
}
