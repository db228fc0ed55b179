// Code points XML 1.0 forbids and Unicode noncharacters never come out of the parser, however
// they came in: literal characters, character references, JSON escapes.
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/parse';
import { hasForbiddenChars, stripForbiddenChars } from '../../src/util/xmlChars';

const FORBIDDEN = ['\u0001', '\u0008', '\u000B', '\u001F', '\uD800', '\uDFFF', '\uFDD0', '\uFDEF', '\uFFFE', '\uFFFF', '\uD83F\uDFFE', '\uD83F\uDFFF', '\uDBFF\uDFFF'];
const ALLOWED = ['\t', '\n', '\r', ' ', 'é', '\u00a0', '\u0085', '\uFDCF', '\uFDF0', '\uFFFD', '\uD83D\uDE00', '\uD83F\uDFFD', '\uDBFF\uDFFD', '\uD800\uDC00'];

describe('stripForbiddenChars', () => {
  it('removes exactly the forbidden code points', () => {
    for (const ch of FORBIDDEN) {
      expect(hasForbiddenChars(`a${ch}b`), JSON.stringify(ch)).toBe(true);
      expect(stripForbiddenChars(`a${ch}b`)).toBe('ab');
    }
    for (const ch of ALLOWED) {
      expect(hasForbiddenChars(`a${ch}b`), JSON.stringify(ch)).toBe(false);
      expect(stripForbiddenChars(`a${ch}b`)).toBe(`a${ch}b`);
    }
  });
});

describe('parseFeed', () => {
  it('drops them from XML, written as characters or as references', () => {
    const refs = '&#1;&#x8;&#xB;&#x1F;&#xFDD0;&#xFFFE;&#65535;&#x1FFFE;&#x10FFFF;';
    const doc = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed${refs}</title>
      <item><title>Title \uFFFF\uFDD0\u0001${refs} end</title><description>Text \uFFFE${refs} &amp;#xFFFF; end</description><author>Ann\uFFFF</author></item></channel></rss>`;
    const parsed = parseFeed(new TextEncoder().encode(doc));
    expect(parsed.feed.title).toBe('Feed');
    expect(parsed.items[0]!.title).toBe('Title  end');
    expect(parsed.items[0]!.author?.name).toBe('Ann');
    expect(hasForbiddenChars(JSON.stringify(parsed))).toBe(false);
    expect(parsed.wellformed).toBe(false);
  });

  it('drops them from JSON Feed, where escapes can write any code unit', () => {
    const doc = '{"version":"https://jsonfeed.org/version/1.1","title":"F\\uffff","items":[{"id":"1","title":"T\\u0001\\ud800\\ufdd0\\ud83f\\udffe","content_text":"x\\ufffe"}]}';
    const parsed = parseFeed(doc);
    expect(parsed.feed.title).toBe('F');
    expect(parsed.items[0]!.title).toBe('T');
    expect(parsed.items[0]!.content).toBe('x');
  });
});
