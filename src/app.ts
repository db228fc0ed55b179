// The HTTP face of the Worker: feeds and pages (routes/feeds), health, the admin API and push
// ingestion (bearer token, docs/api.md), plus errors as clear JSON.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { SettingsError } from './config';
import { adminRoutes } from './routes/admin';
import { canonicalPaths } from './routes/canonical';
import { correctionRoutes } from './routes/corrections';
import { unmatchedRoute } from './routes/fallback';
import { feedRoutes } from './routes/feeds';
import { healthRoutes } from './routes/health';
import { pushRoutes } from './routes/push';
import { storyFeedRoutes } from './routes/storyFeeds';

export const app = new Hono<{ Bindings: Env }>();

// The token before the method, and a GET with a trailing slash to its canonical path (routes/canonical.ts).
app.use('*', canonicalPaths(() => app.routes));

app.route('/', healthRoutes);
app.route('/api/admin/corrections', correctionRoutes);
app.route('/api/admin', adminRoutes);
app.route('/api', pushRoutes);
app.route('/', feedRoutes);
app.route('/', storyFeedRoutes);

// 404, or 405 with Allow when the path answers other methods; HTML for browsers, JSON otherwise.
app.notFound((c) => unmatchedRoute(c, app.routes));

app.onError((err, c) => {
  if (err instanceof HTTPException) return err.res ? err.getResponse() : c.json({ error: err.message }, err.status);
  if (err instanceof SettingsError) {
    console.error(JSON.stringify({ event: 'settings-error', error: err.message }));
    return c.json({ error: `misconfigured: ${err.message}` }, 500);
  }
  console.error(JSON.stringify({ event: 'request-error', path: new URL(c.req.url).pathname, error: String(err?.stack ?? err) }));
  return c.json({ error: 'internal error' }, 500);
});
