// The progress guarantee: no input can make every run fail. Each run's lease names the work it
// took (sources polled, pushed articles filed). A run killed by the platform (memory or CPU
// limit) leaves that claim behind; the next run reads it and, instead of taking the same work
// again and dying at the same place, takes half of it. Halving until one unit is left finds the
// unit that kills runs: that source is recorded as failing (with backoff), that pushed article is
// quarantined. Units not yet cleared stay suspects (stored with the source records) and are
// tried a half at a time; everything else waits only while suspects remain. Pure functions.

export type WorkUnit = string;

export const sourceUnit = (id: string): WorkUnit => `source:${id}`;
export const articleUnit = (id: string): WorkUnit => `article:${id}`;

export function unitKind(unit: WorkUnit): { kind: 'source' | 'article'; id: string } | null {
  const colon = unit.indexOf(':');
  const kind = unit.slice(0, colon);
  return kind === 'source' || kind === 'article' ? { kind, id: unit.slice(colon + 1) } : null;
}

/** What a dead run's claim says it was doing. */
export interface DeadRun {
  owner: string;
  acquired: string;
  work: WorkUnit[];
  suspects: WorkUnit[];
}

export interface WorkPlan {
  /** Units this run takes, or null: the usual selection (due sources, waiting pushed articles). */
  take: WorkUnit[] | null;
  /** Units still suspected after this run, if it completes. */
  suspects: WorkUnit[];
  /** The unit found to kill runs: the dead run took it alone. */
  culprit: WorkUnit | null;
}

/** A claim left behind by a run that neither finished (its id is not on the source records) nor is still running. */
export function deadRun(
  lease: { owner: string; acquired: string; expires: string; work?: unknown; suspects?: unknown } | null, lastRunId: string | null, now: Date,
): DeadRun | null {
  if (!lease || lease.owner === lastRunId || Date.parse(lease.expires) > now.getTime()) return null;
  const units = (value: unknown) => (Array.isArray(value) ? value.filter((u): u is string => typeof u === 'string') : []);
  return { owner: lease.owner, acquired: lease.acquired, work: units(lease.work), suspects: units(lease.suspects) };
}

export function planWork(dead: DeadRun | null, suspects: WorkUnit[]): WorkPlan {
  let culprit: WorkUnit | null = null;
  let queue = suspects;
  if (dead) {
    if (dead.work.length > 1) return split(dead.work, dead.suspects, null);
    if (dead.work.length === 1) culprit = dead.work[0]!;
    queue = dead.suspects;
  }
  const remaining = queue.filter((u) => u !== culprit);
  if (remaining.length === 0) return { take: null, suspects: [], culprit };
  return split(remaining, [], culprit);
}

function split(units: WorkUnit[], rest: WorkUnit[], culprit: WorkUnit | null): WorkPlan {
  const half = Math.ceil(units.length / 2);
  return { take: units.slice(0, half), suspects: [...units.slice(half), ...rest], culprit };
}
