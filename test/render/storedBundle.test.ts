// The `rendered` value's layout (render/storedBundle.ts): what is written reads back as the same
// bundle; a value of the older layout (one JSON document) still reads; a damaged one is refused
// as a whole (store/rendered.ts then reads it as no bundle) or, where only a body or the pieces
// are damaged, that body or the pieces alone are not used; and one body is read without the others.
import { describe, expect, it } from 'vitest';
import type { RenderedBundle } from '../../src/model';
import { fitBundle, prerenderedView, type PublishedBundle } from '../../src/render/publish';
import { shelfPages } from '../../src/render/select';
import { BUNDLE_FORMATS, encodeBodies, encodeBundle, isStoredBundle, isUtf8, StoredBundle } from '../../src/render/storedBundle';
import { seededRandom } from '../fixtures/random';
import { StoryShelf, storedSnapshot } from '../../src/stories/shelf';
import { iso, realisticSnapshot, T0 } from '../fixtures/stories';
import { hostileStory, story, testSettings } from './fixtures';
import { layout, spoilt, withMeta } from './storedBundleFixtures';

const settings = testSettings({ FEED_PAGE_SIZE: '12' });
const fromRequest = testSettings({ FEED_PAGE_SIZE: '12', PUBLIC_URL: '' });

/** Stories with text outside ASCII (so byte and UTF-16 offsets differ), hostile ones, and ordinary ones. */
function storiesValue(seed = 1): Uint8Array {
  const snapshot = realisticSnapshot(seed, 30, 12);
  snapshot.stories.unshift(
    story({ id: 'st-intl', title: 'Zürich – 東京: talks resume 😀', summary: 'Ça reprend à Genève — «enfin».', updated: iso(T0 + 99 * 3_600_000) }),
    { ...hostileStory(), updated: iso(T0 + 98 * 3_600_000) },
  );
  return storedSnapshot(snapshot);
}

async function publish(stories: Uint8Array, previous: StoredBundle | null = null, with_ = settings): Promise<PublishedBundle> {
  return fitBundle(shelfPages(StoryShelf.decode(stories)), with_, { previous });
}

const encoder = new TextEncoder();
const json = (bundle: RenderedBundle) => encoder.encode(JSON.stringify(bundle));

