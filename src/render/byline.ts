// One author line for a story: feed readers show a single author per item (feedparser keeps
// only the last of several Atom <author>s), so the outlets go into one readable name.

/** Outlets named before "and N more". */
const NAMED_OUTLETS = 3;

export function bylineOf(outlets: readonly string[]): string | null {
  if (outlets.length === 0) return null;
  if (outlets.length <= NAMED_OUTLETS) {
    return outlets.length === 1 ? outlets[0]! : `${outlets.slice(0, -1).join(', ')} and ${outlets.at(-1)}`;
  }
  const rest = outlets.length - NAMED_OUTLETS;
  return `${outlets.slice(0, NAMED_OUTLETS).join(', ')} and ${rest} more`;
}
