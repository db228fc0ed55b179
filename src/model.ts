// The records that flow through the pipeline. Every stage speaks these types;
// only the stage that owns a record decides how it is stored.

/** Feed formats the parser recognises, named as the parse CLI reports them. */
export type FeedFormat =
  | 'rss0.90' | 'rss0.91' | 'rss0.92' | 'rss0.93' | 'rss0.94'
  | 'rss2.0' | 'rss' | 'rss1.0'
  | 'atom0.3' | 'atom1.0'
  | 'json1.0' | 'json1.1' | 'json';

export interface Person {
  name: string | null;
  email: string | null;
  url: string | null;
}

/** Feed-level metadata as the document states it (dates are ISO 8601 UTC or null). */
export interface ParsedFeedInfo {
  title: string | null;
  link: string | null;
  description: string | null;
  id: string | null;
  updated: string | null;
  published: string | null;
  author: Person | null;
}

/** One entry as the document states it; summary and content are sanitised HTML. */
export interface ParsedItem {
  id: string | null;
  title: string | null;
  link: string | null;
  summary: string | null;
  content: string | null;
  published: string | null;
  updated: string | null;
  author: Person | null;
}

/** What `parseFeed` returns: "what the feed says", before we decide what we believe. */
export interface ParsedFeed {
  format: FeedFormat;
  /** Character encoding the bytes were decoded with (lower-case WHATWG label). */
  encoding: string;
  /** False when the document was not well-formed but was recovered. */
  wellformed: boolean;
  feed: ParsedFeedInfo;
  items: ParsedItem[];
}

/** A feed the Worker polls. */
export interface Source {
  /** Stable id derived from the URL (see sources/config). */
  id: string;
  url: string;
  /** Outlet name shown next to its articles; falls back to the feed's own title. */
  name: string | null;
  paused?: boolean;
}

/** One article, normalised: complete, plain-text fields we can cluster and show. */
export interface Article {
  /** Stable identity: hash of the source id and the item's guid, else URL, else title + content. */
  id: string;
  sourceId: string;
  /** Outlet name as shown to readers. */
  outlet: string;
  /** Canonical absolute URL of the article, or null when the feed gave none. */
  url: string | null;
  title: string;
  /** Plain-text body (content, else summary) used for clustering. */
  text: string;
  /** Short plain-text summary for display. */
  summary: string;
  /** When the publisher says it was published (ISO 8601), or null. */
  published: string | null;
  /** When this Worker first saw it (ISO 8601). */
  seenAt: string;
}

/** The words an article shares with the story it joined: how many, and the weightiest few as the article writes them. */
export interface SharedWords {
  count: number;
  examples: string[];
}

/** One outlet's version of a story, as shown in the merged feeds. */
export interface StorySource {
  articleId: string;
  sourceId: string;
  outlet: string;
  title: string;
  url: string | null;
  published: string | null;
  seenAt: string;
  /** The outlet's plain-text summary (absent in records written before it was kept). */
  summary?: string;
  /** MinHash of the text's opening words, to spot syndicated copies (stories/fingerprint.ts). */
  fingerprint?: string | null;
  /** Why the clustering engine put it in this story: decision score and main evidence, in the engine's words (the JSON and --explain show it). Absent on records from before it was kept. */
  why?: string;
  /** The words it shares with the story it joined (what the story page says in plain words); absent on the report that started the story and on records from before it was kept. */
  shared?: SharedWords;
}

/** A story as rendered: one item in every output feed. */
export interface StoryRecord {
  /** Minted once, never changes (merges keep the older id). */
  id: string;
  /** Lead headline. */
  title: string;
  /** Short plain-text summary of the lead article. */
  summary: string;
  /** First time any of its articles was seen (ISO 8601); fixed for good. */
  firstSeen: string;
  /** Last significant change: a source joined, the lead changed, a story merged in. */
  updated: string;
  sources: StorySource[];
}