describe('the stored bundle', () => {
  it('reads back as written: every body, its validators and bytes, the pieces, the settings and base', async () => {
    for (const with_ of [settings, fromRequest]) {
      const { bundle, bytes } = await publish(storiesValue(), null, with_);
      expect(isStoredBundle(bytes)).toBe(true);
      expect(bundle.pieces!.stories.map((s) => s.id)).toContain('st-intl');
      const read = StoredBundle.read(bytes);
      expect([read.generated, read.settingsKey, read.base, read.baseFromRequest]).toEqual([bundle.generated, bundle.settingsKey, bundle.base, bundle.baseFromRequest]);
      for (const format of BUNDLE_FORMATS) {
        const view = bundle.views[format];
        expect(read.body(format), format).toBe(view.body);
        expect(read.stored(format), format).toEqual(encoder.encode(view.body));
        const served = read.atOrigin(format, 'https://a.example');
        expect(served instanceof Uint8Array ? new TextDecoder().decode(served) : served, format).toBe(bundle.baseFromRequest ? view.body.replaceAll(bundle.base, 'https://a.example') : view.body);
        expect(read.validators(format)).toEqual({ etag: view.etag, lastModified: view.lastModified });
      }
      expect(read.pieces()).toEqual(bundle.pieces);
      // Byte for byte what the same bundle encodes to (nothing in it depends on the moment).
      expect(encodeBundle(bundle)).toEqual(bytes);
    }
  });

  it('encodes each body as TextEncoder does, and finds every place of the base in its bytes', () => {
    const base = 'https://base-1.storywire.invalid';
    const bodies = ['', base, `${base}${base}`, `😀${base}\uD800${base}\uDC00é`, `a\uD83D${base}\uDE00b 東京 ${base}/x`, 'no base at all ½'];
    for (const swapped of [base, null]) {
      const { payload, spans } = encodeBodies(bodies, swapped);
      expect(payload).toEqual(encoder.encode(bodies.join('')));
      bodies.forEach((body, i) => {
        const { offset, bytes, swaps } = spans[i]!;
        const own = payload.subarray(offset, offset + bytes);
        expect(own).toEqual(encoder.encode(body));
        const expected: number[] = [];
        if (swapped) for (let at = body.indexOf(base); at >= 0; at = body.indexOf(base, at + base.length)) expected.push(encoder.encode(body.slice(0, at)).length);
        expect(swaps, body).toEqual(expected);
      });
    }
  });

  it('is measured as stored: the report gives the bytes written', async () => {
    const { bytes, report } = await publish(storiesValue());
    expect(report.bundleBytes).toBe(bytes.length);
    const limit = bytes.length - 1;
    const fitted = await fitBundle(shelfPages(StoryShelf.decode(storiesValue())), settings, { maxBytes: limit });
    expect(fitted.report.fitSteps).toBeGreaterThan(0);
    expect(fitted.bytes.length).toBe(fitted.report.bundleBytes);
    expect(fitted.bytes.length).toBeLessThanOrEqual(limit);
  });

  it('reads a value of format 1 (one JSON document): its views are served and its pieces copied', async () => {
    const stories = storiesValue();
    const { bundle } = await publish(stories);
    const old = StoredBundle.read(json(bundle));
    for (const format of BUNDLE_FORMATS) {
      expect(old.body(format)).toBe(bundle.views[format].body);
      expect(prerenderedView(old, format, settings, 'https://a.example')).toEqual({ body: bundle.views[format].body, etag: bundle.views[format].etag, lastModified: bundle.views[format].lastModified });
    }
    const next = await publish(stories, old);
    expect(next.report.storiesRendered).toBe(0);
    expect(next.bundle).toEqual(bundle);
    // A bundle of format 1 from before the pieces: served, and the next run renders every piece.
    const { pieces: _, ...withoutPieces } = bundle;
    const older = StoredBundle.read(json(withoutPieces as RenderedBundle));
    expect(older.pieces()).toBeNull();
    expect(older.body('atom')).toBe(bundle.views.atom.body);
    expect((await publish(stories, older)).report.storiesReused).toBe(0);
  });

  it('serves a view from its own body alone: the other bodies and the pieces may be garbage', async () => {
    for (const with_ of [settings, fromRequest]) {
      const { bundle, bytes } = await publish(storiesValue(), null, with_);
      const { meta } = layout(bytes);
      for (const format of BUNDLE_FORMATS) {
        // 0xFF is never UTF-8: decoding any of these bodies (or parsing the pieces) would fail.
        let value = bytes;
        for (const other of BUNDLE_FORMATS) if (other !== format) value = spoilt(value, meta.views[other], 0xff);
        value = spoilt(value, meta.pieces!, 0xff);
        const read = StoredBundle.read(value);
        const served = prerenderedView(read, format, with_, 'https://a.example')!;
        const body = typeof served.body === 'string' ? served.body : new TextDecoder().decode(served.body);
        expect(body, format).toBe(bundle.views[format].body.replaceAll(bundle.base, with_.publicUrl ?? 'https://a.example'));
        for (const other of BUNDLE_FORMATS) if (other !== format) expect(read.body(other)).toBeNull();
        expect(read.pieces()).toBeNull();
      }
    }
  });

  it('a body that is not UTF-8 is neither served nor copied from; the run renders its pieces and the others are copied', async () => {
    const stories = storiesValue(2);
    // 0xC0 is never UTF-8.
    const notUtf8 = (value: Uint8Array) => spoilt(value, { offset: layout(value).meta.views.html.offset + 40, bytes: 2 }, 0xc0);
    const { bundle, bytes } = await publish(stories);
    const read = StoredBundle.read(notUtf8(bytes));
    expect(prerenderedView(read, 'html', settings, 'https://a.example')).not.toBeNull(); // served as stored: its bytes are not decoded
    expect(read.body('html')).toBeNull();
    const next = await publish(stories, read);
    expect(next.bundle).toEqual(bundle);
    expect(next.bytes).toEqual(bytes);
  });

  it('serves no body whose base placeholder is not where the meta says (the route then renders from the stories)', async () => {
    const { bundle, bytes } = await publish(storiesValue(), null, fromRequest);
    const { meta } = layout(bytes);
    const swaps = (meta.views.rss as unknown as { swaps: number[] }).swaps;
    expect(swaps.length).toBeGreaterThan(10);
    const withSwaps = (edit: number[]) => StoredBundle.read(withMeta(bytes, (m) => ({ ...m, views: { ...meta.views, rss: { ...meta.views.rss, swaps: edit } } })));
    for (const [what, edit] of [
      ['moved', swaps.map((at, i) => (i === 3 ? at + 1 : at))],
      ['out of order', [swaps[1]!, swaps[0]!, ...swaps.slice(2)]],
      ['past the end', [...swaps, meta.views.rss.bytes - 2]],
      ['not a number', ['12', ...swaps.slice(1)]],
    ] as [string, number[]][]) {
      const read = withSwaps(edit);
      expect(prerenderedView(read, 'rss', fromRequest, 'https://a.example'), what).toBeNull();
      expect(prerenderedView(read, 'atom', fromRequest, 'https://a.example'), what).not.toBeNull();
    }
  });

  it('refuses a value that does not hold together, saying why', async () => {
    const { bundle, bytes } = await publish(storiesValue());
    const { meta, payloadStart } = layout(bytes);
    const header = (format: number) => {
      const copy = bytes.slice();
      new DataView(copy.buffer).setUint32(4, format, true);
      return copy;
    };
    const damaged: [string, Uint8Array, RegExp][] = [
      ['empty', new Uint8Array(0), /no header/],
      ['shorter than the header', bytes.subarray(0, 7), /no header/],
      ['bad magic', (() => { const c = bytes.slice(); c[0] = 0x58; return c; })(), /no header/],
      ['a format to come', header(3), /stored format 3/],
      ['cut in the meta', bytes.subarray(0, 12 + 20), /meta cut short/],
      ['meta length past the end', (() => { const c = bytes.slice(); new DataView(c.buffer).setUint32(8, bytes.length, true); return c; })(), /meta cut short/],
      ['meta not JSON', spoilt(bytes, { offset: -layout(bytes).metaLength, bytes: 5 }, 0x7d), /meta:/],
      ['meta not UTF-8', spoilt(bytes, { offset: -layout(bytes).metaLength, bytes: 1 }, 0xff), /meta:/],
      ['meta without its views', withMeta(bytes, (m) => ({ ...m, views: null })), /meta fields/],
      ['meta without a base', withMeta(bytes, (m) => ({ ...m, base: 7 })), /meta fields/],
      ['meta not an object', withMeta(bytes, () => [1, 2]), /meta fields|not where/],
      ['a body missing', withMeta(bytes, (m) => ({ ...m, views: { ...meta.views, json: undefined } })), /json body/],
      ['a body past the end', withMeta(bytes, (m) => ({ ...m, views: { ...meta.views, api: { ...meta.views.api, bytes: bytes.length - payloadStart - meta.views.api.offset + 1 } } })), /api body/],
      ['a body without its base places', withMeta(bytes, (m) => ({ ...m, views: { ...meta.views, html: { ...meta.views.html, swaps: undefined } } })), /html body/],
      ['an empty base', withMeta(bytes, (m) => ({ ...m, base: '' })), /meta fields/],
      ['a negative offset', withMeta(bytes, (m) => ({ ...m, views: { ...meta.views, rss: { ...meta.views.rss, offset: -1 } } })), /rss body/],
      ['an offset that is no integer', withMeta(bytes, (m) => ({ ...m, views: { ...meta.views, atom: { ...meta.views.atom, offset: '0' } } })), /atom body/],
      ['pieces past the end', withMeta(bytes, (m) => ({ ...m, pieces: { offset: meta.pieces!.offset, bytes: bytes.length } })), /pieces/],
      ['cut in the bodies', bytes.subarray(0, payloadStart + meta.views.html.offset + 10), /body is not where/],
      ['cut in the pieces', bytes.subarray(0, bytes.length - 1), /pieces/],
      ['JSON of another kind', json({ ...bundle, version: 2 } as unknown as RenderedBundle), /not a bundle of version 1/],
      ['JSON cut short', json(bundle).subarray(0, 1000), /neither format 2 nor JSON/],
      ['JSON null', encoder.encode('null'), /no header/],
    ];
    for (const [what, value, why] of damaged) expect(() => StoredBundle.read(value), what).toThrow(why);
  });
});

