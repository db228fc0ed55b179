// Single-pass story clustering: each article joins the best active story inside its time
// window or starts a new one. A bounded shortlist of candidates comes from an inverted index;
// each candidate is measured (several similarities, names, time, size: decision.ts), a
// trained linear ranker orders them and a trained classifier decides whether the article
// joins the best one. An article close to two stories that have grown alike merges them.
import { explain, featuresOf, joinFeaturesOf, joinProbability, rankScore, SHIPPED_DECISION, type Evidence } from './decision';
import { articleTerms } from './features';
import { articleKey, termHash, type Key } from './keys';
import { surfaceForms } from './tokenize';
import type { TrainedModel } from './linear-model';
import { resolveOptions, type ClusterOptions } from './options';
import { backgroundPrior, type BackgroundPrior } from './prior';
import { decodeSnapshot, encodeSnapshot, type ClusterSnapshot } from './snapshot';
import { ClusterState } from './state';
import type { SharedWords } from '../model';
import type { Story } from './story';
import { mintStoryId, storyIdOf, storyKey } from './story-id';
import { addTo, dot, emptyVector, sharedWeight, fromPairs, norm, normalise, overlapDense, retain, weightOf, type Overlap, type SparseVector, type TermVector } from './vector';

export interface ClusterInput {
  id: string;
  title: string;
  text: string;
  /** Publisher's time (ISO 8601) or null. */
  published: string | null;
  /** When the Worker first saw it: stands in for a missing `published`. */
  seenAt?: string | null;
}

export interface Assignment {
  articleId: string;
  /** The (resolved, never-aliased) story this article now belongs to. */
  storyId: string;
  /** A new story was started. */
  created: boolean;
  /** This article id was seen before: nothing changed, storyId is where it went. */
  duplicate: boolean;
  /** Story ids absorbed into storyId by this step (they now answer as aliases). */
  merged: string[];
  /** This article is now the story's lead (its title/summary head the story). */
  lead: boolean;
  /** The classifier's probability that the article belongs to its best candidate; null when no story was a candidate. */
  score?: number | null;
  /** Why it joined (or started) its story, in the engine's words: "0.87: title 0.41 · 2 shared names · 5 h apart". */
  why?: string;
  /** When it joined a story: how many of its words the story holds, and the weightiest of them as the article writes them (for readers: render/grouped.ts). */
  shared?: SharedWords;
}

/** Stories folded into one by consolidation: the survivor keeps its id, the others answer as its aliases. */
export interface Consolidation {
  survivor: string;
  absorbed: string[];
  /** For each absorbed story, its link when it merged: average linkage as a multiple of the bar (≥ 1). */
  links: number[];
}

/** What consolidation knows of a story the run created or joined: its run articles' distinct terms (summed) and names. */
interface Touched {
  terms: number;
  articles: number;
  names: Set<string>;
}

interface LinkedPair {
  a: string;
  b: string;
  /** Average linkage over the bar. */
  ratio: number;
  /** Creation order of the older and the newer story: ties go to older pairs (deterministic). */
  low: number;
  high: number;
}

/** A candidate as the training script sees it (scripts/train.ts). */
export interface CandidateView {
  storyId: string;
  /** Ranker features (decision.ts, FEATURES order) and the ranker's score. */
  features: number[];
  rank: number;
}

/**
 * Training hook: given the candidates (best ranked first) and the classifier's features for
 * the first, returns the index of the candidate to join, -1 for a new story (the engine then
 * makes no merges: the teacher's choice is the whole decision), or undefined to let the
 * engine decide as it would on its own.
 */
export type Teacher = (candidates: readonly CandidateView[], joinFeatures: number[] | null) => number | undefined;

interface Candidate {
  story: Story;
  /** The single-threshold engine's similarity (see `score`): still used to bridge stories. */
  similarity: number;
  evidence: Evidence;
  features: number[];
  /** Ranker score: candidates are ordered by it. */
  rank: number;
}

/** An article ready to be compared: its weighted terms and what the features read from it. */
interface ArticleVector {
  vector: SparseVector;
  names: Set<string>;
  titleTerms: Set<string>;
  hasTitle: boolean;
  hasBody: boolean;
}

const HOUR_MS = 3_600_000;
/** Shared words named as examples of a join; and how far into a body to look for how it writes them. */
const SHARED_EXAMPLES = 2;
const SURFACE_SCAN_CHARS = 20_000;

export class StoryClusterer {
  /** Scratch: the article being ranked, by term id (all 0 between articles). */
  private dense = new Float64Array(0);
  /** Scratch: its partial dot products with the nominated stories, by slot (all 0 between articles). */
  private partial = new Float64Array(0);
  /** Scratch: the article's title-term weights by term id, and its names (1) / rare names (2). */
  private titleDense = new Float64Array(0);
  private nameFlags = new Uint8Array(0);
  private readonly overlap: Overlap = { full: 0, title: 0, shared: 0, names: 0, rareNames: 0, top: 0 };
  /** Background word frequencies blended into IDF (constant code, never saved with the state). */
  private readonly prior: BackgroundPrior;
  /** Stories this engine created or joined since it was restored, with the distinct terms of their articles (consolidation looks around them). */
  private readonly touched = new Map<string, Touched>();
  /** Stories created since the engine was restored (consolidation keeps the ids readers have seen). */
  private readonly createdThisRun = new Set<string>();

