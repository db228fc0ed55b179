// Cold start: an engine that has seen only a handful of articles knows no word frequencies
// yet, so every shared word looks rare. One shared rare word must still not be enough to put
// two different events together. The first case is the push example of docs/api.md, which
// once joined the seed story about bike lanes on Harbour Road; the low-evidence rule (a
// one-article story needs two shared terms) keeps it apart.
import { describe, expect, it } from 'vitest';
import { StoryClusterer, type ClusterInput, type ClusterOptions } from '../../src/cluster/index';
import { normaliseItems } from '../../src/normalise/index';
import { parseFeed } from '../../src/parse/index';
import civic from '../../seeds/feeds/civic-wire.json?raw';
import eastgate from '../../seeds/feeds/eastgate-review.rdf?raw';
import harbor from '../../seeds/feeds/harbor-daily.xml?raw';
import meridian from '../../seeds/feeds/meridian-post.xml?raw';
import northline from '../../seeds/feeds/northline-news.atom?raw';

const SEEN_AT = '2025-07-22T12:00:00Z';
const seeds: ClusterInput[] = Object.entries({ civic, eastgate, harbor, meridian, northline }).flatMap(([name, raw]) =>
  normaliseItems(parseFeed(raw), { id: name, url: `http://seeds.test/${name}`, name }, SEEN_AT),
);

const TUNNEL: ClusterInput = {
  id: 'lg-2025-0722-1',
  title: 'Harbour tunnel opens to traffic after six years of work',
  text: 'The new harbour tunnel opened to traffic on Tuesday morning.',
  published: '2025-07-22T09:30:00Z',
};

function seededEngine(options: Partial<ClusterOptions> = {}): { clusterer: StoryClusterer; storyOf: (title: RegExp) => string } {
  const clusterer = StoryClusterer.restore(null, options);
  const stories = new Map(seeds.map((a) => [a.title, clusterer.add(a).storyId]));
  const storyOf = (title: RegExp) => {
    const found = [...stories].find(([t]) => title.test(t));
    if (!found) throw new Error(`no seed article titled ${title}`);
    return clusterer.resolve(found[1]);
  };
  return { clusterer, storyOf };
}

describe('cold start', () => {
  it('keeps the harbour tunnel apart from the bike lanes on Harbour Road', () => {
    const { clusterer, storyOf } = seededEngine();
    const bikeLanes = storyOf(/bike lanes on Harbour Road/);
    const tunnel = clusterer.add(TUNNEL);
    expect(tunnel.created).toBe(true);
    expect(clusterer.resolve(tunnel.storyId)).not.toBe(bikeLanes);
    expect(tunnel.why).toBe('new story; the closest story has 1 article and shares only 1 word with it');
  });

  it('owes that to the low-evidence rules: without them the one shared word clears the bar, prior or not', () => {
    const { clusterer, storyOf } = seededEngine({ minSharedTerms: 0, oneWordShare: 0 });
    const tunnel = clusterer.add(TUNNEL);
    expect(tunnel.created).toBe(false);
    expect(clusterer.resolve(tunnel.storyId)).toBe(storyOf(/bike lanes on Harbour Road/));
    expect(seededEngine({ minSharedTerms: 0, oneWordShare: 0, priorUnits: 0 }).clusterer.add(TUNNEL).created).toBe(false);
    // Either rule alone keeps it apart: two shared words at least, or no one word carrying the likeness.
    expect(seededEngine({ oneWordShare: 0 }).clusterer.add(TUNNEL).created).toBe(true);
    expect(seededEngine({ minSharedTerms: 0 }).clusterer.add(TUNNEL).created).toBe(true);
  });

  it('does not join two events that share only a town name', () => {
    const clusterer = StoryClusterer.restore(null);
    const fair = clusterer.add({
      id: 'fair',
      title: 'Pellworth book fair draws record crowds',
      text: 'Organisers of the Pellworth book fair counted more than 40,000 visitors over the weekend, with queues for signings by crime novelists.',
      published: '2025-05-10T18:00:00Z',
    });
    const bridge = clusterer.add({
      id: 'bridge',
      title: 'Pellworth bridge closed for urgent repairs',
      text: 'Engineers found corrosion in the steel supports, and drivers face a detour of twenty minutes until at least August.',
      published: '2025-05-11T07:00:00Z',
    });
    expect(bridge.storyId).not.toBe(fair.storyId);
  });

  it('still joins a second report of the same event, and says why', () => {
    const clusterer = StoryClusterer.restore(null);
    const first = clusterer.add({
      id: 'a',
      title: 'Pellworth bridge closed for urgent repairs after corrosion found',
      text: 'Engineers found corrosion in the steel supports of the Pellworth bridge, which will stay closed to traffic until August.',
      published: '2025-05-11T07:00:00Z',
    });
    const second = clusterer.add({
      id: 'b',
      title: 'Corrosion shuts Pellworth bridge until August',
      text: 'The Pellworth bridge was closed to traffic after engineers found corrosion in its steel supports; repairs will last until August.',
      published: '2025-05-11T09:30:00Z',
    });
    expect(second.storyId).toBe(first.storyId);
    expect(second.score).toBeGreaterThanOrEqual(0.5);
    expect(second.why).toMatch(/^\d\.\d\d: /);
    expect(second.why).toMatch(/title|text|shared|apart/);
    // For readers: how many words it shares, and the weightiest two as the article writes them.
    expect(second.shared!.count).toBeGreaterThanOrEqual(5);
    expect(second.shared!.examples).toHaveLength(2);
    // A name keeps its capital, an ordinary word at a sentence's start does not; the two weightiest come first.
    expect(second.shared!.examples).toEqual(['Pellworth', 'corrosion']); // the background prior knows "bridge" is common
    expect(first.shared).toBeUndefined();
  });
});
