// The pre-render's pieces (render/page.ts, render/publish.ts): a run copies the piece of every
// story whose stored record has not changed since the last bundle, and renders the others. What
// it writes must be the bundle a whole render gives, byte for byte, whatever changed in between;
// pieces are never taken from a bundle of other settings, other code or a record since changed.
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../src/cluster';
import type { Article, RenderedBundle, RenderedStoryPieces, StoryRecord } from '../../src/model';
import { PAGE_FORMATS } from '../../src/render/formats';
import { RIVER_SOURCES } from '../../src/render/html';
import { fitBundle, PIECES_REVISION, type PublishedBundle } from '../../src/render/publish';
import { correctedPages, shelfPages } from '../../src/render/select';
import { encodeBundle, StoredBundle } from '../../src/render/storedBundle';
import { buildStoryView, type OutputFormat } from '../../src/render/view';
import { applyAssignment } from '../../src/stories/apply';
import type { Correction } from '../../src/stories/corrections';
import { StoryShelf, storedSnapshot } from '../../src/stories/shelf';
import { stableHash } from '../../src/util/hash';
import { seededRandom } from '../fixtures/random';
import { countingShelfOf, iso, realisticSnapshot, T0 } from '../fixtures/stories';
import { hostileStory, story, testSettings } from './fixtures';

const settings = testSettings({ FEED_PAGE_SIZE: '12' });

function article(id: string, at: string): Article {
  return { id, sourceId: 'src-new', outlet: 'New Outlet', url: `https://new.example/${id}`, title: `Fresh report ${id}`, text: 'text', summary: `Lead of ${id}`, published: at, seenAt: at };
}

/** One run's changes: some stories gain a source, some are new, one absorbs another. Returns the stored value. */
function aRun(bytes: Uint8Array, round: number, next: () => number): Uint8Array {
  const shelf = StoryShelf.decode(bytes);
  const ids = [...shelf.facts()].map((f) => f.id);
  const now = new Date(T0 + (80 + round) * 3_600_000);
  const at = now.toISOString();
  for (let k = 0; k < 6; k++) {
    const id = `r${round}-${k}`;
    const roll = next();
    const assignment: Assignment = { articleId: id, storyId: roll < 0.5 ? ids[Math.floor(next() * ids.length)]! : `new-${id}`, created: roll >= 0.5, duplicate: false, merged: [], lead: false };
    if (k === 0 && ids.length > 2) assignment.merged = [ids.at(-1 - round)!];
    applyAssignment(shelf, article(id, at), assignment, now);
  }
  return shelf.seal(1_000, now).bytes;
}

/** The bundle as the next run reads it back from KV. */
const stored = (published: PublishedBundle) => StoredBundle.read(published.bytes);
const storedOf = (bundle: RenderedBundle) => StoredBundle.read(encodeBundle(bundle));

const bodies = (bundle: RenderedBundle) => Object.fromEntries(Object.entries(bundle.views).map(([format, view]) => [format, view.body]));