/** The story list every route renders from (stored by store/stories.ts). */
export interface StoriesSnapshot {
  version: 1;
  /** When the scheduled run that wrote it finished (ISO 8601). */
  generated: string;
  /** Newest first by `updated`; bounded by MAX_STORIES. */
  stories: StoryRecord[];
  /** Merged-away story id -> the id that absorbed it. */
  aliases: Record<string, string>;
}

/** One source's polling record: what sources/schedule.ts decides from, and store/sourceState.ts keeps. */
export interface SourceStatus {
  /** Validators for conditional GET. */
  etag: string | null;
  lastModified: string | null;
  /** ISO times. */
  lastFetched: string | null;
  lastSuccess: string | null;
  nextDue: string | null;
  /** HTTP status of the last attempt (null: no response), 304 included. */
  lastStatus: number | null;
  lastError: string | null;
  /** Failures in a row; drives the backoff. */
  failures: number;
  /** Items in the last document read, and how many of them were new. */
  itemCount: number;
  newItems: number;
  /** The feed's own title, used when the source has no configured name. */
  feedTitle: string | null;
  /** A bound that fired on the last document (items dropped, articles carried to the next run), or null. */
  notice: string | null;
  /** With queues: hashes of the item ids of the last document read, so a poll sends on only what is new (src/queued/messages.ts); absent otherwise. */
  recent?: string | null;
  /** The source was paused when the last run wrote the records (absent: not paused). */
  paused?: true;
}

export type SourceStatuses = Record<string, SourceStatus>;

/** A never-polled source's record; also fills fields added since a stored record was written. */
export function freshStatus(): SourceStatus {
  return {
    etag: null, lastModified: null, lastFetched: null, lastSuccess: null, nextDue: null,
    lastStatus: null, lastError: null, failures: 0, itemCount: 0, newItems: 0, feedTitle: null, notice: null,
  };
}

/** A pushed article a run could not file, and why (kept in source-state; GET /api/admin/quarantine). */
export interface QuarantinedArticle {
  id: string;
  sourceId: string | null;
  title: string | null;
  reason: string;
  at: string;
}

/** What one scheduled run did: its log line, the admin "run now" answer, and (in part) /health. */
export interface RunReport {
  /** Why the run did nothing (another run holds the lease), or null when it ran. */
  skipped: string | null;
  sourcesDue: number;
  fetched: number;
  notModified: number;
  errors: { source: string; error: string }[];
  newArticles: number;
  /** Pushed articles taken from the inbox this run (new or not). */
  pushedArticles: number;
  storiesCreated: number;
  storiesUpdated: number;
  storiesMerged: number;
  /** Which bounds fired this run, and how often (README, "Bounds"). */
  bounds: {
    /** Items beyond MAX_ITEMS_PER_FEED left out (oldest first). */
    itemsDropped: number;
    titlesCut: number;
    summariesCut: number;
    textsCut: number;
    /** Feed bytes parsed, and sources left for the next run by MAX_PARSE_BYTES_PER_RUN. */
    bytesParsed: number;
    sourcesCarried: number;
    /** New articles left for the next runs by MAX_ARTICLES_PER_RUN. */
    articlesCarried: number;
    /** Articles left out of a full backlog (SPLIT_RUNS: src/sources/backlog.ts), each source's oldest first; each counted once. */
    backlogDropped: number;
    /** Story records cut down to MAX_STORY_RECORD_BYTES, sources left out of them, stories left out (past MAX_STORIES, each source's oldest from the sources leading most; or to fit one KV value). */
    storiesCut: number;
    sourcesDropped: number;
    storiesDropped: number;
    /** Size of the pre-rendered bundle written (null: nothing new), and re-renders needed to fit it. */
    bundleBytes: number | null;
    bundleFitSteps: number;
  };
  /** The progress guarantee at work (src/sources/progress.ts). */
  progress: {
    /** Owner of a run found dead (killed without finishing), or null. */
    deadRun: string | null;
    /** This run took only suspects of killing a run. */
    careful: boolean;
    /** This run repeated, whole, the usual work of a run that died (the first death is taken for an accident). */
    repeat: boolean;
    /** The unit found to kill runs, now backed off or quarantined, or null. */
    culprit: string | null;
    /** Units still suspected after this run. */
    suspects: number;
    /** Pushed articles quarantined this run. */
    quarantined: number;
  };
  /** Wall time; CPU time is recorded per invocation by Workers Observability (a Worker cannot read it). */
  durationMs: number;
}

