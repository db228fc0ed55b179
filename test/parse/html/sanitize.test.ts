// The sanitiser's fast path (src/parse/fastHtml.ts) and its hand-over to the full sanitiser.
import { describe, expect, it } from 'vitest';
import { fastSanitize } from '../../../src/parse/html/fastHtml';
import { sanitizeFeedHtml } from '../../../src/parse/html';

const BASE = 'https://news.example.com/section/feed.xml';

describe('fast path: CMS markup is rebuilt from the allow-list', () => {
  it('keeps allowed elements and attributes, drops class, style, srcset, data-* and event handlers', () => {
    const html =
      '<p class="lead" style="color:red" onclick="x()">Hi <em>there</em></p>' +
      '<figure class="wp-block-image"><img loading="lazy" src="/i.jpg" alt="A bus" data-id="7" onerror="x()" ' +
      'srcset="/i.jpg 1024w, /s.jpg 300w" width="1024"/><figcaption>Photo</figcaption></figure>';
    expect(fastSanitize(html, BASE)).toBe(
      '<p>Hi <em>there</em></p><figure><img src="https://news.example.com/i.jpg" alt="A bus" width="1024" />' +
        '<figcaption>Photo</figcaption></figure>',
    );
  });

  it('resolves relative URLs against the base and lower-cases tag and attribute names', () => {
    expect(fastSanitize('<A HREF="../story/1?a=1&amp;b=2" TARGET="_blank">x</A>', BASE)).toBe(
      '<a href="https://news.example.com/story/1?a=1&amp;b=2">x</a>',
    );
  });

  it('reads unquoted values and keeps the first of repeated attributes', () => {
    expect(fastSanitize('<a href=/x title=one title=two>x</a>', BASE)).toBe('<a href="https://news.example.com/x" title="one">x</a>');
  });

  it('escapes ">" and bare "&" in text, keeps character references, escapes quotes and "<" in values', () => {
    expect(fastSanitize('<p>a > b &amp; Q&A &#8217; &nbsp;</p>', null)).toBe('<p>a &gt; b &amp; Q&amp;A &#8217; &nbsp;</p>');
    expect(fastSanitize(`<abbr title='say "1<2"'>x</abbr>`, null)).toBe('<abbr title="say &quot;1&lt;2&quot;">x</abbr>');
  });

  it('returns markup that is already clean and canonical unchanged', () => {
    const html = '<p>Plain <em>inline</em> text</p>\n<ul><li>one</li><li>two &amp; three</li></ul><br />';
    expect(fastSanitize(html, null)).toBe(html);
    // Only the parts that need it are rewritten; the rest is kept as written.
    expect(fastSanitize('<p>a</p><P>b</P ><p>c > d</p>', null)).toBe('<p>a</p><p>b</p><p>c &gt; d</p>');
  });

  it('drops comments and writes void elements in one form', () => {
    expect(fastSanitize('<p>a<!-- more --><br>b<br/>c<hr ></p>', null)).toBe('<p>a<br />b<br />c<hr /></p>');
  });
});

