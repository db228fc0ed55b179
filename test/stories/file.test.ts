// The per-article loop of a run (stories/file.ts), without KV: order, the per-run cap,
// idempotence after a run that died, and an article the engine refuses.
import { describe, expect, it } from 'vitest';
import { StoryClusterer, type Assignment, type ClusterInput, type Consolidation } from '../../src/cluster';
import type { Article } from '../../src/model';
import { applyCorrections, type Correction } from '../../src/stories/corrections';
import { fileArticles, type ArticleEngine } from '../../src/stories/file';
import { StoryShelf } from '../../src/stories/shelf';

const NOW = new Date('2025-07-22T12:00:00Z');

function article(id: string, hour: number, sourceId = 'src-a', title = `Report ${id}`): Article {
  const at = new Date(Date.UTC(2025, 6, 22, hour)).toISOString();
  return { id, sourceId, outlet: `Outlet ${sourceId}`, url: `https://${sourceId}.example/${id}`, title, text: title, summary: title, published: at, seenAt: at };
}

/** An engine that files each article in a story of its own, records the order, refuses `refuse`, and consolidates as told. */
function scriptedEngine(refuse = new Set<string>(), consolidations: Consolidation[] = []): ArticleEngine & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    consolidate: () => consolidations,
    add(input: ClusterInput): Assignment {
      seen.push(input.id);
      if (refuse.has(input.id)) throw new Error(`cannot take ${input.id}`);
      return { articleId: input.id, storyId: `S-${input.id}`, created: true, duplicate: false, merged: [], lead: true };
    },
  };
}

describe('fileArticles', () => {
  it('feeds the engine oldest first and files every decision in the story records', () => {
    const engine = scriptedEngine();
    const shelf = StoryShelf.empty();
    const filing = fileArticles(engine, shelf, [article('b', 3), article('a', 1)], [article('p', 2, 'push')], 100, NOW);
    expect(engine.seen).toEqual(['a', 'p', 'b']);
    expect(filing).toMatchObject({ newArticles: 3, pushed: 1, created: 3, filedInbox: ['p'], engineChanged: true, articlesCarried: 0 });
    expect(shelf.toSnapshot().stories.map((s) => s.id).sort()).toEqual(['S-a', 'S-b', 'S-p']);
    expect(filing.newBySource).toEqual(new Map([['src-a', 2], ['push', 1]]));
  });

  it('files at most maxArticles new articles; the polled sources are carried, the pushed ones stay waiting', () => {
    const filing = fileArticles(scriptedEngine(), StoryShelf.empty(), [article('a', 1), article('b', 3, 'src-b')], [article('p', 4, 'push')], 1, NOW);
    expect(filing).toMatchObject({ newArticles: 1, articlesCarried: 2, pushed: 0, filedInbox: [] });
    expect([...filing.carriedSources]).toEqual(['src-b']);
  });

  it('an article already listed (a run died before saving the engine) only brings the engine up to date', () => {
    const first = StoryShelf.empty();
    fileArticles(scriptedEngine(), first, [article('a', 1)], [], 100, NOW);
    const stored = first.seal(100, NOW).bytes;
    const shelf = StoryShelf.decode(stored);
    const engine = scriptedEngine();
    const again = fileArticles(engine, shelf, [article('a', 1)], [], 100, NOW);
    expect(engine.seen).toEqual(['a']);
    expect(again).toMatchObject({ newArticles: 0, engineChanged: true });
    expect(shelf.seal(100, NOW).bytes).toEqual(stored);
  });

  it('an article the engine refuses: a pushed one is quarantined, a polled one fails its source, the rest are filed', () => {
    const filing = fileArticles(scriptedEngine(new Set(['a', 'p'])), StoryShelf.empty(), [article('a', 1), article('b', 2, 'src-b')], [article('p', 3, 'push')], 100, NOW);
    expect(filing.newArticles).toBe(1);
    expect(filing.failedSources).toEqual(new Map([['src-a', 'cluster: cannot take a']]));
    expect(filing.quarantined).toEqual([{ id: 'p', sourceId: 'push', title: 'Report p', reason: 'cluster: cannot take p', at: NOW.toISOString() }]);
    expect(filing.filedInbox).toEqual([]);
  });

  it('the same report under another id is not listed twice', () => {
    const shelf = StoryShelf.empty();
    const twin = { ...article('b', 2), url: 'https://src-a.example/a', title: 'Report a' };
    const filing = fileArticles(scriptedEngine(), shelf, [article('a', 1), twin], [], 100, NOW);
    expect(filing.newArticles).toBe(1);
    expect(shelf.toSnapshot().stories.flatMap((s) => s.sources.map((src) => src.articleId))).toEqual(['a']);
  });

  it('with the real engine, the same input gives the same stories', () => {
    const input = [article('x1', 1, 'one', 'Harbour tunnel opens to traffic'), article('x2', 2, 'two', 'Harbour tunnel opens to traffic on Tuesday')];
    const first = StoryShelf.empty();
    const second = StoryShelf.empty();
    fileArticles(StoryClusterer.restore(null), first, input, [], 100, NOW);
    fileArticles(StoryClusterer.restore(null), second, [...input].reverse(), [], 100, NOW);
    expect(second.toSnapshot()).toEqual(first.toSnapshot());
  });

  it('files the engine\'s consolidations: the survivor takes the sources, the absorbed ids become its aliases', () => {
    const shelf = StoryShelf.empty();
    fileArticles(scriptedEngine(), shelf, [article('old', 1, 'src-c')], [], 100, NOW);
    const engine = scriptedEngine(new Set(), [{ survivor: 'S-a', absorbed: ['S-b', 'S-old'], links: [1.5, 1.2] }]);
    const filing = fileArticles(engine, shelf, [article('a', 2), article('b', 3, 'src-b')], [], 100, NOW);
    const { stories, aliases } = shelf.toSnapshot();
    expect(stories.map((s) => s.id)).toEqual(['S-a']);
    expect(stories[0]!.sources.map((s) => s.articleId)).toEqual(['old', 'a', 'b']);
    expect(stories[0]!.firstSeen).toBe(article('old', 1).published);
    expect(aliases).toEqual({ 'S-b': 'S-a', 'S-old': 'S-a' });
    expect(filing).toMatchObject({ created: 2, merged: 2, updated: 0 });
    // The reports that started the absorbed stories say why they sit here now.
    const why = Object.fromEntries(stories[0]!.sources.map((s) => [s.articleId, s.why]));
    expect(why['b']).toMatch(/^consolidated after the run: .* 1\.50 of the bar/);
    expect(why['old']).toMatch(/1\.20 of the bar/);
  });

  it('leaves the records alone when a consolidation names a survivor they do not hold', () => {
    const shelf = StoryShelf.empty();
    fileArticles(scriptedEngine(new Set(), [{ survivor: 'S-gone', absorbed: ['S-a'], links: [1.1] }]), shelf, [article('a', 1)], [], 100, NOW);
    expect(shelf.toSnapshot().stories.map((s) => s.id)).toEqual(['S-a']);
  });

  it('an editor\'s split stays in force when consolidation folds the story back', () => {
    const shelf = StoryShelf.empty();
    fileArticles(scriptedEngine(), shelf, [article('a', 1), article('b', 2, 'src-b')], [], 100, NOW);
    const split: Correction = { id: 'c1', type: 'split', at: NOW.toISOString(), note: null, story: 'S-a', article: 'b', into: null };
    // A later run's consolidation puts b's story into a's.
    fileArticles(scriptedEngine(new Set(), [{ survivor: 'S-a', absorbed: ['S-b'], links: [1.1] }]), shelf, [article('c', 3, 'src-c')], [], 100, NOW);
    expect(shelf.read('S-a')!.sources.map((s) => s.articleId)).toEqual(['a', 'b']);
    const { snapshot } = applyCorrections(shelf.toSnapshot(), [split]);
    const holder = (id: string) => snapshot.stories.find((s) => s.sources.some((src) => src.articleId === id))!.id;
    expect(holder('a')).toBe('S-a');
    expect(holder('b')).not.toBe('S-a');
  });
});