/** The report's counts that the last run's summary keeps (no URLs, no error texts). */
const SUMMARY_COUNTS = [
  'durationMs', 'sourcesDue', 'fetched', 'notModified', 'newArticles', 'pushedArticles',
  'storiesCreated', 'storiesUpdated', 'storiesMerged',
] as const satisfies readonly (keyof RunReport)[];

/** What the last scheduled run did, as /health shows it: the report's counts, when, who, and how it went. */
export type RunSummary = Pick<RunReport, (typeof SUMMARY_COUNTS)[number]> & {
  /** When it started (ISO 8601). */
  at: string;
  /** "cron" or "admin". */
  trigger: string;
  /** "ok": every polled source answered; "errors": some failed (see the admin API). */
  outcome: 'ok' | 'errors';
  /** Sources that failed (their errors are in the report and the admin API, not here). */
  failed: number;
  /** Stories the run left out of storage (bounds.storiesDropped). */
  storiesDropped: number;
  /** Articles the run left out of a full backlog (bounds.backlogDropped; SPLIT_RUNS). */
  backlogDropped: number;
};

export function summariseRun(report: RunReport, at: Date, trigger: string): RunSummary {
  const counts = Object.fromEntries(SUMMARY_COUNTS.map((key) => [key, report[key]])) as Pick<RunReport, (typeof SUMMARY_COUNTS)[number]>;
  const failed = report.errors.length;
  return { at: at.toISOString(), trigger, outcome: failed > 0 ? 'errors' : 'ok', failed, ...counts, storiesDropped: report.bounds.storiesDropped, backlogDropped: report.bounds.backlogDropped };
}

/** The formats pre-rendered at the end of a run (render/publish.ts), stored in the `rendered` key. */
export type PrerenderedFormat = 'rss' | 'atom' | 'json' | 'html' | 'api';

export interface RenderedView {
  body: string;
  /** Strong validator: a hash of the body as stored. */
  etag: string;
  /** ISO 8601; becomes Last-Modified. */
  lastModified: string;
}

/** The pre-rendered default views as rendered (render/publish.ts); stored in KV as render/storedBundle.ts lays them out. */
export interface RenderedBundle {
  version: 1;
  /** The snapshot's `generated` these views were rendered from. */
  generated: string;
  /**
   * Settings that shape the output (title, base URL, hub, page size), as one string:
   * a deploy that changes them makes the bundle stale until the next run.
   */
  settingsKey: string;
  /**
   * Absolute base URL the bodies were rendered with. When PUBLIC_URL is unset it is a
   * random placeholder origin, replaced by the request's origin when served.
   */
  base: string;
  baseFromRequest: boolean;
  views: Record<PrerenderedFormat, RenderedView>;
  /** Where each story's piece is in the bodies (render/publish.ts): what the next run need not render again. Absent in bundles written before. */
  pieces?: RenderedPieces;
}

/** The stories whose pieces (render/page.ts) a bundle's bodies hold, and where. */
export interface RenderedPieces {
  /** PIECES_REVISION of the code that rendered them: pieces of another are never reused. */
  revision: number;
  stories: RenderedStoryPieces[];
}

export interface RenderedStoryPieces {
  id: string;
  /** The stored record's revision the pieces were rendered from (StoryShelf.revision). */
  record: number;
  /** The story view's `updated`: what a page's own `updated` is worked out from. */
  updated: string;
  /** Per format, where the story's piece starts and ends in the body (byte offsets into its UTF-8). */
  at: Partial<Record<PrerenderedFormat, [number, number]>>;
}