describe('pre-rendered pieces', () => {
  it('a run that copies unchanged stories writes the bundle a whole render writes, and reads only the records that changed', async () => {
    for (const seed of [1, 2, 3]) {
      const next = seededRandom(seed * 11);
      let bytes = storedSnapshot(realisticSnapshot(seed, 60, 12));
      let previous = stored(await fitBundle(shelfPages(countingShelfOf(bytes).shelf), settings));
      for (let round = 1; round <= 5; round++) {
        bytes = aRun(bytes, round, next);
        const { shelf, parsed } = countingShelfOf(bytes);
        const reused = await fitBundle(shelfPages(shelf), settings, { previous });
        const whole = await fitBundle(shelfPages(countingShelfOf(bytes).shelf), settings);
        expect(reused.bundle, `seed ${seed}, round ${round}`).toEqual(whole.bundle);

        // Exactly the stories shown whose record is not the one the previous pieces came from were read.
        const before = new Map(previous.pieces()!.stories.map((s) => [s.id, s.record]));
        const shown = new Set(whole.bundle.pieces!.stories.map((s) => s.id));
        const changed = [...shown].filter((id) => before.get(id) !== shelf.revision(id));
        expect([...parsed].sort()).toEqual(changed.sort());
        expect(reused.report.storiesRendered).toBe(changed.length);
        expect(reused.report.storiesReused).toBe(shown.size - changed.length);
        expect(reused.report.storiesReused).toBeGreaterThan(0);
        previous = stored(reused);
      }
    }
  });

  it('keep the placeholder origin of the previous bundle when the base comes from requests', async () => {
    const fromRequest = testSettings({ PUBLIC_URL: '', FEED_PAGE_SIZE: '12' });
    expect(fromRequest.publicUrl).toBeNull();
    let bytes = storedSnapshot(realisticSnapshot(4, 40, 12));
    const first = await fitBundle(shelfPages(countingShelfOf(bytes).shelf), fromRequest);
    bytes = aRun(bytes, 1, seededRandom(4));
    const second = await fitBundle(shelfPages(countingShelfOf(bytes).shelf), fromRequest, { previous: stored(first) });
    const whole = await fitBundle(shelfPages(countingShelfOf(bytes).shelf), fromRequest);
    expect(second.report.storiesReused).toBeGreaterThan(0);
    expect(second.bundle.base).toBe(first.bundle.base);
    expect(whole.bundle.base).not.toBe(first.bundle.base);
    for (const [format, body] of Object.entries(bodies(whole.bundle))) {
      expect(second.bundle.views[format as OutputFormat].body).toBe(body.replaceAll(whole.bundle.base, first.bundle.base));
    }
  });

  it('are not taken from a bundle of other settings, of other code, or damaged', async () => {
    const bytes = storedSnapshot(realisticSnapshot(5, 40, 12));
    const previous = (await fitBundle(shelfPages(countingShelfOf(bytes).shelf), settings)).bundle;
    const whole = (await fitBundle(shelfPages(countingShelfOf(bytes).shelf), settings)).bundle;
    const same = await fitBundle(shelfPages(countingShelfOf(bytes).shelf), settings, { previous: storedOf(previous) });
    expect(same.report.storiesRendered).toBe(0);
    expect(same.bundle).toEqual(whole);

    const retitled = testSettings({ FEED_PAGE_SIZE: '12', SITE_TITLE: 'Other Wire' });
    expect((await fitBundle(shelfPages(countingShelfOf(bytes).shelf), retitled, { previous: storedOf(previous) })).report.storiesReused).toBe(0);
    const otherCode = { ...previous, pieces: { ...previous.pieces!, revision: PIECES_REVISION + 1 } };
    expect((await fitBundle(shelfPages(countingShelfOf(bytes).shelf), settings, { previous: storedOf(otherCode) })).report.storiesReused).toBe(0);

    // A piece recorded for another revision of the record, pointing outside its body, or not a place at all, is rendered anew.
    const [stale, outside, odd, ...rest] = previous.pieces!.stories;
    const notPlaces = { rss: 5, atom: 'x', json: null, html: { 0: 1 } } as unknown as RenderedStoryPieces['at'];
    const damaged: RenderedBundle = {
      ...previous,
      pieces: { revision: PIECES_REVISION, stories: [{ ...stale!, record: stale!.record + 1 }, { ...outside!, at: { rss: [0, 10 ** 9], atom: [5, 2] } }, { ...odd!, at: notPlaces }, null as unknown as RenderedStoryPieces, ...rest] },
    };
    const mended = await fitBundle(shelfPages(countingShelfOf(bytes).shelf), settings, { previous: storedOf(damaged) });
    expect(mended.bundle).toEqual(whole);
    expect(mended.report.storiesRendered).toBe(3);
  });

  it('render the stories corrections touch every time, and keep no piece of them', async () => {
    const bytes = storedSnapshot(realisticSnapshot(6, 40, 12));
    const { shelf } = countingShelfOf(bytes);
    const shownFirst = [...shelf.facts()][0]!.id;
    const corrections: Correction[] = [{ id: 'c1', at: iso(T0 + 90 * 3_600_000), note: null, type: 'lead', story: shownFirst, article: null, title: "Editor's headline" }];
    const previous = (await fitBundle(shelfPages(countingShelfOf(bytes).shelf), settings)).bundle;
    const corrected = await fitBundle(correctedPages(countingShelfOf(bytes).shelf, corrections), settings, { previous: storedOf(previous) });
    const whole = await fitBundle(correctedPages(countingShelfOf(bytes).shelf, corrections), settings);
    expect(corrected.bundle).toEqual(whole.bundle);
    expect(corrected.bundle.views.rss.body).toContain('Editor&apos;s headline');
    expect(corrected.bundle.pieces!.stories.map((s) => s.id)).not.toContain(shownFirst);
    expect(corrected.report.storiesRendered).toBe(1);
  });

  it('keep no piece of a story whose times are not its own (its view takes the page time, which moves)', async () => {
    const timeless: StoryRecord = story({ id: 'st-timeless', firstSeen: 'not a time', updated: 'not a time either' });
    const bytes = storedSnapshot({ version: 1, generated: iso(T0), aliases: {}, stories: [story(), timeless] });
    const bundle = (await fitBundle(shelfPages(countingShelfOf(bytes).shelf), settings)).bundle;
    expect(bundle.pieces!.stories.map((s) => s.id)).toEqual(['st-1']);
  });

  it('a story piece is what it was when PIECES_REVISION was last raised', () => {
    // A bundle's pieces are reused only by code of the same PIECES_REVISION. When what a story's
    // piece holds changes, this digest changes: raise PIECES_REVISION in src/render/publish.ts and
    // record the new digest here, so that no run copies a piece the new code would not render.
    const stories = [story(), hostileStory(), ...realisticSnapshot(3, 8).stories, story({ id: 'st-no-summary', summary: '' })];
    const base = 'https://wire.example';
    const text = (Object.keys(PAGE_FORMATS) as OutputFormat[]).map((format) => stories.map((record) => {
      const view = buildStoryView(record, base, iso(T0), format === 'html' ? RIVER_SOURCES : Number.POSITIVE_INFINITY);
      return PAGE_FORMATS[format].item(view);
    }).join('\u0001')).join('\u0002');
    expect(`${PIECES_REVISION}:${stableHash(text)}`).toBe('2:cc767e15a39d0a00');
  });
});
