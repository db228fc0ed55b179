/** FNV-1a over UTF-16 code units, 52 bits wide: fast, synchronous and stable across runtimes. Not cryptographic. */
export function shortHash(text: string): string {
  // Two 26-bit halves keep the arithmetic exact in doubles.
  let lo = 0x9dc5;
  let hi = 0x811c;
  for (let i = 0; i < text.length; i++) {
    lo ^= text.charCodeAt(i);
    // Multiply by the FNV prime 0x01000193 modulo 2^52, split across the halves.
    const loProduct = lo * 0x193;
    const hiProduct = hi * 0x193 + lo * 0x100 + Math.floor(loProduct / 0x4000000);
    lo = loProduct % 0x4000000;
    hi = hiProduct % 0x4000000;
  }
  return (hi * 0x4000000 + lo).toString(36).padStart(11, '0');
}