  private constructor(
    private readonly state: ClusterState,
    readonly options: ClusterOptions,
    private readonly model: TrainedModel,
  ) {
    this.prior = backgroundPrior(options.priorUnits);
  }

  /** `model`: other weights than the shipped decision (the trained MODEL, training and leave-one-set-out validation). */
  static restore(snapshot: ClusterSnapshot | null, options?: Partial<ClusterOptions>, model: TrainedModel = SHIPPED_DECISION): StoryClusterer {
    const state = snapshot ? decodeSnapshot(snapshot) : new ClusterState();
    return new StoryClusterer(state, resolveOptions({ joinThreshold: model.joiner.threshold, ...options }), model);
  }

  get activeStories(): number {
    return this.state.stories.size;
  }

  add(article: ClusterInput, teacher?: Teacher): Assignment {
    if (typeof article?.id !== 'string' || article.id === '') throw new Error('cluster: article without an id');
    const { state } = this;
    const key = articleKey(article.id);
    const earlier = state.seen.get(key);
    if (earlier !== null) {
      return { articleId: article.id, storyId: this.resolve(storyIdOf(earlier.lo, earlier.hi)), created: false, duplicate: true, merged: [], lead: false };
    }
    const time = articleTime(article);
    this.advanceClock(time);

    const prepared = this.vectorise(article);
    const { vector } = prepared;
    const threshold = this.thresholdFor(vector);
    const ranked = this.rank(prepared, time, threshold);
    const overBar = ranked.filter((candidate) => candidate.evidence.legacy >= this.options.legacyFloor);
    const candidates = overBar.filter((candidate) => !this.lowEvidence(candidate.evidence));
    const best = candidates[0];
    const joinFeatures = best ? joinFeaturesOf(best.features, best.rank) : null;
    const probability = joinFeatures ? joinProbability(joinFeatures, this.model.joiner) : null;
    const taught = teacher?.(candidates.map((c) => ({ storyId: c.story.id, features: c.features, rank: c.rank })), joinFeatures);
    const choice = taught ?? (probability !== null && probability >= this.options.joinThreshold ? 0 : -1);
    const chosen = candidates[choice];
    const reason = best ? explain(best.evidence, joinFeatures!, probability!, chosen !== undefined, this.model.joiner) : null;
    let assignment: Assignment;
    if (chosen) {
      const shared = this.sharedWords(article, prepared, chosen);
      const lead = this.join(chosen.story, key, vector, time);
      let story = chosen.story;
      const absorbed: string[] = [];
      if (taught === undefined) {
        const merged = this.mergeBridged(story, candidates.filter((c) => c !== chosen), threshold);
        const converged = this.mergeConverged(merged.survivor, ranked);
        absorbed.push(...merged.absorbed, ...converged.absorbed);
        story = converged.survivor;
      }
      const why = chosen === best ? reason! : `chosen by the teacher (${reason})`;
      assignment = { articleId: article.id, storyId: story.id, created: false, duplicate: false, merged: absorbed, lead: lead && sameKey(story.lead, key), score: probability, why, shared };
    } else {
      const story = this.create(article.id, key, vector, time);
      assignment = { articleId: article.id, storyId: story.id, created: true, duplicate: false, merged: [], lead: true, score: probability, why: this.whyNew(reason, ranked, overBar) };
      this.createdThisRun.add(story.id);
    }
    this.remember(key, assignment.storyId);
    this.noteTouched(assignment.storyId, assignment.merged, vector.size, prepared.names);
    this.enforceActiveLimit();
    return assignment;
  }

