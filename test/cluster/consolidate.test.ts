// Consolidation (StoryClusterer.consolidate): after a run's articles, stories that report one
// event are folded into one by average linkage; stories of look-alike events stay apart; the
// survivor keeps its id and the others answer as its aliases.
import { describe, expect, it } from 'vitest';
import { StoryClusterer, type ClusterInput } from '../../src/cluster/index';
import raw from './fixtures/similar-events.jsonl?raw';

type Labelled = ClusterInput & { cluster: string };
const labelled: Labelled[] = raw.trim().split('\n').map((line) => JSON.parse(line) as Labelled);

/** Pairs of articles filed together: of the same event (right) and of different events (wrong). */
function pairs(articles: Labelled[], story: Map<string, string>): { right: number; wrong: number } {
  let right = 0;
  let wrong = 0;
  for (let i = 0; i < articles.length; i++) {
    for (let j = i + 1; j < articles.length; j++) {
      if (story.get(articles[i]!.id) !== story.get(articles[j]!.id)) continue;
      if (articles[i]!.cluster === articles[j]!.cluster) right++;
      else wrong++;
    }
  }
  return { right, wrong };
}

/** Files the articles as one run does (online, then consolidation when asked); article id -> final story. */
function run(articles: ClusterInput[], consolidate: boolean, clusterer = StoryClusterer.restore(null, STRICT)): Map<string, string> {
  const story = new Map(articles.map((a) => [a.id, clusterer.add(a).storyId]));
  if (consolidate) clusterer.consolidate();
  for (const [id, storyId] of story) story.set(id, clusterer.resolve(storyId));
  return story;
}

// One event, a bridge closed by a storm, as four outlets report it: each leads with its own
// angle (traffic, the ferry, the engineers, the commuters) and shares the core with the others.
// Written for this test.
const bridge: ClusterInput[] = [
  ['b1', 'Storm shuts Tallis Bridge as gusts reach 110 km/h', 'Police closed the Tallis Bridge on Tuesday morning after gusts of 110 km/h rocked the suspension span. Lorries were turned back at the toll plaza and traffic into Portavon queued for hours on the ring road, where two vans overturned.'],
  ['b2', 'Portavon ferry suspended, bridge closed as storm hits the estuary', 'The harbour authority suspended the Portavon ferry on Tuesday and the Tallis Bridge was closed by police as the storm reached the estuary. Skippers moored the fishing fleet early; the lifeboat crew rescued a yachtsman near the pier.'],
  ['b3', 'Engineers find loose cables on Tallis Bridge after storm', 'Council engineers inspecting the Tallis Bridge after Tuesday\'s storm found hangers and cables loose on the north tower. The span will stay closed to traffic in Portavon until a structural survey is done, which the council said could take days.'],
  ['b4', 'Commuters stranded in Portavon with Tallis Bridge closed', 'Thousands of commuters were stranded in Portavon on Tuesday with the Tallis Bridge closed after the storm. Employers told staff to work from home; schools on the far bank shut and the rail operator added carriages to the coastal line.'],
].map(([id, title, text], i) => ({ id: id!, title: title!, text: text!, published: `2025-03-04T0${7 + i}:00:00Z` }));

/** An online pass that files nothing together (a join bar no probability reaches): the splits arrival order leaves, at their worst. */
const STRICT = { joinThreshold: 1.5 };

describe('consolidation', () => {
  it('folds one event the online pass left in pieces into one story, whatever the order', () => {
    const orders = [bridge, [...bridge].reverse(), [bridge[2]!, bridge[0]!, bridge[3]!, bridge[1]!]];
    for (const order of orders) {
      expect(new Set(run(order, false).values()).size).toBe(4);
      expect(new Set(run(order, true).values()).size).toBe(1);
    }
  });

  it('keeps an id the online pass gave out (the older story on a tie); the absorbed ids answer as its aliases', () => {
    for (const order of [bridge, [...bridge].reverse()]) {
      const clusterer = StoryClusterer.restore(null, STRICT);
      const online = order.map((a) => clusterer.add(a).storyId);
      const merges = clusterer.consolidate();
      expect(merges).toEqual([{ survivor: online[0], absorbed: expect.arrayContaining(online.slice(1)), links: expect.any(Array) }]);
      expect(merges[0]!.links.every((link) => link >= 1)).toBe(true);
      for (const id of online) expect(clusterer.resolve(id)).toBe(online[0]);
      // The aliases survive a save and restore.
      const restored = StoryClusterer.restore(clusterer.snapshot(), STRICT);
      for (const id of online) expect(restored.resolve(id)).toBe(online[0]);
    }
  });

  it('has nothing to do when called again, or when switched off', () => {
    const clusterer = StoryClusterer.restore(null, STRICT);
    for (const a of bridge) clusterer.add(a);
    expect(clusterer.consolidate()).toHaveLength(1);
    expect(clusterer.consolidate()).toEqual([]);
    const off = run(bridge, true, StoryClusterer.restore(null, { ...STRICT, consolidateThreshold: 0 }));
    expect(new Set(off.values()).size).toBe(4);
  });

  it('leaves reports further apart than the window in their own stories', () => {
    const late = bridge.map((a, i) => (i % 2 ? { ...a, published: `2025-03-${10 + i}T08:00:00Z` } : a));
    const story = run(late, true, StoryClusterer.restore(null, { ...STRICT, windowHours: 24 }));
    // Three days apart: b1 and b3 on the 4th, b2 on the 11th, b4 on the 13th.
    expect(new Set([story.get('b1'), story.get('b2'), story.get('b4')]).size).toBe(3);
    expect(story.get('b3')).not.toBe(story.get('b2'));
  });

  it('mixes no look-alike events (two quakes, two rate decisions...) the online pass kept apart', () => {
    const online = pairs(labelled, run(labelled, false, StoryClusterer.restore(null)));
    const consolidated = pairs(labelled, run(labelled, true, StoryClusterer.restore(null)));
    expect(consolidated.wrong).toBe(online.wrong);
    // Without its bar (every linked pair merges) it would: the test can tell.
    const loose = pairs(labelled, run(labelled, true, StoryClusterer.restore(null, { consolidateThreshold: 0.01, consolidateCohesion: 0, lowEvidenceSize: 0 })));
    expect(loose.wrong).toBeGreaterThan(online.wrong);
  });
});
