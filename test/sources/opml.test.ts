import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/parse/xml';
import { OpmlError, parseOpml, renderOpml } from '../../src/sources/opml';
import { activeSources, sourceId } from '../../src/sources/registry';

describe('OPML', () => {
  it('round-trips names and URLs that need escaping', () => {
    const sources = [
      { id: 'a', url: 'https://a.example/rss?x=1&y=<2>', name: 'A "quoted" & <odd> name' },
      { id: 'b', url: 'https://b.example/atom', name: null },
    ];
    const text = renderOpml(sources, 'My & site', new Date('2025-07-23T12:00:00Z'));
    expect(text).toContain('<title>My &amp; site sources</title>');
    expect(parseOpml(text)).toEqual([
      { url: 'https://a.example/rss?x=1&y=<2>', name: 'A "quoted" & <odd> name' },
      { url: 'https://b.example/atom', name: 'https://b.example/atom' },
    ]);
  });

  it('writes well-formed OPML 2.0: control characters dropped, one outline per source, an empty list too', () => {
    const sources = [{ id: 'a', url: 'https://a.example/feed', name: 'Bell\u0007 & Book' }];
    const text = renderOpml(sources, 'Site', new Date('2025-07-23T12:00:00Z'));
    const doc = parseXml(text, null);
    expect(doc.wellformed).toBe(true);
    expect(doc.root.qname).toBe('opml');
    expect(doc.root.attrs.version).toBe('2.0');
    expect(text).toContain('<dateCreated>Wed, 23 Jul 2025 12:00:00 GMT</dateCreated>');
    expect(parseOpml(text)).toEqual([{ url: 'https://a.example/feed', name: 'Bell & Book' }]);
    const empty = parseXml(renderOpml([], 'Site', new Date('2025-07-23T12:00:00Z')), null);
    expect(empty.wellformed).toBe(true);
    expect(() => parseOpml(renderOpml([], 'Site', new Date()))).toThrow(/no feeds/);
  });

  it('flattens folders, prefers title over text, skips outlines without xmlUrl', () => {
    const text = `<?xml version="1.0"?><opml version="2.0"><head/><body>
      <outline text="Folder"><outline text="t1" title="T1" xmlUrl="https://one.example/"/>
        <outline text="Sub"><outline text="t2" xmlUrl=" https://two.example/ "/></outline></outline>
      <outline text="link only" htmlUrl="https://three.example/"/></body></opml>`;
    expect(parseOpml(text)).toEqual([{ url: 'https://one.example/', name: 'T1' }, { url: 'https://two.example/', name: 't2' }]);
  });

  it('refuses what is not OPML with an opml: error', () => {
    for (const text of ['', '{"opml": true}', '<rss/>', '<opml><body/></opml>', '<!DOCTYPE opml [<!ENTITY x "y">]><opml/>']) {
      expect(() => parseOpml(text), text).toThrow(OpmlError);
      expect(() => parseOpml(text), text).toThrow(/^opml: /);
    }
  });
});

describe('activeSources', () => {
  it('merges configured and added sources, configured first, and marks the paused ones', () => {
    const added = [{ id: sourceId('https://c.example/'), url: 'https://c.example/', name: 'C' }, { id: sourceId('https://a.example/feed'), url: 'https://a.example/feed', name: 'dup' }];
    const list = activeSources([{ url: 'https://a.example/feed', name: 'A' }, { url: 'https://b.example/feed', name: null }], { added, paused: [sourceId('https://b.example/feed')] });
    expect(list.map((s) => [s.url, s.name, s.paused])).toEqual([
      ['https://a.example/feed', 'A', false],
      ['https://b.example/feed', null, true],
      ['https://c.example/', 'C', false],
    ]);
  });
});