  /**
   * The words an article shares with the story it joins (before it joins): their number, and the
   * SHARED_EXAMPLES that weigh most in the match (article weight × story weight) as the article
   * writes them. Only for the story chosen, once per join.
   */
  private sharedWords(article: ClusterInput, prepared: ArticleVector, chosen: Candidate): SharedWords {
    const { terms } = this.state;
    const heaviest: { term: string; weight: number }[] = [];
    for (const [term, weight] of prepared.vector) {
      const id = terms.id(termHash(term));
      const held = id === undefined ? undefined : weightOf(chosen.story.centroid, id);
      if (held === undefined) continue;
      heaviest.push({ term, weight: weight * held });
    }
    const top = heaviest.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1)).slice(0, SHARED_EXAMPLES).map((t) => t.term);
    const wanted = new Set(top);
    const forms = surfaceForms(article.title ?? '', wanted, prepared.names);
    surfaceForms((article.text ?? '').slice(0, SURFACE_SCAN_CHARS), wanted, prepared.names, forms);
    return { count: chosen.evidence.sharedTerms, examples: top.map((term) => forms.get(term) ?? term) };
  }

  /** Why an article started a story: the refused best match, too little evidence, or how far below the bar the closest story was. */
  private whyNew(reason: string | null, ranked: Candidate[], overBar: Candidate[]): string {
    if (reason) return `new story; best match ${reason}`;
    const refused = overBar[0]?.evidence;
    if (refused) {
      const articles = `${refused.size} ${refused.size === 1 ? 'article' : 'articles'}`;
      if (refused.sharedTerms >= this.options.minSharedTerms) {
        return `new story; the closest story has ${articles} and its likeness rests on one shared word (${Math.round(100 * refused.oneTermShare)} %)`;
      }
      return `new story; the closest story has ${articles} and shares only ${refused.sharedTerms} ${refused.sharedTerms === 1 ? 'word' : 'words'} with it`;
    }
    const closest = ranked[0]?.evidence;
    return closest ? `new story; the closest story scores ${closest.legacy.toFixed(2)} of the bar` : 'new story; no similar story';
  }

  /**
   * Too little evidence to join, whatever the scores say: a story of at most `lowEvidenceSize`
   * articles sharing fewer than `minSharedTerms` terms with the article. On a cold or young
   * engine every word looks rare, so one shared word (a town, "harbour") can clear the bar.
   * Nor when one shared term gives more than `oneWordShare` of the similarity: a town name and
   * an everyday word ("Corvith", "return") are two terms but one piece of evidence, which the
   * background prior (IDF) makes visible by weighing the everyday word down. Only for an
   * article with body text: a headline alone shares a few words, one of them carrying most of
   * the likeness, with other headlines of its event (uci-headlines-dev lost 0.01-0.02 F1).
   */
  private lowEvidence(evidence: Evidence): boolean {
    if (evidence.size > this.options.lowEvidenceSize) return false;
    return tooLittleEvidence(evidence.sharedTerms, evidence.oneTermShare, evidence.hasBody, this.options);
  }

  resolve(storyId: string): string {
    const key = storyKey(storyId);
    if (key === null) return storyId; // no engine minted it, so nothing was merged into anything
    const resolved = this.resolveKey(key);
    return resolved === key ? storyId : storyIdOf(resolved.lo, resolved.hi);
  }

  private resolveKey(key: Key): Key {
    let current = key;
    // Aliases always point at a surviving or older story, so this ends; the bound guards corrupt input.
    for (let hops = 0; hops < 64; hops++) {
      const next = this.state.aliases.get(current);
      if (next === null) return current;
      current = next;
    }
    return current;
  }

  /**
   * Consolidation: the online pass assigns each article once, in arrival order, and an event
   * reported first in two different ways stays two stories. After a run's articles, every story
   * the run created or joined is compared with the active stories near it (same window,
   * nominated through the inverted index from its heaviest terms) by **average linkage**: the
   * mean cosine between their articles, which for centroids that are sums of unit vectors is
   * dot(a, b) / (|a| · |b| articles). Pairs that clear the bar merge, best first; a merged story
   * is looked at again. Stories the run did not touch were compared when they last changed, so
   * this is average-linkage clustering of the whole window done incrementally.
   */
  consolidate(): Consolidation[] {
    const threshold = this.options.consolidateThreshold;
    const merges = new Map<string, { id: string; link: number }[]>();
    if (threshold <= 0 || this.touched.size === 0) return [];
    let round = [...this.touched.keys()];
    for (let pass = 0; pass < 4 && round.length > 0; pass++) {
      const pairs: LinkedPair[] = [];
      for (const id of round) {
        const story = this.state.stories.get(this.resolve(id));
        if (story) pairs.push(...this.linkedPairs(story));
      }
      pairs.sort((a, b) => b.ratio - a.ratio || a.low - b.low || a.high - b.high);
      const survivors = new Set<string>();
      for (const pair of pairs) {
        const a = this.state.stories.get(this.resolve(pair.a));
        const b = this.state.stories.get(this.resolve(pair.b));
        if (!a || !b || a === b) continue;
        // Earlier merges changed one of them: judge the pair as it is now.
        const link = this.linkRatio(a, b);
        if (link < 1) continue;
        const [keep, drop] = this.keepsId(a, b) ? [a, b] : [b, a];
        this.absorb(keep, drop);
        const absorbed = merges.get(keep.id) ?? [];
        absorbed.push({ id: drop.id, link }, ...(merges.get(drop.id) ?? []));
        merges.delete(drop.id);
        merges.set(keep.id, absorbed);
        this.noteTouched(keep.id, [drop.id]);
        survivors.add(keep.id);
      }
      round = [...survivors];
    }
    // Done for this run: the next consolidation looks around what changes after this one.
    this.touched.clear();
    this.createdThisRun.clear();
    return [...merges].map(([survivor, absorbed]) => ({ survivor, absorbed: absorbed.map((a) => a.id), links: absorbed.map((a) => a.link) }));
  }

  /**
   * Which of two merging stories keeps its id. A story readers have seen (created before this
   * run) wins over one this run created, whose id no feed has shown yet; then the one with more
   * articles (it keeps most of them); then the older.
   */
  private keepsId(a: Story, b: Story): boolean {
    const aNew = this.createdThisRun.has(a.id);
    if (aNew !== this.createdThisRun.has(b.id)) return !aNew;
    return a.size > b.size || (a.size === b.size && a.created <= b.created);
  }

  /** The active stories the story links to above the bar (its ratio to the bar, ≥ 1). */
  private linkedPairs(story: Story): LinkedPair[] {
    const pairs: LinkedPair[] = [];
    for (const slot of this.neighbours(story)) {
      const other = this.state.slots.story(slot);
      if (other === story) continue;
      const ratio = this.linkRatio(story, other);
      if (ratio < 1) continue;
      pairs.push({ a: story.id, b: other.id, ratio, low: Math.min(story.created, other.created), high: Math.max(story.created, other.created) });
    }
    return pairs;
  }

  /**
   * Average linkage of two stories relative to the bar: the mean cosine between their
   * articles, over a bar lowered for short texts as an article's is (a story of headlines
   * shares few words with anything).
   */
  private linkRatio(a: Story, b: Story): number {
    if (!this.spansMeet(a, b)) return 0;
    const { product, shared, top } = sharedWeight(a.centroid, b.centroid);
    // A story of one article or so is held to the online pass's evidence rules (step 7a).
    // (Stories hold no headline-only flag: the one-word rule applies to them all, as measured.)
    if (Math.min(a.size, b.size) <= this.options.lowEvidenceSize && tooLittleEvidence(shared, product > 0 ? top / product : 0, true, this.options)) return 0;
    const mean = product / (a.size * b.size);
    const terms = Math.max(this.typicalTerms(a), this.typicalTerms(b));
    const bar = this.options.consolidateThreshold * Math.min(1, terms / this.options.fullTextTerms) ** this.options.shortTextExponent;
    // Two stories each held together more tightly than they link are two events, however alike their topic.
    const cohesion = Math.max(cohesionOf(a) ?? 0, cohesionOf(b) ?? 0);
    const relative = this.options.consolidateCohesion * cohesion;
    const need = Math.max(bar, relative);
    return need > 0 ? (mean * this.namesAgreement(a, b)) / need : 0;
  }

  /** Distinct terms of a story's typical article: known for the run's articles, else read off a one-article centroid. */
  private typicalTerms(story: Story): number {
    const run = this.touched.get(story.id);
    if (run) return run.terms / run.articles;
    return story.size === 1 ? story.centroid.size : 0;
  }

  /** Whether two stories' times fall within one window of each other (untimed stories meet everything). */
  private spansMeet(a: Story, b: Story): boolean {
    if (a.firstTime === null || b.firstTime === null || a.lastTime === null || b.lastTime === null) return true;
    const window = this.options.windowHours * HOUR_MS;
    return Math.max(a.firstTime, b.firstTime) - Math.min(a.lastTime, b.lastTime) <= window;
  }

  /**
   * Slots of the stories sharing one of the story's heaviest, not too common terms, the ones
   * with the largest partial products first (at most `maxCandidates`). Bounded like an
   * article's nomination: never all pairs of the window.
   */
  private neighbours(story: Story): number[] {
    const { terms, slots } = this.state;
    const { nominateTerms, maxPostings, maxCandidates } = this.options;
    if (this.partial.length < slots.capacity) this.partial = new Float64Array(slots.capacity * 2);
    const { partial } = this;
    const { ids, weights, size } = story.centroid;
    const order = Array.from({ length: size }, (_, i) => i).sort((x, y) => weights[y]! - weights[x]! || ids[x]! - ids[y]!);
    const nominees: number[] = [];
    let nominating = 0;
    for (const position of order) {
      if (nominating >= nominateTerms) break;
      const id = ids[position]!;
      if (terms.size(id) > maxPostings) continue;
      nominating++;
      this.addPostings(id, weights[position]!, nominees);
    }
    for (const slot of nominees) partial[slot]! /= slots.norm[slot]!;
    const best = nominees.sort((x, y) => partial[y]! - partial[x]! || slots.created[x]! - slots.created[y]!).slice(0, maxCandidates);
    for (const slot of nominees) partial[slot] = 0;
    return best;
  }

  /** Records that a story took an article (its distinct terms and names) or absorbed stories. */
  private noteTouched(storyId: string, merged: readonly string[], terms?: number, names?: Set<string>): void {
    const entry = this.touched.get(storyId) ?? { terms: 0, articles: 0, names: new Set<string>() };
    for (const id of merged) {
      const other = this.touched.get(id);
      if (!other) continue;
      entry.terms += other.terms;
      entry.articles += other.articles;
      for (const name of other.names) entry.names.add(name);
      this.touched.delete(id);
    }
    if (terms !== undefined) {
      entry.terms += terms;
      entry.articles += 1;
    }
    if (names) for (const name of names) entry.names.add(name);
    this.touched.set(storyId, entry);
  }

  /**
   * Names decide between look-alike events here too: a story whose run articles name
   * `minNames` people or places, none of which the other story holds, is another event
   * (the conflict factor); sharing a rare name is strong evidence of the same one.
   */
  private namesAgreement(a: Story, b: Story): number {
    let factor = 1;
    for (const [mine, other] of [[a, b], [b, a]] as const) {
      const names = this.touched.get(mine.id)?.names;
      if (!names || names.size < this.options.minNames) continue;
      let shared = 0;
      let rare = 0;
      for (const name of names) {
        const hash = termHash(name);
        const id = this.state.terms.id(hash);
        if (id === undefined || weightOf(other.centroid, id) === undefined) continue;
        shared++;
        if (this.state.frequencies.count(hash) <= this.options.rareNameStories) rare++;
      }
      if (shared === 0) factor = Math.min(factor, this.options.nameConflictFactor);
      else if (rare > 0 && factor >= 1) factor = Math.max(factor, 1 + this.options.consolidateNameBoost);
    }
    return factor;
  }

  snapshot(): ClusterSnapshot {
    const { seen, aliases } = this.state;
    // Seen articles point at the story that holds them now: an alias may be forgotten first.
    if (aliases.size > 0) {
      seen.mapValues((lo, hi) => {
        const next = aliases.get({ lo, hi });
        return next === null ? { lo, hi } : this.resolveKey(next);
      });
    }
    return encodeSnapshot(this.state);
  }

  private vectorise(article: ClusterInput): ArticleVector {
    const { scores, names, titleTerms, hasBody } = articleTerms(article.title ?? '', article.text ?? '', this.options);
    const weighted: SparseVector = new Map();
    for (const [term, score] of scores) weighted.set(term, score * this.state.frequencies.idf(termHash(term), this.prior));
    return { vector: normalise(weighted), names, titleTerms, hasTitle: titleTerms.size > 0, hasBody };
  }

  /**
   * Active stories that could hold the article, best first (older first on ties). Cost per
   * article is bounded whatever the size of the active set: only the article's heaviest
   * `nominateTerms` terms that are not common right now (carried by at most `maxPostings`
   * stories) nominate stories through the inverted index — a story sharing none of them
   * cannot come close — and only the `maxCandidates` stories with the largest partial dot
   * products get an exact score over all the article's terms.
   */
  private rank(article: ArticleVector, time: number | null, threshold: number): Candidate[] {
    const { vector } = article;
    const { slots } = this.state;
    const { maxCandidates } = this.options;
    const nominees = this.nominate(vector);
    let shortlist = nominees.filter((slot) => this.inWindow(slot, time));
    if (shortlist.length > maxCandidates) {
      // Each partial product becomes its bound on the cosine, so the sort reads one number.
      const bound = this.partial;
      for (const slot of shortlist) bound[slot]! /= slots.norm[slot]!;
      shortlist = shortlist.sort((a, b) => bound[b]! - bound[a]! || slots.created[a]! - slots.created[b]!).slice(0, maxCandidates);
    }
    for (const slot of nominees) this.partial[slot] = 0;
    const { written, titleNorm } = this.spread(article);
    const bodyNorm = Math.sqrt(Math.max(0, 1 - titleNorm * titleNorm));
    const { overlap } = this;
    const ranked = shortlist.map((slot): Candidate => {
      const story = slots.story(slot);
      overlapDense(story.centroid, this.dense, this.titleDense, this.nameFlags, overlap);
      const similarity = this.score(overlap.full, story) * this.nameAgreement(article.names.size, overlap);
      const evidence: Evidence = {
        legacy: threshold > 0 ? similarity / threshold : similarity,
        cosine: overlap.full / story.norm,
        titleCosine: titleNorm > 0 ? overlap.title / (titleNorm * story.norm) : 0,
        bodyCosine: bodyNorm > 1e-9 ? Math.max(0, overlap.full - overlap.title) / (bodyNorm * story.norm) : 0,
        sharedTerms: overlap.shared,
        oneTermShare: overlap.full > 0 ? overlap.top / overlap.full : 0,
        articleNames: article.names.size,
        sharedNames: overlap.names,
        sharedRareNames: overlap.rareNames,
        hoursToNewest: time === null || story.lastTime === null ? null : Math.abs(time - story.lastTime) / HOUR_MS,
        hoursToFirst: time === null || story.firstTime === null ? null : Math.abs(time - story.firstTime) / HOUR_MS,
        size: story.size,
        coherence: story.norm / story.size,
        articleTerms: vector.size,
        hasTitle: article.hasTitle,
        hasBody: article.hasBody,
      };
      const features = featuresOf(evidence);
      return { story, similarity, evidence, features, rank: rankScore(features, this.model.ranker) };
    });
    for (const id of written) {
      this.dense[id] = 0;
      this.titleDense[id] = 0;
      this.nameFlags[id] = 0;
    }
    // Equal ranks (the legacy ranker caps its ratio at 3) fall back on the hand-built similarity, then age.
    return ranked.sort((a, b) => b.rank - a.rank || b.similarity - a.similarity || a.story.created - b.story.created);
  }

  /**
   * Slots of the stories sharing a nominating term with the article; leaves its dot product
   * with each over those terms in the scratch array `partial`, for the caller to clear.
   */
  private nominate(vector: SparseVector): number[] {
    const { terms, slots } = this.state;
    const { nominateTerms, maxPostings } = this.options;
    if (this.partial.length < slots.capacity) this.partial = new Float64Array(slots.capacity * 2);
    const nominees: number[] = [];
    let nominating = 0;
    for (const [term, weight] of heaviestFirst(vector)) {
      if (nominating >= nominateTerms) break;
      const id = terms.id(termHash(term));
      if (id === undefined || terms.size(id) > maxPostings) continue;
      nominating++;
      this.addPostings(id, weight, nominees);
    }
    return nominees;
  }

  /**
   * Adds `weight` × each story's weight for the term to the story's slot in `partial`, and
   * lists the slots met for the first time in `nominees`.
   */
  private addPostings(id: number, weight: number, nominees: number[]): void {
    const { terms } = this.state;
    const { partial } = this;
    const [from, to] = terms.baseRange(id);
    for (let i = from; i < to; i++) {
      const held = terms.baseWeight(i);
      if (held === 0) continue; // let go since the load
      const slot = terms.baseSlot(i);
      // Weights are positive, so a 0 means the story was not nominated yet.
      if (partial[slot] === 0) nominees.push(slot);
      partial[slot]! += weight * held;
    }
    const gained = terms.gained(id);
    if (!gained) return;
    for (let i = 0; i < gained.size; i++) {
      const slot = gained.slots[i]!;
      if (partial[slot] === 0) nominees.push(slot);
      partial[slot]! += weight * gained.weights[i]!;
    }
  }

  /**
   * Writes the article's weights by term id into the scratch array (terms no centroid holds
   * cannot score); returns the ids written, for the caller to clear.
   */
  private spread(article: ArticleVector): { written: number[]; titleNorm: number } {
    const { terms, frequencies } = this.state;
    if (this.dense.length < terms.capacity) {
      this.dense = new Float64Array(terms.capacity * 2);
      this.titleDense = new Float64Array(terms.capacity * 2);
      this.nameFlags = new Uint8Array(terms.capacity * 2);
    }
    const written: number[] = [];
    let titleSquares = 0;
    for (const [term, weight] of article.vector) {
      const inTitle = article.titleTerms.has(term);
      if (inTitle) titleSquares += weight * weight;
      const hash = termHash(term);
      const id = terms.id(hash);
      if (id === undefined) continue;
      // Two of the article's terms may share a hash (keys.ts): they are one term here.
      this.dense[id]! += weight;
      if (inTitle) this.titleDense[id]! += weight;
      if (article.names.has(term)) this.nameFlags[id] = frequencies.count(hash) <= this.options.rareNameStories ? 2 : 1;
      written.push(id);
    }
    return { written, titleNorm: Math.sqrt(titleSquares) };
  }

  /** The article's vector over term ids, interning its new terms: it is about to join a centroid. */
  private intern(vector: SparseVector): TermVector {
    const byId = new Map<number, number>();
    for (const [term, weight] of vector) {
      const id = this.state.terms.intern(termHash(term));
      byId.set(id, (byId.get(id) ?? 0) + weight);
    }
    return fromPairs([...byId]);
  }

  /**
   * Article-to-story similarity. Cosine to the centroid, discounted by the story's coherence
   * (|centroid| / size: the mean cosine of its members to their centroid) so that a small
   * story is judged by the article's *average* similarity to its members — a loose pair
   * does not attract everything on the same topic. As a story grows past `coherenceSize`
   * members the discount fades: many outlets legitimately word one event many ways.
   */
  private score(product: number, story: Story): number {
    const cosine = product / story.norm;
    const coherence = Math.min(1, story.norm / story.size);
    // Without any time a story has no window to bound it: it keeps the member average for good.
    const untimed = story.firstTime === null;
    const fade = untimed ? 1 : Math.min(1, this.options.coherenceSize / story.size);
    return cosine * coherence ** (this.options.coherenceExponent * fade);
  }

  /**
   * Names decide between events that share their words. Similar words about different people
   * or places are different events ("plane crash in Nepal" / "plane crash in Brazil"): an
   * article that names at least `minNames` people or places, none of which the story
   * mentions, has its similarity discounted. Sharing a rare name (a town, a person hardly
   * any story has mentioned) is strong evidence of the same event: a bonus. Common names
   * (a president, a country) shared by many stories are neutral.
   */
  private nameAgreement(articleNames: number, overlap: Overlap): number {
    if (articleNames < this.options.minNames) return 1;
    if (overlap.rareNames > 0) return 1 + this.options.nameBoost;
    return overlap.names > 0 ? 1 : this.options.nameConflictFactor;
  }

  /**
   * The join threshold, lowered for short texts: a headline shares at most a few words with
   * anything, so its cosines run lower for the same evidence, while a long text shares
   * incidental words with everything.
   */
  private thresholdFor(vector: SparseVector): number {
    return this.options.threshold * Math.min(1, vector.size / this.options.fullTextTerms) ** this.options.shortTextExponent;
  }

  private inWindow(slot: number, time: number | null): boolean {
    const first = this.state.slots.firstTime[slot]!;
    const last = this.state.slots.lastTime[slot]!;
    if (time === null || Number.isNaN(first) || Number.isNaN(last)) return true;
    const window = this.options.windowHours * HOUR_MS;
    return time >= first - window && time <= last + window;
  }

  private create(articleId: string, key: Key, vector: SparseVector, time: number | null): Story {
    const { state } = this;
    const id = mintStoryId(articleId, (candidate) => state.stories.has(candidate) || state.aliases.has(storyKey(candidate)!));
    const story: Story = {
      id,
      created: state.storiesCreated++,
      firstTime: time,
      lastTime: time,
      size: 1,
      centroid: emptyVector(),
      norm: 0,
      slot: -1,
      lead: key,
      leadTime: time,
    };
    state.slots.add(story);
    state.frequencies.addUnit(hashesOf(vector.keys()));
    this.addToCentroid(story, this.intern(vector));
    state.stories.set(id, story);
    return story;
  }

  /** Adds the article to the story; returns whether it became the lead. */
  private join(story: Story, key: Key, vector: SparseVector, time: number | null): boolean {
    const { state } = this;
    if (story.size < this.options.dfMembersPerStory) state.frequencies.addUnit(hashesOf(vector.keys()));
    else state.frequencies.addTerms(hashesOf([...vector.keys()].filter((term) => !this.holds(story, term))));
    this.addToCentroid(story, this.intern(vector));
    story.size += 1;
    if (time !== null) {
      story.firstTime = story.firstTime === null ? time : Math.min(story.firstTime, time);
      story.lastTime = story.lastTime === null ? time : Math.max(story.lastTime, time);
    }
    this.touch(story);
    // Lead rule: the earliest-published article leads; it changes only when an article with
    // an earlier known time turns up (stable headlines, the original report on top).
    const leads = time !== null && (story.leadTime === null || time < story.leadTime);
    if (leads) {
      story.lead = key;
      story.leadTime = time;
    }
    return leads;
  }

  /**
   * Stories that the same article also matched and whose centroids now agree with the
   * survivor's are the same event found twice: fold them into the oldest.
   */
  private mergeBridged(story: Story, others: Candidate[], threshold: number): { survivor: Story; absorbed: string[] } {
    let survivor = story;
    const absorbed: string[] = [];
    for (const { story: other, similarity } of others) {
      if (similarity < threshold) continue;
      survivor = this.mergeIfAgreeing(survivor, other, this.options.mergeThreshold, absorbed);
    }
    return { survivor, absorbed };
  }

  /**
   * Two established stories (each with several members) whose centroids have grown alike are
   * one event covered in two threads: a centroid of many articles is a stable description,
   * so a lower bar than for a single article holds.
   */
  private mergeConverged(story: Story, candidates: Candidate[]): { survivor: Story; absorbed: string[] } {
    let survivor = story;
    const absorbed: string[] = [];
    const minSize = this.options.storyMergeSize;
    if (minSize <= 0 || survivor.size < minSize) return { survivor, absorbed };
    for (const { story: other } of candidates.slice(0, 8)) {
      if (other.size < minSize) continue;
      survivor = this.mergeIfAgreeing(survivor, other, this.options.storyMergeThreshold, absorbed);
    }
    return { survivor, absorbed };
  }

  /**
   * Folds `other` into `survivor` (or the reverse: the older story keeps its id) when their
   * centroids' cosine reaches `bar`; returns the story that survives and records the absorbed id.
   */
  private mergeIfAgreeing(survivor: Story, other: Story, bar: number, absorbed: string[]): Story {
    if (other === survivor || !this.state.stories.has(other.id)) return survivor;
    const agreement = dot(survivor.centroid, other.centroid) / (survivor.norm * other.norm);
    if (agreement < bar) return survivor;
    const [keep, drop] = survivor.created <= other.created ? [survivor, other] : [other, survivor];
    this.absorb(keep, drop);
    absorbed.push(drop.id);
    return keep;
  }

  private absorb(keep: Story, drop: Story): void {
    // Add before retiring: retiring frees the ids that only `drop` holds.
    this.addToCentroid(keep, drop.centroid);
    this.retire(drop);
    keep.size += drop.size;
    keep.firstTime = minTime(keep.firstTime, drop.firstTime);
    keep.lastTime = maxTime(keep.lastTime, drop.lastTime);
    if (drop.leadTime !== null && (keep.leadTime === null || drop.leadTime < keep.leadTime)) {
      keep.lead = drop.lead;
      keep.leadTime = drop.leadTime;
    }
    this.touch(keep);
    const { aliases } = this.state;
    aliases.set(storyKey(drop.id)!, storyKey(keep.id)!);
    aliases.trim(this.options.aliasRetention);
  }

  /** Whether the story's centroid holds the term. */
  private holds(story: Story, term: string): boolean {
    const id = this.state.terms.id(termHash(term));
    return id !== undefined && weightOf(story.centroid, id) !== undefined;
  }

  /** Adds a vector to the centroid, keeps the heaviest terms and the inverted index in step. */
  private addToCentroid(story: Story, vector: TermVector): void {
    const { terms } = this.state;
    addTo(story.centroid, vector, (id, weight) => terms.set(id, story.slot, weight));
    // Trimming means a sort, so let a centroid overrun its bound by a quarter before trimming
    // it back: big stories take an article at a time and would otherwise sort on every join.
    const limit = this.options.centroidSize;
    if (story.centroid.size > limit + (limit >> 2)) this.trim(story, limit);
    story.norm = norm(story.centroid) || 1;
    this.state.slots.sync(story);
  }

  /** Keeps the `limit` heaviest terms of the centroid (ties: the lower term hash, the same in every process). */
  private trim(story: Story, limit: number): void {
    const { terms } = this.state;
    const { ids, weights, size } = story.centroid;
    const ordered = Array.from({ length: size }, (_, i) => i);
    ordered.sort((a, b) => weights[b]! - weights[a]! || (terms.term(ids[a]!) < terms.term(ids[b]!) ? -1 : 1));
    for (const position of ordered.slice(limit)) terms.remove(ids[position]!, story.slot);
    retain(story.centroid, ordered.slice(0, limit).sort((a, b) => a - b));
  }

  /** Removes a story from the active set (its id stays valid through `seen` and aliases). */
  private retire(story: Story): void {
    const { ids, size } = story.centroid;
    for (let i = 0; i < size; i++) this.state.terms.remove(ids[i]!, story.slot);
    this.state.stories.delete(story.id);
    this.state.slots.remove(story);
  }

  /** The story changed: it moves to the back of the expiry order, its times to the slot table. */
  private touch(story: Story): void {
    this.state.stories.delete(story.id);
    this.state.stories.set(story.id, story);
    this.state.slots.sync(story);
  }

  private remember(key: Key, storyId: string): void {
    const { seen } = this.state;
    seen.set(key, storyKey(storyId)!);
    seen.trim(this.options.seenRetention);
  }

  /** Moves the stream clock and, every eighth of a window, retires stories gone quiet. */
  private advanceClock(time: number | null): void {
    const { state } = this;
    if (time === null || (state.clock !== null && time <= state.clock)) return;
    state.clock = time;
    const window = this.options.windowHours * HOUR_MS;
    if (state.lastSweep !== null && time - state.lastSweep < window / 8) return;
    state.lastSweep = time;
    for (const story of [...state.stories.values()]) {
      if (story.lastTime !== null && time - story.lastTime > window) this.retire(story);
    }
  }

  private enforceActiveLimit(): void {
    const { stories } = this.state;
    while (stories.size > this.options.maxActiveStories) this.retire(stories.oldest()!);
    this.state.frequencies.prune(this.options.maxTerms);
  }
}

