// The learned part of story assignment. For an article and each candidate story the engine
// measures a handful of cheap, general signals (evidence); they become one fixed-length
// feature vector; a linear ranker orders the candidates and a linear classifier decides
// "join the best one or start a new story". The weights come from model-weights.ts, written
// by `npm run train` (scripts/train.ts). Pure functions only.
import type { LinearModel, TrainedModel } from './linear-model';

/** What the engine measured between one article and one candidate story. */
export interface Evidence {
  /** The hand-built similarity of the single-threshold engine (coherence- and name-adjusted cosine), divided by its length-scaled threshold. */
  legacy: number;
  /** Cosine of the whole article to the story centroid. */
  cosine: number;
  /** Cosine of the article's title words alone to the centroid (0 without a title). */
  titleCosine: number;
  /** Cosine of the article's other words to the centroid (0 when it has none). */
  bodyCosine: number;
  /** Terms the article shares with the centroid. */
  sharedTerms: number;
  /** Share of the article-centroid dot product that its single heaviest shared term gives. */
  oneTermShare: number;
  /** The article's names (capitalised inside a sentence) and how many the story holds; how many of those are rare. */
  articleNames: number;
  sharedNames: number;
  sharedRareNames: number;
  /** Hours from the article to the story's newest and first report; null when either has no time. */
  hoursToNewest: number | null;
  hoursToFirst: number | null;
  /** Articles in the story and how tightly they agree (|centroid| / size). */
  size: number;
  coherence: number;
  /** Distinct terms of the article, and whether it has a title and body text. */
  articleTerms: number;
  hasTitle: boolean;
  hasBody: boolean;
}

/** Names of the features, in vector order (index 0 is the bias). */
export const FEATURES = [
  'bias',
  'legacy',
  'cosine',
  'title',
  'body',
  'sharedShare',
  'oneSharedWord',
  'sharedNames',
  'sharedRareNames',
  'nameConflict',
  'timeKnown',
  'nearNewest',
  'nearFirst',
  'size',
  'singleton',
  'coherence',
] as const;

/**
 * Classifier features: the best candidate's features, then the ranker's score. (Not its lead
 * over the runner-up: on a cold start there is rarely a runner-up, and "no rival" read as a
 * huge lead joined a report to the only story sharing one word with it.)
 */
export const JOIN_FEATURES = [...FEATURES, 'rank'] as const;

const NEWEST_SIGMA_HOURS = 24;
const FIRST_SIGMA_HOURS = 72;

const gaussian = (hours: number, sigma: number) => Math.exp(-(hours * hours) / (2 * sigma * sigma));

/**
 * The ranker's feature vector. Every feature is bounded (0..1) so one weight scale serves
 * all, and none says what kind of text it is (headline, lead, long article): validated on a
 * kind left out of training, features that did (has a body, length, raw counts of shared
 * words) taught the model that headlines never belong together. A text without a title or
 * without a body has one part: both part similarities are then its whole cosine.
 */
export function featuresOf(e: Evidence): number[] {
  const timed = e.hoursToNewest !== null && e.hoursToFirst !== null;
  const parts = e.hasTitle && e.hasBody;
  return [
    1,
    Math.min(e.legacy, 3) / 3,
    e.cosine,
    parts ? e.titleCosine : e.cosine,
    parts ? e.bodyCosine : e.cosine,
    Math.min(1, e.sharedTerms / Math.max(1, e.articleTerms)),
    e.sharedTerms <= 1 ? 1 : 0,
    Math.min(e.sharedNames, 5) / 5,
    Math.min(e.sharedRareNames, 3) / 3,
    e.articleNames >= 3 && e.sharedNames === 0 ? 1 : 0,
    timed ? 1 : 0,
    timed ? gaussian(e.hoursToNewest!, NEWEST_SIGMA_HOURS) : 0,
    timed ? gaussian(e.hoursToFirst!, FIRST_SIGMA_HOURS) : 0,
    Math.min(1, Math.log1p(e.size) / Math.log(100)),
    e.size <= 1 ? 1 : 0,
    // A single article agrees perfectly with itself: coherence says something from two on.
    e.size <= 1 ? 0 : Math.min(1, e.coherence),
  ];
}

