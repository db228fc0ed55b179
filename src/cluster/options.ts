// Every tunable of the clustering engine, with the defaults the Worker runs. One
// configuration serves every source mix; see docs/clustering.md for how they were chosen.
import { SHIPPED_DECISION } from './decision';

export interface ClusterOptions {
  /** Probability (from the join classifier: the rule's or a trained one) an article needs to join its best candidate; defaults to the model's own threshold. */
  joinThreshold: number;
  /** A candidate the single-threshold engine scores below this fraction of its bar is never joined: a floor under the learned decision that holds on a cold start, when the model has too little to go on (one shared rare word). */
  legacyFloor: number;
  /** A story of at most `lowEvidenceSize` articles is joined only on at least `minSharedTerms` shared terms: on a cold start one shared rare word ("harbour") clears the bar, and is not an event. */
  minSharedTerms: number;
  lowEvidenceSize: number;
  /** Such a story is not joined either when one shared term gives more than this share of the similarity (0: off). */
  oneWordShare: number;
  /** The single-threshold engine's bar (cosine, scaled down for short texts): its score relative to this is one of the learned features, and bridged merges still need it. */
  threshold: number;
  /** Minimum centroid-to-centroid cosine for two stories bridged by one article to merge. */
  mergeThreshold: number;
  /** A story accepts articles published within this many hours of its first/newest article, and leaves the active set this long after its newest one. */
  windowHours: number;
  /** Most terms kept in a story centroid (the heaviest). */
  centroidSize: number;
  /** Most stories kept active; the least recently updated leave first. */
  maxActiveStories: number;
  /** Article ids remembered for duplicate detection (most recent first out last). */
  seenRetention: number;
  /** Merge aliases remembered (oldest forgotten first). */
  aliasRetention: number;
  /** Most terms in the document-frequency dictionary before the rarest are pruned. */
  maxTerms: number;
  /** Weight of a title word relative to a body word. */
  titleWeight: number;
  /** Extra weight of a capitalised word inside a sentence (names, places). */
  properNounWeight: number;
  /** Body words considered per article (leading paragraphs first). */
  bodyTokenLimit: number;
  /** Terms carried by more active stories than this do not nominate candidates (they still score). */
  maxPostings: number;
  /** The article's heaviest terms (among those not too common) that nominate candidate stories. */
  nominateTerms: number;
  /** Nominated stories scored exactly (those with the largest partial similarity). */
  maxCandidates: number;
  /** Stories up to this size are judged by mean similarity to their members; larger ones increasingly by their centroid. */
  coherenceSize: number;
  /** How hard a loose story is discounted: similarity × coherence^exponent (1: the member average). */
  coherenceExponent: number;
  /** Articles with fewer distinct terms than this get a proportionally lower join threshold. */
  fullTextTerms: number;
  /** Shape of that lowering: threshold × (terms / fullTextTerms)^exponent. */
  shortTextExponent: number;
  /** Stories with at least this many members each may merge on centroid agreement alone (0: never). */
  storyMergeSize: number;
  /** Background stories the shipped prior (prior.ts) counts for in IDF, each term held by its background share of them (0: no prior). */
  priorUnits: number;
  /** The first this many members of a story each count as a document for IDF; later ones only add their new terms. */
  dfMembersPerStory: number;
  /** Consolidation's bar: two stories whose articles' mean cosine (average linkage) reaches it, lowered for short texts as the join bar is, merge after a run (0: no consolidation). */
  consolidateThreshold: number;
  /** Consolidation also needs the link to reach this fraction of the tighter story's own cohesion (mean cosine between its articles). */
  consolidateCohesion: number;
  /** Extra link (fraction) when a story consolidation looks at shares a rare name with the other. */
  consolidateNameBoost: number;
  /** Minimum centroid cosine for such a merge. */
  storyMergeThreshold: number;
  /** Names (capitalised words) an article needs before a story sharing none of them is discounted. */
  minNames: number;
  /** Similarity factor for a story that shares none of the article's names. */
  nameConflictFactor: number;
  /** Extra similarity (fraction) when the story shares a rare name with the article. */
  nameBoost: number;
  /** A name counted in at most this many stories (IDF units) is rare: sharing it is strong evidence. */
  rareNameStories: number;
}

export const DEFAULT_OPTIONS: Readonly<ClusterOptions> = Object.freeze({
  joinThreshold: SHIPPED_DECISION.joiner.threshold,
  legacyFloor: 1,
  minSharedTerms: 2,
  lowEvidenceSize: 1,
  oneWordShare: 0.6,
  threshold: 0.32,
  mergeThreshold: 0.7,
  windowHours: 72,
  centroidSize: 100,
  maxActiveStories: 5_000,
  seenRetention: 200_000,
  aliasRetention: 50_000,
  maxTerms: 200_000,
  titleWeight: 2,
  properNounWeight: 1.5,
  bodyTokenLimit: 60,
  maxPostings: 64,
  nominateTerms: 8,
  maxCandidates: 32,
  coherenceSize: 2,
  coherenceExponent: 2,
  fullTextTerms: 19,
  shortTextExponent: 1,
  storyMergeSize: 10,
  priorUnits: 1000,
  dfMembersPerStory: 2,
  storyMergeThreshold: 0.35,
  consolidateThreshold: 0.2,
  consolidateCohesion: 0.85,
  consolidateNameBoost: 0.25,
  minNames: 3,
  nameConflictFactor: 0.5,
  nameBoost: 0.5,
  rareNameStories: 2,
});

export function resolveOptions(partial: Partial<ClusterOptions> = {}): ClusterOptions {
  const options = { ...DEFAULT_OPTIONS };
  for (const [name, value] of Object.entries(partial) as [keyof ClusterOptions, unknown][]) {
    if (value === undefined) continue;
    if (!(name in DEFAULT_OPTIONS)) throw new Error(`cluster: unknown option "${name}"`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`cluster: option "${name}" must be a non-negative number, got ${String(value)}`);
    }
    options[name] = value;
  }
  return options;
}