describe('fileArticles with consolidation, over two runs', () => {
  // One event from two angles (written for this test); an online pass that joins nothing stands
  // in for the splits arrival order leaves, so that only consolidation can bring them together.
  const STRICT = { joinThreshold: 1.5 };
  const report = (id: string, hour: number, sourceId: string, title: string, text: string): Article => ({
    ...article(id, hour, sourceId, title), text, summary: text.slice(0, 80),
  });
  const first = report('r1', 1, 'src-a', 'Storm shuts Tallis Bridge as gusts reach 110 km/h', 'Police closed the Tallis Bridge in Portavon on Tuesday morning after gusts of 110 km/h rocked the suspension span; traffic was diverted to the ring road and the ferry was suspended.');
  const later = [
    report('r2', 3, 'src-b', 'Tallis Bridge closed in Portavon storm, ferry suspended', 'The Tallis Bridge was closed by police on Tuesday as the storm brought gusts of 110 km/h to Portavon. Traffic went to the ring road; the ferry is suspended until the wind drops.'),
    report('r3', 4, 'src-c', 'Portavon storm: Tallis Bridge shut, ring road jammed, ferry off', 'Gusts of 110 km/h closed the Tallis Bridge on Tuesday. Police sent traffic to the Portavon ring road and the ferry was suspended during the storm.'),
  ];

  it('folds an earlier run\'s story into the one this run built; its id becomes an alias of the survivor', () => {
    const shelf = StoryShelf.empty();
    const one = StoryClusterer.restore(null, STRICT);
    fileArticles(one, shelf, [first], [], 100, NOW);
    const published = shelf.toSnapshot().stories.map((s) => s.id);
    expect(published).toHaveLength(1);

    const two = StoryClusterer.restore(one.snapshot(), STRICT);
    const filing = fileArticles(two, shelf, later, [], 100, NOW);
    const { stories, aliases } = shelf.toSnapshot();
    expect(stories).toHaveLength(1);
    expect(stories[0]!.sources.map((s) => s.articleId)).toEqual(['r1', 'r2', 'r3']);
    expect(filing.merged).toBe(2);
    // The id readers already have survives (the run's own two-report story is larger, but no feed has shown its id).
    expect(stories[0]!.id).toBe(published[0]);
    expect(Object.keys(aliases)).toHaveLength(2);
    for (const alias of Object.keys(aliases)) expect(aliases[alias]).toBe(published[0]);
  });
});
