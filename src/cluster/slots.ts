// Active stories by small integer slot, with the numbers ranking reads for every nominated
// story (norm, age, time window) in dense arrays: a nominee is judged without touching its
// object, which costs a cache miss per story once thousands are active. The arrays mirror
// the Story fields: `sync` after a story's norm or times change. Slots mean nothing outside
// one process.
import type { Story } from './story';

export class StorySlots {
  private readonly stories: (Story | undefined)[] = [];
  private readonly free: number[] = [];
  norm = new Float64Array(64);
  created = new Float64Array(64);
  /** NaN while the story has no time. */
  firstTime = new Float64Array(64);
  lastTime = new Float64Array(64);

  /** Slots are below this. */
  get capacity(): number {
    return this.stories.length;
  }

  story(slot: number): Story {
    return this.stories[slot]!;
  }

  /** Gives the story a slot; call before indexing its terms. */
  add(story: Story): void {
    const slot = this.free.pop() ?? this.stories.length;
    if (slot >= this.norm.length) this.grow();
    story.slot = slot;
    this.stories[slot] = story;
    this.sync(story);
  }

  remove(story: Story): void {
    this.stories[story.slot] = undefined;
    this.free.push(story.slot);
  }

  sync(story: Story): void {
    const { slot } = story;
    this.norm[slot] = story.norm;
    this.created[slot] = story.created;
    this.firstTime[slot] = story.firstTime ?? NaN;
    this.lastTime[slot] = story.lastTime ?? NaN;
  }

  /** Makes room for `count` slots at once (a load knows how many stories it holds). */
  reserve(count: number): void {
    if (count > this.norm.length) this.grow(count);
  }

  private grow(length = this.norm.length * 2): void {
    const grown = (values: Float64Array) => {
      const out = new Float64Array(length);
      out.set(values);
      return out;
    };
    this.norm = grown(this.norm);
    this.created = grown(this.created);
    this.firstTime = grown(this.firstTime);
    this.lastTime = grown(this.lastTime);
  }
}