describe('fast path hands anything unusual to the full sanitiser', () => {
  const unusual: [string, string][] = [
    ['a script element', '<p>x</p><script>alert(1)</script>'],
    ['an iframe', '<iframe src="https://evil.example/"></iframe>'],
    ['SVG (foreign content)', '<svg><title>t</title></svg>'],
    ['an element not on the list', '<font color="red">x</font>'],
    ['a javascript: URL', '<a href="javascript:alert(1)">x</a>'],
    ['an entity-obfuscated javascript: URL', '<a href="&#106;avascript:alert(1)">x</a>'],
    ['a URL with a tab in the scheme', '<a href="java\tscript:alert(1)">x</a>'],
    ['a data: image', '<img src="data:image/svg+xml;base64,PHN2Zz4=">'],
    ['a protocol-relative URL with no base', '<img src="//evil.example/x.png">'],
    ['a "<" that starts no tag', '<p>1 < 2</p>'],
    ['a self-closed non-void element', '<p/>text'],
    ['unbalanced nesting', '<p><b>x</p></b>'],
    ['an unclosed element', '<p>x'],
    ['attributes without a space between them', '<a href="/x"title="t">x</a>'],
    ['a slash inside a start tag', '<img/src="x"/onerror=alert(1)>'],
    ['an unclosed comment', '<p>x</p><!-- y'],
    ['a doctype or other declaration', '<!DOCTYPE html><p>x</p>'],
    ['an end tag with attributes', '<p>x</p class="y">'],
  ];
  for (const [name, html] of unusual) {
    it(name, () => expect(fastSanitize(html, null)).toBeNull());
  }

  it('and the full sanitiser makes those safe', () => {
    for (const [, html] of unusual) {
      const out = sanitizeFeedHtml(html, null).toLowerCase();
      for (const bad of ['<script', '<iframe', '<font', 'onerror', 'data:']) expect(out).not.toContain(bad);
      // Browsers ignore tabs and newlines inside URLs, so look at the attribute values without them.
      for (const [, url] of out.matchAll(/(?:href|src)="([^"]*)"/g)) expect(url!.replace(/[\t\n\r]/g, '')).not.toMatch(/^\s*javascript:/);
    }
  });
});

describe('sanitizeFeedHtml', () => {
  it('gives plain text (no tags) with entities normalised and escaped', () => {
    expect(sanitizeFeedHtml('Fish &amp; chips &lt;3 &eacute;', null)).toBe('Fish &amp; chips &lt;3 é');
  });

  it('gives the same result through either path for ordinary markup', () => {
    const html = '<p>Read <a href="/a" rel="nofollow">this</a> &amp; <strong>that</strong>.</p><ul><li>one</li></ul>';
    expect(sanitizeFeedHtml(html, BASE)).toBe(fastSanitize(html, BASE));
    // One element off the list sends the whole fragment to the full sanitiser, which agrees on the rest.
    expect(sanitizeFeedHtml(html + '<font>x</font>', BASE)).toBe(fastSanitize(html, BASE) + 'x');
  });
});

describe('fast path on generated token soup (seeded)', () => {
  const TOKENS = [
    '<p>', '</p>', '<b>', '</b>', '<a href="/x">', '<a href="javascript:alert(1)">', '<a HREF=\'http://e.example/?a=1&b=2\'>', '</a>',
    '<img src="x.png" onerror="alert(1)">', '<img src=//evil.example/>', '<br>', '<br/>', '<script>', '</script>', '<style>',
    '<svg onload=alert(1)>', '<!--', '-->', '<!-- c -->', '<', '>', '&', '&amp;', '&#106;', '&lt;script&gt;', '"', "'", '=',
    ' onclick="x()"', 'text ', '\n', '<P CLASS="x">', '</P>', '<em title="a<b">', '</em>', '<iframe src=x>', '<p/>', '</br>',
  ];
  const ALLOWED_TAG = /^<\/?(p|b|a|img|br|em)( (href|src|alt|title|lang|dir|name|rel|hreflang|width|height)="[^"<]*")*( \/)?>$/;

  it('never lets a tag or attribute off the allow-list through, and its output is a fixed point', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let accepted = 0;
    for (let n = 0; n < 3000; n++) {
      let html = '';
      const length = 1 + Math.floor(random() * 8);
      for (let k = 0; k < length; k++) html += TOKENS[Math.floor(random() * TOKENS.length)];
      const out = fastSanitize(html, 'https://base.example/');
      if (out === null) continue;
      accepted++;
      for (const [tag] of out.matchAll(/<[^>]*>?/g)) {
        expect(tag).toMatch(ALLOWED_TAG);
        expect(tag.toLowerCase()).not.toMatch(/javascript:|=["']?\/\/evil/);
      }
      expect(fastSanitize(out, 'https://base.example/')).toBe(out);
    }
    expect(accepted).toBeGreaterThan(300); // the soup exercises the fast path, not only the hand-over
  });
});
