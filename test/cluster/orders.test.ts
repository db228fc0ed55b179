// Order robustness: the seed event (five outlets' reports) must form one story whatever order
// the reports arrive in — all 120 orders, from an empty engine and from one that has already
// seen other news — while the other seed stories keep their own shape (the two ECB reports
// together, everything else alone). The articles come through the real parse + normalise code.
import { describe, expect, it } from 'vitest';
import { StoryClusterer, type ClusterInput } from '../../src/cluster/index';
import type { ClusterSnapshot } from '../../src/cluster/snapshot';
import { normaliseItems } from '../../src/normalise/index';
import { parseFeed } from '../../src/parse/index';
import civic from '../../seeds/feeds/civic-wire.json?raw';
import eastgate from '../../seeds/feeds/eastgate-review.rdf?raw';
import harbor from '../../seeds/feeds/harbor-daily.xml?raw';
import meridian from '../../seeds/feeds/meridian-post.xml?raw';
import northline from '../../seeds/feeds/northline-news.atom?raw';

const SEEN_AT = '2025-07-22T12:00:00Z';
const feeds = { civic, eastgate, harbor, meridian, northline };
const articles: ClusterInput[] = Object.entries(feeds).flatMap(([name, raw]) =>
  normaliseItems(parseFeed(raw), { id: name, url: `http://seeds.test/${name}`, name }, SEEN_AT),
);
const isSeedEvent = (a: ClusterInput) => /ukrain|zelensky|peace talks/i.test(a.title);
const isEcb = (a: ClusterInput) => /central bank|ECB/i.test(a.title);
const seedEvent = articles.filter(isSeedEvent);
const others = articles.filter((a) => !isSeedEvent(a));

// Other news of the same days, some of it about the same war (different events): the state a
// running Worker is in when the seed reports arrive. Written for this test.
const background: ClusterInput[] = [
  ['Russian drones strike Kharkiv power station overnight', 'A wave of Russian drones hit energy facilities in Kharkiv, leaving thousands of homes without electricity, the regional governor said.'],
  ['Ukraine grain exports through Black Sea corridor rise in June', 'Shipments of wheat and corn from Odesa ports climbed for a third month as insurers returned to the route.'],
  ['Kremlin says Putin will address parliament on economy', 'The Russian president is expected to set out spending plans for industry and defence in his annual speech.'],
  ['Wildfires force evacuations on Greek island of Evia', 'Firefighters battled flames fanned by strong winds as residents of several villages were moved to safety.'],
  ['Japan upper house election: ruling coalition loses majority', 'Prime Minister Ishiba said he would stay on despite the defeat, as opposition parties made gains.'],
  ['Nvidia shares hit record ahead of earnings', 'The chipmaker briefly became the most valuable listed company as investors bet on demand for AI hardware.'],
  ['Heatwave grips southern Europe as temperatures top 44C', 'Spain, Italy and Greece issued red alerts while hospitals reported a rise in heat-related admissions.'],
  ['NATO allies agree to raise defence spending target', 'Members meeting in The Hague endorsed a goal of five percent of economic output by 2035.'],
  ['Hurricane season: tropical storm forms in the Gulf of Mexico', 'Forecasters warned of heavy rain on the Texas coast later this week as the system strengthens.'],
  ['EU adopts 18th package of sanctions against Russia', 'The measures lower the price cap on Russian crude oil and target vessels of the shadow fleet.'],
  ['Tour de France: Pogacar takes yellow jersey after mountain stage', 'The defending champion attacked on the final climb to gain more than a minute on his rivals.'],
  ['Gaza ceasefire talks resume in Doha', 'Mediators from Qatar and Egypt met negotiators as aid agencies warned of famine in the territory.'],
].map(([title, text], i) => ({ id: `bg${i}`, title: title!, text: text!, published: `2025-07-21T0${i % 10}:30:00Z` }));

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/**
 * Adds the articles in order and consolidates; returns article id -> final (resolved) story id, also for the
 * articles already in the snapshot (re-adding a seen id only reports where it went).
 */
function cluster(snapshot: ClusterSnapshot | null, order: ClusterInput[], earlier: readonly ClusterInput[]): Map<string, string> {
  const clusterer = StoryClusterer.restore(snapshot);
  const story = new Map(order.map((a) => [a.id, clusterer.add(a).storyId]));
  clusterer.consolidate(); // as a run does after its articles
  for (const a of earlier) story.set(a.id, clusterer.add(a).storyId);
  for (const [id, storyId] of story) story.set(id, clusterer.resolve(storyId));
  return story;
}

function warmSnapshot(): ClusterSnapshot {
  const clusterer = StoryClusterer.restore(null);
  for (const article of background) clusterer.add(article);
  return clusterer.snapshot();
}

describe('seed event in every arrival order', () => {
  it('reads the 13 seed articles: 5 about the event, 2 about the ECB', () => {
    expect(articles).toHaveLength(13);
    expect(seedEvent).toHaveLength(5);
    expect(others.filter(isEcb)).toHaveLength(2);
  });

  const orders = permutations(seedEvent);
  for (const [name, earlier] of [['cold', []], ['warm', background]] as const) {
    it(`forms one story in all ${orders.length} orders (${name} start), others keep their shape`, () => {
      const snapshot = earlier.length ? warmSnapshot() : null;
      const failures: string[] = [];
      for (const order of orders) {
        // The seed reports first, then the rest of the feeds: the event is judged on its own reports.
        const story = cluster(snapshot, [...order, ...others], earlier);
        const seedStories = new Set(seedEvent.map((a) => story.get(a.id)));
        const ecbStories = new Set(others.filter(isEcb).map((a) => story.get(a.id)));
        // Every other article (and background one) alone, except the ECB pair: one story fewer.
        const rest = [...others, ...earlier];
        const restStories = new Set(rest.map((a) => story.get(a.id)));
        const apart = restStories.size === rest.length - 1 && ![...seedStories].some((id) => restStories.has(id));
        if (seedStories.size !== 1 || ecbStories.size !== 1 || !apart) {
          const label = order.map((a) => seedEvent.indexOf(a)).join('');
          failures.push(`${label}: ${seedStories.size} seed stories, ${ecbStories.size} ECB, ${restStories.size} others`);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