/** The classifier's features: the best candidate's, and its ranker score capped so one odd value cannot dominate. */
export function joinFeaturesOf(best: number[], rank: number): number[] {
  return [...best, clamp(rank, -8, 8) / 8];
}

export function logit(model: LinearModel, x: number[]): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += model.weights[i]! * x[i]!;
  return sum;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/**
 * The single-threshold engine as a model: rank by the legacy similarity, join when it clears
 * its threshold. Where training starts from, and what tests of the merge and name mechanics
 * run on (their options then act as they always did).
 */
export function legacyModel(): TrainedModel {
  return {
    ranker: { weights: FEATURES.map((name) => (name === 'legacy' ? 3 : 0)) },
    // legacy feature = min(ratio, 3) / 3, so the logit is 4 × (ratio − 1): p ≥ 0.5 exactly when
    // ratio ≥ 1, and the score a user sees still grades the evidence (ratio 1.2: 0.69, 1.5: 0.88, 2: 0.98).
    joiner: { weights: JOIN_FEATURES.map((name) => (name === 'legacy' ? 12 : name === 'bias' ? -4 : 0)), threshold: 0.5 },
  };
}

/**
 * What the engine decides with: the single-threshold rule (plus the low-evidence rule of the
 * options). The trained MODEL is validated against it by `npm run train` and scripts/loso.sh
 * and can be passed in (`--model`), but it has not beaten the rule on every labelled set, in
 * sample or left out, at no loss of precision (docs/clustering.md, "Learned decision").
 */
export const SHIPPED_DECISION: TrainedModel = legacyModel();

/** The ranker's score (a logit) for one candidate. */
export function rankScore(x: number[], model: LinearModel): number {
  return logit(model, x);
}

/** The classifier's probability that the article belongs to its best candidate. */
export function joinProbability(x: number[], model: LinearModel): number {
  return sigmoid(logit(model, x));
}

/**
 * A short plain-words reason: the decision score, then the evidence behind the classifier's
 * largest contributions, e.g. "0.87: title 0.41 · 2 shared names · 5 h apart".
 */
export function explain(e: Evidence, x: number[], probability: number, joined: boolean, model: LinearModel): string {
  const contribution = (name: (typeof JOIN_FEATURES)[number]) => {
    const i = JOIN_FEATURES.indexOf(name);
    return model.weights[i]! * x[i]!;
  };
  const reasons: [number, string][] = [];
  const add = (names: (typeof JOIN_FEATURES)[number][], text: string | null) => {
    if (text) reasons.push([names.reduce((sum, name) => sum + contribution(name), 0), text]);
  };
  add(['title'], e.hasTitle && e.hasBody ? `title ${e.titleCosine.toFixed(2)}` : null);
  add(['body', 'cosine', 'legacy'], e.hasBody ? `text ${e.cosine.toFixed(2)}` : `words ${e.cosine.toFixed(2)}`);
  add(['sharedShare', 'oneSharedWord'], `${e.sharedTerms} shared ${e.sharedTerms === 1 ? 'word' : 'words'}`);
  add(
    ['sharedNames', 'sharedRareNames', 'nameConflict'],
    e.sharedNames > 0
      ? `${e.sharedNames} shared ${e.sharedNames === 1 ? 'name' : 'names'}${e.sharedRareNames > 0 ? ` (${e.sharedRareNames} rare)` : ''}`
      : e.articleNames >= 3
        ? 'no shared names'
        : null,
  );
  add(['timeKnown', 'nearNewest', 'nearFirst'], e.hoursToNewest === null ? null : `${formatHours(e.hoursToNewest)} apart`);
  add(['size', 'singleton', 'coherence'], `story of ${e.size}`);
  // Largest first in the direction of the decision: what made it join, or what kept it apart.
  const sign = joined ? -1 : 1;
  const top = reasons.sort((a, b) => sign * (a[0] - b[0])).slice(0, 3).map(([, text]) => text);
  return `${probability.toFixed(2)}: ${top.join(' · ')}`;
}

function formatHours(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  return `${Math.round(hours / 24)} days`;
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, value));
}