/** The distinct term hashes of some terms (two terms may share one). */
function hashesOf(terms: Iterable<string>): Set<number> {
  const hashes = new Set<number>();
  for (const term of terms) hashes.add(termHash(term));
  return hashes;
}

/**
 * The low-evidence rules (step 7a), for an article and a young story as for two stories: fewer
 * than `minSharedTerms` terms in common, or, with body text, one term giving more than
 * `oneWordShare` of the likeness (a town's name and an everyday word are one piece of
 * evidence, not two).
 */
function tooLittleEvidence(sharedTerms: number, oneTermShare: number, hasBody: boolean, options: ClusterOptions): boolean {
  if (sharedTerms < options.minSharedTerms) return true;
  return options.oneWordShare > 0 && hasBody && oneTermShare > options.oneWordShare;
}

/** Mean cosine between a story's articles (its centroid is their sum of unit vectors); null for one article. */
function cohesionOf(story: Story): number | null {
  const n = story.size;
  if (n < 2) return null;
  return Math.max(0, (story.norm * story.norm - n) / (n * (n - 1)));
}


function sameKey(a: Key, b: Key): boolean {
  return a.lo === b.lo && a.hi === b.hi;
}

function heaviestFirst(vector: SparseVector): [string, number][] {
  return [...vector].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function articleTime(article: ClusterInput): number | null {
  for (const value of [article.published, article.seenAt]) {
    if (typeof value !== 'string') continue;
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  return null;
}

function minTime(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

function maxTime(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}
