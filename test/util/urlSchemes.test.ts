import { describe, expect, it } from 'vitest';
import { BASE_SCHEMES, CONTENT_LINK_SCHEMES, hasScheme, schemeOf, WEB_SCHEMES } from '../../src/util/urlSchemes';

describe('URL scheme sets', () => {
  it('reads the scheme of a reference, lower-cased, and none for a relative one', () => {
    expect(schemeOf('HTTPS://example.org/')).toBe('https');
    expect(schemeOf('JavaScript:alert(1)')).toBe('javascript');
    expect(schemeOf('/path:with-colon')).toBeUndefined();
    expect(schemeOf('2025:07')).toBeUndefined();
  });

  it('nests: every web scheme is a content-link scheme, every content-link scheme a base scheme', () => {
    for (const scheme of WEB_SCHEMES) expect(CONTENT_LINK_SCHEMES.has(scheme)).toBe(true);
    for (const scheme of CONTENT_LINK_SCHEMES) expect(BASE_SCHEMES.has(scheme)).toBe(true);
  });

  it.each([
    ['https://example.org/a', true, true, true],
    ['mailto:desk@example.org', false, true, true],
    ['tag:example.org,2025:1', false, false, true],
    ['javascript:alert(1)', false, false, false],
    ['vbscript:msgbox(1)', false, false, false],
    ['file:///etc/passwd', false, false, false],
  ])('%s: web %s, content link %s, base %s', (url, web, link, base) => {
    const parsed = new URL(url);
    expect(hasScheme(parsed, WEB_SCHEMES)).toBe(web);
    expect(hasScheme(parsed, CONTENT_LINK_SCHEMES)).toBe(link);
    expect(hasScheme(parsed, BASE_SCHEMES)).toBe(base);
  });

  it('keeps data: out of article HTML links but lets it stand as a base', () => {
    const data = new URL('data:text/html,<script>alert(1)</script>');
    expect(hasScheme(data, CONTENT_LINK_SCHEMES)).toBe(false);
    expect(hasScheme(data, BASE_SCHEMES)).toBe(true);
  });
});
