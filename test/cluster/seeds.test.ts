import { describe, expect, it } from 'vitest';
import { StoryClusterer } from '../../src/cluster/index';
import seed0 from './fixtures/000_57f835ff61bc9ec7.txt?raw';
import seed1 from './fixtures/001_ad6878b5674a8567.txt?raw';
import seed2 from './fixtures/002_70bb6350b08efd30.txt?raw';
import seed3 from './fixtures/003_f3ba9f228b3a8998.txt?raw';
import seed4 from './fixtures/004_25302c0da5265df8.txt?raw';

// The five seed texts: five outlets' versions of one event (Ukraine proposes new peace talks),
// with repeated titles, duplicated paragraphs and an unrelated "Discover More" block.
const seeds = [seed0, seed1, seed2, seed3, seed4].map((raw, i) => {
  const [title = '', ...rest] = raw.split('\n');
  return { id: `seed${i}`, title, text: rest.join('\n'), published: `2025-07-2${1 + (i % 2)}T0${i}:00:00Z` };
});

const unrelated = [
  { id: 'u1', title: 'Catastrophic floods and landslides in South Korea; death toll rises to 18', text: 'Torrential rain for five days left nine people missing as authorities warned of a heatwave.', published: '2025-07-21T05:00:00Z' },
  { id: 'u2', title: 'US consumer confidence jumps to 61.8 in July', text: 'Consumer sentiment reached a five-month high as inflation worries eased, a university survey showed.', published: '2025-07-21T06:00:00Z' },
  { id: 'u3', title: 'Champions League final: Madrid beat Dortmund 2-0', text: 'Goals from Carvajal and Vinicius won the trophy at Wembley.', published: '2025-07-21T07:00:00Z' },
];

describe('seed articles', () => {
  it('cluster into one story while unrelated stories stay apart', () => {
    const byTime = [...seeds, ...unrelated].sort((a, b) => a.published.localeCompare(b.published));
    for (const order of [[...seeds, ...unrelated], byTime]) {
      const c = StoryClusterer.restore(null);
      const story = new Map(order.map((a) => [a.id, c.add(a).storyId]));
      const resolved = (id: string) => c.resolve(story.get(id)!);
      const seedStories = new Set(seeds.map((s) => resolved(s.id)));
      expect(seedStories.size).toBe(1);
      const others = unrelated.map((u) => resolved(u.id));
      expect(new Set([...others, ...seedStories]).size).toBe(4);
    }
  });
});
