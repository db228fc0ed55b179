// Server-rendered HTML: the front page (a news river), one page per story, and error pages.
// hono/jsx escapes every value; no scripts, styles inline so the CSP can stay strict.
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { TOP_FORMULA } from '../stories/rank';
import { groupedInWords } from './grouped';
import { displayTime, renderToString } from './jsx';
import { querySearch } from './query';
import { StoryTimeline, TIMELINE_STYLE } from './timeline';
import { renderPage, splitAt, type PageFormat } from './page';
import type { FeedView, PageFrame, PageLinks, SiteInfo, StorySourceView, StoryView } from './view';
import { DEFAULT_SORT, FORMAT_PATHS } from './view';

/** Sources listed per story on the river (the front page and its pages) before "and N more"; the story's page lists them all. */
export const RIVER_SOURCES = 6;

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1b1b;--muted:#616161;--line:#e3e3e3;--accent:#0b57d0;--bg:#fff;--chip:#f1f4f9}
@media (prefers-color-scheme:dark){:root{--fg:#e6e6e6;--muted:#a0a0a0;--line:#333;--accent:#8ab4f8;--bg:#121212;--chip:#1f2530}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.wrap{max-width:52rem;margin:0 auto;padding:0 1rem}
header.site{border-bottom:1px solid var(--line);padding:1.25rem 0 1rem}
header.site h1{margin:0;font-size:1.75rem;letter-spacing:-.01em}header.site h1 a{color:var(--fg)}
header.site p{margin:.25rem 0 .75rem;color:var(--muted)}
.bar{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;justify-content:space-between}
.feeds a{margin-right:.75rem;font-size:.9rem}
form.filter{display:flex;gap:.5rem;flex-wrap:wrap}
form.filter input,form.filter select,form.filter button{font:inherit;font-size:.9rem;padding:.3rem .5rem;border:1px solid var(--line);border-radius:.4rem;background:var(--bg);color:var(--fg)}
.summary-line{color:var(--muted);font-size:.9rem;margin:1rem 0 .25rem}
article.story{padding:1.1rem 0;border-bottom:1px solid var(--line)}
article.story h2{margin:0 0 .2rem;font-size:1.25rem;line-height:1.3}
article.story h2 a{color:var(--fg)}
.meta{color:var(--muted);font-size:.85rem;margin:0 0 .4rem}
.count{display:inline-block;background:var(--chip);color:var(--fg);border-radius:1rem;padding:0 .55rem;font-weight:600}
.lede{margin:.3rem 0 .5rem}
ul.sources{list-style:none;margin:0;padding:0;font-size:.92rem}
ul.sources li{padding:.15rem 0 .15rem .8rem;border-left:2px solid var(--line);margin:.15rem 0}
.outlet{font-weight:600;margin-right:.5em}
.why{display:block;color:var(--muted);font-size:.8rem}
time,.when{color:var(--muted);font-size:.82rem;white-space:nowrap}
.more{font-size:.88rem;margin:.4rem 0 0}
nav.pages{display:flex;justify-content:space-between;padding:1.25rem 0;font-size:.95rem}
footer.site{color:var(--muted);font-size:.85rem;padding:1.5rem 0 2.5rem}
.empty{padding:2rem 0;color:var(--muted)}
nav.sort{margin:1rem 0 .25rem;font-size:.95rem}nav.sort a,nav.sort strong{margin-right:1rem}
.formula{color:var(--muted);font-size:.82rem;margin:.25rem 0}
.copy{color:var(--muted);font-size:.82rem}
${TIMELINE_STYLE}`;

function Layout(props: { site: SiteInfo; title: string; head?: Child; tools?: Child; children?: Child }) {
  const base = props.site.base;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <meta name="description" content={props.site.description} />
        {props.head}
        <link rel="alternate" type="application/rss+xml" title={`${props.site.title} (RSS)`} href={`${base}${FORMAT_PATHS.rss}`} />
        <link rel="alternate" type="application/atom+xml" title={`${props.site.title} (Atom)`} href={`${base}${FORMAT_PATHS.atom}`} />
        <link rel="alternate" type="application/feed+json" title={`${props.site.title} (JSON Feed)`} href={`${base}${FORMAT_PATHS.json}`} />
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        <header class="site">
          <div class="wrap">
            <h1><a href={`${base}/`}>{props.site.title}</a></h1>
            <p>{props.site.description}</p>
            <div class="bar">
              <nav class="feeds" aria-label="Feeds">
                <a href={`${base}${FORMAT_PATHS.rss}`}>RSS</a>
                <a href={`${base}${FORMAT_PATHS.atom}`}>Atom</a>
                <a href={`${base}${FORMAT_PATHS.json}`}>JSON Feed</a>
                <a href={`${base}${FORMAT_PATHS.api}`}>API</a>
              </nav>
              {props.tools}
            </div>
          </div>
        </header>
        <main class="wrap">{props.children}</main>
        <footer class="site">
          <div class="wrap">Each story once, linked to every outlet that reported it. Times in UTC.</div>
        </footer>
      </body>
    </html>
  );
}

function FilterForm({ view }: { view: PageFrame }) {
  const chosen = view.query.minSources;
  return (
    <form class="filter" method="get" action={`${view.site.base}/`} role="search">
      <input type="search" name="q" value={view.query.q ?? ''} placeholder="Search headlines" aria-label="Search headlines" />
      <select name="min_sources" aria-label="Minimum sources">
        {[1, 2, 3, 5].map((n) => (
          <option value={String(n)} selected={chosen === n}>
            {n === 1 ? 'All stories' : `${n}+ sources`}
          </option>
        ))}
      </select>
      {view.query.sort !== DEFAULT_SORT.html ? <input type="hidden" name="sort" value={view.query.sort} /> : null}
      <button type="submit">Filter</button>
    </form>
  );
}

function SourceItem({ source, grouped }: { source: StorySourceView; grouped: string | null }) {
  return (
    <li>
      <span class="outlet">{source.outlet}</span>
      {source.url ? <a href={source.url} rel="noopener noreferrer">{source.title}</a> : <span>{source.title}</span>}{' '}
      {source.time ? <time datetime={source.time}>{displayTime(source.time)}</time> : null}
      {source.copyOf ? <span class="copy"> · same text as {source.copyOf}</span> : null}
      {grouped ? <span class="why">{grouped}</span> : null}
    </li>
  );
}

function StoryBlock({ story, sourceLimit, explain }: { story: StoryView; sourceLimit: number; explain?: boolean }) {
  const count = story.sourceCount;
  const shown = story.sources.slice(0, sourceLimit);
  return (
    <article class="story" id={`story-${story.id}`}>
      <h2><a href={story.leadUrl}>{story.title}</a></h2>
      <p class="meta">
        <a class="count" href={story.url}>{count} {count === 1 ? 'source' : 'sources'}</a>{' '}
        {story.independent < count ? <>· {story.independent} independent{' '}</> : null}
        · first reported <time datetime={story.published}>{displayTime(story.published)}</time>
        {/* Updated: its newest report, what changed for a reader (not when a run filed it). */}
        {displayTime(story.latestReport) !== displayTime(story.published) && story.latestReport > story.published ? (
          <>
            {' '}· updated <time datetime={story.latestReport}>{displayTime(story.latestReport)}</time>
          </>
        ) : null}
      </p>
      {story.summary ? <p class="lede">{story.summary}</p> : null}
      <ul class="sources">
        {shown.map((source, i) => <SourceItem source={source} grouped={explain ? groupedInWords(story.sources, i) : null} />)}
      </ul>
      {count > shown.length ? (
        <p class="more"><a href={story.url}>and {count - shown.length} more</a></p>
      ) : null}
    </article>
  );
}

/** "Top" and "Latest", each keeping the other filters; the formula under "Top". */
function SortTabs({ view }: { view: PageFrame }) {
  const href = (sort: 'top' | 'new') => `${view.site.base}/${querySearch({ ...view.query, sort }, 1, view.site.pageSize, DEFAULT_SORT.html)}`;
  const tab = (sort: 'top' | 'new', label: string) => (view.query.sort === sort ? <strong aria-current="page">{label}</strong> : <a href={href(sort)}>{label}</a>);
  return (
    <>
      <nav class="sort" aria-label="Order">
        {tab('top', 'Top stories')}
        {tab('new', 'Latest')}
      </nav>
      {view.query.sort === 'top' ? (
        <p class="formula">
          Ranked by <code>{TOP_FORMULA}</code>. One masthead counts once; a syndicated copy of the same text counts once.
        </p>
      ) : (
        <p class="formula">Newest change first: a story moves up when an outlet joins it.</p>
      )}
    </>
  );
}

function Pager({ links, page, lastPage }: { links: PageLinks; page: number; lastPage: number }) {
  if (lastPage <= 1) return null;
  return (
    <nav class="pages" aria-label="Pages">
      <span>{links.prev ? <a href={links.prev} rel="prev">← Previous</a> : null}</span>
      <span>Page {page} of {lastPage}</span>
      <span>{links.next ? <a href={links.next} rel="next">Next →</a> : null}</span>
    </nav>
  );
}

/** Where the river's stories go in its page: a comment, which no escaped text can spell. */
const STORIES_MARKER = '<!--stories-->';

/** The river: each story's block, RIVER_SOURCES sources at most. */
export const RIVER_PAGE: PageFormat = {
  item: (story) => renderToString(<StoryBlock story={story} sourceLimit={RIVER_SOURCES} />),
  frame: (view) => splitAt(riverDocument(view), STORIES_MARKER),
  separator: '',
};

export function renderFrontPage(view: FeedView): string {
  return renderPage(RIVER_PAGE, view);
}

function riverDocument(view: PageFrame): string {
  const filtered = view.query.q !== null || view.query.minSources > 1 || view.query.since !== null;
  const title = view.page > 1 ? `${view.site.title} — page ${view.page}` : view.site.title;
  return document(
    <Layout site={view.site} title={title} tools={<FilterForm view={view} />}>
      <SortTabs view={view} />
      <p class="summary-line">
        {view.total} {view.total === 1 ? 'story' : 'stories'}
        {filtered ? (view.total === 1 ? ' matches' : ' match') : ''} · updated <time datetime={view.updated}>{displayTime(view.updated)}</time>
      </p>
      {view.shown === 0 ? <p class="empty">{filtered ? 'No stories match these filters.' : 'No stories yet.'}</p> : null}
      {raw(STORIES_MARKER)}
      <Pager links={view.links.html} page={view.page} lastPage={view.lastPage} />
    </Layout>,
  );
}

export function renderStoryPage(story: StoryView, site: SiteInfo): string {
  // The story's own feeds come first, so autodiscovery offers "follow this story".
  const head = (
    <>
      <link rel="alternate" type="application/atom+xml" title={`${story.title} (Atom)`} href={`${story.url}/feed.xml`} />
      <link rel="alternate" type="application/feed+json" title={`${story.title} (JSON Feed)`} href={`${story.url}/feed.json`} />
      <link rel="alternate" type="application/json" href={`${story.url}.json`} />
    </>
  );
  return document(
    <Layout site={site} title={`${story.title} — ${site.title}`} head={head}>
      <StoryBlock story={story} sourceLimit={Number.POSITIVE_INFINITY} explain />
      <StoryTimeline sources={story.sources} />
      <p class="more">
        <a href={`${site.base}/`}>← All stories</a> · Follow this story: <a href={`${story.url}/feed.xml`}>Atom</a>,{' '}
        <a href={`${story.url}/feed.json`}>JSON Feed</a> · <a href={`${story.url}.json`}>JSON</a>
      </p>
    </Layout>,
  );
}

export function renderErrorPage(site: SiteInfo, heading: string, message: string): string {
  return document(
    <Layout site={site} title={`${heading} — ${site.title}`}>
      <h2>{heading}</h2>
      <p>{message}</p>
      <p><a href={`${site.base}/`}>← All stories</a></p>
    </Layout>,
  );
}

function document(node: Child): string {
  return `<!DOCTYPE html>\n${renderToString(node)}`;
}
