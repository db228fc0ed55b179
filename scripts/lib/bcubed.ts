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
