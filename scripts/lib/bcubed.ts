// B-cubed precision / recall / F1 of a hard clustering (Bagga and Baldwin 1998), the measure
// the eval sets' bcubed.py prints: averaged over documents, each counting itself.
export interface BCubed {
  precision: number;
  recall: number;
  f1: number;
}

/** `gold` and `predicted` map the same document ids to a cluster label. */
export function bcubed(gold: ReadonlyMap<string, string>, predicted: ReadonlyMap<string, string>): BCubed {
  const cell = new Map<string, number>();
  const predictedSize = new Map<string, number>();
  const goldSize = new Map<string, number>();
  for (const [id, goldLabel] of gold) {
    const predictedLabel = predicted.get(id);
    if (predictedLabel === undefined) throw new Error(`bcubed: no prediction for ${id}`);
    // JSON keeps the pair unambiguous whatever characters the labels hold.
    const key = JSON.stringify([predictedLabel, goldLabel]);
    cell.set(key, (cell.get(key) ?? 0) + 1);
    predictedSize.set(predictedLabel, (predictedSize.get(predictedLabel) ?? 0) + 1);
    goldSize.set(goldLabel, (goldSize.get(goldLabel) ?? 0) + 1);
  }
  let precision = 0;
  let recall = 0;
  for (const [key, count] of cell) {
    const [predictedLabel, goldLabel] = JSON.parse(key) as [string, string];
    precision += (count * count) / predictedSize.get(predictedLabel)!;
    recall += (count * count) / goldSize.get(goldLabel)!;
  }
  const n = gold.size;
  precision /= n;
  recall /= n;
  return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

/** What a reader of the feed sees go wrong, as shares of the stories and events that could. */
export interface ReaderFigures {
  /** Predicted stories with 2+ articles, and those whose articles carry more than one gold label. */
  multiStories: number;
  mixedStories: number;
  /** Gold events with 2+ articles, and those spread over more than one predicted story. */
  multiEvents: number;
  splitEvents: number;
}

/**
 * A mixed story puts another event's report in front of the reader; a split event shows the
 * reader the same news twice. B-cubed weighs documents; these count stories and events.
 */
export function readerFigures(gold: ReadonlyMap<string, string>, predicted: ReadonlyMap<string, string>): ReaderFigures {
  const labelsOf = new Map<string, Set<string>>();
  const storiesOf = new Map<string, Set<string>>();
  const sizeOf = new Map<string, number>();
  const eventSize = new Map<string, number>();
  for (const [id, goldLabel] of gold) {
    const predictedLabel = predicted.get(id);
    if (predictedLabel === undefined) throw new Error(`readerFigures: no prediction for ${id}`);
    addTo(labelsOf, predictedLabel, goldLabel);
    addTo(storiesOf, goldLabel, predictedLabel);
    sizeOf.set(predictedLabel, (sizeOf.get(predictedLabel) ?? 0) + 1);
    eventSize.set(goldLabel, (eventSize.get(goldLabel) ?? 0) + 1);
  }
  const figures: ReaderFigures = { multiStories: 0, mixedStories: 0, multiEvents: 0, splitEvents: 0 };
  for (const [story, size] of sizeOf) {
    if (size < 2) continue;
    figures.multiStories++;
    if (labelsOf.get(story)!.size > 1) figures.mixedStories++;
  }
  for (const [event, size] of eventSize) {
    if (size < 2) continue;
    figures.multiEvents++;
    if (storiesOf.get(event)!.size > 1) figures.splitEvents++;
  }
  return figures;
}

function addTo(sets: Map<string, Set<string>>, key: string, value: string): void {
  const set = sets.get(key);
  if (set) set.add(value);
  else sets.set(key, new Set([value]));
}

/** One line: B-cubed and the reader's two shares, e.g. for the cluster CLI's summary. */
export function scoreLine(gold: ReadonlyMap<string, string>, predicted: ReadonlyMap<string, string>): string {
  const b = bcubed(gold, predicted);
  const r = readerFigures(gold, predicted);
  const share = (part: number, whole: number) => `${whole ? ((100 * part) / whole).toFixed(1) : '0.0'} % (${part} of ${whole})`;
  return (
    `B-cubed P ${b.precision.toFixed(4)} R ${b.recall.toFixed(4)} F1 ${b.f1.toFixed(4)}; ` +
    `mixed stories ${share(r.mixedStories, r.multiStories)} of stories with 2+ articles; ` +
    `events shown split ${share(r.splitEvents, r.multiEvents)} of events with 2+ articles`
  );
}
