// The progress guarantee: no input can make every run fail. Each run's lease names the work it
// took (sources polled, pushed articles filed). A run killed by the platform (memory or CPU
// limit, a deploy, a restart) leaves that claim behind. Most such deaths are not caused by the
// work, so the next run first repeats the usual work once, whole, marked in its claim: full
// service at the next cron. Only when that repeat dies too does the run after it take half of the
// work instead of dying at the same place again. Halving until one unit is left finds the unit
// that kills runs: that source is recorded as failing (with backoff), that pushed article is
// quarantined. Units not yet cleared stay suspects (stored with the source records) and are
// tried a half at a time; everything else waits only while suspects remain. Pure functions.
import type { Article, QuarantinedArticle, Source, SourceStatuses } from '../model';
import { afterPoll, MAX_BACKOFF_MINUTES, pickDue } from './schedule';

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
  /** It ran after an earlier death (a repeat or a careful run): its own death is no accident. */
  afterDeath: boolean;
}

export interface WorkPlan {
  /** Units this run takes, or null: the usual selection (due sources, waiting pushed articles). */
  take: WorkUnit[] | null;
  /** Units still suspected after this run, if it completes. */
  suspects: WorkUnit[];
  /** The unit found to kill runs: the dead run took it alone. */
  culprit: WorkUnit | null;
  /** This run repeats the usual work once after a first death (take is null). */
  repeat: boolean;
}

/** Whether a run with this plan is marked in its claim as working after a death (Lease.afterDeath). */
export const afterDeath = (plan: WorkPlan): boolean => plan.repeat || plan.take !== null;

/** A claim left behind by a run that neither finished (its id is not on the source records) nor is still running. */
export function deadRun(
  lease: { owner: string; acquired: string; expires: string; work?: unknown; suspects?: unknown; afterDeath?: unknown } | null, lastRunId: string | null, now: Date,
): DeadRun | null {
  if (!lease || lease.owner === lastRunId || Date.parse(lease.expires) > now.getTime()) return null;
  const units = (value: unknown) => (Array.isArray(value) ? value.filter((u): u is string => typeof u === 'string') : []);
  return { owner: lease.owner, acquired: lease.acquired, work: units(lease.work), suspects: units(lease.suspects), afterDeath: lease.afterDeath === true };
}

export function planWork(dead: DeadRun | null, suspects: WorkUnit[]): WorkPlan {
  let culprit: WorkUnit | null = null;
  let queue = suspects;
  // A first death outside a careful search: repeated once, whole (its work is still due: nothing
  // it did was recorded). A unit that kills every run that takes it costs one death more.
  if (dead && !dead.afterDeath && dead.work.length > 0 && dead.suspects.length === 0 && suspects.length === 0) {
    return { take: null, suspects: [], culprit: null, repeat: true };
  }
  if (dead) {
    if (dead.work.length > 1) return split(dead.work, dead.suspects, null);
    if (dead.work.length === 1) culprit = dead.work[0]!;
    queue = dead.suspects;
  }
  const remaining = queue.filter((u) => u !== culprit);
  if (remaining.length === 0) return { take: null, suspects: [], culprit, repeat: false };
  return split(remaining, [], culprit);
}

function split(units: WorkUnit[], rest: WorkUnit[], culprit: WorkUnit | null): WorkPlan {
  const half = Math.ceil(units.length / 2);
  return { take: units.slice(0, half), suspects: [...units.slice(half), ...rest], culprit, repeat: false };
}

/** First wait of a source found to kill runs (then doubling, up to a day). */
export const KILLER_BACKOFF_SECONDS = 6 * 60 * 60;

/** Pushed articles filed per run at most; the rest wait for the next run. */
export const MAX_PUSHED_PER_RUN = 500;

export interface ChosenWork {
  sources: Source[];
  articles: Article[];
  units: WorkUnit[];
}

/** The usual work (sources due, waiting pushed articles), or only the units the plan takes after a run died. */
export function chooseWork(
  plan: WorkPlan, sources: Source[], statuses: SourceStatuses, waiting: Article[], now: Date,
  { maxFetches, everything }: { maxFetches: number; everything: boolean },
): ChosenWork {
  let chosenSources: Source[];
  let articles: Article[];
  if (plan.take) {
    const taken = new Set(plan.take);
    chosenSources = sources.filter((s) => !s.paused && taken.has(sourceUnit(s.id)));
    articles = waiting.filter((a) => taken.has(articleUnit(a.id)));
  } else {
    // The culprit just found is recorded by this run, so it must not be part of its work.
    const spared = (unit: WorkUnit) => unit !== plan.culprit;
    chosenSources = pickDue(sources.filter((s) => spared(sourceUnit(s.id))), everything ? {} : statuses, now, maxFetches);
    articles = waiting.filter((a) => spared(articleUnit(a.id))).slice(0, MAX_PUSHED_PER_RUN);
  }
  return { sources: chosenSources, articles, units: [...chosenSources.map((s) => sourceUnit(s.id)), ...articles.map((a) => articleUnit(a.id))] };
}

/** The unit a dead run took alone killed it: a pushed article is quarantined (a source is recorded by recordCulprit). */
export function fileCulprit(culprit: WorkUnit, waiting: Article[], quarantine: QuarantinedArticle[], done: Set<string>, now: Date): void {
  const unit = unitKind(culprit);
  if (unit?.kind !== 'article') return;
  const article = waiting.find((a) => a.id === unit.id);
  quarantine.push({
    id: unit.id, sourceId: article?.sourceId ?? null, title: article?.title.slice(0, 200) ?? null,
    reason: 'run: a run died while filing this article alone (time or memory limit)', at: now.toISOString(),
  });
  done.add(unit.id);
}

/** The unit a dead run took alone killed it: a source is backed off far longer than an ordinary failure. */
export function recordCulprit(statuses: SourceStatuses, culprit: WorkUnit, dead: DeadRun, now: Date, intervalMinutes: number): void {
  const unit = unitKind(culprit);
  if (unit?.kind !== 'source') return;
  const error = `run: the run started ${dead.acquired} died while processing this source alone (time or memory limit); backed off`;
  // Each retry of a source that kills runs costs a few careful runs, so it waits far longer than an ordinary failure.
  const waitSeconds = Math.min(KILLER_BACKOFF_SECONDS * 2 ** (statuses[unit.id]?.failures ?? 0), MAX_BACKOFF_MINUTES * 60);
  statuses[unit.id] = afterPoll(statuses[unit.id], { status: null, error, retryAfterSeconds: waitSeconds }, now, intervalMinutes);
}
