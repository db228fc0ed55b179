// The HTTP face of the Worker: feeds and pages (routes/feeds), plus errors as clear JSON.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { SettingsError } from './config';
import { feedRoutes } from './routes/feeds';

export const app = new Hono<{ Bindings: Env }>();

app.get('/health', (c) => c.json({ ok: true }));
app.route('/', feedRoutes);

app.notFound((c) => c.json({ error: 'not found', path: new URL(c.req.url).pathname }, 404));

app.onError((err, c) => {
  if (err instanceof HTTPException) return c.json({ error: err.message }, err.status);
  if (err instanceof SettingsError) {
    console.error(JSON.stringify({ event: 'settings-error', error: err.message }));
    return c.json({ error: `misconfigured: ${err.message}` }, 500);
  }
  console.error(JSON.stringify({ event: 'request-error', path: new URL(c.req.url).pathname, error: String(err?.stack ?? err) }));
  return c.json({ error: 'internal error' }, 500);
});
