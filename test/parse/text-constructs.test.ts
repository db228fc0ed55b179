// Atom text constructs by `type`: text, html, xhtml and MIME types as RFC 4287 says; a type
// that is none of them is read as text (feedparser does), never base64-decoded into garbage.
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/parse';

const entry = (inner: string) =>
  parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>e1</id>${inner}</entry></feed>`).items[0]!;

describe('Atom text constructs with an unknown type', () => {
  it('reads a type that is no MIME type as text', () => {
    expect(entry('<title type="something">Hello world</title>').title).toBe('Hello world');
    expect(entry('<title type="plain">Dogs</title>').title).toBe('Dogs');
    // Base64-looking words stay words: "Dogs" would decode to three bytes of garbage.
    expect(entry('<title type="TEXTE">Café</title>').title).toBe('Café');
    expect(entry('<summary type="something">a &lt;b&gt; c</summary>').summary).toBe('a &lt;b&gt; c');
    expect(entry('<content type="unknown">Body text</content>').content).toBe('Body text');
  });

  it('still decodes base64 for other MIME types, and reads the text as written when it is not base64 of UTF-8', () => {
    expect(entry(`<content type="application/octet-stream">${btoa('Binary body')}</content>`).content).toBe('Binary body');
    expect(entry(`<content type="image/png">not base64!</content>`).content).toBe('not base64!');
    expect(entry(`<content type="application/octet-stream">${btoa('\xff\xfe\x00')}</content>`).content).toBe(btoa('\xff\xfe\x00'));
  });

  it('keeps the known types as they were', () => {
    expect(entry('<title type="html">A &lt;b&gt;bold&lt;/b&gt; move</title>').title).toBe('A <b>bold</b> move');
    expect(entry('<title type="text">1 &lt; 2</title>').title).toBe('1 < 2');
    expect(entry('<content type="text/plain">Plain</content>').content).toBe('Plain');
  });
});