describe('copied pieces', () => {
  it('isUtf8 agrees with a strict decoder on random and edge bytes', () => {
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const wellFormed = (bytes: Uint8Array) => {
      try {
        strict.decode(bytes);
        return true;
      } catch {
        return false;
      }
    };
    const next = seededRandom(7);
    const cases: Uint8Array[] = [
      encoder.encode('plain'), encoder.encode('Zürich – 東京 😀'), new Uint8Array([0xc0, 0x80]), new Uint8Array([0xe0, 0x80, 0x80]),
      new Uint8Array([0xed, 0xa0, 0x80]), new Uint8Array([0xf4, 0x90, 0x80, 0x80]), new Uint8Array([0xf0, 0x9f, 0x98]), new Uint8Array([0x80]), new Uint8Array([0xff]),
    ];
    for (let n = 0; n < 3000; n++) {
      const text = encoder.encode('a é 東 😀 «»'.repeat(1 + Math.floor(next() * 3)));
      const bytes = Uint8Array.from(text, (b) => (next() < 0.05 ? Math.floor(next() * 256) : b));
      cases.push(next() < 0.5 ? bytes : bytes.subarray(Math.floor(next() * bytes.length)));
    }
    for (const bytes of cases) expect(isUtf8(bytes), Array.from(bytes).join(',')).toBe(wellFormed(bytes));
  });

  it('finds the placeholder in what it copies, whatever the meta says: no copied place of it is served unreplaced', async () => {
    const stories = storiesValue();
    const { bytes } = await publish(stories, null, fromRequest);
    const { meta } = layout(bytes);
    const noPlaces = Object.fromEntries(Object.entries(meta.views).map(([format, view]) => [format, { ...view, swaps: [] }]));
    const forgetful = StoredBundle.read(withMeta(bytes, (m) => ({ ...m, views: noPlaces })));
    const next = await publish(stories, forgetful, fromRequest);
    expect(next.report.storiesRendered).toBe(0);
    const served = StoredBundle.read(next.bytes);
    for (const format of BUNDLE_FORMATS) {
      const body = new TextDecoder().decode(prerenderedView(served, format, fromRequest, 'https://a.example')!.body as Uint8Array);
      expect(body, format).not.toContain(served.base);
      expect(body, format).toContain('https://a.example/stories/');
    }
  });

  it('a piece is copied only as whole characters, with the places of the base inside it', async () => {
    const { bytes } = await publish(storiesValue(), null, fromRequest);
    const stored = StoredBundle.read(bytes);
    const intl = stored.pieces()!.stories.find((s) => s.id === 'st-intl')!;
    const [start, end] = intl.at.rss!;
    const piece = stored.piece('rss', start, end)!;
    const text = new TextDecoder().decode(piece.bytes);
    expect(text).toContain('Zürich');
    expect(piece.swaps.length).toBeGreaterThan(0);
    const base = encoder.encode(stored.base);
    for (const swap of piece.swaps) expect(piece.bytes.subarray(swap, swap + base.length)).toEqual(base);
    // A cut inside a character, or through the placeholder, is no piece.
    const umlaut = start + encoder.encode(text.slice(0, text.indexOf('ü'))).length;
    expect(stored.piece('rss', umlaut + 1, end)).toBeNull();
    expect(stored.piece('rss', start, start + piece.swaps[0]! + 3)).toBeNull();
    expect(stored.piece('rss', start, end + 10 ** 9)).toBeNull();
  });
});

