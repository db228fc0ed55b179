// The run report (model.ts's RunReport) from what each stage of the scheduled run returned. Pure.
import type { RunReport } from './model';
import type { PublishReport } from './render/publish';
import type { SourcePoll } from './sources/poll';
import type { StoryCuts } from './stories/bounds';
import type { Filing } from './stories/file';

type RunBounds = RunReport['bounds'];

/** What the stages after polling returned: the filing, and the stories and bundle written (null: nothing new). */
export interface RunOutcome {
  filing: Filing;
  stories: StoryCuts | null;
  publish: PublishReport | null;
}

export function runReport(
  sourcesDue: number, polls: SourcePoll[], { filing, stories, publish }: RunOutcome, started: number,
  parsing: Omit<RunBounds, 'articlesCarried' | 'storiesCut' | 'sourcesDropped' | 'storiesDropped' | 'bundleBytes' | 'bundleFitSteps'>,
  progress: Omit<RunReport['progress'], 'quarantined'>,
): RunReport {
  const errors = polls.filter((p) => p.result.error).map((p) => ({ source: p.source.url, error: p.result.error! }));
  for (const [id, error] of filing.failedSources) {
    const poll = polls.find((p) => p.source.id === id);
    if (poll) errors.push({ source: poll.source.url, error });
  }
  return {
    skipped: null,
    sourcesDue,
    fetched: polls.filter((p) => p.result.status !== null && !p.result.error && !p.result.notModified && !p.carried).length,
    notModified: polls.filter((p) => p.result.notModified).length,
    errors,
    newArticles: filing.newArticles,
    pushedArticles: filing.pushed,
    storiesCreated: filing.created,
    storiesUpdated: filing.updated,
    storiesMerged: filing.merged,
    bounds: {
      ...parsing,
      articlesCarried: filing.articlesCarried,
      storiesCut: stories?.storiesCut ?? 0,
      sourcesDropped: stories?.sourcesDropped ?? 0,
      storiesDropped: stories?.storiesDropped ?? 0,
      bundleBytes: publish?.bundleBytes ?? null,
      bundleFitSteps: publish?.fitSteps ?? 0,
    },
    progress: { ...progress, quarantined: filing.quarantined.length + (progress.culprit?.startsWith('article:') ? 1 : 0) },
    durationMs: Date.now() - started,
  };
}

export function skippedRun(reason: string, started: number): RunReport {
  return {
    skipped: reason, sourcesDue: 0, fetched: 0, notModified: 0, errors: [], newArticles: 0, pushedArticles: 0,
    storiesCreated: 0, storiesUpdated: 0, storiesMerged: 0,
    bounds: {
      itemsDropped: 0, titlesCut: 0, summariesCut: 0, textsCut: 0, bytesParsed: 0, sourcesCarried: 0, articlesCarried: 0, backlogDropped: 0,
      storiesCut: 0, sourcesDropped: 0, storiesDropped: 0, bundleBytes: null, bundleFitSteps: 0,
    },
    progress: { deadRun: null, careful: false, repeat: false, culprit: null, suspects: 0, quarantined: 0 },
    durationMs: Date.now() - started,
  };
}

/** One JSON line per run, for `wrangler tail` and Workers Logs. */
export function logRun(report: RunReport, context: Record<string, unknown>): void {
  const { errors, durationMs, ...counts } = report;
  console.log(JSON.stringify({ event: 'run', ...context, ...counts, wallMs: durationMs, failed: errors.length, errors }));
}
