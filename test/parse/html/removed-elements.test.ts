// Elements the sanitiser removes with their bodies (script, style, iframe, object, embed, ...)
// leave nothing behind, however they are written: never a literal "[removed]".
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/parse';
import { sanitizeFeedHtml } from '../../../src/parse/html';

describe('removed elements leave nothing', () => {
  const cases: [string, string][] = [
    ['<p>Watch:</p><iframe src="https://www.youtube.com/embed/x" width="560" />', '<p>Watch:</p>'],
    ['<p>a<iframe src="x"/></p><p>b</p>', '<p>a</p><p>b</p>'],
    ['<p>Before</p><iframe src="https://player.example/1"></iframe><p>After</p>', '<p>Before</p><p>After</p>'],
    ['<embed src="a.swf"> Text here <object data="b"></object> end', ' Text here  end'],
    ['<p>x</p><script src="a.js" />y', '<p>x</p>y'],
    ['a <style>p { color: red }</style> b <iframe>inner</iframe> c', 'a  b  c'],
    ['<iframe><iframe></iframe>x</iframe>y', 'xy'],
    ['<p>Lead</p><script>var a = 1 < 2; document.write("<b>no</b>")', '<p>Lead</p>'],
    ['<p>Lead</p><iframe src="x"><p>Rest of the article</p>', '<p>Lead</p><p>Rest of the article</p>'],
  ];

  it.each(cases)('%s', (html, expected) => {
    const out = sanitizeFeedHtml(html, null);
    expect(out).toBe(expected);
    expect(out).not.toContain('removed]');
  });

  it('keeps a "[removed]" the publisher wrote', () => {
    expect(sanitizeFeedHtml('<p>[removed] by the editor</p><iframe src="x" />', null)).toBe('<p>[removed] by the editor</p>');
  });

  it('in a whole feed: a YouTube-style embed written self-closed', () => {
    const doc = `<rss version="2.0"><channel><title>t</title><item><title>Video</title>
      <description><![CDATA[<p>New episode.</p><iframe width="560" height="315" src="https://www.youtube.com/embed/abc" allowfullscreen="" /><p>Links below.</p>]]></description></item></channel></rss>`;
    expect(parseFeed(doc).items[0]!.summary).toBe('<p>New episode.</p><p>Links below.</p>');
  });
});
