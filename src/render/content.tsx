// The HTML body of one story inside a feed item: summary, then every outlet's version.
// Built with hono/jsx so every value is escaped; feed renderers embed it as text.
import { displayTime, renderToString } from './jsx';
import type { StorySourceView, StoryView } from './view';

function SourceLine({ source }: { source: StorySourceView }) {
  return (
    <li>
      <strong>{source.outlet}</strong>:{' '}
      {source.url ? <a href={source.url}>{source.title}</a> : source.title}
      {source.time ? <small> ({displayTime(source.time)})</small> : null}
      {source.copyOf ? <small> (same text as {source.copyOf})</small> : null}
    </li>
  );
}

/** Bodies already rendered, by view: RSS, Atom and JSON Feed each embed the same one. */
const rendered = new WeakMap<StoryView, string>();

export function storyContentHtml(story: StoryView): string {
  let html = rendered.get(story);
  if (html === undefined) {
    html = renderContent(story);
    rendered.set(story, html);
  }
  return html;
}

function renderContent(story: StoryView): string {
  const count = story.sourceCount;
  return renderToString(
    <>
      {story.summary ? <p>{story.summary}</p> : null}
      <p>
        Reported by {count} {count === 1 ? 'source' : 'sources'}:
      </p>
      <ul>
        {story.sources.map((source) => (
          <SourceLine source={source} />
        ))}
      </ul>
    </>,
  );
}
