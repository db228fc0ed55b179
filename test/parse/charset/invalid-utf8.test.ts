// Declared UTF-8 with a few invalid bytes stays UTF-8 (a U+FFFD for each bad sequence, as a
// browser reads it); a legacy-charset document labelled UTF-8 is still recognised and re-read.
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/parse';

const encoder = new TextEncoder();
/** An RSS document around `title`, whose bytes (strings as UTF-8, numbers as raw bytes) are spliced in. */
function rss(decl: string, ...title: (string | number)[]): Uint8Array {
  const parts = [encoder.encode(`${decl}<rss version="2.0"><channel><title>Feed</title><item><title>`)];
  for (const piece of title) parts.push(typeof piece === 'number' ? Uint8Array.of(piece) : encoder.encode(piece));
  parts.push(encoder.encode('</title><link>https://x.example/1</link></item></channel></rss>'));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) out.set(part, (at += part.length) - part.length);
  return out;
}
const UTF8_DECL = '<?xml version="1.0" encoding="UTF-8"?>';

describe('declared UTF-8 with invalid bytes', () => {
  it('reads "\\xC3\\x28" as U+FFFD and "(" in a UTF-8 document, not the whole document as windows-1252', () => {
    const parsed = parseFeed(rss(UTF8_DECL, 'A', 0xc3, '( b'));
    expect(parsed.items[0]!.title).toBe('A\ufffd( b');
    expect(parsed.encoding).toBe('utf-8');
    expect(parsed.wellformed).toBe(false);
  });

  it('does so whether UTF-8 is declared over HTTP, in the XML declaration or by a BOM', () => {
    expect(parseFeed(rss('', 'A', 0xc3, '( b'), { contentType: 'application/rss+xml; charset=utf-8' }).items[0]!.title).toBe('A\ufffd( b');
    const withBom = rss('', 'A', 0xc3, '( b');
    expect(parseFeed(Uint8Array.of(0xef, 0xbb, 0xbf, ...withBom)).items[0]!.title).toBe('A\ufffd( b');
  });

  it('keeps the valid text around a character cut off at a length limit and a stray byte', () => {
    const parsed = parseFeed(rss(UTF8_DECL, 'Café München – Zürich ', 0xe2, 0x80, ' and ', 0xff, ' end'));
    expect(parsed.items[0]!.title).toBe('Café München – Zürich \ufffd and \ufffd end');
  });

  it('still recognises windows-1252 labelled UTF-8: lone punctuation bytes, or more bad sequences than good characters', () => {
    expect(parseFeed(rss(UTF8_DECL, 'na', 0xef, 've ', 0x93, 'quotes', 0x94)).items[0]!.title).toBe('naïve “quotes”');
    expect(parseFeed(rss(UTF8_DECL, 'A', 0xe7, 0xe3, 'o e rea', 0xe7, 0xe3, 'o')).items[0]!.title).toBe('Ação e reação');
  });

  it('reads an undeclared document (UTF-8 by XML\'s default) as UTF-8 when its valid characters outnumber the bad bytes', () => {
    const parsed = parseFeed(rss('<?xml version="1.0"?>', 'Bridge A', 0xc3, 0x28, ' reopens in Zürich'), { contentType: 'application/rss+xml' });
    expect(parsed.items[0]!.title).toBe('Bridge A\ufffd( reopens in Zürich');
    expect(parsed.encoding).toBe('utf-8');
    // No UTF-8 at all and nothing declared: the statistical guess reads a legacy document as before.
    expect(parseFeed(rss('', 'Caf', 0xe9, ' cr', 0xe8, 'me et g', 0xe2, 'teau')).items[0]!.title).toBe('Café crème et gâteau');
  });
});
