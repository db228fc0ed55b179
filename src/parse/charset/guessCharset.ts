// The last resort for bytes that are not UTF-8 and declare nothing usable: a statistical guess
// (chardet, a port of ICU's detector) among the charsets TextDecoder can read. Only a guess
// that decodes the bytes without a single error is taken.
import { analyse } from 'chardet';

/** chardet's name for a charset -> a WHATWG label when they differ. */
const WHATWG_NAMES: ReadonlyMap<string, string> = new Map([['gb18030', 'gb18030'], ['iso-2022-jp', 'iso-2022-jp']]);

export function guessCharset(bytes: Uint8Array, isDecodable: (label: string) => boolean): string | null {
  // A bounded sample keeps the guess cheap on large documents.
  const sample = bytes.subarray(0, 64 * 1024);
  for (const match of analyse(sample)) {
    if (match.confidence < 10) break;
    const name = match.name.toLowerCase();
    const label = WHATWG_NAMES.get(name) ?? name;
    if (label.startsWith('utf-') || !isDecodable(label)) continue;
    try {
      new TextDecoder(label, { fatal: true, ignoreBOM: false }).decode(sample.subarray(0, cutAtCharBoundary(sample)));
      return label;
    } catch {
      // The guess leaves bytes undecodable: try the next one.
    }
  }
  return null;
}

/** The sample may end inside a multi-byte character; stop before the last incomplete one. */
function cutAtCharBoundary(sample: Uint8Array): number {
  let end = sample.length;
  while (end > 0 && end > sample.length - 4 && sample[end - 1]! >= 0x80) end--;
  return end;
}
