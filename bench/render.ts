/// <reference types="node" />
// Render cost per request and per scheduled run, on a full snapshot (MAX_STORIES stories,
// 1–8 sources each, realistic headline lengths). Prints milliseconds per operation.
//   npx tsx bench/render.ts
import { readSettings } from '../src/config';
import type { StoryRecord } from '../src/model';
import { RENDERERS } from '../src/render/formats';
import { prerender, prerenderedView } from '../src/render/publish';
import { defaultQuery, parseViewQuery } from '../src/render/query';
import { siteInfo } from '../src/render/site';
import { encodeBundle, StoredBundle } from '../src/render/storedBundle';
import { buildFeedView, type OutputFormat } from '../src/render/view';
import type { StoriesSnapshot } from '../src/model';

const OUTLETS = ['Reuters', 'BBC News', 'The Guardian', 'Associated Press', 'Le Monde', 'Der Spiegel', 'Al Jazeera', 'NPR'];

function snapshot(count: number): StoriesSnapshot {
  const start = Date.UTC(2026, 10, 1);
  const stories: StoryRecord[] = Array.from({ length: count }, (_, i) => {
    const time = new Date(start + (count - i) * 600_000).toISOString();
    return {
      id: `story-${i.toString(36)}-${(i * 7919).toString(36)}`,
      title: `Council approves transit plan for the city & suburbs, part ${i}`,
      summary: 'The council voted on Tuesday to approve the new transit plan, which adds three bus lines and extends night service across the city.',
      firstSeen: time,
      updated: time,
      sources: OUTLETS.slice(0, 1 + (i % 8)).map((outlet, j) => ({
        articleId: `a${i}-${j}`, sourceId: `s${j}`, outlet,
        title: `Transit plan approved: what changes for riders (${outlet})`,
        url: `https://${outlet.toLowerCase().replace(/\W/g, '')}.example.com/2026/11/transit-plan-${i}?utm_source=rss`,
        published: time, seenAt: time,
      })),
    };
  });
  return { version: 1, generated: new Date(start + count * 600_000).toISOString(), stories, aliases: {} };
}

function time(label: string, runs: number, fn: () => unknown): void {
  for (let i = 0; i < Math.min(5, runs); i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) fn();
  const ms = (performance.now() - t0) / runs;
  console.log(`${label.padEnd(52)} ${ms.toFixed(3).padStart(8)} ms`);
}

const settings = readSettings({ PUBLIC_URL: 'https://wire.example', MAX_STORIES: '500' });
const snap = snapshot(settings.maxStories);
const json = JSON.stringify(snap);
const site = siteInfo(settings, 'https://wire.example');
console.log(`snapshot: ${snap.stories.length} stories, ${(json.length / 1024).toFixed(0)} KiB as JSON; page size ${settings.feedPageSize}`);

time('JSON.parse(snapshot)  (every non-default request)', 50, () => JSON.parse(json));
const view = buildFeedView(snap, defaultQuery(settings.feedPageSize), site);
time('buildFeedView, default page', 200, () => buildFeedView(snap, defaultQuery(settings.feedPageSize), site));
for (const format of Object.keys(RENDERERS) as OutputFormat[]) {
  time(`render ${format}, ${view.stories.length} stories`, 100, () => RENDERERS[format](view));
}
const search = parseViewQuery(new URLSearchParams('q=transit plan part 4&min_sources=3'), settings.feedPageSize);
time('buildFeedView, q + min_sources over all stories', 100, () => buildFeedView(snap, search, site));

const bundle = await prerender(snap, settings);
const sizes = Object.entries(bundle.views).map(([f, v]) => `${f} ${(v.body.length / 1024).toFixed(0)} KiB`).join(', ');
const bundleBytes = encodeBundle(bundle);
console.log(`pre-rendered bundle: ${(bundleBytes.length / 1024).toFixed(0)} KiB stored (${sizes})`);
const t0 = performance.now();
for (let i = 0; i < 20; i++) await prerender(snap, settings);
console.log(`${'prerender all five views (once per scheduled run)'.padEnd(52)} ${((performance.now() - t0) / 20).toFixed(3).padStart(8)} ms`);

time('default request: read the bundle + its view (bytes)', 100, () => prerenderedView(StoredBundle.read(bundleBytes), 'rss', settings, 'https://wire.example'));
const originSettings = { ...settings, publicUrl: null };
const originBundle = encodeBundle(await prerender(snap, originSettings));
time('same without PUBLIC_URL (request origin spliced in)', 100, () => prerenderedView(StoredBundle.read(originBundle), 'rss', originSettings, 'https://a.example'));
const documentBundle = new TextEncoder().encode(JSON.stringify(bundle));
time('same from a format 1 value (one JSON document)', 100, () => prerenderedView(StoredBundle.read(documentBundle), 'rss', settings, 'https://wire.example'));
